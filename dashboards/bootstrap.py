"""Bootstrap Apache Superset in its own virtual environment and serve the dashboards.

Superset 6.1 needs SQLAlchemy 1.4 and the pipeline SQLAlchemy 2, so Superset
never enters the pipeline's environment: :meth:`Superset.ensure_venv` builds
``.superset/venv`` from ``dashboards/requirements-superset.txt`` (skipped when
that file has not changed) and every Superset step runs as a subprocess of
that environment, configured by ``dashboards/superset_config.py``:

1. publish the analytics marts for Superset (DuckDB; see
   :mod:`dashboards.warehouse`) and check the bundle against them;
2. ``superset db upgrade`` (the metadata database, SQLite under
   ``SHAREHOUSE_HOME/superset/`` unless ``SHAREHOUSE_SUPERSET_METADATA_URL``);
3. ``superset init`` (Superset's built-in roles and permissions);
4. ``superset_tasks.py setup``: the admin from ``SUPERSET_ADMIN_USER`` /
   ``SUPERSET_ADMIN_PASSWORD``, the import of the whole bundle, and the
   ``leadership`` and ``analyst`` roles;
5. :meth:`Superset.serve`: gunicorn on a loopback port.

Plain Python: no Dagster here (``sharehouse dashboards`` and the Dagster
assets both call it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboards import bundle as bundle_module
from dashboards import warehouse as warehouse_module
from sharehouse import settings

DASHBOARDS_DIR = Path(__file__).resolve().parent
REPO_DIR = DASHBOARDS_DIR.parent
REQUIREMENTS = DASHBOARDS_DIR / "requirements-superset.txt"
CONFIG_FILE = DASHBOARDS_DIR / "superset_config.py"
TASKS_FILE = DASHBOARDS_DIR / "superset_tasks.py"

# Documented development defaults (README, "Dashboards"), refused in prod.
# The secret key must equal the one in superset_config.py (a test checks).
DEVELOPMENT_SECRET_KEY = "sharehouse-superset-development-secret-not-for-production"
DEVELOPMENT_ADMIN_USER = "admin"
DEVELOPMENT_ADMIN_PASSWORD = "sharehouse-admin"

DEFAULT_PORT = 8088
ROLES = ("leadership", "analyst")

Progress = Callable[[str], None]


class SupersetError(RuntimeError):
    """A Superset step failed; the message names the step and ends with its log."""


def venv_dir() -> Path:
    """Return Superset's virtual environment: ``SHAREHOUSE_SUPERSET_VENV`` or ``.superset/venv`` in the checkout."""
    return Path(os.environ.get("SHAREHOUSE_SUPERSET_VENV") or settings.REPO_ROOT / ".superset" / "venv").expanduser().resolve()


def superset_home() -> Path:
    """Return the folder of Superset's state: ``SHAREHOUSE_HOME/superset``."""
    return settings.home() / "superset"


def check_secrets() -> None:
    """Refuse the development secret key and admin password in prod."""
    if settings.current() != "prod":
        return
    key = os.environ.get("SUPERSET_SECRET_KEY")
    if not key or key == DEVELOPMENT_SECRET_KEY:
        raise settings.SettingsError(
            "SUPERSET_SECRET_KEY is not set: production refuses the development default "
            "(it signs sessions and encrypts the stored warehouse password)"
        )
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not password or password == DEVELOPMENT_ADMIN_PASSWORD:
        raise settings.SettingsError("SUPERSET_ADMIN_PASSWORD is not set: production refuses the development default")


