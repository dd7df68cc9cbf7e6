"""Superset configuration for sharehouse, loaded through ``SUPERSET_CONFIG_PATH``.

This file runs inside Superset's own virtual environment (it is never imported
by the pipeline). Everything that differs between machines comes from the
environment, which ``sharehouse dashboards`` sets (see ``dashboards/superset.py``):

- ``SHAREHOUSE_SUPERSET_HOME``: folder for Superset's state (metadata database,
  logs); ``SHAREHOUSE_HOME/superset`` by default.
- ``SHAREHOUSE_SUPERSET_METADATA_URL``: Superset's own metadata database;
  SQLite under ``SHAREHOUSE_SUPERSET_HOME`` when unset.
- ``SUPERSET_SECRET_KEY``: signs sessions and encrypts stored database
  passwords. The development default below is refused when
  ``SHAREHOUSE_ENV=prod``.
"""

import os
from pathlib import Path

# Documented development default (README, "Dashboards"). Production refuses it:
# anyone who reads this file could forge a session cookie with it.
DEVELOPMENT_SECRET_KEY = "sharehouse-superset-development-secret-not-for-production"

_environment = os.environ.get("SHAREHOUSE_ENV", "").strip().lower() or "local"
SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if _environment == "prod" and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise RuntimeError(
        "SUPERSET_SECRET_KEY is not set: production refuses the development default "
        "(it signs sessions and encrypts the stored warehouse password)"
    )

_home = Path(os.environ.get("SHAREHOUSE_SUPERSET_HOME", Path.cwd() / ".sharehouse" / "superset"))
_home.mkdir(parents=True, exist_ok=True)
SQLALCHEMY_DATABASE_URI = os.environ.get("SHAREHOUSE_SUPERSET_METADATA_URL") or f"sqlite:///{_home / 'superset.db'}"
DATA_DIR = str(_home)

# The users read Chinese: the interface defaults to Simplified Chinese; English
# stays selectable for engineers.
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}

# Nobody sees anything without logging in: the Public role stays empty.
PUBLIC_ROLE_LIKE = None

FEATURE_FLAGS = {
    # Leadership must not drill from a chart to the rows behind it.
    "DRILL_TO_DETAIL": False,
    "DRILL_BY": False,
    # No Jinja in SQL: datasets are the marts, nothing is templated at query time.
    "ENABLE_TEMPLATE_PROCESSING": False,
}

# Chart data is cached on disk (``cache/data`` under the home folder), shared
# by every gunicorn worker. The marts change only when the pipeline rebuilds
# them, and Superset spends 100-250 ms of Python per chart request on top of
# the query (50-250 ms on the million-person city's marts): a dashboard's six
# to ten chart requests arrive at once and queue on two cores. A cached chart
# answers without a query. Rebuilt marts do not hide behind old figures:
# Superset's cache key holds the dataset's last change time, which every
# import sets (bootstrap, and the Dagster dashboard assets after the marts
# they read), so after a re-import each chart queries again. Without a
# re-import an entry lives one hour at most.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "FileSystemCache",
    "CACHE_DIR": str(_home / "cache" / "data"),
    "CACHE_DEFAULT_TIMEOUT": 60 * 60,
    "CACHE_THRESHOLD": 10_000,
}

# The login form is rate limited per client; in-memory counters are enough for
# one loopback server (a shared store would be needed behind a load balancer).
RATELIMIT_STORAGE_URI = "memory://"

# Keep browsers on this server. Superset's default content security policy
# lets its pages load an analytics pixel (apachesuperset.gateway.scarf.sh),
# map tiles and web fonts from the internet: the users' network reaches none
# of them, and a city's dashboards should not report their use to anyone.
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}

# The metadata database on SQLite (the default) in write-ahead-log mode: every
# request reads it (permissions, the dataset) and logs its event there, and
# in SQLite's default journal mode a writer blocks every reader, so one
# dashboard's concurrent chart requests waited on each other's log writes.
if SQLALCHEMY_DATABASE_URI.startswith("sqlite:"):
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _sqlite_write_ahead_log(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("pragma journal_mode=wal")
            cursor.execute("pragma synchronous=normal")
            cursor.close()
