"""Start `adoption workshop` as a real subprocess on a free local port."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import interruptible


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """The server process and the address it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "adoption", "workshop", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,  # test_serve stops it with Ctrl-C
    )
    line = process.stdout.readline()
    found = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
    if found is None:
        process.kill()
        raise AssertionError(f"no address printed: {line!r} {process.stderr.read()}")
    return process, found.group(1)


TABS: dict[str, dict[str, str]] = {}
"""The session each server address gave this test process (one tab per server)."""


def _call(address: str, path: str, payload=None, headers=None):
    data = None if payload is None else json.dumps(payload).encode()
    sent = {"content-type": "application/json", **(headers or {})}
    call = urllib.request.Request(address.rstrip("/") + path, data=data, headers=sent)
    with urllib.request.urlopen(call, timeout=30) as response:
        return json.loads(response.read())


def request(address: str, path: str, payload=None):
    """A request as the page makes it: in this process's tab, with its CSRF token."""
    if address not in TABS:
        TABS[address] = _call(address, "/api/session", {})
    tab = TABS[address]
    return _call(address, path, payload, {"x-session": tab["session"], "x-csrf": tab["csrf"]})


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def wait_until(condition, timeout_s: float = 60.0, every_s: float = 0.2):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError("timed out")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(2)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, 9)
            process.wait()