@dataclass
class BootstrapReport:
    """What a bootstrap did and how long each step took."""

    marts_uri: str
    dashboards: list[str]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Superset:
    """One Superset installation: its virtual environment and its state folder."""

    venv: Path = field(default_factory=venv_dir)
    home: Path = field(default_factory=superset_home)
    progress: Progress = print

    @property
    def python(self) -> Path:
        """Return the virtual environment's interpreter."""
        return self.venv / "bin" / "python"

    @property
    def logs(self) -> Path:
        """Return the folder of Superset's logs."""
        path = self.home / "logs"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def environment(self) -> dict[str, str]:
        """Return the environment every Superset process runs with."""
        env = {**os.environ}
        env.update({
            "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
            "SHAREHOUSE_SUPERSET_HOME": str(self.home),
            "SHAREHOUSE_ENV": settings.current(),
            "PYTHONNOUSERSITE": "1",
        })
        # Unset or empty (a copied .env.example): the development defaults,
        # which check_secrets() has already refused in prod.
        for name, default in (("SUPERSET_SECRET_KEY", DEVELOPMENT_SECRET_KEY),
                              ("SUPERSET_ADMIN_USER", DEVELOPMENT_ADMIN_USER),
                              ("SUPERSET_ADMIN_PASSWORD", DEVELOPMENT_ADMIN_PASSWORD)):
            env[name] = env.get(name) or default
        # The pipeline's own virtual environment must not leak into Superset's.
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return env

    # -- the virtual environment ----------------------------------------------------

    def _requirements_stamp(self) -> str:
        digest = hashlib.sha256(REQUIREMENTS.read_bytes())
        digest.update(f"python {sys.version_info.major}.{sys.version_info.minor}".encode())
        return digest.hexdigest()

    def venv_is_current(self) -> bool:
        """Return whether the virtual environment holds exactly the pinned requirements."""
        stamp = self.venv / ".sharehouse-requirements.sha256"
        return self.python.exists() and stamp.exists() and stamp.read_text().strip() == self._requirements_stamp()

    def ensure_venv(self) -> bool:
        """Create or refresh the virtual environment from the pinned requirements; return whether it installed.

        With uv (``./dev`` runs everything under it) this takes seconds from
        uv's cache; pip, the fallback for a bare ``.venv``, takes minutes.
        """
        if self.venv_is_current():
            self.progress(f"Superset environment {self.venv} is up to date")
            return False
        started = time.perf_counter()
        uv = find_uv()
        # The base interpreter, not the pipeline's venv: a venv made from a
        # venv's python would still be a sibling, but this is explicit.
        base = getattr(sys, "_base_executable", sys.executable)
        if not self.python.exists():
            self.progress(f"Creating Superset's virtual environment in {self.venv}")
            self.venv.parent.mkdir(parents=True, exist_ok=True)
            create = [uv, "venv", "--quiet", "--clear", "--python", base, str(self.venv)] if uv else [base, "-m", "venv", str(self.venv)]
            self._check(create, "create the virtual environment")
        log = self.logs / "pip-install.log"
        if uv:
            self.progress(f"Installing Superset from {REQUIREMENTS.name} with {uv}")
            # Bytecode now, as pip writes it: where PYTHONDONTWRITEBYTECODE is
            # set, every Superset command would otherwise compile its imports again.
            command = [uv, "pip", "install", "--compile-bytecode", "--python", str(self.python), "-r", str(REQUIREMENTS)]
        else:
            self.progress(f"Installing Superset from {REQUIREMENTS.name} with pip (about 4 minutes the first time)")
            command = [str(self.python), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
                       "-r", str(REQUIREMENTS)]
        collected = 0
        with open(log, "w", encoding="utf-8") as log_file:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       env=self.environment())
            assert process.stdout is not None
            for line in process.stdout:
                log_file.write(line)
                if line.startswith("Collecting "):
                    collected += 1
                    if collected % 25 == 0:
                        self.progress(f"    {collected} packages resolved ({time.perf_counter() - started:.0f}s)")
                elif uv and line.split(" ", 1)[0] in ("Resolved", "Prepared", "Installed"):
                    self.progress(f"    {line.strip()}")
                elif line.startswith("Installing collected packages"):
                    count = line.count(",") + 1
                    self.progress(f"    installing {count} packages ({time.perf_counter() - started:.0f}s)")
            if process.wait() != 0:
                raise SupersetError(f"installing {REQUIREMENTS} failed; see {log}:\n{_tail(log)}")
        (self.venv / ".sharehouse-requirements.sha256").write_text(self._requirements_stamp() + "\n")
        self.progress(f"    Superset installed in {time.perf_counter() - started:.0f}s")
        return True

    # -- running Superset steps -----------------------------------------------------

    def _check(self, command: list[str], what: str, echo: bool = False, extra_env: dict[str, str] | None = None) -> None:
        """Run a command; keep its output in a log; raise with the log's tail if it fails."""
        log = self.logs / "bootstrap.log"
        with open(log, "a", encoding="utf-8") as log_file:
            log_file.write(f"\n$ {' '.join(command)}\n")
            log_file.flush()
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log_file, text=True,
                                       env={**self.environment(), **(extra_env or {})}, cwd=self.home)
            assert process.stdout is not None
            for line in process.stdout:
                log_file.write(line)
                if echo and line.startswith("    "):
                    self.progress(line.rstrip())
            if process.wait() != 0:
                log_file.flush()
                raise SupersetError(f"could not {what} (exit {process.returncode}); see {log}:\n{_tail(log)}")

    def superset(self, *args: str, what: str) -> None:
        """Run a ``superset`` CLI command in the virtual environment."""
        self._check([str(self.venv / "bin" / "superset"), *args], what)

    def tasks(self, *args: str, what: str, extra_env: dict[str, str] | None = None) -> None:
        """Run ``superset_tasks.py`` with Superset's interpreter (``-P``: not from the dashboards/ folder)."""
        self._check([str(self.python), "-P", str(TASKS_FILE), *args], what, echo=True, extra_env=extra_env)

    def bootstrap(self, warehouse: settings.Warehouse) -> BootstrapReport:
        """Install (if needed), initialize, create the admin and roles, and import every dashboard.

        Idempotent: run it again after a pipeline run or a change under
        ``dashboards/`` and it re-publishes the marts and re-imports.
        """
        check_secrets()
        timings: dict[str, float] = {}

        def step(name: str, started: float) -> None:
            timings[name] = time.perf_counter() - started

        started = time.perf_counter()
        self.home.mkdir(parents=True, exist_ok=True)
        self.ensure_venv()
        step("venv", started)

        started = time.perf_counter()
        bundle = bundle_module.load()
        bundle.check()
        marts_uri = warehouse_module.marts_uri(warehouse, bundle)
        with warehouse_module.reader(warehouse) as reader:
            problems = [p for d in bundle.dashboards() for p in warehouse_module.check_dashboard(d, reader)]
        if problems:
            raise SupersetError("the dashboards do not fit the warehouse:\n  " + "\n  ".join(problems))
        where = warehouse_module.published_marts_path() if warehouse.engine == "duckdb" else bundle_module.split_password(marts_uri)[0]
        self.progress(f"Marts for Superset: {where}")
        step("publish", started)

        started = time.perf_counter()
        self.progress("Upgrading Superset's metadata database (superset db upgrade)")
        self.superset("db", "upgrade", what="upgrade Superset's metadata database")
        step("db upgrade", started)

        started = time.perf_counter()
        self.progress("Initializing Superset's roles and permissions (superset init)")
        self.superset("init", what="initialize Superset")
        step("init", started)

        started = time.perf_counter()
        self.progress("Creating the admin, importing the dashboards, syncing the leadership and analyst roles")
        contents, passwords = bundle.contents(marts_uri)
        payload = {
            "contents": contents,
            "passwords": passwords,
            "dataset_uuids": [d.uuid for d in bundle.of_kind("datasets")],
            "database_uuids": [d.uuid for d in bundle.of_kind("databases")],
        }
        # The payload can hold the warehouse password: private file, removed after use.
        handle, payload_path = tempfile.mkstemp(prefix="bundle-", suffix=".json", dir=self.home)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as payload_file:
                json.dump(payload, payload_file, ensure_ascii=False)
            self.tasks("setup", "--bundle", payload_path, what="set up the admin, dashboards and roles")
        finally:
            Path(payload_path).unlink(missing_ok=True)
        step("setup", started)
        return BootstrapReport(marts_uri=bundle_module.split_password(marts_uri)[0],
                               dashboards=[d.slug for d in bundle.dashboards()], timings=timings)

    def add_user(self, username: str, role: str, password: str) -> None:
        """Create or update a user with the ``leadership`` or ``analyst`` role."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        self.tasks("user", "--username", username, "--role", role, what=f"create user {username}",
                   extra_env={"SHAREHOUSE_SUPERSET_USER_PASSWORD": password})

    # -- serving --------------------------------------------------------------------

    def start(self, port: int = DEFAULT_PORT, host: str = "127.0.0.1", workers: int = 2) -> subprocess.Popen:
        """Start gunicorn serving Superset on ``host:port`` and return the process once it answers."""
        # Another server on the port would answer the health check for us.
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError as error:
                raise SupersetError(f"cannot serve on {host}:{port}: {error.strerror} (choose another --port)") from error
        command = [
            str(self.venv / "bin" / "gunicorn"),
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            # Threads let one dashboard's charts query in parallel.
            "--worker-class", "gthread", "--threads", "8",
            "--timeout", "120",
            "--access-logfile", str(self.logs / "access.log"),
            # gunicorn's own control socket lives in $HOME by default: two
            # servers (a test beside a developer's) would fight over it.
            "--no-control-socket",
            "superset.app:create_app()",
        ]
        log = self.logs / "superset.log"
        self.progress(f"Starting Superset on http://{host}:{port} (log: {log})")
        with open(log, "a", encoding="utf-8") as log_file:
            process = subprocess.Popen(command, env=self.environment(), cwd=self.home,
                                       stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://{host}:{port}", process, log=log)
        except BaseException:
            process.terminate()
            process.wait(timeout=30)
            raise
        return process


def wait_until_healthy(base_url: str, process: subprocess.Popen | None = None, timeout: float = 120.0,
                       log: Path | None = None) -> None:
    """Wait until Superset answers ``/health``; fail early if its process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SupersetError(f"Superset exited with {process.returncode} while starting" + (f"; see {log}:\n{_tail(log)}" if log else ""))
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SupersetError(f"Superset did not answer {base_url}/health within {timeout:.0f}s" + (f"; see {log}:\n{_tail(log)}" if log else ""))


def find_uv() -> str | None:
    """Return the uv running sharehouse (``uv run`` exports ``UV``), else uv on PATH or in ``.tools/``; None without."""
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(REPO_DIR / ".tools" / "bin" / "uv")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"
