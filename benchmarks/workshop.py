"""How soon the workshop shows curves after Run, how soon Cancel returns, and how many
frames a second the live view plays.

    python benchmarks/workshop.py                    # 5,000 people, 3 plans × 20, 2 workers
    python benchmarks/workshop.py --employees 300 --replications 2 --repeats 1
    python benchmarks/workshop.py --live             # the live view only, 5,000 people
    python benchmarks/workshop.py --live --browser   # ... and as drawn in Debian's chromium

Starts `adoption workshop` as a user would, on a free local port, and drives its HTTP
API as the page does (a session, its CSRF token, asking /api/job 500 ms after each
answer, as app.js does).
Targets (issue 20): first curves at most 2 s after Run on a warm pool, Cancel at
most 1 s; (issue 22) the live view at least 5 frames a second at 5,000 people, one
day a frame, each frame sent as data (its bytes are reported). `--browser` plays it in
a real page, which draws each frame on a canvas, and reads the page's own frame counter.
Measured: a Run on a pool still starting (the first after the app starts),
Runs on the warm pool, Cancel of a Run that is going, and Cancel of the first Run
while the workers start.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_table

PLANS = ["big-bang", "pilot-10", "regional-pilot"]
POLL_S = 0.5
"""Seconds between an answer and the next ask, as the page's poll loop (app.js)."""


