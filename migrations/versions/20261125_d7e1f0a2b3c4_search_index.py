"""full-text search: FTS5 on SQLite, GIN expression indexes on PostgreSQL

These are not models: the SQLite table ``search_fts`` (with its FTS5 shadow tables) and the
PostgreSQL function ``tandem_search_vector`` and its indexes exist for app/queries/search.py.
On SQLite, triggers keep ``search_fts`` in step with the searchable rows; its rowid is
``id * 16 + kind`` (1 paragraph DE, 2 paragraph FR, 3 comment, 4 amendment, 5 initiative).

Revision ID: d7e1f0a2b3c4
Revises: c143265b6bea
Create Date: 2026-11-25 20:10:00
"""

from alembic import op

revision = "d7e1f0a2b3c4"
down_revision = "c143265b6bea"
branch_labels = None
depends_on = None

# Accents folded on PostgreSQL, one character to one (kept equal to app/queries/search.py).
FOLD_FROM = "àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōœùúûüūýÿßæ"
FOLD_TO = "aaaaaaaccceeeeeeeiiiiinnoooooooouuuuuyysa"

_INITIATIVE_BODY = (
    "NEW.key || ' ' || NEW.name_de || ' ' || NEW.name_fr || ' ' || NEW.municipality || ' ' ||"
    " NEW.region || ' ' || replace(NEW.themes, ';', ' ') || ' ' || NEW.summary_de || ' ' ||"
    " NEW.summary_fr"
)
_AMENDMENT_BODY = (
    "NEW.justification || ' ' || coalesce(NEW.de_text, '') || ' ' || coalesce(NEW.fr_text, '')"
)

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    # paragraphs: the current text per language, replaced whenever the pointer moves
    """CREATE TRIGGER search_paragraph_insert AFTER INSERT ON paragraph BEGIN
        INSERT INTO search_fts(rowid, body)
            SELECT NEW.id * 16 + 1, text FROM revision WHERE id = NEW.de_revision_id;
        INSERT INTO search_fts(rowid, body)
            SELECT NEW.id * 16 + 2, text FROM revision WHERE id = NEW.fr_revision_id;
    END""",
    """CREATE TRIGGER search_paragraph_update
        AFTER UPDATE OF de_revision_id, fr_revision_id ON paragraph BEGIN
        DELETE FROM search_fts WHERE rowid IN (OLD.id * 16 + 1, OLD.id * 16 + 2);
        INSERT INTO search_fts(rowid, body)
            SELECT NEW.id * 16 + 1, text FROM revision WHERE id = NEW.de_revision_id;
        INSERT INTO search_fts(rowid, body)
            SELECT NEW.id * 16 + 2, text FROM revision WHERE id = NEW.fr_revision_id;
    END""",
    """CREATE TRIGGER search_paragraph_delete AFTER DELETE ON paragraph BEGIN
        DELETE FROM search_fts WHERE rowid IN (OLD.id * 16 + 1, OLD.id * 16 + 2);
    END""",
    """CREATE TRIGGER search_comment_insert AFTER INSERT ON comment BEGIN
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 3, NEW.body);
    END""",
    """CREATE TRIGGER search_comment_update AFTER UPDATE OF body ON comment BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 3;
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 3, NEW.body);
    END""",
    """CREATE TRIGGER search_comment_delete AFTER DELETE ON comment BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 3;
    END""",
    f"""CREATE TRIGGER search_amendment_insert AFTER INSERT ON amendment BEGIN
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 4, {_AMENDMENT_BODY});
    END""",
    f"""CREATE TRIGGER search_amendment_update
        AFTER UPDATE OF justification, de_text, fr_text ON amendment BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 4;
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 4, {_AMENDMENT_BODY});
    END""",
    """CREATE TRIGGER search_amendment_delete AFTER DELETE ON amendment BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 4;
    END""",
    f"""CREATE TRIGGER search_initiative_insert AFTER INSERT ON initiative BEGIN
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 5, {_INITIATIVE_BODY});
    END""",
    f"""CREATE TRIGGER search_initiative_update AFTER UPDATE ON initiative BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 5;
        INSERT INTO search_fts(rowid, body) VALUES (NEW.id * 16 + 5, {_INITIATIVE_BODY});
    END""",
    """CREATE TRIGGER search_initiative_delete AFTER DELETE ON initiative BEGIN
        DELETE FROM search_fts WHERE rowid = OLD.id * 16 + 5;
    END""",
    # what existed before this migration
    """INSERT INTO search_fts(rowid, body)
        SELECT p.id * 16 + 1, r.text FROM paragraph p JOIN revision r ON r.id = p.de_revision_id""",
    """INSERT INTO search_fts(rowid, body)
        SELECT p.id * 16 + 2, r.text FROM paragraph p JOIN revision r ON r.id = p.fr_revision_id""",
    "INSERT INTO search_fts(rowid, body) SELECT id * 16 + 3, body FROM comment",
    "INSERT INTO search_fts(rowid, body) SELECT id * 16 + 4, "
    + _AMENDMENT_BODY.replace("NEW.", "")
    + " FROM amendment",
    "INSERT INTO search_fts(rowid, body) SELECT id * 16 + 5, "
    + _INITIATIVE_BODY.replace("NEW.", "")
    + " FROM initiative",
]
_SQLITE_TRIGGERS = [
    f"search_{table}_{event}"
    for table in ("paragraph", "comment", "amendment", "initiative")
    for event in ("insert", "update", "delete")
]

