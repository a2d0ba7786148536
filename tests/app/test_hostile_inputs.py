"""Every class of hostile input (tests/data/hostile-inputs.md, 1-7) through every
text field, by the real routes.

Each case sends one input to one field and holds the application to the corpus's rule:
the input is stored exactly as its NFC form with LF line endings (read back through the
JSON API) and shown escaped on the page that shows it, or it is refused with a 4xx whose
body says why, and the refusal changes nothing in the database. Never a 500 (the test
clients raise server errors); NUL is refused alike on SQLite and PostgreSQL (this module
runs on both).

Which of the two a field must do with an input follows from the field's rules in the table
(see ``expected``): one line or several, required or not, surrounding blanks trimmed or
kept, and its maximum length. Everything else is plain text that the field must keep.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from httpx2 import Response
from markupsafe import escape
from sqlmodel import SQLModel

from app.deps import SESSION_COOKIE
from app.fields import PASSWORD_LENGTH
from app.security import MIN_PASSWORD_LENGTH
from app.services import auth
from tests.helpers.amendments import open_amendments, proposed
from tests.helpers.factories import (
    PASSWORD,
    BrowserClient,
    World,
    assert_error,
    session_of,
)
from tests.helpers.initiatives import new_initiative
from tests.helpers.lifecycle import phase, to_consolidation, to_review

# --- the inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    name: str
    value: str
    large: bool = False  # sent only to the fields marked ``large``


LONG_LINE = "<script>alert(1)</script> «\u202fSchutz\u202f» Straße 👩🏽‍⚖️ 𝔘\r\n"

INPUTS = [
    # 1. French typography
    Hostile(
        "french_typography",
        "Il faut agir\u202f: «\u202fmaintenant\u202f» ! L’œuvre et l'æther\u202f; vraiment\u202f?",
    ),
    # 2. ß, capital ẞ, precomposed ü and decomposed u + U+0308 (NFC makes it ü)
    Hostile("german_sharp_s_and_decomposed_umlauts", "Straße, STRAẞE, Bürger und Bu\u0308rger"),
    # 3. Invisible characters, and a bidi override that must not reorder the page around it
    Hostile("invisible_characters", "zero\u200bwidth\u200djoiner soft\u00adhyphen \ufeffBOM"),
    Hostile("a_bidi_override", "Gruppe \u202eevil bidi"),
    # 4. Markup, script and template injection, javascript: links
    Hostile(
        "script_and_attribute_injection", '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
    ),
    Hostile(
        "template_injection_and_javascript_links",
        "{{ 7*7 }} {% raw %} [klick](javascript:alert(1)) <a href=javascript:alert(1)>x</a>",
    ),
    # 5. NUL (PostgreSQL cannot store it) and CR LF / CR line endings
    Hostile("nul", "Klima\x00<script>alert(1)</script>"),
    Hostile("crlf_line_endings", "Zeile eins\r\nZeile zwei\rZeile drei"),
    # 6. Sizes
    Hostile("empty_text", ""),
    Hostile("a_single_space", " "),
    Hostile("a_ten_thousand_character_word", "Donaudampfschiff" * 625),
    Hostile("two_hundred_thousand_characters", (LONG_LINE * 5000)[:200_000], large=True),
    # 7. Emoji and astral-plane characters
    Hostile("emoji_and_astral_characters", "👩🏽‍⚖️ Richterin, 𝔘nicode und 🇩🇪🇫🇷"),
]


# --- one case: the world, the answer to the write, logged-in browsers -------------------


@dataclass
class Case:
    world: World
    answer: Response | None = None
    amendment: int = 0
    browsers: dict[str, BrowserClient] = field(default_factory=dict)

    def api(self, who: str, method: str, path: str, **body: Any) -> Response:
        return self.world.api(who).request(method, f"/api/v1{path}", json=body)

    def get(self, who: str, path: str) -> Any:
        answer = self.world.api(who).get(f"/api/v1{path}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def browser(self, who: str) -> BrowserClient:
        """Logged in by the auth service: the login form is tested elsewhere."""
        if who not in self.browsers:
            browser = self.browsers[who] = BrowserClient(self.world.app)
            with session_of(self.world.app) as session:
                settings = self.world.app.state.settings
                started = auth.start_session(session, settings, getattr(self.world, who))
            browser.client.cookies.set(SESSION_COOKIE, started.token)
            browser.csrf_token = started.csrf_token
        return self.browsers[who]

    def form(self, who: str, path: str, **data: Any) -> Response:
        answer: Response = self.browser(who).post(path, data)
        return answer

    def page(self, who: str, path: str) -> str:
        answer = self.browser(who).get(path)
        assert answer.status_code == 200, answer.text
        html: str = answer.text
        return html

    def paragraph(self, number: int = 2) -> int:
        return self.world.paragraph_ids[number - 1]

    def base(self, lang: str = "de", number: int = 2) -> int:
        revision: int = self.world.current(self.paragraph(number), lang)["revision_id"]
        return revision

    def json(self) -> Any:
        assert self.answer is not None
        return self.answer.json()

    @property
    def created(self) -> int:
        """The id of what the write created: from its JSON, or the end of its redirect."""
        assert self.answer is not None
        if self.answer.status_code == 303:
            number = re.search(r"(\d+)$", self.answer.headers["location"])
            assert number, self.answer.headers["location"]
            return int(number.group(1))
        created: int = self.json()["id"]
        return created

    @property
    def document(self) -> str:
        return f"/documents/{self.world.document_id}"

    def group(self, slug: str, *joining: str) -> dict[str, Any]:
        """The group as jonas reads it, once the admin made him and ``joining`` members."""
        for username in ("jonas", *joining):
            joined = self.api("admin", "PUT", f"/groups/{slug}/members/{username}", role="member")
            assert joined.status_code == 200, joined.text
        group: dict[str, Any] = self.get("member", f"/groups/{slug}")
        return group

    def member(self, username: str) -> dict[str, Any]:
        members = self.group("klima", username)["members"]
        member: dict[str, Any] = next(m for m in members if m["username"] == username)
        return member

    def comment_body(self) -> str:
        threads = self.get("member", f"/paragraphs/{self.paragraph()}/comments")
        body: str = next(t["body"] for t in threads if t["id"] == self.created)
        return body

    def glossary_term(self) -> dict[str, Any]:
        terms = self.get("member", "/groups/klima/glossary")
        term: dict[str, Any] = next(t for t in terms if t["id"] == self.created)
        return term


def add_initiative(case: Case) -> None:
    assert case.api("member", "POST", "/initiatives", **new_initiative()).status_code == 201


def add_amendment(case: Case) -> None:
    open_amendments(case.world)
    case.amendment = proposed(case.world, de="Viele Kommunen haben den Notstand erklärt.")["id"]


# --- the fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A text field: how to write it, how to read back what was stored, where it is shown."""

    name: str
    write: Callable[[Case, str], Response]
    read: Callable[[Case], str]
    page: Callable[[Case], str]  # the HTML of a page that shows the stored text
    max_length: int
    one_line: bool = False
    required: bool = False
    trims: bool = False  # surrounding blanks are dropped, as at the edges of a name
    free_text: bool = True  # False: an identifier of a-z, 0-9, '.', '_' and '-' only
    form: bool = False  # written through an HTML form: a refusal is a page, not JSON
    large: bool = False
    prepare: Callable[[Case], None] | None = None