class Tab:
    """One browser tab's requests to a running workshop."""

    def __init__(self, address: str) -> None:
        self.address = address.rstrip("/")
        self.headers: dict[str, str] = {}
        self.views_version = ""  # the views this tab has: not sent again, as for the page
        tab = self.call("/api/session", {})
        self.headers = {"x-session": tab["session"], "x-csrf": tab["csrf"]}

    def call(self, path: str, payload: dict | None = None) -> dict:
        data = None if payload is None else json.dumps(payload).encode()
        headers = {"content-type": "application/json", **self.headers}
        request = urllib.request.Request(self.address + path, data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def run(self, replications: int) -> float:
        self.call("/api/run", {"plans": PLANS, "replications": replications})
        return time.perf_counter()

    def until(self, condition, timeout_s: float = 600) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            have = f"?have={urllib.parse.quote(self.views_version)}" if self.views_version else ""
            job = self.call("/api/job" + have)
            if "views" in job:
                self.views_version = job["views"]["version"]
            if condition(job):
                return job
            if job["state"] in ("done", "failed", "cancelled"):
                raise RuntimeError(f"the Run ended without getting there: {_brief(job)}")
            time.sleep(POLL_S)
        raise TimeoutError(f"the workshop did not get there: {_brief(job)}")


def serve(employees: int, workers: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "adoption", "workshop", "--port", "0", "--workers", str(workers),
         "--set", f"organisation.employees={employees}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    found = re.search(r"open (http://\S+)", process.stdout.readline())
    if found is None:
        process.kill()
        raise SystemExit("the workshop printed no address")
    return process, found.group(1)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(2)
    process.wait(30)


def timed_run(tab: Tab, replications: int) -> dict:
    """Seconds from Run to the first curves and to the last run."""
    started = tab.run(replications)
    # the first curves of this Run (until they come, the tab keeps showing the last one's)
    tab.until(lambda job: job.get("shown_job") == job["id"])
    first = time.perf_counter() - started
    job = tab.until(lambda job: job["state"] not in ("queued", "running"))
    return {"first": first, "all": time.perf_counter() - started, "runs": job["done"]}


CANCEL_AFTER_RUNS = 8
"""Runs a going Run has made when Cancel comes: more than the first comparison's, so
that the cancelled comparison is built and drawn anew before the page has it (the
costly case; a Cancel right after the first run finds it drawn already)."""


def timed_cancel(tab: Tab, replications: int, after_first_run: bool) -> float:
    """Seconds from Cancel to the page having the cancelled Run's partial comparison,
    drawn (of a Run ten times as long as the measured ones, so that it is still going
    when Cancel comes)."""
    tab.run(10 * replications)
    if after_first_run:
        tab.until(lambda job: job["done"] >= CANCEL_AFTER_RUNS)
    started = time.perf_counter()
    tab.call("/api/cancel", {})
    tab.until(lambda job: job["state"] == "cancelled")
    return time.perf_counter() - started


def live_frames(tab: Tab, seconds: float) -> dict:
    """Frames a second of the live model played as the page plays it: one day a frame,
    the next asked when the last has landed; and the bytes of a frame."""
    started = time.perf_counter()
    first = tab.call("/api/live/start", {"plan": "pilot-10"})
    start_s = time.perf_counter() - started
    frames, size, began = 0, 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        data = json.dumps({"days": 1}).encode()
        headers = {"content-type": "application/json", **tab.headers}
        request = urllib.request.Request(tab.address + "/api/live/step", data, headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        frames, size = frames + 1, max(size, len(body))
        if json.loads(body)["finished"]:
            break
    return {
        "fps": frames / (time.perf_counter() - began),
        "bytes": size,
        "start_s": start_s,
        "layout_bytes": len(json.dumps(first["layout"])),
    }


def browser_frames(address: str, seconds: float) -> float:
    """Frames a second the page itself counts while it plays the live model in Debian's
    chromium (each frame fetched, then drawn on its canvases)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(address)
        page.wait_for_selector("#key-levers .lever")
        page.select_option("#live-plan", "pilot-10")
        page.click("#live-start")
        page.wait_for_selector("#live-play:not([disabled])", timeout=120_000)
        page.click("#live-play")
        page.wait_for_timeout(seconds * 1000)
        shown = page.text_content("#live-fps") or ""
        browser.close()
    return float(shown.split()[0])


def live_main(args: argparse.Namespace) -> None:
    process, address = serve(args.employees, args.workers)
    rows = []
    try:
        measured = live_frames(Tab(address), args.seconds)
        rows.append(
            {
                "what": "live model start (org, model, layout)",
                "value": f"{measured['start_s']:.2f} s",
            }
        )
        rows.append(
            {"what": "team layout sent once", "value": f"{measured['layout_bytes']:,} bytes"}
        )
        rows.append(
            {
                "what": "live frames a second (HTTP, one day a frame)",
                "value": f"{measured['fps']:.1f}",
            }
        )
        rows.append({"what": "largest frame", "value": f"{measured['bytes']:,} bytes"})
        if args.browser:
            fps = browser_frames(address, args.seconds)
            rows.append({"what": "live frames a second drawn in chromium", "value": f"{fps:.1f}"})
    finally:
        stop(process)
    print_table(rows, [("what", "measure"), ("value", "value")])
    print(f"{args.employees:,} people, {args.seconds:g} s of play")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000, help="headcount (default 5000)")
    parser.add_argument("--replications", type=int, default=20, help="runs per plan (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="warm worker processes (default 2)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="warm Runs and Cancels timed (default 3)"
    )
    parser.add_argument("--live", action="store_true", help="measure the live view only")
    parser.add_argument(
        "--browser", action="store_true", help="with --live: also as drawn in chromium"
    )
    parser.add_argument(
        "--seconds", type=float, default=10, help="with --live: seconds of play (default 10)"
    )
    args = parser.parse_args()
    if args.live:
        live_main(args)
        return
    rows = []

    process, address = serve(args.employees, args.workers)
    try:  # Cancel of the very first Run, while the workers are still starting
        starting = timed_cancel(Tab(address), args.replications, after_first_run=False)
    finally:
        stop(process)
    process, address = serve(args.employees, args.workers)
    try:
        tab = Tab(address)
        cold = timed_run(tab, args.replications)
        rows.append({"what": "first curves, pool still starting", "s": f"{cold['first']:.2f}"})
        rows.append({"what": "whole Run, pool still starting", "s": f"{cold['all']:.2f}"})
        warm = [timed_run(tab, args.replications) for _ in range(args.repeats)]
        firsts = sorted(w["first"] for w in warm)
        rows.append({"what": "first curves, warm pool (median)", "s": f"{_median(firsts):.2f}"})
        rows.append({"what": "first curves, warm pool (worst)", "s": f"{firsts[-1]:.2f}"})
        whole = _median(sorted(w["all"] for w in warm))
        rows.append({"what": "whole Run, warm pool (median)", "s": f"{whole:.2f}"})
        cancels = sorted(
            timed_cancel(tab, args.replications, after_first_run=True) for _ in range(args.repeats)
        )
        rows.append({"what": "Cancel of a going Run (worst)", "s": f"{cancels[-1]:.2f}"})
        rows.append({"what": "Cancel while the workers start", "s": f"{starting:.2f}"})
        after = timed_run(tab, args.replications)
        rows.append(
            {"what": "first curves, Run right after a Cancel", "s": f"{after['first']:.2f}"}
        )
    finally:
        stop(process)
    print_table(rows, [("what", "measure"), ("s", "seconds")])
    runs = len(PLANS) * args.replications
    print(f"{args.employees:,} people, {len(PLANS)} plans × {args.replications} replications "
          f"= {runs} runs, {args.workers} workers")  # fmt: skip


def _brief(job: dict) -> dict:
    return {key: value for key, value in job.items() if key != "views"}


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


if __name__ == "__main__":
    main()
