"""Set up Superset's users, roles and assets: run by Superset's own Python, never imported by the pipeline.

``sharehouse dashboards`` (``dashboards/superset.py``) runs this file with the
interpreter of Superset's virtual environment, after ``superset db upgrade``
and ``superset init``::

    python superset_tasks.py setup --bundle BUNDLE.json
    python superset_tasks.py user --username NAME --role leadership

Secrets come from the environment, never the command line (which other users
of the machine can read): ``SUPERSET_ADMIN_USER`` / ``SUPERSET_ADMIN_PASSWORD``
for the admin, ``SHAREHOUSE_SUPERSET_USER_PASSWORD`` for ``user``.

Roles (shared-model.md, "Roles", mirrored in Superset):

- ``leadership`` views the dashboards and nothing else: Superset's own
  minimal read-only dashboard-viewing permission set (the one it defines for
  anonymous viewers, ``PUBLIC_ROLE_PERMISSIONS``) plus read access to exactly
  the datasets the dashboards read. No SQL Lab, no Explore (so no charting
  of a dataset on their own), no list of datasets or databases.
- ``analyst`` is Superset's ``Gamma`` (explore and build charts) plus its
  ``sql_lab`` permissions, with read access to every dataset of the bundle
  and to the ``marts`` schema of the marts database in SQL Lab.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from uuid import UUID

LEADERSHIP = "leadership"
# Beyond Superset's anonymous-viewer set, a logged-in viewer needs the
# interface in their language and the client's event log (which answers a
# redirect to the login page without it).
LEADERSHIP_EXTRA = {("can_language_pack", "Superset"), ("can_log", "Superset")}
ANALYST = "analyst"
ROLES = (LEADERSHIP, ANALYST)


def _say(line: str) -> None:
    print(line, flush=True)


def _app():
    from superset.app import create_app

    app = create_app()
    return app


def _upsert_user(username: str, password: str, role_names: list[str], first_name: str, last_name: str) -> str:
    """Create the user or reset its password and roles; return ``created`` or ``updated``."""
    from superset import security_manager as sm
    from superset.extensions import db

    roles = []
    for name in role_names:
        role = sm.find_role(name)
        if role is None:
            raise SystemExit(f"role {name!r} does not exist (run setup first)")
        roles.append(role)
    user = sm.find_user(username=username)
    if user is None:
        created = sm.add_user(username, first_name, last_name, f"{username}@sharehouse.invalid", roles, password)
        if not created:
            raise SystemExit(f"could not create user {username!r}")
        return "created"
    user.roles = roles
    user.active = True
    sm.reset_password(user.id, password)
    db.session.commit()
    return "updated"


def _permission_views(predicate) -> list:
    from superset import security_manager as sm

    return [pvm for pvm in sm._get_all_pvms() if predicate(pvm)]  # noqa: SLF001 - Superset's own role builders


def _data_permissions(dataset_uuids: list[str], database_uuids: list[str]) -> tuple[list, list]:
    """Return (dataset read permissions, marts schema permissions) for the bundle's objects."""
    from superset import security_manager as sm
    from superset.connectors.sqla.models import SqlaTable
    from superset.extensions import db
    from superset.models.core import Database

    datasets = []
    for dataset in db.session.query(SqlaTable).filter(SqlaTable.uuid.in_([UUID(u) for u in dataset_uuids])).all():
        pvm = sm.add_permission_view_menu("datasource_access", dataset.get_perm())
        datasets.append(pvm)
    schemas = []
    for database in db.session.query(Database).filter(Database.uuid.in_([UUID(u) for u in database_uuids])).all():
        for schema in ("marts",):
            perm = sm.get_schema_perm(database.database_name, None, schema)
            schemas.append(sm.add_permission_view_menu("schema_access", perm))
    return datasets, schemas


def sync_roles(dataset_uuids: list[str], database_uuids: list[str]) -> None:
    """Give ``leadership`` and ``analyst`` exactly their permissions (idempotent)."""
    from superset import security_manager as sm
    from superset.extensions import db

    datasets, schemas = _data_permissions(dataset_uuids, database_uuids)
    leadership = sm.add_role(LEADERSHIP)
    leadership.permissions = _permission_views(
        lambda pvm: sm._is_public_pvm(pvm)  # noqa: SLF001
        or sm._is_accessible_to_all(pvm)  # noqa: SLF001
        or (pvm.permission.name, pvm.view_menu.name) in LEADERSHIP_EXTRA
    ) + datasets
    analyst = sm.add_role(ANALYST)
    analyst.permissions = _permission_views(
        lambda pvm: sm._is_gamma_pvm(pvm) or sm._is_sql_lab_pvm(pvm)  # noqa: SLF001
    ) + datasets + schemas
    db.session.commit()
    _say(f"    roles: {LEADERSHIP} ({len(leadership.permissions)} permissions), {ANALYST} ({len(analyst.permissions)} permissions)")


def import_bundle(contents: dict[str, str], passwords: dict[str, str], admin_username: str) -> None:
    """Import databases, datasets, charts and dashboards, overwriting what the UUIDs name."""
    from superset import security_manager as sm
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.utils.core import override_user

    admin = sm.find_user(username=admin_username)
    with override_user(admin):
        ImportAssetsCommand(contents, passwords=passwords).run()
    counts = {kind: sum(1 for name in contents if name.startswith(kind + "/")) for kind in ("databases", "datasets", "charts", "dashboards")}
    _say("    imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def setup(bundle_file: str) -> None:
    """Create or update the admin, import the bundle and sync the roles, in one application start."""
    username = os.environ.get("SUPERSET_ADMIN_USER", "admin")
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not password:
        raise SystemExit("SUPERSET_ADMIN_PASSWORD is not set")
    with open(bundle_file, encoding="utf-8") as handle:
        bundle = json.load(handle)
    started = time.perf_counter()
    app = _app()
    with app.app_context():
        from superset import security_manager as sm

        for role in ROLES:
            sm.add_role(role)
        _say(f"    admin {username!r} {_upsert_user(username, password, ['Admin'], 'sharehouse', 'admin')}")
        import_bundle(bundle["contents"], bundle["passwords"], username)
        sync_roles(bundle["dataset_uuids"], bundle["database_uuids"])
    _say(f"    done in {time.perf_counter() - started:.1f}s")


def user(username: str, role: str) -> None:
    """Create or update one user with one of the sharehouse roles."""
    password = os.environ.get("SHAREHOUSE_SUPERSET_USER_PASSWORD")
    if not password:
        raise SystemExit("SHAREHOUSE_SUPERSET_USER_PASSWORD is not set")
    app = _app()
    with app.app_context():
        outcome = _upsert_user(username, password, [role], username, role)
    _say(f"    user {username!r} ({role}) {outcome}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    setup_parser = commands.add_parser("setup", help="admin, asset import and roles")
    setup_parser.add_argument("--bundle", required=True, help="JSON file: contents, passwords, dataset_uuids, database_uuids")
    user_parser = commands.add_parser("user", help="create or update a user (password from SHAREHOUSE_SUPERSET_USER_PASSWORD)")
    user_parser.add_argument("--username", required=True)
    user_parser.add_argument("--role", required=True, choices=ROLES)
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.bundle)
    else:
        user(args.username, args.role)


if __name__ == "__main__":
    main(sys.argv[1:])