# A name or title: one line, not empty, surrounding blanks trimmed.
NAME: dict[str, Any] = {"one_line": True, "required": True, "trims": True}
INITIATIVE = "/initiatives/kehl-strasbourg-tram"
FIELDS = [
    Field(
        "the_paragraph_text_saved_through_the_api",
        write=lambda c, v: c.api(
            "member",
            "PATCH",
            f"/paragraphs/{c.paragraph()}/texts/de",
            text=v,
            base_revision_id=c.base(),
        ),
        read=lambda c: c.world.current(c.paragraph())["text"],
        page=lambda c: c.page("member", c.document),
        max_length=200_000,
        large=True,
    ),
    Field(
        "the_paragraph_text_saved_through_the_form",
        write=lambda c, v: c.form(
            "member",
            f"/paragraphs/{c.paragraph()}/texts/fr",
            text=v,
            base_revision_id=c.base("fr"),
        ),
        read=lambda c: c.world.current(c.paragraph(), "fr")["text"],
        page=lambda c: c.page("member", c.document),
        max_length=200_000,
        form=True,
        large=True,
    ),
    Field(
        "a_new_paragraphs_text",
        write=lambda c, v: c.api(
            "moderator", "POST", f"{c.document}/paragraphs", kind="text", de="Neu.", fr=v
        ),
        read=lambda c: c.world.current(c.created, "fr")["text"],
        page=lambda c: c.page("member", c.document),
        max_length=200_000,
    ),
    Field(
        "the_german_document_title",
        write=lambda c, v: c.api(
            "moderator", "POST", "/groups/klima/documents", title_de=v, title_fr="Titre"
        ),
        read=lambda c: c.get("member", f"/documents/{c.created}")["title_de"],
        page=lambda c: c.page("member", f"/documents/{c.created}"),
        max_length=500,
        **NAME,
    ),
    Field(
        "the_french_document_title_through_the_form",
        write=lambda c, v: c.form(
            "moderator", "/groups/klima/documents", title_de="Titel", title_fr=v
        ),
        read=lambda c: c.get("member", f"/documents/{c.created}")["title_fr"],
        page=lambda c: c.page("member", "/groups/klima"),
        max_length=500,
        **NAME,
        form=True,
    ),
    Field(
        "a_comment_body",
        write=lambda c, v: c.api(
            "member", "POST", f"/paragraphs/{c.paragraph()}/comments", lang="de", body=v
        ),
        read=lambda c: c.comment_body(),
        page=lambda c: c.page("member", c.document),
        max_length=20_000,
        required=True,
        large=True,
    ),
    Field(
        "a_comment_body_through_the_form",
        write=lambda c, v: c.form(
            "member", f"/paragraphs/{c.paragraph()}/comments", lang="fr", body=v
        ),
        read=lambda c: c.comment_body(),
        page=lambda c: c.page("member", c.document),
        max_length=20_000,
        required=True,
        form=True,
    ),
    Field(
        "an_amendment_justification",
        prepare=lambda c: open_amendments(c.world),
        write=lambda c, v: c.api(
            "member",
            "POST",
            f"/paragraphs/{c.paragraph()}/amendments",
            texts={"de": "Neu."},
            base_revision_ids={"de": c.base()},
            justification=v,
        ),
        read=lambda c: c.get("member", f"/amendments/{c.created}")["justification"],
        page=lambda c: c.page("member", f"/amendments/{c.created}"),
        max_length=50_000,
        required=True,
        trims=True,
    ),
    Field(
        "an_amendment_text",
        prepare=lambda c: open_amendments(c.world),
        write=lambda c, v: c.api(
            "member",
            "POST",
            f"/paragraphs/{c.paragraph()}/amendments",
            texts={"fr": v},
            base_revision_ids={"fr": c.base("fr")},
            justification="Klarer.",
        ),
        read=lambda c: c.get("member", f"/amendments/{c.created}")["texts"]["fr"],
        # the moderator's form for accepting it with changes holds the whole proposal
        page=lambda c: c.page("moderator", f"/amendments/{c.created}"),
        max_length=200_000,
    ),
    Field(
        "a_reason_for_rejecting_an_amendment",
        prepare=add_amendment,
        write=lambda c, v: c.api(
            "moderator",
            "POST",
            f"/amendments/{c.amendment}/decision",
            decision="reject",
            reason=v,
        ),
        read=lambda c: c.get("member", f"/amendments/{c.amendment}")["decision_reason"],
        page=lambda c: c.page("member", f"/amendments/{c.amendment}"),
        max_length=50_000,
        required=True,
        trims=True,
    ),
    Field(
        "an_initiatives_name",
        write=lambda c, v: c.api("member", "POST", "/initiatives", **new_initiative(name_de=v)),
        read=lambda c: c.get("member", INITIATIVE)["name_de"],
        page=lambda c: c.page("member", INITIATIVE),
        max_length=500,
        **NAME,
    ),
    Field(
        "an_initiatives_summary",
        prepare=add_initiative,
        write=lambda c, v: c.api("member", "PATCH", INITIATIVE, summary_fr=v),
        read=lambda c: c.get("member", INITIATIVE)["summary_fr"],
        page=lambda c: c.page("member", INITIATIVE),
        max_length=20_000,
        trims=True,
    ),
    Field(
        "a_glossary_term",
        write=lambda c, v: c.api(
            "moderator", "POST", "/groups/klima/glossary", term_de=v, term_fr="terme"
        ),
        read=lambda c: c.glossary_term()["term_de"],
        page=lambda c: c.page("member", "/groups/klima/glossary"),
        max_length=200,
        **NAME,
    ),
    Field(
        "a_glossary_note",
        write=lambda c, v: c.api(
            "moderator",
            "POST",
            "/groups/klima/glossary",
            term_de="Wärmeplanung",
            term_fr="planification de la chaleur",
            note=v,
        ),
        read=lambda c: c.glossary_term()["note"],
        page=lambda c: c.page("member", "/groups/klima/glossary"),
        max_length=2_000,
        trims=True,
    ),
    Field(
        "an_evidence_note",
        prepare=add_initiative,
        write=lambda c, v: c.api(
            "member",
            "POST",
            f"/paragraphs/{c.paragraph(3)}/evidence",
            initiative_key="kehl-strasbourg-tram",
            note=v,
        ),
        read=lambda c: c.get("member", f"/paragraphs/{c.paragraph(3)}/evidence")[0]["note"],
        page=lambda c: c.page("member", c.document),
        max_length=2_000,
        trims=True,
    ),
    Field(
        "a_users_display_name",
        write=lambda c, v: c.api(
            "admin",
            "POST",
            "/users",
            username="neu",
            display_name=v,
            password="a long enough password",
            locale="fr",
        ),
        read=lambda c: c.member("neu")["display_name"],
        page=lambda c: c.page("admin", "/admin"),
        max_length=200,
        **NAME,
    ),
    Field(
        "a_user_name",
        write=lambda c, v: c.api(
            "admin",
            "POST",
            "/users",
            username=v,
            display_name="Neu",
            password="a long enough password",
            locale="fr",
        ),
        read=lambda c: c.member(c.json()["username"])["username"],
        page=lambda c: c.page("admin", "/admin"),
        max_length=64,
        free_text=False,
    ),
    Field(
        "a_working_group_name",
        write=lambda c, v: c.api(
            "admin", "POST", "/groups", slug="feindlich", name_de=v, name_fr="GT"
        ),
        read=lambda c: c.group("feindlich")["name_de"],
        page=lambda c: c.page("admin", "/groups/feindlich"),
        max_length=500,
        **NAME,
    ),
    Field(
        "a_version_label",
        write=lambda c, v: c.api("moderator", "POST", f"{c.document}/versions", label=v),
        read=lambda c: c.get("member", f"{c.document}/versions")[-1]["label"],
        page=lambda c: c.page("member", f"{c.document}/versions"),
        max_length=500,
        **NAME,
    ),
    Field(
        "the_reason_for_opening_a_review_out_of_sync",
        prepare=lambda c: to_consolidation(c.world),
        write=lambda c, v: phase(c.world, "review", v),
        read=lambda c: c.get("member", f"{c.document}/versions")[-1]["override_reason"],
        page=lambda c: c.page("liaison_de", f"{c.document}/review"),
        max_length=5_000,
        required=True,
        trims=True,
    ),
    Field(
        "a_liaisons_review_comment",
        prepare=lambda c: to_review(c.world),
        write=lambda c, v: c.api(
            "liaison_de",
            "POST",
            f"{c.document}/reviews",
            version=1,
            decision="approve",
            comment=v,
        ),
        read=lambda c: c.get("member", f"{c.document}/reviews")[0]["comment"],
        page=lambda c: c.page("liaison_fr", f"{c.document}/review"),
        max_length=20_000,
        trims=True,
    ),
]


