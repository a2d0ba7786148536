"""Message ids that code passes to translate() as values, listed so that extraction finds them."""


def _(message: str) -> str:
    return message


DYNAMIC_MESSAGES = (
    # Roles (app.models.Role)
    _("member"),
    _("moderator"),
    _("liaison"),
    # Phases (app.models.Phase)
    _("drafting"),
    _("amendments"),
    _("consolidation"),
    _("review"),
    _("adopted"),
    # Paragraph kinds (app.models.ParagraphKind)
    _("heading"),
    _("text"),
    _("recommendation"),
    # Revision sources (drafting.revisions.Source)
    _("human"),
    _("merge"),
    _("amendment"),
    _("restore"),
    _("machine"),
    # Default messages of the error classes (app/errors.py)
    _("Something went wrong."),
    _("Not found."),
    _("You do not have permission to do this."),
    _("Please log in."),
    _("Wrong user name or password."),
    _("The input is not valid."),
    _(
        "Someone else changed this paragraph in the same place. Your text was kept as a "
        "conflict draft; resolve it to save."
    ),
    _("This phase change is not possible."),
    _("This conflicts with existing data."),
    _("The request is too large."),
    _("Too many failed attempts. Please wait a few minutes and try again."),
    # Messages passed to the error classes under app/
    _("Send an API token as 'Authorization: Bearer <token>'."),
    _("The API token is not valid."),
    _(
        "The form expired or did not come from this site (CSRF check failed). "
        "Reload the page and try again."
    ),
    _("Revision {revision_id} does not exist."),
    _("This revision is not part of this paragraph's history."),
    _("There is no such conflict draft."),
    _("Only site administrators may do this."),
    _("Unknown paragraph kind {kind}; choose heading, text or recommendation."),
    _("Paragraph {paragraph_id} is not in this document."),
    _("Position must be between 1 and {count}."),
    _("base_revision_id {revision_id} is not a {lang} revision of this paragraph."),
    _("A working group with the slug {slug} exists already."),
    _("Unknown role {role}; choose member, moderator or liaison."),
    _("A liaison represents a government: DE or FR."),
    _("Only liaisons represent a government."),
    _("There is no user {username}."),
    _("{username} is not a member of this group."),
    _("A password needs at least {minimum} characters."),
    _("This password cannot be used (too long or with a NUL character)."),
    _("Unknown language {locale}; choose one of de, fr, en."),
    _("The user name {username} is taken."),
    _("The current password is wrong."),
    _(
        "A user name has 2 to 64 characters: lower-case letters a-z, digits, '.', '_' or"
        " '-', starting with a letter or digit."
    ),
    _("A slug has 2 to 64 characters: lower-case letters a-z, digits and '-'."),
    # InvalidText templates (drafting/text.py), shown through app.validation
    _(
        "The text contains the control character {character} at position {position};"
        " remove it and try again."
    ),
    _("This field must be a single line."),
    _("The text is {length} characters long; at most {maximum} are allowed."),
    _("This field must not be empty."),
)
