"""Fault injection: kill a sweep mid-way, damage its store, resume; nothing is lost or stale.

`adoption compare` runs as a real process with a worker pool. At a seeded moment
(after a seeded number of stored runs) it gets SIGINT, SIGTERM or SIGKILL; then one
shard is truncated and another overwritten, as a disk fault or a careless hand
would. The resumed sweep must equal an uninterrupted one, and no worker may outlive
its killed parent by more than a few seconds.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from adoption import SerialExecutor, compare
from tests.conftest import interruptible

pytestmark = pytest.mark.slow

OVERRIDES = ["organisation.employees=100", "horizon_days=40"]
PLANS = ["big-bang", "pilot-10"]
REPLICATIONS = 60
"""Enough runs that a sweep interrupted at no more than a quarter of them still has
seconds of work left when the signal comes, also on a busy machine (at 30, a loaded
full suite once saw the whole sweep end before the SIGINT landed)."""
SEED = 11
WORKER_GRACE_S = 5.0


def sweep_api(out: Path):
    return compare(
        None,
        PLANS,
        replications=REPLICATIONS,
        seed=SEED,
        executor=SerialExecutor(),
        overrides=OVERRIDES,
        out=out,
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    sweep_api(out)
    return out


def children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc; Linux)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def shards(out: Path) -> list[Path]:
    folder = out / "runs"
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize(
    "which", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name
)
def test_killed_damaged_and_resumed_sweep_equals_an_uninterrupted_one(which, reference, tmp_path):
    rng = random.Random(f"{SEED}-{which.name}")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "adoption", "compare", "--out", str(out)]
    command += [arg for item in OVERRIDES for arg in ("--set", item)]
    command += ["--plans", ",".join(PLANS), "--replications", str(REPLICATIONS)]
    command += ["--seed", str(SEED), "--workers", "2"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=interruptible,
    )
    stored_before_kill = rng.randint(2, REPLICATIONS // 2)  # of 2 × REPLICATIONS
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(shards(out)) < stored_before_kill and process.poll() is None:
        assert time.monotonic() < deadline, "the sweep stored nothing in two minutes"
        workers |= children(process.pid)
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.2))
    workers |= children(process.pid)
    assert process.poll() is None, "the sweep finished before it could be interrupted"
    assert len(shards(out)) < 2 * REPLICATIONS, "every run was stored before the signal"
    os.kill(process.pid, which)
    _, err = process.communicate(timeout=60)
    killed_at = time.monotonic()
    if which == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130, err.decode()
        assert err.decode().strip().splitlines()[-1] == "adoption: interrupted"
        assert "Traceback" not in err.decode()
    assert workers, "no worker processes were seen"
    while any(alive(pid) for pid in workers) and time.monotonic() - killed_at < WORKER_GRACE_S:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)], "workers outlived their parent"

    stored = shards(out)
    assert len(stored) < 2 * REPLICATIONS
    truncated, overwritten = rng.sample(stored, 2)
    truncated.write_bytes(truncated.read_bytes()[: rng.randint(0, 200)])
    overwritten.write_bytes(os.urandom(300))

    resumed = sweep_api(out)
    assert resumed.reused <= len(stored) - 2
    for name in ("runs.parquet", "summary.csv", "paired.csv", "risk.csv"):
        read = pd.read_parquet if name.endswith(".parquet") else pd.read_csv
        pd.testing.assert_frame_equal(read(out / name), read(reference / name), obj=name)