def expected(target: Field, hostile: Hostile) -> str | None:
    """What ``target`` stores for ``hostile``, or None when it must refuse it."""
    value = hostile.value
    if not target.free_text or "\x00" in value:
        return None
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if target.one_line and "\n" in value:
        return None
    if target.trims:
        value = value.strip()
    if target.required and not value.strip():
        return None
    return value if len(value) <= target.max_length else None


# --- what a page must and must not contain -----------------------------------------------


class InjectedMarkup(HTMLParser):
    """Elements and attributes that the injected inputs would have made, had they got in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, raw in attrs:
            value = (raw or "").strip().lower()
            injected_image = name == "src" and value == "x"
            if name.startswith("on") or value.startswith("javascript:") or injected_image:
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(1)" in data:
            self.found.append(f"<script>{data[:60]}")


BLOCKS = {
    *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div"),
    *("dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3"),
    *("h4", "h5", "h6", "header", "html", "legend", "li", "main", "nav", "ol", "p", "pre"),
    *("section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
}
ISOLATING = {"bdi", "textarea", "script", "style", "option"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class BidiLeaks(HTMLParser):
    """Interface text that a bidi override in ``value`` would reorder.

    An override lasts to the end of its paragraph unless an isolating element holds it
    (``<bdi>``, or any element with a ``dir`` attribute), so after an unisolated ``value``
    only blanks may follow until the block ends. In ``<title>`` it must end an FSI…PDI.
    """

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value
        self.stack: list[tuple[str, bool]] = []
        self.pending = False
        self.leaks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pending = self.pending and tag not in BLOCKS
        if tag not in VOID:
            isolating = tag in ISOLATING or any(name == "dir" for name, _ in attrs)
            self.stack.append((tag, isolating))

    def handle_endtag(self, tag: str) -> None:
        self.pending = self.pending and tag not in BLOCKS
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.pending and data.strip():
            self.leaks.append(f"reorders {data.strip()[:60]!r}")
            self.pending = False
        if self.value not in data or any(isolating for _, isolating in self.stack):
            return
        after = data[data.rindex(self.value) + len(self.value) :]
        if self.stack and self.stack[-1][0] == "title":
            if after.strip() and not after.startswith("\u2069"):
                self.leaks.append(f"reorders {after[:60]!r} in the title")
        elif after.strip():
            self.leaks.append(f"reorders {after.strip()[:60]!r}")
        else:
            self.pending = True


def parsed(parser: InjectedMarkup | BidiLeaks, html: str) -> list[str]:
    parser.feed(html)
    parser.close()
    return parser.found if isinstance(parser, InjectedMarkup) else parser.leaks


def assert_shown_escaped(html: str, stored: str) -> None:
    assert parsed(InjectedMarkup(), html) == []
    assert str(escape(stored)) in html
    if "\u202e" in stored:
        assert parsed(BidiLeaks(stored), html) == []


# --- what a refusal must be --------------------------------------------------------------

# Logging in and using a token touch these; every other row must stay as it was.
VOLATILE_TABLES = {"user_session", "api_token", "login_failure"}


def database_rows(world: World) -> dict[str, list[tuple[str, ...]]]:
    with session_of(world.app) as session:
        return {
            table.name: sorted(
                tuple(map(repr, row)) for row in session.execute(table.select()).all()
            )
            for table in SQLModel.metadata.sorted_tables
            if table.name not in VOLATILE_TABLES
        }


def refusal_message(target: Field, answer: Response) -> str:
    assert 400 <= answer.status_code < 500, answer.text[:500]
    if not target.form:
        code = answer.json()["error"]["code"]
        allowed = {409: {"conflict", "invalid_transition"}, 413: {"payload_too_large"}}
        assert code in allowed.get(answer.status_code, {"validation_error"})
        message: str = assert_error(answer, answer.status_code, code)["message"]
        return message
    assert parsed(InjectedMarkup(), answer.text) == []
    # the form again with the message beside it, or the error page
    shown = re.search(r'role="alert">(.*?)</(?:p|section)>', answer.text, re.DOTALL)
    assert shown, "the refused form does not say why"
    return re.sub(r"<[^>]+>|\s+", " ", shown.group(1)).strip()


# --- the test ----------------------------------------------------------------------------


def cases() -> list[Any]:
    return [
        pytest.param(
            target,
            hostile,
            id=f"{hostile.name}_in_{target.name}",
        )
        for target in FIELDS
        for hostile in INPUTS
        if target.large or not hostile.large
    ]


@pytest.mark.parametrize(("target", "hostile"), cases())
def test_hostile_input_is_stored_exactly_or_refused_clearly(
    world: World, target: Field, hostile: Hostile
) -> None:
    case = Case(world)
    if target.prepare:
        target.prepare(case)
    before = database_rows(world)
    case.answer = target.write(case, hostile.value)
    stored = expected(target, hostile)
    if stored is None:
        message = refusal_message(target, case.answer)
        if "\x00" in hostile.value:
            assert case.answer.status_code == 422
            assert "NUL" in message
        assert database_rows(world) == before, "the refused input changed the database"
        return
    assert case.answer.status_code in (200, 201, 303), case.answer.text[:500]
    assert target.read(case) == stored
    assert_shown_escaped(target.page(case), stored)


# --- the password field ------------------------------------------------------------------
#
# A password is not text to show: it is kept exactly as typed (no NFC, no line endings
# changed), so that the password set is the password that logs in. It is refused, with a
# message, when shorter than the minimum, longer than the maximum, or holding a NUL. A
# login with any of these answers 401 (or 422 for what no password can be), never a 500.


def password_refusal(value: str) -> str | None:
    """Why a new password ``value`` must be refused ("NUL", "short", "long"), or None."""
    if "\x00" in value:
        return "NUL"
    if len(value) < MIN_PASSWORD_LENGTH:
        return "short"
    return "long" if len(value) > PASSWORD_LENGTH else None


def token_answer(world: World, username: str, password: str) -> Response:
    answer: Response = world.api("member").post(
        "/api/v1/tokens", json={"username": username, "password": password}
    )
    return answer


def assert_login_refused(world: World, username: str, password: str) -> None:
    answer = token_answer(world, username, password)
    assert answer.status_code in (401, 422), answer.text[:500]
    code = "invalid_credentials" if answer.status_code == 401 else "validation_error"
    assert_error(answer, answer.status_code, code)
    page = BrowserClient(world.app).login(username, password)
    assert 400 <= page.status_code < 500, page.text[:500]
    assert re.search(r'role="alert"', page.text), "the refused login does not say why"


def assert_refused_for(answer: Response, reason: str, *, form: bool = False) -> None:
    assert 400 <= answer.status_code < 500, answer.text[:500]
    if form:
        assert re.search(r'role="alert"', answer.text), "the refused form does not say why"
        if reason == "NUL":
            assert "NUL" in answer.text
        return
    assert answer.status_code == 422, answer.text[:500]
    message = assert_error(answer, 422, "validation_error")["message"]
    if reason == "NUL":
        assert "NUL" in message


PASSWORDS = [pytest.param(hostile, id=hostile.name) for hostile in INPUTS]


@pytest.mark.parametrize("hostile", PASSWORDS)
def test_a_hostile_password_given_to_a_new_user_logs_in_exactly_or_is_refused_clearly(
    world: World, hostile: Hostile
) -> None:
    answer = world.api("admin").post(
        "/api/v1/users",
        json={"username": "neu", "display_name": "Neu", "password": hostile.value},
    )
    reason = password_refusal(hostile.value)
    if reason is not None:
        assert_refused_for(answer, reason)
        assert_login_refused(world, "neu", hostile.value)
        return
    assert answer.status_code == 201, answer.text[:500]
    assert token_answer(world, "neu", hostile.value).status_code == 201
    assert BrowserClient(world.app).login("neu", hostile.value).status_code == 303
    # Not an equivalent spelling: the NFC form or LF endings are another password.
    other = unicodedata.normalize("NFC", hostile.value.replace("\r\n", "\n"))
    if other != hostile.value:
        assert token_answer(world, "neu", other).status_code == 401


@pytest.mark.parametrize("hostile", PASSWORDS)
def test_a_hostile_new_password_is_kept_exactly_or_refused_clearly(
    world: World, hostile: Hostile
) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": hostile.value}
    )
    reason = password_refusal(hostile.value)
    if reason is not None:
        assert_refused_for(answer, reason, form=True)
        assert token_answer(world, "jonas", PASSWORD).status_code == 201
        return
    assert answer.status_code == 303, answer.text[:500]
    assert token_answer(world, "jonas", hostile.value).status_code == 201
    assert_login_refused(world, "jonas", PASSWORD)


@pytest.mark.parametrize("hostile", PASSWORDS)
def test_a_login_with_a_hostile_password_is_refused_never_a_server_error(
    world: World, hostile: Hostile
) -> None:
    assert_login_refused(world, "jonas", hostile.value)
    # and as the current password of a change, which must then change nothing
    answer = world.browser("member").post(
        "/account/password",
        {"current_password": hostile.value, "new_password": "ein ganz neues Passwort"},
    )
    assert_refused_for(answer, "wrong", form=True)
    assert token_answer(world, "jonas", PASSWORD).status_code == 201
