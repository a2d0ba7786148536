"""The benchmark's data: a fresh SQLite database with one working group and a document of
200 bilingual paragraphs, built through the real services; a long history is added in bulk."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from app.db import make_engine, session_factory
from app.models import Paragraph, Revision, User, utcnow
from app.queries.access import document_for, group_for
from app.security import configure_hashing
from app.services import documents, editing, groups, users
from drafting.text import Lang
from tests.helpers.corpus import RECOMMENDATION
from tests.helpers.databases import migrate

PASSWORD = "bench horse battery staple"
MODERATOR = "mona"


def corpus_paragraphs() -> list[dict[str, str]]:
    paragraphs: list[dict[str, str]] = json.loads(RECOMMENDATION.read_text("utf-8"))["paragraphs"]
    return paragraphs


def variant(text: str, seed: int) -> str:
    """The same text with one small, realistic edit (a word changed, added or removed)."""
    rng = random.Random(seed)
    words = text.split(" ")
    if len(words) < 3:
        return text + " (überarbeitet)"
    index = rng.randrange(1, len(words) - 1)
    edit = rng.choice(["replace", "insert", "delete"])
    if edit == "replace":
        words[index] = rng.choice(["deutlich", "verbindlich", "gemeinsam", "langfristig"])
    elif edit == "insert":
        words.insert(index, rng.choice(["insbesondere", "ausdrücklich", "zeitnah", "auch"]))
    else:
        del words[index]
    return " ".join(words)


@dataclass
class BenchWorld:
    database_url: str
    engine: Engine
    document_id: int
    paragraph_ids: list[int]
    moderator: User

    def revision_count(self) -> int:
        with session_factory(self.engine)() as session:
            return int(
                session.exec(
                    select(func.count())
                    .select_from(Revision)
                    .join(Paragraph, col(Paragraph.id) == col(Revision.paragraph_id))
                    .where(Paragraph.document_id == self.document_id)
                ).one()
            )

    def dispose(self) -> None:
        self.engine.dispose()


def build(directory: Path, paragraph_count: int) -> BenchWorld:
    database_url = f"sqlite:///{directory / 'bench.db'}"
    migrate(database_url)
    configure_hashing(1, 1024, 1)
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        admin = users.create_user(
            session, None, username="admin", display_name="Admin", password=PASSWORD, is_admin=True
        )
        moderator = users.create_user(
            session, None, username=MODERATOR, display_name="Mona", password=PASSWORD
        )
        groups.create_group(session, admin, slug="klima", name_de="Klima AG", name_fr="GT Climat")
        groups.set_member(
            session, group_for(session, admin, "klima", admin_ok=True), MODERATOR, "moderator", None
        )
        document = documents.create_document(
            session,
            group_for(session, moderator, "klima"),
            "Lokale Klimaneutralität gemeinsam gestalten",
            "Construire ensemble la neutralité climatique locale",
        )
        assert document.id is not None
        access = document_for(session, moderator, document.id)
        source = corpus_paragraphs()
        paragraph_ids = []
        for index in range(paragraph_count):
            model = source[index % len(source)]
            paragraph = documents.insert_paragraph(
                session,
                access,
                kind=model["kind"],
                texts={Lang.DE: model["de"], Lang.FR: model["fr"]},
            )
            assert paragraph.id is not None
            paragraph_ids.append(paragraph.id)
        session.commit()
    return BenchWorld(database_url, engine, document.id, paragraph_ids, moderator)


def save_round_trips(world: BenchWorld, saves: int) -> None:
    """``saves`` real saves through the service: edit a paragraph, then edit it back, so the
    rendered document ends as it began."""
    assert saves % 2 == 0
    for index in range(saves // 2):
        paragraph_id = world.paragraph_ids[index % len(world.paragraph_ids)]
        with session_factory(world.engine)() as session:
            paragraph = session.get(Paragraph, paragraph_id)
            assert paragraph is not None and paragraph.de_revision_id is not None
            original = session.get(Revision, paragraph.de_revision_id)
            assert original is not None and original.id is not None
            first = editing.save_text(
                session,
                world.moderator,
                paragraph_id,
                Lang.DE,
                variant(original.text, index),
                original.id,
            )
        with session_factory(world.engine)() as session:
            assert first.revision.id is not None
            editing.save_text(
                session, world.moderator, paragraph_id, Lang.DE, original.text, first.revision.id
            )


def add_history_in_bulk(world: BenchWorld, revisions: int) -> None:
    """Add ``revisions`` revisions spread over every text of the document, alternating an
    edited and the current text so that each chain ends on the text it started from."""
    with session_factory(world.engine)() as session:
        paragraphs = list(
            session.exec(select(Paragraph).where(Paragraph.document_id == world.document_id)).all()
        )
        current = {
            revision.id: revision
            for revision in session.exec(
                select(Revision).where(
                    col(Revision.id).in_(
                        [p.de_revision_id for p in paragraphs]
                        + [p.fr_revision_id for p in paragraphs]
                    )
                )
            ).all()
        }
        next_id = int(session.exec(select(func.max(Revision.id))).one() or 0) + 1
    texts = [(p, lang) for p in paragraphs for lang in ("de", "fr")]
    rows: list[dict[str, object]] = []
    pointers: list[dict[str, object]] = []
    now = utcnow()
    for index, (paragraph, lang) in enumerate(texts):
        # Each chain ends on a revision with the current text, so the page reads the same.
        count = revisions // len(texts) + (1 if index < revisions % len(texts) else 0)
        head = current[paragraph.current_revision_id(lang)]
        parent_id = head.id
        for step in range(count):
            back_to_current = (count - step) % 2 == 1
            rows.append(
                {
                    "id": next_id,
                    "paragraph_id": paragraph.id,
                    "lang": lang,
                    "text": head.text if back_to_current else variant(head.text, step),
                    "parent_id": parent_id,
                    "author_id": world.moderator.id,
                    "source": "human",
                    "created_at": now - timedelta(seconds=revisions - len(rows)),
                }
            )
            parent_id = next_id
            next_id += 1
        if count:
            pointers.append({"paragraph": paragraph.id, "lang": lang, "revision": parent_id})
    with world.engine.begin() as connection:
        connection.execute(insert(Revision), rows)
        for lang in ("de", "fr"):
            column = f"{lang}_revision_id"
            chosen = [
                {"paragraph": p["paragraph"], "revision": p["revision"]}
                for p in pointers
                if p["lang"] == lang
            ]
            if chosen:
                connection.execute(
                    update(Paragraph)
                    .where(col(Paragraph.id) == bindparam("paragraph"))
                    .values({column: bindparam("revision")}),
                    chosen,
                )
