"""The civil-affairs HTTP JSON API of the demo city (contract section 2).

Serves every ``<name>.json`` file of a data folder as ``GET /api/v1/<name>``:
bearer-token authentication, ``page``/``pageSize`` pagination (at most 1000),
``updatedSince`` filtering, records ordered by (``updatedAt``, record number),
and the envelope ``{"code", "msg", "data"}``. Like the real API it answers
429 with ``Retry-After`` and occasional 5xx, at configurable rates drawn from
a seeded generator so that a test sees the same sequence every run. For the
contract's broken deliveries, chosen pages of an endpoint can fail every time
(``failing_pages``: a 500 with the error envelope) or break off mid-way
(``truncated_pages``: a 200 whose body stops halfway, then the connection
closes).

Standard library only (``http.server``), quiet: no line per request.
"""

from __future__ import annotations

import bisect
import hmac
import json
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_TOKEN = "sharehouse-dev-token"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
API_PREFIX = "/api/v1/"
# Record number field per endpoint; an unknown endpoint falls back to the
# first key of its records (the contract lists the key first).
RECORD_KEYS = {"deaths": "recordNo", "marriages": "regNo", "subsistence": "caseNo", "organizations": "creditCode"}
# Timestamps in the API are Beijing time without an offset.
_BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Response:
    """Status, JSON body and extra headers of one answer.

    Attributes:
        status: HTTP status.
        body: The JSON envelope.
        headers: Extra headers.
        cut: Send only the first half of the body (the full length is
            announced), then close the connection.
    """

    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = ()
    cut: bool = False


def _error(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, {"code": status, "msg": message, "data": None}, headers)


@dataclass(frozen=True)
class _Endpoint:
    records: list[dict[str, Any]]
    updated_at: list[datetime]
    version: tuple[int, int]


class CivilAffairsServer:
    """A running (or ready to run) civil-affairs API.

    Args:
        data_dir: Folder with the endpoint files (``deaths.json``...).
        host: Interface to bind.
        port: Port to bind; 0 picks a free one (see `port` after start).
        token: The bearer token clients must send.
        rate_429: Share of authorized requests answered 429.
        rate_5xx: Share of authorized requests answered 500/502/503.
        seed: Seed of the failure draws.
        retry_after: Seconds sent in ``Retry-After`` (0 or a fraction keeps
            tests fast; real servers send whole seconds).
        failing_pages: Endpoint name -> page numbers that always answer 500.
        truncated_pages: Endpoint name -> page numbers whose body breaks off
            mid-way.
    """

    def __init__(
        self,
        data_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        rate_429: float = 0.0,
        rate_5xx: float = 0.0,
        seed: int = 0,
        retry_after: float = 1,
        *,
        failing_pages: Mapping[str, Iterable[int]] | None = None,
        truncated_pages: Mapping[str, Iterable[int]] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._failing = {name: frozenset(pages) for name, pages in (failing_pages or {}).items()}
        self._truncated = {name: frozenset(pages) for name, pages in (truncated_pages or {}).items()}
        self._token = token
        self._rate_429 = rate_429
        self._rate_5xx = rate_5xx
        self._retry_after = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._cache: dict[str, _Endpoint] = {}
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The bound interface."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://host:port``, what the sources file's ``base_url`` holds."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> CivilAffairsServer:
        """Serve in a daemon thread and return self."""
        if self._thread is None:
            # A short poll interval makes shutdown() return in ~50 ms (tests start many servers).
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, args=(0.05,), name="civil-affairs-api", daemon=True
            )
            self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> CivilAffairsServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    def handle(self, target: str, authorization: str | None) -> Response:
        """Answer one ``GET`` (the HTTP layer only transports this)."""
        expected = f"Bearer {self._token}"
        if authorization is None or not hmac.compare_digest(authorization.encode(), expected.encode()):
            return _error(401, "unauthorized")
        with self._lock:
            draw = self._random.random()
            status = self._random.choice((500, 502, 503))
        if draw < self._rate_429:
            return _error(429, "too many requests", (("Retry-After", self._retry_after),))
        if draw < self._rate_429 + self._rate_5xx:
            return _error(status, "internal server error")
        url = urlsplit(target)
        name = url.path.removeprefix(API_PREFIX)
        if not url.path.startswith(API_PREFIX) or not name.replace("_", "").isalnum():
            return _error(404, "not found")
        endpoint = self._endpoint(name)
        if endpoint is None:
            return _error(404, "not found")
        query = parse_qs(url.query)
        response = self._page(endpoint, query)
        page = response.body["data"]["page"] if response.status == 200 else None
        if page in self._failing.get(name, ()):
            return _error(500, f"internal server error: page {page} of {name} failed")
        if page in self._truncated.get(name, ()):
            return Response(response.status, response.body, response.headers, cut=True)
        return response

    def _page(self, endpoint: _Endpoint, query: dict[str, list[str]]) -> Response:
        try:
            page = int(query.get("page", ["1"])[0])
            page_size = int(query.get("pageSize", [str(DEFAULT_PAGE_SIZE)])[0])
        except ValueError:
            return _error(400, "page and pageSize must be integers")
        if page < 1:
            return _error(400, "page must be at least 1")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return _error(400, f"pageSize must be between 1 and {MAX_PAGE_SIZE}")
        first = 0
        if "updatedSince" in query:
            try:
                since = _naive_beijing(datetime.fromisoformat(query["updatedSince"][0]))
            except ValueError:
                return _error(400, "updatedSince must be an ISO 8601 timestamp")
            first = bisect.bisect_left(endpoint.updated_at, since)
        matching = endpoint.records[first:]
        start = (page - 1) * page_size
        data = {"total": len(matching), "page": page, "records": matching[start : start + page_size]}
        return Response(200, {"code": 0, "msg": "ok", "data": data})

    def _endpoint(self, name: str) -> _Endpoint | None:
        path = self.data_dir / f"{name}.json"
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        version = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached.version == version:
                return cached
        records = json.loads(path.read_text(encoding="utf-8"))
        key = RECORD_KEYS.get(name) or (next(iter(records[0])) if records else "")
        records.sort(key=lambda r: (str(r.get("updatedAt") or ""), str(r.get(key) or "")))
        endpoint = _Endpoint(
            records=records,
            updated_at=[_naive_beijing(datetime.fromisoformat(r["updatedAt"])) for r in records],
            version=version,
        )
        with self._lock:
            self._cache[name] = endpoint
        return endpoint


