"""Open a report in headless Chromium (Debian's package, driven by Playwright) with every request but the file's blocked.

The browser is the system's `chromium`, never a build Playwright downloads. It starts with the flags this closed
network needs (no background, component-update, sync or QUIC connections) and a fresh profile per session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sources.numbers import format_number, format_vnd

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def chromium_context():
    """Yield a Playwright browser context on the system Chromium; skip (or fail, under DKPI_REQUIRE_BROWSER) without it."""
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)"
        if os.environ.get("DKPI_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}, and DKPI_REQUIRE_BROWSER says the browser tests must run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="dkpi-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1366, "height": 900}, locale="vi-VN",
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class OpenedReport:
    """A report loaded in a page, with everything the page tried to do."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.page.close()


def open_report(context, path: Path) -> OpenedReport:
    """Load the report file, blocking every other request, and wait until its charts are drawn."""
    page = context.new_page()
    opened = OpenedReport(page, Path(path).resolve().as_uri())

    def route(route):
        opened.requests.append(route.request.url)
        if route.request.url == opened.url:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def dialog(dialog):
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.route("**/*", route)
    page.on("console", lambda message: opened.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    page.on("dialog", dialog)
    page.goto(opened.url, wait_until="load")
    # a selector wait, not wait_for_function: the page's CSP forbids the eval Playwright would use for one
    page.wait_for_selector("html[data-charts-drawn]", state="attached", timeout=30_000)
    return opened


def assert_offline_and_quiet(opened: OpenedReport) -> None:
    """The page asked for nothing but itself and logged no error or warning."""
    assert opened.requests == [opened.url]
    assert [m for m in opened.console if m[0] in ("error", "warning")] == []
    assert opened.page_errors == []
    assert opened.dialogs == []


# For every canvas: its size, whether Chart.js has an instance on it, the datasets it reports and how many of
# its pixels were painted.
CHART_STATE = """() => Array.from(document.querySelectorAll('canvas')).map(canvas => {
  const chart = Chart.getChart(canvas);
  const box = canvas.getBoundingClientRect();
  // read the pixels from a copy, so probing leaves the report's own canvas (and its console) alone
  const probe = document.createElement('canvas');
  probe.width = canvas.width;
  probe.height = canvas.height;
  const context = probe.getContext('2d', {willReadFrequently: true});
  context.drawImage(canvas, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) painted += 1; }
  return {
    id: canvas.id, chart: canvas.dataset.chart, kind: canvas.dataset.kind, width: box.width, height: box.height,
    painted: painted,
    labels: chart ? chart.data.labels : null,
    datasets: chart ? chart.data.datasets.map((d, i) => ({
      label: d.label, data: d.data, elements: chart.getDatasetMeta(i).data.length,
      drawnBars: chart.getDatasetMeta(i).data.filter(e => e.height !== undefined && Math.abs(e.height) > 0).length,
    })) : null,
  };
})"""


def chart_state(opened: OpenedReport) -> list[dict]:
    """Describe every chart canvas of the page."""
    return opened.page.evaluate(CHART_STATE)


def assert_charts_drawn(opened: OpenedReport) -> list[dict]:
    """Every canvas carries a Chart.js chart with its series, has a size and was painted."""
    charts = chart_state(opened)
    assert charts, "the report has no chart"
    assert opened.page.get_attribute("html", "data-charts-drawn") == str(len(charts))
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 100, chart["id"]
        assert chart["datasets"], f"{chart['id']}: no Chart.js instance or no series"
        assert all(d["elements"] == len(chart["labels"]) for d in chart["datasets"]), chart["id"]
        assert chart["painted"] > 500, f"{chart['id']}: nothing painted"
    return charts


SCORECARD_CELLS = """() => Array.from(document.querySelectorAll('section.district')).flatMap(section =>
  Array.from(section.querySelectorAll('table.scorecard tbody tr')).map(row => {
    const cells = {district: section.dataset.district, metric: row.dataset.metric};
    row.querySelectorAll('td[data-field]').forEach(td => {
      const value = td.querySelector('.value');
      cells[td.dataset.field] = (value || td).textContent.trim().replace(/\\s+/g, ' ');
    });
    return cells;
  }))"""


def scorecard_cells(opened: OpenedReport) -> dict[tuple[str, str], dict]:
    """The scorecard as the browser shows it: (district, metric) -> field -> text."""
    return {(row["district"], row["metric"]): row for row in opened.page.evaluate(SCORECARD_CELLS)}


def expected_scorecard(wh) -> dict[tuple[str, str], dict]:
    """What the scorecard must show, read from kpi_latest and written with the Vietnamese number formatters."""
    result = wh.query(
        "select latest.district, latest.metric, latest.unit, metrics.is_additive, latest.month_start, latest.value,"
        " latest.ytd_value, latest.mom_pct, latest.yoy_pct, latest.ytd_yoy_pct, latest.pct_of_plan"
        " from kpi_latest as latest join dim_metric as metrics using (metric)"
    )
    expected = {}
    for district, metric, unit, additive, month, value, ytd, mom, yoy, ytd_yoy, plan in result.rows:
        expected[(district, metric)] = {
            "month": month.strftime("%m/%Y"),
            "value": _amount(value, unit),
            "ytd_value": _amount(ytd, unit) if additive else "—",
            "mom_pct": _change(mom),
            "yoy_pct": _change(yoy),
            "ytd_yoy_pct": _change(ytd_yoy) if additive else "—",
            "pct_of_plan": "—" if plan is None else f"{format_number(plan)}%",
        }
    return expected


def _amount(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "VND":
        return format_vnd(value, currency=True)
    return f"{format_number(value)}%" if unit == "percent" else format_number(value)


def _change(value) -> str:
    if value is None:
        return "—"
    return f"{'+' if round(value, 2) > 0 else ''}{format_number(value)}%"


def screenshot(opened: OpenedReport, name: str) -> Path:
    """Keep a full-page screenshot under tests/artifacts/ (git-ignored) and say where it is."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    opened.page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
