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
    _("The group needs at least one moderator: make someone else moderator first."),
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
    # Default messages of the error classes defined elsewhere under app/
    _("The machine translation service did not answer; try again later."),
    _("This export format is not available on this server."),
    # Messages passed to the error classes in app/exports/__init__.py
    _("Unknown export format {format}; choose pdf, docx, md, xml or json."),
    _("Unknown language {lang}; choose de, fr or both."),
    # Messages passed to the error classes in app/imports.py
    _(
        "The file is neither a DOCX document nor UTF-8 text (undecodable byte at position"
        " {position})."
    ),
    _("The DOCX file unpacks to more than 64 MiB; it is refused."),
    _("The ZIP archive is not a DOCX document."),
    _("The DOCX file is damaged or not a Word document; it could not be read."),
    _("The file is empty."),
    _(
        "The German file has {de} paragraphs and the French file {fr}; they are paired block by"
        " block, so they must have the same number."
    ),
    _("Unknown language {lang}; choose de or fr."),
    _("The first file already holds both languages; send it alone."),
    _("The first file already holds both languages in a table; send it alone."),
    _("The second file must hold one language only."),
    _("The file holds no paragraphs."),
    _("The file holds {count} paragraphs; at most {maximum} can be imported at once."),
    _("Give the German title (the file names none)."),
    _("Give the French title (the file names none)."),
    _("At most {maximum} paragraphs can be imported at once."),
    _("Unknown paragraph kind {kind}."),
    # Messages passed to the error classes in app/queries/access.py
    _("The document is adopted: its final text can no longer be changed."),
    _("This is not possible while the document is in the {phase} phase."),
    # Messages passed to the error classes in app/queries/amendments.py
    _("There is no such amendment."),
    # Messages passed to the error classes in app/queries/glossary.py
    _("This glossary has no term {term_id}."),
    # Messages passed to the error classes in app/queries/versions.py
    _("Version {number} does not exist."),
    # Messages passed to the error classes in app/routes/alignment.py
    _("Machine translation is not configured on this site."),
    # Messages passed to the error classes in app/routes/evidence.py
    _("The file is larger than {maximum} bytes."),
    # Messages passed to the error classes in app/routes/exports.py
    _("Choose a file to import."),
    _("The preview could not be read; upload the file again."),
    # Messages passed to the error classes in app/routes/versions.py
    _("{field} must be a version number or 'current'."),
    _("Say which version to compare from: ?from=<number>."),
    _("Give the date as YYYY-MM-DD."),
    # Messages passed to the error classes in app/services/alignment.py
    _(
        "The text changed since you read it: the current revisions are DE {de} and FR {fr}. Read"
        " the current texts and confirm again."
    ),
    _("Both languages need a text before they can be confirmed as saying the same."),
    _("There is no {lang} text to translate."),
    _("The {lang} text changed while it was being translated; translate again."),
    # Messages passed to the error classes in app/services/amendments.py
    _("An amendment needs a justification."),
    _("Give the {lang} revision the amendment was written on."),
    _("The amendment changes nothing: change the text in at least one language."),
    _("This amendment is {status}; only open amendments can be changed."),
    _("You cannot support your own amendment."),
    _("Only the author can withdraw an amendment."),
    _("Only the author can rewrite an amendment."),
    _("Unknown decision {decision}; choose accept, accept_modified or reject."),
    _("Rejecting an amendment needs a reason."),
    _("Accepting with modifications needs the modified text in at least one language."),
    _(
        "This amendment no longer changes the text (the paragraph already says this); it was marked"
        " obsolete."
    ),
    _(
        "The paragraph changed in the same place as this amendment: it needs a rebase before it can"
        " be accepted. Ask the author to resolve it, or accept it with modifications."
    ),
    _("The modified text is the current text; reject the amendment instead."),
    _("Choose at least two amendments to merge."),
    _("Amendments {ids} are not amendments of this paragraph."),
    _("Amendment {id} is {status}; only open amendments can be merged."),
    _("Amendment {id} needs a rebase before it can be merged."),
    _("Amendments {ids} conflict with the ones before them; leave them out or resolve them first."),
    # Messages passed to the error classes in app/services/comments.py
    _("A comment must not be empty."),
    _("parent_id {parent_id} is not a comment thread of this paragraph."),
    _("A reply is in the language of its thread ({lang})."),
    _("A reply belongs to the passage of its thread; it cannot quote another one."),
    _(
        "The quoted passage “{quote}” does not occur in the current {lang} text of this paragraph."
        " Select or copy the passage again."
    ),
    _("Only a whole thread can be resolved or reopened, not a reply."),
    _("Only the author of a thread or a moderator may resolve or reopen it."),
    # Messages passed to the error classes in app/services/evidence.py
    _("There is no initiative {key} in the library."),
    _("This paragraph already cites {key}."),
    # Messages passed to the error classes in app/services/glossary.py
    _("The note is {length} characters long; at most {maximum} are allowed."),
    _("The glossary has the pair {term_de} – {term_fr} already."),
    # Messages passed to the error classes in app/services/initiatives.py
    _("The initiatives library is open to members of a working group."),
    _("{name} must be a number between {low} and {high}."),
    _("A key has 2 to 100 characters: lower-case letters a-z, digits and '-'."),
    _("A country is a two-letter code such as DE or FR."),
    _("There are too many themes."),
    _("The year must have four digits."),
    _("The year must be between 1800 and 2100."),
    _("Links must start with http:// or https:// ({link})."),
    _("Unknown field {name}."),
    _("{field}: {problem}"),
    _("There is no initiative {key}."),
    _("An initiative with this key exists already."),
    _("An initiative with the key {key} exists already."),
    _("The key of an initiative cannot change."),
    _("The file is not UTF-8 text; save the CSV as UTF-8 and try again."),
    _("The file contains NUL characters."),
    _("The header must name the columns {columns}; missing: {missing}; unknown: {unknown}."),
    _("A file may hold at most {maximum} initiatives."),
    _("The file is not valid CSV: {problem}"),
    # Messages passed to the error classes in app/services/phases.py
    _("Unknown phase {phase}; choose drafting, amendments, consolidation or review."),
    _("The document is adopted: its phase can no longer change."),
    _("A document in {current} can move to {allowed}, not to {wanted}."),
    _("Moving a document back needs a reason."),
    _("A document without paragraphs cannot go into review."),
    _(
        "{count} of {total} paragraphs are not confirmed as in sync in both languages. Confirm"
        " their translations first, or give a reason to open the review anyway (the liaisons will"
        " see it)."
    ),
    # Messages passed to the error classes in app/services/reviews.py
    _("Unknown decision {decision}; choose approve or request_changes."),
    _("Only the government liaisons review a document."),
    _("Only a liaison for the German or the French government can review."),
    _("The document is in {phase}, not in review: there is nothing to decide now."),
    _("Say which changes you request: the comment must not be empty."),
    _("Version {number} is not under review; the review version is {current}."),
    _("You already approved version {number}."),
    # Messages passed to the error classes in app/services/translation.py
    _("The machine translation service refused the request (HTTP {status})."),
    _("The machine translation service answered nonsense."),
    # Messages passed to the error classes in app/services/versions.py
    _("The document is adopted: its final text can no longer change."),
    _(
        "Paragraph {paragraph_id} has no text in one language yet; a version needs a revision per"
        " language."
    ),
    # Alignment statuses (drafting.alignment.Status)
    _("in_sync"),
    _("fr_outdated"),
    _("de_outdated"),
    _("both_changed"),
    _("missing"),
    # Amendment statuses (app.models.AmendmentStatus) and rebase states (drafting.amendments)
    _("open"),
    _("accepted"),
    _("accepted_modified"),
    _("rejected"),
    _("withdrawn"),
    _("obsolete"),
    _("needs_rebase"),
    _("clean"),
    # Review decisions (app.services.reviews)
    _("approve"),
    _("request_changes"),
    # Comment anchor states (drafting.anchors.AnchorState)
    _("attached"),
    _("moved"),
    _("detached"),
    # Notification kinds (app.services.notifications)
    _("mention"),
    _("reply"),
    # Changes between versions (drafting.compare.Change)
    _("added"),
    _("removed"),
    _("changed"),
    _("same"),
    # Search hit kinds (app.queries.search)
    _("paragraph"),
    _("comment"),
    _("initiative"),
    # Initiative import actions (app.services.initiatives)
    _("create"),
    _("update"),
    _("unchanged"),
    _("error"),
    # Initiative form labels (app.routes.evidence.FORM_FIELDS)
    _("Key (letters a-z, digits, '-')"),
    _("Name (German)"),
    _("Name (French)"),
    _("Municipality"),
    _("Country (DE, FR, …)"),
    _("Region"),
    _("Themes (separated by ;)"),
    _("Since (year)"),
    _("Summary (German)"),
    _("Summary (French)"),
    _("Links (http(s), one per line)"),
    _("Contact notes"),
    _("Latitude"),
    _("Longitude"),
)