def _naive_beijing(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(_BEIJING).replace(tzinfo=None)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: CivilAffairsServer) -> None:
        self.app = app
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server_version = "CivilAffairsAPI/1.0"
    server: _HTTPServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        response = self.server.app.handle(self.path, self.headers.get("Authorization"))
        body = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if response.cut:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if response.cut else body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature of the base class)
        """Stay quiet: a line per request would flood test and CLI output."""


def serve_civil_affairs(
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str = DEFAULT_TOKEN,
    rate_429: float = 0.0,
    rate_5xx: float = 0.0,
    seed: int = 0,
    retry_after: float = 1,
    *,
    failing_pages: Mapping[str, Iterable[int]] | None = None,
    truncated_pages: Mapping[str, Iterable[int]] | None = None,
) -> CivilAffairsServer:
    """Start the civil-affairs API in a daemon thread.

    Args:
        data_dir: Folder with the endpoint files, normally ``<out_dir>/civil_affairs``.
        host: Interface to bind.
        port: Port to bind; 0 picks a free one.
        token: Bearer token clients must send.
        rate_429: Share of authorized requests answered 429 with ``Retry-After``.
        rate_5xx: Share of authorized requests answered with a 5xx status.
        seed: Seed of the failure draws.
        retry_after: Seconds sent in ``Retry-After``.
        failing_pages: Endpoint name -> pages that always answer 500 (an API
            page that fails mid-way through a paginated extraction), e.g.
            ``{"deaths": [3]}``.
        truncated_pages: Endpoint name -> pages whose body breaks off halfway
            and whose connection then closes.

    Returns:
        The running server; call ``shutdown()`` or use it as a context manager.
    """
    return CivilAffairsServer(
        data_dir, host, port, token, rate_429, rate_5xx, seed, retry_after,
        failing_pages=failing_pages, truncated_pages=truncated_pages,
    ).start()
