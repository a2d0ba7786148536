# syntax=docker/dockerfile:1
#
# Tandem container image.
#
#   docker build -t tandem .
#   docker run -p 8000:8000 \
#     -e TANDEM_DATABASE_URL=postgresql+psycopg://tandem:PASSWORD@HOST:5432/tandem \
#     tandem
#
# TANDEM_DATABASE_URL must be given at run time; the container refuses to start without
# it (the built-in SQLite default would live inside a throw-away container layer). For
# SQLite in a container, mount a volume on /srv/tandem/var and pass
# TANDEM_DATABASE_URL=sqlite:////srv/tandem/var/tandem.db (single process only).
#
# The package itself is deliberately not pip-installed: app/config.py finds templates/,
# static/, migrations/ and alembic.ini next to the app/ package (PROJECT_ROOT), and an
# installed copy in site-packages would look for them there. So the venv holds only the
# dependencies, the source tree lives in /srv/tandem, PYTHONPATH points there, and the
# command line runs as `python -m app.cli` (wrapped as `tandem`).

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: a venv with the runtime dependencies from pyproject.toml ---------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv

WORKDIR /build
COPY pyproject.toml ./
# [project].dependencies is the single list of runtime requirements; dev extras stay out.
RUN python -c 'import tomllib; deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; open("requirements.txt", "w").write("\n".join(deps) + "\n")' \
 && /opt/venv/bin/pip install -r requirements.txt

# --- runtime ------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

# WeasyPrint (PDF export) needs Pango and a font at run time; psycopg[binary] bundles libpq.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/srv/tandem \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN groupadd --system --gid 10001 tandem \
 && useradd --system --uid 10001 --gid tandem --home-dir /srv/tandem --no-create-home \
      --shell /usr/sbin/nologin tandem

COPY --from=builder /opt/venv /opt/venv

WORKDIR /srv/tandem
# Source stays owned by root: the app user can read it but not change it.
COPY pyproject.toml alembic.ini ./
COPY app/ app/
COPY drafting/ drafting/
COPY templates/ templates/
COPY static/ static/
COPY migrations/ migrations/

# Byte-compile once here (the app user cannot write __pycache__ at run time); var/ is the
# only writable directory (SQLite, if used); `tandem` runs the command line.
RUN python -m compileall -q app drafting migrations \
 && mkdir -p var && chown tandem:tandem var \
 && printf '#!/bin/sh\nexec python -m app.cli "$@"\n' > /usr/local/bin/tandem \
 && chmod 755 /usr/local/bin/tandem

USER 10001:10001

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Migrate, then replace the shell with the server so it receives SIGTERM directly.
CMD ["sh", "-c", ": \"${TANDEM_DATABASE_URL:?must be set, e.g. postgresql+psycopg://user:password@host:5432/tandem}\" && python -m app.cli migrate && exec python -m app.cli serve --host 0.0.0.0 --port 8000"]
