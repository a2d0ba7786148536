from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.main import create_app
from app.models import Document, Membership, Paragraph, User, WorkingGroup
from tests.helpers.cli import EngineClosingRunner

PASSWORD = "a long password"


@pytest.fixture
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[EngineClosingRunner]:
    """The CLI reads its settings from the environment: point it at the test database."""
    monkeypatch.setenv("TANDEM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TANDEM_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("TANDEM_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("TANDEM_ARGON2_PARALLELISM", "1")
    get_settings.cache_clear()
    yield EngineClosingRunner()
    get_settings.cache_clear()


def run(runner: CliRunner, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def create_user(runner: CliRunner, username: str, *options: str) -> tuple[int, str]:
    return run(runner, "create-user", username, "--password-stdin", *options, stdin=f"{PASSWORD}\n")


def counts(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings.database_url)
    try:
        with Session(engine) as session:
            return {
                model.__name__: session.exec(select(func.count()).select_from(model)).one()
                for model in (User, WorkingGroup, Membership, Document, Paragraph)
            }
    finally:
        engine.dispose()


def roles_in(settings: Settings, slug: str) -> dict[str, tuple[str, str | None]]:
    engine = create_engine(settings.database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(User.username, Membership.role, Membership.government)
                .join(Membership, col(Membership.user_id) == col(User.id))
                .join(WorkingGroup, col(WorkingGroup.id) == col(Membership.group_id))
                .where(WorkingGroup.slug == slug)
            ).all()
            return {username: (role, government) for username, role, government in rows}
    finally:
        engine.dispose()


def user_named(settings: Settings, username: str) -> User | None:
    engine = create_engine(settings.database_url)
    try:
        with Session(engine) as session:
            return session.exec(select(User).where(User.username == username)).first()
    finally:
        engine.dispose()


def test_migrate_is_idempotent(runner: CliRunner, settings: Settings) -> None:
    assert run(runner, "migrate") == (0, "database is up to date\n")
    assert run(runner, "migrate") == (0, "database is up to date\n")
    assert counts(settings)["User"] == 0


def test_migrate_creates_the_schema_in_a_new_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/var/new.db"  # the folder does not exist yet
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        runner = EngineClosingRunner()
        assert run(runner, "migrate")[0] == 0
        assert run(runner, "migrate")[0] == 0
    finally:
        get_settings.cache_clear()
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"user", "working_group", "membership", "document", "paragraph", "revision"} <= tables
    assert "alembic_version" in tables


def test_create_user_reads_the_password_from_stdin(runner: CliRunner, settings: Settings) -> None:
    code, output = create_user(runner, "pierre", "--display-name", "Pierre Dupont")
    assert code == 0, output
    assert "created user pierre" in output
    user = user_named(settings, "pierre")
    assert user is not None
    assert user.display_name == "Pierre Dupont"
    assert user.is_admin is False
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    app = create_app(settings)
    try:
        answer = TestClient(app).post(
            "/api/v1/tokens", json={"username": "pierre", "password": PASSWORD}
        )
    finally:
        app.state.engine.dispose()
    assert answer.status_code == 201
    assert answer.json()["user"]["is_admin"] is False


def test_create_user_with_admin_flag_makes_a_site_admin(
    runner: CliRunner, settings: Settings
) -> None:
    code, output = create_user(runner, "root", "--admin", "--locale", "de")
    assert code == 0, output
    user = user_named(settings, "root")
    assert user is not None
    assert user.is_admin is True
    assert user.locale == "de"
    assert user.display_name == "root"


def test_create_user_twice_fails_with_a_message(runner: CliRunner, settings: Settings) -> None:
    assert create_user(runner, "pierre")[0] == 0
    code, output = create_user(runner, "pierre")
    assert code == 1
    assert "pierre" in output and "taken" in output
    assert counts(settings)["User"] == 1


@pytest.mark.parametrize(
    ("username", "password", "hint"),
    [
        ("Bad Name!", PASSWORD, "user name"),
        ("pierre", "short", "at least 10"),
    ],
)
def test_create_user_with_invalid_input_fails_with_a_message(
    runner: CliRunner, settings: Settings, username: str, password: str, hint: str
) -> None:
    code, output = run(runner, "create-user", username, "--password-stdin", stdin=f"{password}\n")
    assert code == 1
    assert output.startswith("error: ")
    assert hint in output
    assert counts(settings)["User"] == 0


def test_create_group_and_add_members(runner: CliRunner, settings: Settings) -> None:
    create_user(runner, "root", "--admin")
    create_user(runner, "helene")
    create_user(runner, "jonas")
    code, output = run(
        runner, "create-group", "klima", "--name-de", "Klima AG", "--name-fr", "GT Climat"
    )
    assert code == 0, output
    assert "created group klima" in output
    code, output = run(
        runner, "add-member", "klima", "helene", "--role", "liaison", "--government", "FR"
    )
    assert code == 0, output
    assert "helene is liaison of klima" in output
    assert run(runner, "add-member", "klima", "jonas", "--role", "moderator")[0] == 0
    # The group's only moderator cannot step down before someone else moderates.
    code, output = run(runner, "add-member", "klima", "jonas")
    assert code == 1
    assert "at least one moderator" in output
    assert run(runner, "add-member", "klima", "root", "--role", "moderator")[0] == 0
    assert run(runner, "add-member", "klima", "jonas")[0] == 0
    assert roles_in(settings, "klima") == {
        "helene": ("liaison", "FR"),
        "jonas": ("member", None),
        "root": ("moderator", None),
    }


def test_create_group_works_before_any_admin_exists(runner: CliRunner, settings: Settings) -> None:
    code, output = run(runner, "create-group", "klima", "--name-de", "Klima", "--name-fr", "Climat")
    assert code == 0, output
    assert counts(settings)["WorkingGroup"] == 1


def test_create_group_with_a_taken_slug_fails_with_a_message(runner: CliRunner) -> None:
    run(runner, "create-group", "klima", "--name-de", "Klima", "--name-fr", "Climat")
    code, output = run(runner, "create-group", "klima", "--name-de", "K", "--name-fr", "C")
    assert code == 1
    assert "exists already" in output


def test_create_group_with_a_nul_in_the_name_fails_with_a_message(runner: CliRunner) -> None:
    code, output = run(runner, "create-group", "klima", "--name-de", "Kli\x00ma", "--name-fr", "C")
    assert code == 1
    assert "NUL" in output


@pytest.mark.parametrize(
    ("arguments", "hint"),
    [
        (["klima", "helene", "--role", "liaison"], "DE or FR"),
        (["klima", "helene", "--role", "boss"], "Unknown role"),
        (["klima", "nobody"], "nobody"),
        (["no-such-group", "helene"], "Not found"),
    ],
)
def test_add_member_with_invalid_input_fails_with_a_message(
    runner: CliRunner, settings: Settings, arguments: list[str], hint: str
) -> None:
    create_user(runner, "helene")
    run(runner, "create-group", "klima", "--name-de", "Klima", "--name-fr", "Climat")
    code, output = run(runner, "add-member", *arguments)
    assert code == 1
    assert output.startswith("error: ")
    assert hint in output
    assert roles_in(settings, "klima") == {}


def test_token_prints_a_token_that_works_as_bearer(runner: CliRunner, settings: Settings) -> None:
    create_user(runner, "pierre", "--display-name", "Pierre")
    code, output = run(runner, "token", "pierre")
    assert code == 0, output
    token = output.strip()
    assert token and "\n" not in token and " " not in token
    app = create_app(settings)
    try:
        client = TestClient(app)
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["username"] == "pierre"
        assert me.json()["display_name"] == "Pierre"
        second = run(runner, "token", "pierre")[1].strip()
        assert second != token
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code
            == 200
        )
    finally:
        app.state.engine.dispose()


