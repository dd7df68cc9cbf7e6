"""Read a paginated JSON API politely: bearer token, retries, ``Retry-After``.

The civil-affairs API answers 429 with ``Retry-After`` when called too fast
and occasionally 5xx (source-systems.md section 2). A page that keeps failing
raises :class:`ApiError` carrying the pages already read, so the caller can
record a resumable state instead of losing them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)

# Retry-After is honoured up to this many seconds; a server asking for longer
# is treated as down for this run rather than stalling the whole pipeline.
MAX_RETRY_AFTER_SECONDS = 60.0


class ApiError(RuntimeError):
    """A page could not be read after every retry, or the API answered an error."""

    def __init__(self, message: str, *, records: list[dict[str, Any]], next_page: int):
        super().__init__(message)
        self.records = records
        self.next_page = next_page


@dataclass
class RetryPolicy:
    """How hard to try one page before giving up."""

    attempts: int = 5
    backoff_seconds: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Return how long to wait before the next attempt."""
        if response is not None and "Retry-After" in response.headers:
            try:
                return min(float(response.headers["Retry-After"]), MAX_RETRY_AFTER_SECONDS)
            except ValueError:
                pass
        return self.backoff_seconds * (2 ** (attempt - 1))


def fetch_all(
    base_url: str,
    path: str,
    *,
    token: str,
    params: dict[str, Any] | None = None,
    page_size: int = 1000,
    start_page: int = 1,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """Return every record of a paginated endpoint, page by page.

    Raises:
        ApiError: a page kept failing or the envelope had a non-zero code; the
            error carries the records read so far and the page to resume from.
    """
    retry = retry or RetryPolicy()
    records: list[dict[str, Any]] = []
    page = start_page
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as client:
        while True:
            data = _fetch_page(client, path, {**(params or {}), "page": page, "pageSize": page_size}, retry, records, page)
            batch = data.get("records") or []
            records.extend(batch)
            total = int(data.get("total") or 0)
            log.info("%s page %d: %d records (%d of %d)", path, page, len(batch), len(records), total)
            if not batch or len(records) >= total:
                return records
            page += 1


def _fetch_page(
    client: httpx.Client,
    path: str,
    params: dict[str, Any],
    retry: RetryPolicy,
    records: list[dict[str, Any]],
    page: int,
) -> dict[str, Any]:
    last_problem = ""
    for attempt in range(1, retry.attempts + 1):
        response: httpx.Response | None = None
        try:
            response = client.get(path, params=params)
        except httpx.TransportError as error:
            last_problem = f"connection failed: {error}"
        else:
            if response.status_code == 429 or response.status_code >= 500:
                last_problem = f"HTTP {response.status_code}"
            elif response.status_code in (401, 403):
                raise ApiError(
                    f"{path}: HTTP {response.status_code}: the token was refused; check the "
                    "environment variable named by token_env",
                    records=records, next_page=page,
                )
            else:
                try:
                    envelope = response.json()
                except ValueError:
                    last_problem = f"HTTP {response.status_code} with a body that is not JSON"
                else:
                    if envelope.get("code") not in (0, "0"):
                        raise ApiError(
                            f"{path} page {page}: API error code {envelope.get('code')}: {envelope.get('msg')}",
                            records=records, next_page=page,
                        )
                    return envelope.get("data") or {}
        if attempt < retry.attempts:
            wait = retry.delay(attempt, response)
            log.warning("%s page %d: %s; retry %d of %d in %.1fs", path, page, last_problem, attempt, retry.attempts - 1, wait)
            retry.sleep(wait)
    raise ApiError(
        f"{path} page {page}: still failing after {retry.attempts} attempts ({last_problem}); "
        f"{len(records)} records had been read from the pages before it",
        records=records, next_page=page,
    )
