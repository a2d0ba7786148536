from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.helpers.amendments import open_amendments, proposed
from tests.helpers.evidence import link
from tests.helpers.factories import PASSWORD, World, csrf_of
from tests.helpers.initiatives import import_corpus


def test_document_page_shows_both_languages_side_by_side_with_numbers(world: World) -> None:
    page = world.browser("member").get(f"/documents/{world.document_id}")
    assert page.status_code == 200
    html = page.text
    assert '<div class="paragraph__side" lang="de">' in html
    assert '<div class="paragraph__side" lang="fr">' in html
    assert "Viele Kommunen haben den Klimanotstand ausgerufen." in html
    assert "De nombreuses collectivités ont déclaré l&#39;urgence climatique." in html
    assert "paragraph--heading" in html and "paragraph--recommendation" in html
    numbers = re.findall(r'class="paragraph__number"[^>]*>(\d+)<', html)
    assert numbers == ["1", "2", "3"]


def test_saving_through_htmx_returns_only_that_paragraph(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    answer = browser.post(
        f"/paragraphs/{paragraph}/texts/de",
        {"text": "Viele Gemeinden handeln.", "base_revision_id": base},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<article id="p-{paragraph}"')
    assert "<html" not in answer.text
    assert "Viele Gemeinden handeln." in answer.text


def test_saving_without_javascript_redirects_back_to_the_paragraph(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    answer = browser.post(
        f"/paragraphs/{paragraph}/texts/de", {"text": "Ohne JavaScript.", "base_revision_id": base}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/documents/{world.document_id}#p-{paragraph}"
    assert world.current(paragraph)["text"] == "Ohne JavaScript."


def test_a_refused_form_save_keeps_the_typed_text_in_the_form(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    answer = browser.post(
        f"/paragraphs/{paragraph}/texts/de",
        {"text": "Mein langer Text\x00 mit NUL", "base_revision_id": base},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert "control character NUL" in answer.text
    assert "Mein langer Text" in answer.text


def test_a_conflicting_form_save_shows_the_resolution_view(world: World) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[2]
    base = world.current(paragraph)["revision_id"]
    world.api("moderator").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={
            "text": "Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen.",
            "base_revision_id": base,
        },
    )
    answer = browser.post(
        f"/paragraphs/{paragraph}/texts/de",
        {
            "text": "Bund und Länder dürfen Klimaschutz zur Pflichtaufgabe machen.",
            "base_revision_id": base,
        },
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 409
    assert "Your change conflicts" in answer.text
    assert "dürfen" in answer.text and "müssen" in answer.text


def test_history_page_shows_revisions_and_a_word_diff(world: World) -> None:
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    world.api("member").patch(
        f"/api/v1/paragraphs/{paragraph}/texts/de",
        json={
            "text": "Viele Gemeinden haben den Klimanotstand ausgerufen.",
            "base_revision_id": base,
        },
    )
    page = world.browser("member").get(f"/paragraphs/{paragraph}/history?lang=de")
    assert page.status_code == 200
    assert "<del>Kommunen</del><ins>Gemeinden</ins>" in page.text
    assert "Restore" in page.text


def test_interface_language_follows_accept_language_before_login(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in page.text
    page = client.get("/login", headers={"Accept-Language": "de"})
    assert '<html lang="de">' in page.text
    page = client.get("/login", headers={"Accept-Language": "es"})
    assert '<html lang="en">' in page.text


def test_interface_language_follows_the_users_preference(world: World) -> None:
    page = world.browser("liaison_fr").get("/")
    assert '<html lang="fr">' in page.text


def test_group_page_lists_documents_and_members(world: World) -> None:
    page = world.browser("member").get("/groups/klima")
    assert page.status_code == 200
    assert "Klimaneutrale Kommunen" in page.text
    assert "helene" in page.text
    assert world.browser("outsider").get("/groups/klima").status_code == 404


def test_moderator_adds_moves_and_deletes_paragraphs_in_the_browser(world: World) -> None:
    browser = world.browser("moderator")
    answer = browser.post(
        f"/documents/{world.document_id}/paragraphs",
        {
            "kind": "recommendation",
            "de": "Neu",
            "fr": "Nouveau",
            "after_id": str(world.paragraph_ids[0]),
        },
    )
    assert answer.status_code == 303
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    assert [p["texts"]["de"]["text"] for p in document["paragraphs"]][:2] == ["Präambel", "Neu"]
    new_id = document["paragraphs"][1]["id"]
    assert browser.post(f"/paragraphs/{new_id}/move", {"position": "4"}).status_code == 303
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    assert document["paragraphs"][-1]["id"] == new_id
    assert browser.post(f"/paragraphs/{new_id}/delete").status_code == 303
    document = world.api("member").get(f"/api/v1/documents/{world.document_id}").json()
    assert new_id not in [p["id"] for p in document["paragraphs"]]


def test_member_does_not_see_moderator_tools(world: World) -> None:
    page = world.browser("member").get(f"/documents/{world.document_id}").text
    assert "/move" not in page and "/delete" not in page
    liaison_page = world.browser("liaison_de").get(f"/documents/{world.document_id}").text
    assert "Edit DE" not in liaison_page


def test_admin_creates_a_user_and_a_group_in_the_browser(world: World) -> None:
    browser = world.browser("admin")
    answer = browser.post(
        "/admin/users",
        {
            "username": "pierre",
            "display_name": "Pierre",
            "password": "long enough pw",
            "locale": "fr",
        },
    )
    assert answer.status_code == 303
    answer = browser.post(
        "/admin/groups", {"slug": "mobilite", "name_de": "Mobilität", "name_fr": "Mobilité"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/groups/mobilite"
    duplicate = browser.post("/admin/groups", {"slug": "mobilite", "name_de": "x", "name_fr": "y"})
    assert duplicate.status_code == 409
    assert "exists already" in duplicate.text
    assert world.browser("member").get("/admin").status_code == 403


def test_text_typed_when_the_session_expired_is_saved_after_logging_in_again(
    world: World,
) -> None:
    browser = world.browser("member")
    paragraph = world.paragraph_ids[1]
    base = world.current(paragraph)["revision_id"]
    browser.post("/logout")
    browser.client.cookies.set("tandem_session", "expired-session-token")
    answer = browser.post(
        f"/paragraphs/{paragraph}/texts/de",
        {"text": "Getippt, während die Sitzung ablief.", "base_revision_id": str(base)},
    )
    assert answer.status_code == 401
    assert "Getippt, während die Sitzung ablief." in answer.text
    assert 'name="resume_path"' in answer.text
    form = {
        "csrf_token": csrf_of(answer.text),
        "username": "jonas",
        "password": PASSWORD,
        "next": "/",
        "resume_path": f"/paragraphs/{paragraph}/texts/de",
        "resume_base": str(base),
        "resume_text": "Getippt, während die Sitzung ablief.",
    }
    logged_in = browser.client.post("/login", data=form)
    assert logged_in.status_code == 303
    assert logged_in.headers["location"] == f"/paragraphs/{paragraph}"
    assert world.current(paragraph)["text"] == "Getippt, während die Sitzung ablief."


def test_a_paragraph_block_alone_is_the_same_as_in_the_whole_page(world: World) -> None:
    paragraph_id = world.paragraph_ids[2]
    import_corpus(world)
    assert link(world, "member", paragraph_id, "saerbeck-klimakommune").status_code == 201
    world.api("moderator").post(
        f"/api/v1/groups/{world.slug}/glossary",
        json={"term_de": "Pflichtaufgabe", "term_fr": "compétence obligatoire", "note": ""},
    )
    comment = world.api("member").post(
        f"/api/v1/paragraphs/{paragraph_id}/comments",
        json={"lang": "fr", "body": "Source ?", "quote": "compétence obligatoire"},
    )
    assert comment.status_code == 201, comment.text
    open_amendments(world)
    proposed(world, de="Bund und Länder müssen Klimaschutz zur Pflichtaufgabe machen.")
    mona = world.browser("moderator")
    page = mona.get(f"/documents/{world.document_id}").text
    block = mona.get(f"/paragraphs/{paragraph_id}", headers={"HX-Request": "true"}).text
    start = page.index(f'<article id="p-{paragraph_id}"')
    in_page = page[start : page.index("</article>", start) + len("</article>")]
    assert block.strip() == in_page.strip()
    assert "Source ?" in block and "saerbeck" in block and "data-amendment" in block