def test_token_for_an_unknown_user_fails_with_a_message(runner: CliRunner) -> None:
    code, output = run(runner, "token", "nobody")
    assert code == 1
    assert "nobody" in output


def test_seed_demo_is_idempotent(runner: CliRunner, settings: Settings) -> None:
    code, first_output = run(runner, "seed-demo")
    assert code == 0, first_output
    assert "waerme-grenzregion" in first_output
    first = counts(settings)
    code, second_output = run(runner, "seed-demo")
    assert code == 0, second_output
    assert counts(settings) == first
    assert first_output == second_output
    assert first["User"] == 6
    assert first["WorkingGroup"] == 1
    assert first["Document"] == 1
    assert first["Paragraph"] >= 15
    assert first["Membership"] == 5


def test_seed_demo_users_have_the_right_roles(runner: CliRunner, settings: Settings) -> None:
    assert run(runner, "seed-demo")[0] == 0
    assert roles_in(settings, "waerme-grenzregion") == {
        "mona": ("moderator", None),
        "jonas": ("member", None),
        "claire": ("member", None),
        "liaison-de": ("liaison", "DE"),
        "liaison-fr": ("liaison", "FR"),
    }
    admin = user_named(settings, "admin")
    assert admin is not None and admin.is_admin
    for username in ("mona", "jonas", "claire", "liaison-de", "liaison-fr"):
        user = user_named(settings, username)
        assert user is not None and not user.is_admin


def test_seed_demo_document_is_readable_through_the_api(
    runner: CliRunner, settings: Settings
) -> None:
    assert run(runner, "seed-demo")[0] == 0
    token = run(runner, "token", "claire")[1].strip()
    app = create_app(settings)
    try:
        client = TestClient(app)
        client.headers["Authorization"] = f"Bearer {token}"
        documents = client.get("/api/v1/groups/waerme-grenzregion/documents").json()
        assert len(documents) == 1
        document = client.get(f"/api/v1/documents/{documents[0]['id']}").json()
    finally:
        app.state.engine.dispose()
    paragraphs = document["paragraphs"]
    assert len(paragraphs) >= 15
    assert [p["position"] for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert all(p["texts"]["de"]["text"] and p["texts"]["fr"]["text"] for p in paragraphs)
    assert {p["kind"] for p in paragraphs} >= {"heading", "recommendation"}


def test_seed_demo_after_a_manual_admin_keeps_everything_once(
    runner: CliRunner, settings: Settings
) -> None:
    create_user(runner, "admin", "--admin")
    assert run(runner, "seed-demo")[0] == 0
    assert run(runner, "seed-demo")[0] == 0
    assert counts(settings)["User"] == 6
    assert counts(settings)["Document"] == 1


def test_no_command_shows_the_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, [])
    assert "create-user" in result.output
    assert "seed-demo" in result.output


def test_commands_close_their_database_connections(runner: EngineClosingRunner) -> None:
    assert run(runner, "migrate")[0] == 0
    assert create_user(runner, "pierre")[0] == 0
    assert run(runner, "token", "pierre")[0] == 0
    assert runner.connections_left_open == 0
