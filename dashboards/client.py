"""Re-import dashboards into a running Superset through its REST API.

The Dagster dashboard assets use this when ``SHAREHOUSE_SUPERSET_URL`` is set,
so a pipeline run that changes a mart's columns or a dashboard's YAML reaches
the running Superset without a restart. It logs in as the admin
(``SUPERSET_ADMIN_USER`` / ``SUPERSET_ADMIN_PASSWORD``) and posts the bundle
to ``/api/v1/assets/import/``, Superset's import for assets managed as code.
"""

from __future__ import annotations

import json
import os

import httpx

from dashboards.bootstrap import DEVELOPMENT_ADMIN_PASSWORD, DEVELOPMENT_ADMIN_USER


class SupersetApiError(RuntimeError):
    """Superset refused a request; the message carries its answer."""


def superset_url() -> str | None:
    """Return ``SHAREHOUSE_SUPERSET_URL`` (a running Superset), or ``None`` when unset."""
    url = os.environ.get("SHAREHOUSE_SUPERSET_URL", "").strip()
    return url.rstrip("/") or None


def import_bundle(base_url: str, bundle_zip: bytes, passwords: dict[str, str], timeout: float = 60.0) -> None:
    """Log in as the admin and import a rendered bundle ZIP, overwriting what its UUIDs name."""
    username = os.environ.get("SUPERSET_ADMIN_USER") or DEVELOPMENT_ADMIN_USER
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD") or DEVELOPMENT_ADMIN_PASSWORD
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        login = client.post("/api/v1/security/login",
                            json={"username": username, "password": password, "provider": "db", "refresh": False})
        if login.status_code != 200:
            raise SupersetApiError(f"login to {base_url} as {username!r} failed ({login.status_code}): {login.text[:300]}")
        headers = {"Authorization": f"Bearer {login.json()['access_token']}", "Referer": base_url}
        # Superset protects form posts with a CSRF token bound to the session cookie.
        csrf = client.get("/api/v1/security/csrf_token/", headers=headers)
        if csrf.status_code != 200:
            raise SupersetApiError(f"{base_url} gave no CSRF token ({csrf.status_code}): {csrf.text[:300]}")
        headers["X-CSRFToken"] = csrf.json()["result"]
        response = client.post(
            "/api/v1/assets/import/",
            headers=headers,
            files={"bundle": ("sharehouse_dashboards.zip", bundle_zip, "application/zip")},
            data={"passwords": json.dumps(passwords)},
        )
        if response.status_code != 200:
            raise SupersetApiError(f"{base_url} refused the import ({response.status_code}): {response.text[:500]}")
