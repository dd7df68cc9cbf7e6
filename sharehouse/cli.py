"""The ``sharehouse`` command line: simulate a city, run the pipeline, show the demo.

Every command has ``--help``. The commands are thin: they parse options, call
the package that does the work and print what a person needs next.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from sharehouse import settings

TOKEN_ENV = "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"
# The demo city is large enough for its dashboards to show: at realistic rates
# a city of 10,000 has about 5 mediation cases and 8 persons under correction
# a month, and cells under the minimum count are hidden, so the justice charts
# stayed empty. 100,000 persons fill them; the demo takes under two minutes.
DEMO_PERSONS = 100_000


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("httpx", "httpcore", "great_expectations", "urllib3", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Dagster prints its run events through its own console logger; letting
    # them reach the root handler as well would print every line twice.
    logging.getLogger("dagster").propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
def main(verbose: bool) -> None:
    """sharehouse: a shared population-housing-organization warehouse for a city.

    Pulls the four department systems (police, civil affairs, housing, justice),
    cleans and links their records into one model, gates data quality and builds
    the marts the dashboards read.
    """
    _configure_logging(verbose)


# -- simulate ---------------------------------------------------------------------------


@main.group(invoke_without_command=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder to write the deliveries to.")
@click.option("--persons", type=click.IntRange(min=10), default=10_000, show_default=True, help="Residents in the city.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed: the same seed writes the same bytes.")
@click.option("--months", type=click.IntRange(min=1), default=24, show_default=True, help="Months of history to simulate.")
@click.option(
    "--noise", type=click.Choice(["none", "light", "moderate", "heavy"]), default="moderate", show_default=True,
    help="How many of the contract's known data issues to inject.",
)
@click.option(
    "--civil-affairs-url", default="http://127.0.0.1:8765", show_default=True,
    help="Base URL written into sources.toml for the civil-affairs API (see `simulate serve`).",
)
@click.option(
    "--police-postgres", "police_database_url", default=None, metavar="URL",
    help="Also load the police tables into this PostgreSQL database (a real source database) and point sources.toml at it.",
)
@click.option(
    "--housing-full-snapshots", type=click.Choice(["first_and_last", "monthly"]), default="first_and_last",
    show_default=True, help="Which months get a full housing snapshot besides the daily increments.",
)
@click.option("--justice-months", type=click.IntRange(min=1), default=None,
              help="Monthly justice workbooks to write, counted back from the end [default: every month].")
@click.option("--rate", "rates", multiple=True, metavar="ISSUE=VALUE",
              help="Override one data-issue rate (repeatable), e.g. --rate broken_empty=0.")
@click.pass_context
def simulate(ctx: click.Context, out: Path | None, persons: int, seed: int, months: int, noise: str, civil_affairs_url: str,
             police_database_url: str | None, housing_full_snapshots: str, justice_months: int | None, rates: tuple[str, ...]) -> None:
    """Write a demo city's deliveries in every department's format.

    Writes police tables (SQLite), civil-affairs API data, housing CSV files
    (GBK) and justice workbooks, a sources.toml for `sharehouse run`, and the
    ground truth in truth/ (which the pipeline never reads). Use
    `sharehouse simulate serve` to serve the civil-affairs API.
    """
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise click.UsageError("--out is required (or use a subcommand: serve)")
    from simulator.generate import simulate as generate

    started = time.perf_counter()
    result = generate(out, persons=persons, seed=seed, months=months, noise=noise,
                      civil_affairs_base_url=civil_affairs_url, progress=click.echo,
                      police_database_url=police_database_url, housing_full_snapshots=housing_full_snapshots,
                      justice_months=justice_months, noise_rates=_rates(rates))
    click.echo(f"Simulated {persons:,} persons over {months} months in {time.perf_counter() - started:.1f}s")
    for (system, entity), rows in sorted(result.delivered.items()):
        click.echo(f"  {system}.{entity}: {rows:,} rows delivered")
    click.echo(f"Sources file: {result.sources_file}")
    click.echo(f"Ground truth: {result.truth_dir}")


def _split_pair(pair: str, option: str, separator: str) -> tuple[str, str]:
    name, found, value = pair.partition(separator)
    if not found or not name or not value:
        raise click.BadParameter(f"expected NAME{separator}VALUE, got {pair!r}", param_hint=option)
    return name, value


def _rates(pairs: tuple[str, ...]) -> dict[str, float]:
    """Parse repeated ``--rate ISSUE=VALUE`` options, naming the known issues on a typo."""
    from dataclasses import fields

    from simulator.config import NoiseRates

    known = {field.name for field in fields(NoiseRates)}
    rates = {}
    for pair in pairs:
        name, value = _split_pair(pair, "--rate", "=")
        if name not in known:
            raise click.BadParameter(f"unknown data issue {name!r}; known: {', '.join(sorted(known))}", param_hint="--rate")
        try:
            rates[name] = float(value)
        except ValueError as error:
            raise click.BadParameter(f"{pair!r}: {error}", param_hint="--rate") from error
    return rates


def _pages(pairs: tuple[str, ...], option: str) -> dict[str, list[int]]:
    """Parse repeated ``ENDPOINT:PAGE`` options into pages per endpoint."""
    pages: dict[str, list[int]] = {}
    for pair in pairs:
        endpoint, page = _split_pair(pair, option, ":")
        if not page.isdigit():
            raise click.BadParameter(f"{pair!r}: the page must be a number", param_hint=option)
        pages.setdefault(endpoint, []).append(int(page))
    return pages


@simulate.command("serve")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The simulated civil_affairs folder (DIR/civil_affairs from `simulate --out DIR`).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port; 0 picks a free one.")
@click.option("--token-env", default=TOKEN_ENV, show_default=True,
              help="Environment variable holding the bearer token clients must send.")
@click.option("--rate-429", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests answered 429 with Retry-After.")
@click.option("--rate-5xx", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests answered with a 5xx error.")
@click.option("--failing-page", "failing_pages", multiple=True, metavar="ENDPOINT:PAGE",
              help="A page that always answers 500 (repeatable), e.g. deaths:2.")
@click.option("--truncated-page", "truncated_pages", multiple=True, metavar="ENDPOINT:PAGE",
              help="A page whose body stops halfway (repeatable).")
def simulate_serve(data_dir: Path, host: str, port: int, token_env: str, rate_429: float, rate_5xx: float,
                   failing_pages: tuple[str, ...], truncated_pages: tuple[str, ...]) -> None:
    """Serve the simulated civil-affairs API until interrupted."""
    from simulator.server import serve_civil_affairs

    token = os.environ.get(token_env)
    if not token:
        raise click.UsageError(f"set {token_env} to the bearer token the server should accept")
    server = serve_civil_affairs(
        data_dir, host=host, port=port, token=token, rate_429=rate_429, rate_5xx=rate_5xx,
        failing_pages=_pages(failing_pages, "--failing-page"),
        truncated_pages=_pages(truncated_pages, "--truncated-page"),
    )
    click.echo(f"Civil-affairs API on {server.base_url} (token from {token_env}); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


# -- run --------------------------------------------------------------------------------


@main.command()
@click.option("--sources", "sources_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file saying how to reach each department (see README).")
@click.option("--warehouse", "warehouse_url", default=None,
              help="duckdb:///path.duckdb (default: embedded file under SHAREHOUSE_HOME) or postgresql://user@host:port/db.")
def run(sources_path: Path, warehouse_url: str | None) -> None:
    """Run the whole pipeline once over the deliveries a sources file describes."""
    report = _run(sources_path, warehouse_url)
    _print_summary(report.warehouse)
    if not report.success:
        sys.exit(1)


def _run(sources_path: Path, warehouse_url: str | None):
    from ingest.sources import SourcesFileError
    from orchestration.runner import run_pipeline

    try:
        target = settings.warehouse(warehouse_url)
        click.echo(f"Running the pipeline on {target.engine} ({target.url})")
        started = time.perf_counter()
        report = run_pipeline(sources_path, target.url)
    except (SourcesFileError, settings.SettingsError) as error:
        raise click.ClickException(str(error)) from error
    elapsed = time.perf_counter() - started
    failed = len(report.failed_checks) + len(report.warned_checks)
    click.echo(
        f"Quality checks: {report.checks_evaluated - failed} of {report.checks_evaluated} passed "
        "(Great Expectations critical suites and dbt tests)"
    )
    for check in report.warned_checks:
        click.echo(f"  warning (does not fail the run): {check}")
    if report.success:
        click.echo(f"Pipeline succeeded in {elapsed:.1f}s (Dagster run {report.run_id})")
    else:
        click.echo(f"Pipeline FAILED after {elapsed:.1f}s (Dagster run {report.run_id})", err=True)
        for failure in report.failures:
            click.echo(f"  step failed: {failure}", err=True)
        for check in report.failed_checks:
            click.echo(f"  blocking check failed: {check}", err=True)
    return report


def _print_summary(target: settings.Warehouse) -> None:
    from sharehouse.summary import render

    click.echo("")
    click.echo(render(target))


# -- evaluate ---------------------------------------------------------------------------


@main.command()
@click.option("--truth", "truth_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The simulator's truth/ folder (person_mentions.csv, unit_mentions.csv, organization_mentions.csv).")
@click.option("--warehouse", "warehouse_url", default=None,
              help="duckdb:///path.duckdb (default: embedded file under SHAREHOUSE_HOME) or postgresql://user@host:port/db.")
def evaluate(truth_dir: Path, warehouse_url: str | None) -> None:
    """Score entity resolution against a simulated city's truth.

    Prints pairwise precision, recall and F1 for persons, house units and
    organizations, and the share of persons' city addresses linked to the
    right unit with that link's precision. Reads the restricted identity schema.
    """
    from ingest.common.warehouse import connect
    from resolution.evaluate import evaluate as score
    from resolution.evaluate import format_report

    missing = [name for name in ("person_mentions.csv", "unit_mentions.csv", "organization_mentions.csv")
               if not (truth_dir / name).is_file()]
    if missing:
        raise click.ClickException(f"{truth_dir} is not a simulator truth folder: missing {', '.join(missing)}")
    try:
        target = settings.warehouse(warehouse_url)
        with connect(target) as connection:
            report = score(connection, truth_dir)
    except settings.SettingsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Entity resolution in {target.url} against {truth_dir} (pairwise over mentions)")
    click.echo(format_report(report))


# -- explain ----------------------------------------------------------------------------


@main.command()
@click.option("--person-key", required=True, help="The person_key to explain (32 hex characters).")
@click.option("--warehouse", "warehouse_url", default=None,
              help="duckdb:///path.duckdb (default: embedded file under SHAREHOUSE_HOME) or postgresql://user@host:port/db.")
@click.option("--clear", is_flag=True, help="Show identity numbers, names and phones in clear instead of masked.")
def explain(person_key: str, warehouse_url: str | None, clear: bool) -> None:
    """Show a person's mentions and why each was linked to the key.

    Lists every mention (source, entity, batch, record, role, position,
    identifiers, evidence) with the rule or the fields that agreed and their
    match weights, then the key's merge and split history. Reads the
    restricted identity schema: a steward's tool.
    """
    from ingest.common.warehouse import connect
    from resolution.explain import explain_person

    click.echo("WARNING: reading restricted identity data (L3); for identity stewards only.", err=True)
    try:
        target = settings.warehouse(warehouse_url)
        with connect(target) as connection:
            explanation = explain_person(connection, person_key, clear=clear)
    except settings.SettingsError as error:
        raise click.ClickException(str(error)) from error
    if explanation.mentions.is_empty():
        raise click.ClickException(f"no mention holds person_key {person_key}")
    click.echo(f"person_key {person_key}: {explanation.mentions.height} mention(s)")
    for row in explanation.mentions.iter_rows(named=True):
        click.echo(
            f"- {row['source_system']}.{row['source_entity']} batch {row['batch_id']} record {row['record_key']} "
            f"{row['role']}#{row['position']}: id {row['id_number'] or '-'}, name {row['name'] or '-'}, "
            f"phone {row['phone'] or '-'}"
        )
        click.echo(f"    {row['evidence']}: {row['why']}")
    for row in explanation.history.iter_rows(named=True):
        click.echo(f"history {row['changed_at']}: {row['change']} {row['from_key']} -> {row['to_key']} "
                   f"({row['mentions']} mention(s)): {row['reason']}")


# -- demo -------------------------------------------------------------------------------


@main.command()
@click.option("--persons", type=click.IntRange(min=10), default=DEMO_PERSONS, show_default=True, help="Residents in the demo city.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed of the demo city.")
@click.option("--dir", "demo_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the demo's deliveries and warehouse [default: SHAREHOUSE_HOME/demo].")
def demo(persons: int, seed: int, demo_dir: Path | None) -> None:
    """Simulate a city, serve its civil-affairs API, run the pipeline, print a summary.

    Everything runs for real on this machine: the civil-affairs API is a real
    HTTP server on a loopback port with a bearer token, and the warehouse is an
    embedded DuckDB file.
    """
    from simulator.generate import simulate as generate
    from simulator.server import serve_civil_affairs
    from simulator.sources_file import write_sources_file

    demo_dir = (demo_dir or settings.home() / "demo").resolve()
    deliveries = demo_dir / "deliveries"
    warehouse_file = demo_dir / "warehouse.duckdb"
    for stale in (warehouse_file, warehouse_file.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)

    click.echo(f"1/4 Simulating a city of {persons:,} persons (seed {seed}) into {deliveries}")
    started = time.perf_counter()
    result = generate(deliveries, persons=persons, seed=seed, progress=lambda line: click.echo(f"    {line}"))
    click.echo(f"    done in {time.perf_counter() - started:.1f}s")

    token = os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
    os.environ[TOKEN_ENV] = token
    with serve_civil_affairs(deliveries / "civil_affairs", port=0, token=token) as server:
        sources = write_sources_file(deliveries / "sources.toml", deliveries, server.base_url)
        click.echo(f"2/4 Civil-affairs API serving on {server.base_url} (bearer token in {TOKEN_ENV})")
        click.echo("3/4 Running the pipeline (Dagster job `sharehouse`) on embedded DuckDB")
        report = _run(sources, f"duckdb:///{warehouse_file}")

    click.echo("4/4 Generating dbt docs")
    docs_ok = _dbt_docs(report.warehouse)
    _print_summary(report.warehouse)
    click.echo("")
    click.echo(f"Warehouse (DuckDB):  {warehouse_file}")
    click.echo(f"Deliveries:          {deliveries}  (sources file {sources})")
    click.echo(f"Ground truth:        {result.truth_dir}")
    from quality.docs import data_docs_index

    docs_index = data_docs_index(settings.quality_docs_dir())
    if docs_index.exists():
        click.echo(f"Quality data docs:   {docs_index}")
    # The hints name the environment's own executables so they work whether or
    # not uv is on PATH (./dev may have installed it under .tools/).
    bin_dir = Path(sys.executable).parent
    click.echo(f"Dagster UI:          DAGSTER_HOME={settings.dagster_home()} SHAREHOUSE_SOURCES={sources} "
               f"SHAREHOUSE_WAREHOUSE_URL=duckdb:///{warehouse_file} {bin_dir / 'dagster'} dev -m orchestration.definitions")
    if docs_ok:
        click.echo(f"dbt docs:            SHAREHOUSE_DUCKDB_PATH={warehouse_file} {bin_dir / 'dbt'} docs serve "
                   f"--project-dir dbt_project --profiles-dir dbt_project --port 8081")
    click.echo(f"Query it:            {bin_dir / 'python'} -c \"import duckdb; print(duckdb.connect('{warehouse_file}', read_only=True)"
               ".sql('select * from marts.mart_population_monthly limit 10'))\"")
    if not report.success:
        sys.exit(1)


def _dbt_docs(target: settings.Warehouse) -> bool:
    """Generate the dbt docs site for the warehouse; say where it went."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "docs", "generate", "--quiet", "--project-dir", str(settings.DBT_PROJECT_DIR),
               "--profiles-dir", str(settings.DBT_PROJECT_DIR), "--target", target.dbt_target(settings.current())]
    completed = subprocess.run(command, env={**os.environ, **target.dbt_env()}, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        click.echo(f"    dbt docs generate failed:\n{completed.stdout}{completed.stderr}", err=True)
        return False
    click.echo(f"    written to {settings.DBT_PROJECT_DIR / 'target' / 'index.html'}")
    return True


# -- dashboards -------------------------------------------------------------------------


@main.group()
def dashboards() -> None:
    """Superset with the dashboards under dashboards/, in its own virtual environment.

    Superset needs SQLAlchemy 1.4, so it lives in .superset/venv (built from
    dashboards/requirements-superset.txt), never in the pipeline's environment.
    Secrets come from the environment: SUPERSET_SECRET_KEY,
    SUPERSET_ADMIN_USER and SUPERSET_ADMIN_PASSWORD (development defaults,
    refused when SHAREHOUSE_ENV=prod).
    """


_WAREHOUSE_OPTION = click.option(
    "--warehouse", "warehouse_url", default=None,
    help="Warehouse the dashboards read: duckdb:///path.duckdb (default: SHAREHOUSE_WAREHOUSE_URL or the embedded "
         "file) or postgresql://user@host:port/db.",
)


def _superset():
    from dashboards.bootstrap import Superset

    return Superset(progress=click.echo)


def _bootstrap(warehouse_url: str | None):
    from dashboards.bootstrap import SupersetError
    from dashboards.bundle import BundleError
    from dashboards.warehouse import WarehouseBusy

    try:
        target = settings.warehouse(warehouse_url)
        started = time.perf_counter()
        report = _superset().bootstrap(target)
    except (settings.SettingsError, SupersetError, BundleError, WarehouseBusy, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items())
    click.echo(f"Superset bootstrapped in {time.perf_counter() - started:.1f}s ({steps})")
    click.echo(f"Dashboards: {', '.join(report.dashboards)}; warehouse for Superset: {report.marts_uri}")
    return report


@dashboards.command("install")
def dashboards_install() -> None:
    """Create or refresh Superset's virtual environment (skipped when up to date)."""
    from dashboards.bootstrap import SupersetError

    try:
        _superset().ensure_venv()
    except SupersetError as error:
        raise click.ClickException(str(error)) from error


@dashboards.command("bootstrap")
@_WAREHOUSE_OPTION
def dashboards_bootstrap(warehouse_url: str | None) -> None:
    """Install Superset if needed, set up its metadata, roles and admin, import every dashboard.

    Idempotent: run it again after changing dashboards/ or rebuilding the
    warehouse. On DuckDB it first publishes the analytics marts to the
    read-only file Superset reads (SHAREHOUSE_HOME/superset/published_marts.duckdb).
    """
    _bootstrap(warehouse_url)


@dashboards.command("serve")
@_WAREHOUSE_OPTION
@click.option("--port", type=click.IntRange(1, 65535), default=8088, show_default=True, help="Loopback port to serve on.")
@click.option("--skip-bootstrap", is_flag=True, help="Serve what the last bootstrap set up, without re-importing.")
def dashboards_serve(warehouse_url: str | None, port: int, skip_bootstrap: bool) -> None:
    """Bootstrap Superset, then serve it on 127.0.0.1:PORT until interrupted."""
    from dashboards.bootstrap import SupersetError

    if not skip_bootstrap:
        _bootstrap(warehouse_url)
    superset = _superset()
    try:
        process = superset.start(port=port)
    except SupersetError as error:
        raise click.ClickException(str(error)) from error
    environment = superset.environment()
    click.echo(f"Superset is serving on http://127.0.0.1:{port}/ (admin user {environment['SUPERSET_ADMIN_USER']!r}); Ctrl-C stops it")
    click.echo("Add viewers with: sharehouse dashboards add-user NAME --role leadership")
    # Stop Superset with this command: Ctrl-C, or a TERM from a service manager
    # (a background job would otherwise leave gunicorn running on its own).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process.wait()
    except KeyboardInterrupt:
        click.echo("Stopping Superset")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@dashboards.command("add-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["leadership", "analyst"]), required=True,
              help="leadership: views the dashboards only; analyst: also explores datasets and queries the marts in SQL Lab.")
@click.option("--password", envvar="SHAREHOUSE_SUPERSET_USER_PASSWORD", prompt=True, hide_input=True,
              confirmation_prompt=True, help="The user's password (prompted; or SHAREHOUSE_SUPERSET_USER_PASSWORD).")
def dashboards_add_user(username: str, role: str, password: str) -> None:
    """Create a Superset user with a sharehouse role, or reset its password and role."""
    from dashboards.bootstrap import SupersetError

    try:
        _superset().add_user(username, role, password)
    except SupersetError as error:
        raise click.ClickException(str(error)) from error


@dashboards.command("check")
@_WAREHOUSE_OPTION
def dashboards_check(warehouse_url: str | None) -> None:
    """Check the dashboards under dashboards/ against the warehouse, without Superset."""
    from dashboards import bundle, warehouse
    from dashboards.bundle import BundleError

    try:
        target = settings.warehouse(warehouse_url)
        loaded = bundle.load()
        with warehouse.reader(target) as reader:
            problems = [problem for dashboard in loaded.dashboards() for problem in warehouse.check_dashboard(dashboard, reader)]
    except (settings.SettingsError, BundleError, warehouse.WarehouseBusy, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
    for dashboard in loaded.dashboards():
        marts = ", ".join(f"{schema}.{table}" for schema, table in dashboard.marts)
        click.echo(f"{dashboard.slug} 「{dashboard.title}」: {len(dashboard.charts)} charts over {marts}")
    if problems:
        raise click.ClickException("the dashboards do not fit the warehouse:\n  " + "\n  ".join(problems))
    click.echo("Every dataset, column, metric and chart fits the warehouse.")


if __name__ == "__main__":
    main()
