"""Open every dashboard in headless Chromium as one user; report what each chart showed.

Run by ``test_dashboards_browser.py`` with the interpreter of a test-only
virtual environment that holds Playwright (``requirements-browser.txt``), so
neither the pipeline's environment nor Superset's carries a browser driver.
Uses the system Chromium (Playwright's own browser download needs a network
these machines do not have)::

    python browser_check.py --base-url http://127.0.0.1:PORT --username U \\
        --out test-artifacts/dashboards --dashboard population_housing:5 ...

The password comes from ``SHAREHOUSE_BROWSER_PASSWORD``. Prints one JSON
report on stdout: per dashboard, per chart, whether it loaded, its error or
empty-state text, whether it drew anything, and the row count and shown
figures (numeric cells neither null nor 0) of every chart data request; plus the HTTP status of pages the user must not reach.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

# Superset 6.1's dashboard DOM (found on screenshots of working, failing and
# empty charts): a chart cell, its title, and what it draws.
CHART = '[data-test="chart-grid-component"]'
TITLE = '[data-test="slice-header"] [data-test="editable-title"]'
BODY = '[data-test="chart-container"]'
LOADING = '[data-test="loading-indicator"], .loading'
ERROR = '.ant-alert-error, .ant-alert-warning, .alert-danger, .error-alert, [data-test="error-tooltip"]'
EMPTY = '.ant-empty, [data-test="empty-state"]'
DRAWN = f"{BODY} canvas, {BODY} table tbody tr, {BODY} .header-line"

# Pages and API endpoints that only analysts and admins may reach.
FORBIDDEN_FOR_LEADERSHIP = ["/sqllab/", "/api/v1/dataset/", "/api/v1/database/", "/api/v1/query/", "/explore/?datasource_type=table&datasource_id=1"]


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill('[data-test="username-input"]', username)
    page.fill('[data-test="password-input"]', password)
    page.click('[data-test="login-button"]')
    page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)


def wait_for_charts(page: Page, expected: int, timeout: float) -> None:
    """Wait until the dashboard shows its charts and none is still loading."""
    deadline = time.monotonic() + timeout
    page.wait_for_selector(CHART, timeout=timeout * 1000)
    while time.monotonic() < deadline:
        charts = page.locator(CHART)
        if charts.count() >= expected and page.locator(f"{CHART} {LOADING}").count() == 0:
            settled = True
            for index in range(charts.count()):
                chart = charts.nth(index)
                if chart.locator(f"{DRAWN}, {ERROR}, {EMPTY}").count() == 0:
                    settled = False
            if settled:
                # ECharts animates its first frame in; let it finish before the screenshot.
                page.wait_for_timeout(1500)
                return
        page.wait_for_timeout(250)


def _figures(result: dict) -> int:
    """Count the numeric cells of a chart data result that show a figure (not null, not 0).

    Rows alone prove little: a month whose every cell is suppressed still
    comes back as a row of nulls and draws an empty axis. Superset types each
    column (``coltypes``: 0 numeric, 2 temporal), so month columns, numbers
    too, are left out.
    """
    numeric = [name for name, kind in zip(result.get("colnames") or [], result.get("coltypes") or []) if kind == 0]
    return sum(1 for row in result.get("data") or [] for name in numeric if row.get(name) not in (None, 0))


def check_dashboard(page: Page, base_url: str, slug: str, expected: int, out: Path, timeout: float) -> dict:
    data_requests: list[dict] = []

    def record(response) -> None:
        if "/api/v1/chart/data" not in response.url:
            return
        entry: dict = {"status": response.status}
        try:
            body = json.loads(response.request.post_data or "{}")
            entry["slice_id"] = (body.get("form_data") or {}).get("slice_id")
        except json.JSONDecodeError:
            entry["slice_id"] = None
        try:
            results = response.json().get("result", [])
            entry["rowcounts"] = [result.get("rowcount") for result in results]
            entry["figures"] = [_figures(result) for result in results]
        except Exception as error:  # noqa: BLE001 - a broken body is itself the finding
            entry["error"] = str(error)
        data_requests.append(entry)

    page.on("response", record)
    started = time.monotonic()
    response = page.goto(f"{base_url}/superset/dashboard/{slug}/")
    status = response.status if response else None
    header = page.locator('[data-test="dashboard-header-container"]')
    header.wait_for(timeout=timeout * 1000)
    title = header.locator('[data-test="editable-title-input"]').first.input_value().strip()
    wait_for_charts(page, expected, timeout)
    charts = []
    for index in range(page.locator(CHART).count()):
        chart = page.locator(CHART).nth(index)
        charts.append({
            "title": chart.locator(TITLE).first.inner_text().strip() if chart.locator(TITLE).count() else "",
            "loading": chart.locator(LOADING).count() > 0,
            "errors": [text.strip() for text in chart.locator(ERROR).all_inner_texts()],
            "empty": [text.strip() for text in chart.locator(EMPTY).all_inner_texts()],
            "drawn": chart.locator(DRAWN).count() > 0,
        })
    out.mkdir(parents=True, exist_ok=True)
    screenshot = out / f"{slug}.png"
    page.screenshot(path=str(screenshot), full_page=True)
    page.remove_listener("response", record)
    return {
        "slug": slug,
        "status": status,
        "title": title,
        "charts": charts,
        "data_requests": data_requests,
        "screenshot": str(screenshot),
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--dashboard", action="append", required=True,
                        help="SLUG:CHARTS (the charts it places); repeat for every dashboard")
    parser.add_argument("--out", required=True, type=Path, help="folder for the screenshots")
    parser.add_argument("--chromium", default=os.environ.get("SHAREHOUSE_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for one dashboard's charts")
    args = parser.parse_args(argv)
    password = os.environ["SHAREHOUSE_BROWSER_PASSWORD"]
    base_url = args.base_url.rstrip("/")
    report: dict = {"dashboards": [], "forbidden": {}, "console_errors": [], "outside_requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        page = context.new_page()

        # Nothing leaves the loopback server: Superset's page embeds an
        # analytics pixel, which must not be what a test depends on.
        def keep_local(route) -> None:
            if route.request.url.startswith(base_url):
                route.continue_()
            else:
                report["outside_requests"].append(route.request.url)
                route.abort()

        context.route("**/*", keep_local)
        page.on("console", lambda message: report["console_errors"].append(message.text) if message.type == "error" else None)
        log_in(page, base_url, args.username, password)
        for spec in args.dashboard:
            slug, charts = spec.rsplit(":", 1)
            report["dashboards"].append(check_dashboard(page, base_url, slug, int(charts), args.out, args.timeout))
        for path in FORBIDDEN_FOR_LEADERSHIP:
            report["forbidden"][path] = context.request.get(f"{base_url}{path}", max_redirects=0).status
        browser.close()
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
