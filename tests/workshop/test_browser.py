"""The workshop in a real headless Chromium (Debian's, driven by Playwright).

One walk through a session as a facilitator would run it: load the page, change a
lever, run two plans, see curves and the verdict, cancel a run, pin and compare,
export the report, upload a bad org chart, step the live model. Every request the
page makes is checked to stay on 127.0.0.1 (any other is blocked and fails the
test). The screenshots of docs/workshop.md are taken here, so they stay current.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO
from tests.workshop.serving import start, stop

CHROMIUM = os.environ.get("ADOPTION_CHROMIUM", "/usr/bin/chromium")
FIGURES = REPO / "docs" / "figures"

pytestmark = pytest.mark.slow


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("ADOPTION_NO_CHROMIUM"):  # .ci/run tried to install it, and could not
        pytest.skip(f"no chromium: {os.environ['ADOPTION_NO_CHROMIUM']}")
    if os.environ.get("CI"):
        pytest.fail("no /usr/bin/chromium in CI: .ci/run installs it with apt-get")
    pytest.skip("no chromium here (apt-get install -y chromium); the browser tests need one")


@pytest.fixture(scope="module")
def server():
    process, address = start(
        "--workers", "2", "--set", "organisation.employees=300", "--set", "horizon_days=365"
    )
    yield address
    stop(process)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--disable-background-networking", "--no-first-run", "--disable-sync"],
        )
        yield launched
        launched.close()


def _local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname == "127.0.0.1"


def _set_lever(page, path: str, value: str) -> None:
    control = page.get_by_label(path, exact=True)
    group = control.locator("xpath=ancestor::details[1]")
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    control.fill(value)
    control.dispatch_event("change")


def _run(page, plans: list[str], replications: int) -> None:
    for box in page.locator("input[name=plan]").all():
        box.set_checked(box.get_attribute("value") in plans)
    page.fill("#replications", str(replications))
    page.click("#run")


def _wait_state(page, states: tuple[str, ...], timeout_s: float = 90) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = page.text_content("#status") or ""
        if text in states:
            return text
        page.wait_for_timeout(200)
    raise AssertionError(
        f"status stayed {page.text_content('#status')!r}: {page.text_content('#progress-text')}"
    )


def _wait_text(page, selector: str, condition, timeout_s: float = 60) -> str:
    """Wait until the element's text meets `condition` (polled from Python: the page's
    Content-Security-Policy forbids the string evaluation wait_for_function uses)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = page.text_content(selector) or ""
        if condition(text):
            return text
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} stayed {page.text_content(selector)!r}")


def test_a_workshop_session_in_a_browser(server, browser, tmp_path):
    FIGURES.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    outside: list[str] = []
    requests: list[str] = []

    def guard(route):
        if _local(route.request.url):
            route.continue_()
        else:  # never let a request leave this machine; remember it to fail the test
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    started = time.monotonic()
    page.goto(server)
    page.wait_for_selector("details.group")

    # a lever, in the source's words, with its unit, range and explanation
    _set_lever(page, "tool.production_accuracy", "0.8")
    lever = page.locator(".lever[data-path='tool.production_accuracy']")
    assert "range 0 to 1" in lever.text_content()
    assert "changed" in lever.get_attribute("class")
    page.screenshot(path=str(FIGURES / "workshop-levers.png"))

    # two plans: curves and the verdict appear as runs arrive, then the run completes
    _run(page, ["big-bang", "pilot-10"], 5)
    page.wait_for_selector("#curves svg", timeout=90_000)
    assert _wait_state(page, ("done",)) == "done"
    assert "comes first" in page.text_content("#verdict")
    assert page.locator("#ranking tr").count() == 3
    first_run_s = time.monotonic() - started
    page.click("#details-button")
    page.wait_for_selector("#details:not([hidden]) #gates table")
    page.screenshot(path=str(FIGURES / "workshop-results.png"), full_page=True)

    # export the report of what is on screen
    with page.expect_download() as download:
        page.click("#export-report")
    report = Path(download.value.path()).read_text()
    assert "<html" in report.lower() and "big-bang" in report

    # pin as A, change a lever, run again: B over A and their paired difference
    page.click("#pin")
    _set_lever(page, "tool.production_accuracy", "0.9")
    _run(page, ["big-bang", "pilot-10"], 5)
    _wait_state(page, ("done",))
    page.wait_for_selector("#pinned-box:not([hidden]) table")
    assert "B − A" in page.text_content("#pinned")
    page.locator("#pinned-box").scroll_into_view_if_needed()
    page.screenshot(path=str(FIGURES / "workshop-pinned.png"))

    # cancel a long run
    _run(page, ["big-bang", "pilot-10", "phased"], 200)
    page.wait_for_selector("#cancel:not([disabled])")
    page.click("#cancel")
    assert _wait_state(page, ("cancelled",), 30) == "cancelled"

    # a bad org chart says what is wrong, in the CLI's words
    page.set_input_files(
        "#org-chart-file",
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"employee_id\na\n"}],
    )
    _wait_text(page, "#load-error", bool)
    assert "bad.csv: missing column(s)" in page.text_content("#load-error")

    # the live model, stepped day by day, with its network coloured by state
    page.select_option("#live-plan", "big-bang")
    page.click("#live-start")
    page.wait_for_selector("#live-network-view svg")
    page.click("#live-step")
    _wait_text(page, "#live-day", lambda text: "day 1 " in text)
    page.click("#live-play")
    _wait_text(page, "#live-day", lambda text: float(text.split("day ")[1].split()[0]) >= 40)
    page.click("#live-pause")
    page.wait_for_timeout(1000)  # the frame in flight lands
    page.locator("#live-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(FIGURES / "workshop-live.png"))

    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert requests and all(_local(url) for url in requests)
    print(f"first comparison done {first_run_s:.1f} s after loading the page")


def test_hostile_text_never_runs_as_script(browser, tmp_path):
    """A scenario whose name, description, plan descriptions and regions are markup,
    started with and uploaded into the app: shown as text, never run, in the page and
    in the exported report."""
    from tests.workshop.test_security import HOSTILE, hostile_scenario

    path = tmp_path / "hostile.yaml"
    path.write_text(hostile_scenario())
    process, address = start("--workers", "1", str(path))
    context = browser.new_context(accept_downloads=True)
    requests: list[str] = []
    dialogs: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(address)
        page.wait_for_selector("details.group")
        assert HOSTILE in page.text_content("#scenario-name")  # as text
        assert HOSTILE in (page.get_attribute("#plans label", "title") or "")
        page.set_input_files(
            "#scenario-file",
            files=[{"name": "again.yaml", "mimeType": "text/yaml", "buffer": path.read_bytes()}],
        )
        _wait_text(page, "#load-note", lambda text: "again.yaml" in text)
        _run(page, ["big-bang", "pilot-10"], 2)
        _wait_state(page, ("done",))
        page.click("#details-button")
        page.wait_for_selector("#details:not([hidden]) #regions table")
        assert HOSTILE in page.text_content("#regions")
        page.click("#live-start")
        page.wait_for_selector("#live-network-view svg")
        with page.expect_download() as download:
            page.click("#export-report")
        report = tmp_path / "report.html"
        download.value.save_as(report)
        assert page.evaluate("window.pwned") is None
        shown = context.new_page()
        shown.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        shown.goto(report.as_uri())  # the report opened as a file: no CSP to help there
        assert HOSTILE in shown.text_content("body")
        assert shown.evaluate("window.pwned") is None
        assert not dialogs
        assert not [url for url in requests if urlparse(url).path.endswith("/x")]
    finally:
        context.close()
        stop(process)
