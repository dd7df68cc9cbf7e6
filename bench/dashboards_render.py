"""Time each dashboard's full render in headless Chromium and capture its chart data requests.

Run by ``bench/dashboards.py`` with the interpreter of the Playwright
environment the browser test builds (``.superset/playwright-venv``), never
imported by the pipeline::

    python bench/dashboards_render.py --base-url http://127.0.0.1:PORT --username U \\
        --dashboard security_trends:7 --dashboard data_quality:6 --repeat 3

The password comes from ``SHAREHOUSE_BROWSER_PASSWORD``. A dashboard is
rendered when every chart it places has drawn (a canvas, table rows or a big
number) or shown an error or empty state, and none is loading; the time runs
from navigation until then, with no wait for animations. The first visit of
each dashboard warms Superset's and the browser's caches and is not counted.
Prints one JSON object: per dashboard the render seconds of the first visit
and of each counted visit, and the JSON body of every ``/api/v1/chart/data`` request the page made
(so the caller can replay the chart queries one by one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
# The same DOM as tests/dashboards/browser_check.py (Superset 6.1).
CHART = '[data-test="chart-grid-component"]'
BODY = '[data-test="chart-container"]'
LOADING = '[data-test="loading-indicator"], .loading'
ERROR = '.ant-alert-error, .ant-alert-warning, .alert-danger, .error-alert, [data-test="error-tooltip"]'
EMPTY = '.ant-empty, [data-test="empty-state"]'
DRAWN = f"{BODY} canvas, {BODY} table tbody tr, {BODY} .header-line"


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill('[data-test="username-input"]', username)
    page.fill('[data-test="password-input"]', password)
    page.click('[data-test="login-button"]')
    page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)


def settled(page: Page, expected: int) -> bool:
    charts = page.locator(CHART)
    if charts.count() < expected or page.locator(f"{CHART} {LOADING}").count():
        return False
    return all(charts.nth(i).locator(f"{DRAWN}, {ERROR}, {EMPTY}").count() for i in range(charts.count()))


def render(page: Page, base_url: str, slug: str, expected: int, timeout: float) -> tuple[float, list[dict]]:
    """Open a dashboard, wait until every chart has drawn; return the seconds and the chart data requests."""
    requests: list[dict] = []

    def record(request) -> None:
        if "/api/v1/chart/data" in request.url and request.method == "POST":
            try:
                requests.append(json.loads(request.post_data or "{}"))
            except json.JSONDecodeError:
                pass

    page.on("request", record)
    started = time.monotonic()
    page.goto(f"{base_url}/superset/dashboard/{slug}/")
    deadline = started + timeout
    while not settled(page, expected):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{slug}: charts still loading after {timeout:.0f} s")
        page.wait_for_timeout(50)
    seconds = time.monotonic() - started
    page.remove_listener("request", record)
    return seconds, requests


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--dashboard", action="append", required=True, help="SLUG:CHARTS; repeat for every dashboard")
    parser.add_argument("--repeat", type=int, default=3, help="counted visits per dashboard (after one warm-up)")
    parser.add_argument("--chromium", default=os.environ.get("SHAREHOUSE_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    report: dict = {"dashboards": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
        page = context.new_page()
        log_in(page, base_url, args.username, os.environ["SHAREHOUSE_BROWSER_PASSWORD"])
        for spec in args.dashboard:
            slug, charts = spec.rsplit(":", 1)
            first, requests = render(page, base_url, slug, int(charts), args.timeout)  # warm-up
            seconds = [render(page, base_url, slug, int(charts), args.timeout)[0] for _ in range(args.repeat)]
            report["dashboards"].append({"slug": slug, "first_seconds": first, "seconds": seconds, "chart_requests": requests})
        browser.close()
    json.dump(report, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
