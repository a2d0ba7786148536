"""The shared initiatives library: API, pages, revisions, archive and CSV import."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from app.cli import cli
from app.config import Settings, get_settings
from app.models import AuditEntry, Initiative, InitiativeRevision
from tests.helpers.cli import EngineClosingRunner
from tests.helpers.corpus import INITIATIVES_CSV
from tests.helpers.factories import World, assert_error, session_of
from tests.helpers.initiatives import import_corpus, new_initiative


def corpus_rows() -> list[dict[str, str]]:
    with INITIATIVES_CSV.open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


@pytest.fixture
def cli_runner(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EngineClosingRunner]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield EngineClosingRunner()
    get_settings.cache_clear()


def test_the_23_corpus_initiatives_import_in_the_browser(world: World) -> None:
    import_corpus(world)
    listed = world.api("member").get("/api/v1/initiatives").json()
    assert len(listed) == len(corpus_rows()) == 23
    saerbeck = next(i for i in listed if i["key"] == "saerbeck-klimakommune")
    assert saerbeck["themes"] == ["energy", "participation"]
    assert saerbeck["since"] == 2009
    assert saerbeck["country"] == "DE"


def test_dry_run_previews_each_row_and_saves_nothing(world: World) -> None:
    browser = world.browser("member")
    answer = browser.post(
        "/initiatives/import",
        data={"dry_run": "1"},
        files={"file": ("initiatives.csv", INITIATIVES_CSV.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 200
    assert answer.text.count("import-row--create") == 23
    assert "Import these rows" in answer.text
    assert world.api("member").get("/api/v1/initiatives").json() == []
    # the preview carries the file on: confirming imports it
    confirm = browser.post("/initiatives/import", data={"csv_text": INITIATIVES_CSV.read_text()})
    assert confirm.status_code == 200
    assert len(world.api("member").get("/api/v1/initiatives").json()) == 23


def test_a_bad_row_never_half_imports_the_file(world: World) -> None:
    rows = corpus_rows()
    rows[4]["country"] = "Germany"
    rows[9]["since"] = "long ago"
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    answer = world.browser("member").post(
        "/initiatives/import",
        files={"file": ("bad.csv", output.getvalue().encode(), "text/csv")},
    )
    assert answer.status_code == 422
    assert answer.text.count("import-row--error") == 2
    assert "country:" in answer.text and "since:" in answer.text
    assert "<td>6</td>" in answer.text and "<td>11</td>" in answer.text  # file line numbers
    assert world.api("member").get("/api/v1/initiatives").json() == []


def test_reimporting_updates_changed_rows_and_keeps_revisions(world: World) -> None:
    import_corpus(world)
    rows = corpus_rows()
    rows[0]["summary_de"] = "Neue Zusammenfassung."
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    answer = world.browser("member").post(
        "/initiatives/import", data={"csv_text": output.getvalue(), "dry_run": "1"}
    )
    assert answer.text.count("import-row--update") == 1
    assert answer.text.count("import-row--unchanged") == 22
    world.browser("member").post("/initiatives/import", data={"csv_text": output.getvalue()})
    key = rows[0]["key"]
    assert world.api("member").get(f"/api/v1/initiatives/{key}").json()["summary_de"] == (
        "Neue Zusammenfassung."
    )
    with session_of(world.app) as session:
        assert len(session.exec(select(InitiativeRevision)).all()) == 1


def test_a_file_that_is_not_csv_of_initiatives_is_refused_clearly(world: World) -> None:
    browser = world.browser("member")
    for content in [b"\xff\xfe\x00garbage", b"a,b,c\n1,2,3\n", b""]:
        answer = browser.post("/initiatives/import", files={"file": ("x.csv", content, "text/csv")})
        assert answer.status_code == 422
        assert 'role="alert"' in answer.text


def test_an_upload_over_the_size_limit_is_413(world: World) -> None:
    answer = world.browser("member").post(
        "/initiatives/import",
        files={"file": ("big.csv", b"key," + b"x" * (5 * 1024 * 1024), "text/csv")},
    )
    assert answer.status_code == 413


def test_command_line_import_with_dry_run_then_for_real(
    world: World, cli_runner: EngineClosingRunner
) -> None:
    dry = cli_runner.invoke(cli, ["import-initiatives", str(INITIATIVES_CSV), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "23 to create" in dry.output
    assert world.api("member").get("/api/v1/initiatives").json() == []
    real = cli_runner.invoke(cli, ["import-initiatives", str(INITIATIVES_CSV)])
    assert real.exit_code == 0, real.output
    assert len(world.api("member").get("/api/v1/initiatives").json()) == 23


def test_command_line_import_of_a_bad_file_fails_and_imports_nothing(
    world: World, cli_runner: EngineClosingRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(INITIATIVES_CSV.read_text() + "broken,,,,XX\n", encoding="utf-8")
    result = cli_runner.invoke(cli, ["import-initiatives", str(bad)])
    assert result.exit_code == 1
    assert "nothing imported" in result.output
    assert world.api("member").get("/api/v1/initiatives").json() == []


def test_member_creates_reads_and_edits_an_initiative(world: World) -> None:
    api = world.api("member")
    created = api.post("/api/v1/initiatives", json=new_initiative())
    assert created.status_code == 201, created.text
    assert created.json()["themes"] == ["mobility", "cross-border"]
    patched = api.patch(
        "/api/v1/initiatives/kehl-strasbourg-tram", json={"since": 2018, "region": "Ortenau"}
    )
    assert patched.status_code == 200
    assert patched.json()["since"] == 2018
    assert api.get("/api/v1/initiatives/kehl-strasbourg-tram").json()["region"] == "Ortenau"
    with session_of(world.app) as session:
        revision = session.exec(select(InitiativeRevision)).one()
        assert json.loads(revision.data)["since"] == 2017
        actions = [e.action for e in session.exec(select(AuditEntry)).all()]
    assert "initiative.create" in actions and "initiative.update" in actions


def test_a_duplicate_key_is_a_conflict(world: World) -> None:
    api = world.api("member")
    assert api.post("/api/v1/initiatives", json=new_initiative()).status_code == 201
    assert_error(api.post("/api/v1/initiatives", json=new_initiative()), 409, "conflict")


def test_invalid_fields_are_refused_with_the_field_named(world: World) -> None:
    api = world.api("member")
    for changes, field in [
        ({"key": "Not A Slug!"}, "key"),
        ({"country": "Deutschland"}, "country"),
        ({"since": 99}, "since"),
        ({"name_de": "Nul\x00"}, "name_de"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"latitude": 123.0}, "latitude"),
    ]:
        error = assert_error(
            api.post("/api/v1/initiatives", json=new_initiative(**changes)), 422, "validation_error"
        )
        assert error["details"]["field"] == field


def test_hostile_text_is_stored_exactly_and_shown_escaped(world: World) -> None:
    hostile = "<script>alert(1)</script> {{ 7*7 }} «\u202fBürger\u202f» \u202e"
    api = world.api("member")
    assert (
        api.post("/api/v1/initiatives", json=new_initiative(summary_de=hostile)).status_code == 201
    )
    assert api.get("/api/v1/initiatives/kehl-strasbourg-tram").json()["summary_de"] == hostile
    page = world.browser("member").get("/initiatives/kehl-strasbourg-tram")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text and "{{ 7*7 }}" in page.text


def test_liaisons_read_but_do_not_edit_and_people_without_a_group_see_nothing(
    world: World,
) -> None:
    world.api("member").post("/api/v1/initiatives", json=new_initiative())
    liaison = world.api("liaison_de")
    assert liaison.get("/api/v1/initiatives").status_code == 200
    assert_error(
        liaison.post("/api/v1/initiatives", json=new_initiative(key="x-y")), 403, "forbidden"
    )
    assert_error(
        liaison.patch("/api/v1/initiatives/kehl-strasbourg-tram", json={"since": 2000}),
        403,
        "forbidden",
    )
    outsider = world.api("outsider")
    assert_error(outsider.get("/api/v1/initiatives"), 403, "forbidden")
    assert_error(outsider.get("/api/v1/initiatives/kehl-strasbourg-tram"), 403, "forbidden")
    assert world.browser("outsider").get("/initiatives").status_code == 403


def test_filters_by_country_theme_region_year_and_text(world: World) -> None:
    import_corpus(world)
    api = world.api("member")
    everything = api.get("/api/v1/initiatives").json()
    french = api.get("/api/v1/initiatives", params={"country": "fr"}).json()
    assert french and all(i["country"] == "FR" for i in french)
    assert len(french) < len(everything)
    energy = api.get("/api/v1/initiatives", params={"theme": "energy"}).json()
    assert energy and all("energy" in i["themes"] for i in energy)
    recent = api.get("/api/v1/initiatives", params={"since": 2015}).json()
    assert all(i["since"] >= 2015 for i in recent)
    bayern = api.get("/api/v1/initiatives", params={"region": "bayern"}).json()
    assert [i["key"] for i in bayern] == ["wildpoldsried-energiedorf"] or all(
        i["region"] == "Bayern" for i in bayern
    )
    assert [i["key"] for i in api.get("/api/v1/initiatives", params={"q": "saerbeck"}).json()] == [
        "saerbeck-klimakommune"
    ]
    for hostile in ["%_\\'\"", "\x00", "<script>"]:
        for name in ["q", "country", "theme", "region"]:
            assert api.get("/api/v1/initiatives", params={name: hostile}).status_code == 200
    page = world.browser("member").get("/initiatives?country=FR&theme=energy&since=abc")
    assert page.status_code == 200


def test_archived_initiatives_leave_the_list_but_stay_readable(world: World) -> None:
    api = world.api("member")
    api.post("/api/v1/initiatives", json=new_initiative())
    archived = api.post("/api/v1/initiatives/kehl-strasbourg-tram/archive")
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert api.get("/api/v1/initiatives").json() == []
    assert api.get("/api/v1/initiatives/kehl-strasbourg-tram").json()["archived"] is True


def test_browser_creates_edits_and_archives_an_initiative(world: World) -> None:
    browser = world.browser("member")
    form = {k: v for k, v in new_initiative().items() if k != "themes"} | {
        "themes": "mobility;cross-border",
        "since": "2017",
    }
    created = browser.post("/initiatives", data=form)
    assert created.status_code == 303
    assert created.headers["location"] == "/initiatives/kehl-strasbourg-tram"
    page = browser.get("/initiatives/kehl-strasbourg-tram")
    assert page.status_code == 200 and "Tram Kehl–Straßburg" in page.text
    edited = browser.post("/initiatives/kehl-strasbourg-tram", data=form | {"region": "Ortenau"})
    assert edited.status_code == 303
    assert "Ortenau" in browser.get("/initiatives/kehl-strasbourg-tram").text
    refused = browser.post("/initiatives/kehl-strasbourg-tram", data=form | {"country": "??"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    duplicate = browser.post("/initiatives", data=form)
    assert duplicate.status_code == 409
    archived = browser.post("/initiatives/kehl-strasbourg-tram/archive")
    assert archived.status_code == 303
    assert "kehl-strasbourg-tram" not in browser.get("/initiatives").text
    assert browser.post("/initiatives", data=form | {"csrf_token": "wrong"}).status_code == 403


def test_unknown_initiative_keys_are_404(world: World) -> None:
    api = world.api("member")
    for key in ["nope", "x" * 500, "%00", "import-not"]:
        assert_error(api.get(f"/api/v1/initiatives/{key}"), 404, "not_found")
    assert world.browser("member").get("/initiatives/nope").status_code == 404


def test_initiative_rows_are_what_the_api_reports(world: World) -> None:
    import_corpus(world)
    with session_of(world.app) as session:
        assert len(session.exec(select(Initiative)).all()) == 23