_PG_UP = [
    # The language's stemmed words plus every word lower-cased without accents, so that a
    # query matches by stem (Kommunen ~ Kommune) or by prefix without accents (energie).
    f"""CREATE FUNCTION tandem_search_vector(config regconfig, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT to_tsvector(config, body)
            || to_tsvector('simple'::regconfig, translate(lower(body), '{FOLD_FROM}', '{FOLD_TO}'))
    $$""",
    "CREATE INDEX ix_search_revision_de ON revision"
    " USING gin (tandem_search_vector('german'::regconfig, text)) WHERE lang = 'de'",
    "CREATE INDEX ix_search_revision_fr ON revision"
    " USING gin (tandem_search_vector('french'::regconfig, text)) WHERE lang = 'fr'",
    "CREATE INDEX ix_search_comment_de ON comment"
    " USING gin (tandem_search_vector('german'::regconfig, body)) WHERE lang = 'de'",
    "CREATE INDEX ix_search_comment_fr ON comment"
    " USING gin (tandem_search_vector('french'::regconfig, body)) WHERE lang = 'fr'",
    "CREATE INDEX ix_search_amendment ON amendment USING gin (("
    "tandem_search_vector('simple'::regconfig, justification)"
    " || tandem_search_vector('german'::regconfig, coalesce(de_text, ''))"
    " || tandem_search_vector('french'::regconfig, coalesce(fr_text, ''))))",
    "CREATE INDEX ix_search_initiative ON initiative USING gin (("
    "tandem_search_vector('simple'::regconfig,"
    " key || ' ' || municipality || ' ' || region || ' ' || replace(themes, ';', ' '))"
    " || tandem_search_vector('german'::regconfig, name_de || ' ' || summary_de)"
    " || tandem_search_vector('french'::regconfig, name_fr || ' ' || summary_fr)))",
]
_PG_INDEXES = [
    "ix_search_revision_de",
    "ix_search_revision_fr",
    "ix_search_comment_de",
    "ix_search_comment_fr",
    "ix_search_amendment",
    "ix_search_initiative",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = _SQLITE_UP if dialect == "sqlite" else _PG_UP if dialect == "postgresql" else []
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        for index in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
        op.execute("DROP FUNCTION IF EXISTS tandem_search_vector(regconfig, text)")
