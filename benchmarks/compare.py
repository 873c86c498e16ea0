"""Wall time of a comparison sweep, by executor and worker count.

    python benchmarks/compare.py                       # 5 plans x 100 replications
    python benchmarks/compare.py --replications 20 --workers 1 2 --dask
    python benchmarks/compare.py --workers 2 --without-counterfactuals

Target (issue 20): the default scenario, 5 plans × 100 replications over its whole
horizon (730 days), at most 20 s with 2 workers (issue 4 asked 60 s and its table said
365 days, but the runs have always taken the scenario's horizon). The five plans are
the ones the default scenario had then (`--plans` chooses others; the scenario has
added build-first since); a gated plan's runs bring their gate counterfactuals, as in
`adoption compare` (added after the target was set: `--without-counterfactuals` times
the runs alone, the workload the target was set for). Parallel efficiency is
serial-equivalent time over workers × wall time, against the 1-worker pool.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_reference, print_table

PLANS = ["big-bang", "pilot-10", "regional-pilot", "phased", "champions"]
"""The default scenario's plans when issue 20 set its target."""


def sweep(executor, plans: list[str], replications: int, counterfactuals: bool = True) -> float:
    """Seconds to compare `plans`; without `counterfactuals`, only the runs themselves
    (the workload when issue 20 was filed: the gates' counterfactual runs came later)."""
    import adoption
    from adoption.experiment.compare import run_design
    from adoption.experiment.design import design_runs
    from adoption.experiment.sampling import comparison_samples

    start = time.perf_counter()
    if counterfactuals:
        adoption.compare(None, plans, replications=replications, seed=0, executor=executor)
    else:
        scenario = adoption.load_scenario()
        worlds = comparison_samples(scenario.uncertainties, 1, 0)
        specs = design_runs(plans, worlds, replications, 0, per_world=False)
        run_design(scenario, specs, None, executor, regret=False)
    return time.perf_counter() - start


def local_dask(workers: int):
    """A scheduler and `workers` single-threaded worker processes on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = [str(Path(sys.executable).parent / "dask")]
    scheduler = subprocess.Popen(
        [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)
    worker = subprocess.Popen(
        [*dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from distributed import Client

    with Client(address) as client:
        client.wait_for_workers(workers, timeout=60)
    return address, (worker, scheduler)


def main() -> None:
    import adoption

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, help="runs per plan (default 100)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time (default 1 2)"
    )
    parser.add_argument("--dask", action="store_true", help="also through local Dask")
    parser.add_argument(
        "--plans", nargs="+", default=PLANS, help="plans to compare (default: the five of issue 20)"
    )
    parser.add_argument(
        "--without-counterfactuals",
        action="store_true",
        help="time the runs alone, without the gates' counterfactual runs (as when issue 20 "
        "set its targets)",
    )
    args = parser.parse_args()
    counterfactuals = not args.without_counterfactuals
    runs = len(args.plans) * args.replications
    rows, one_worker = [], None
    for workers in args.workers:
        seconds = sweep(
            adoption.PoolExecutor(workers), args.plans, args.replications, counterfactuals
        )
        one_worker = one_worker or seconds * workers
        rows.append(("process pool", workers, seconds))
    if args.dask:
        for workers in args.workers:
            address, processes = local_dask(workers)
            executor = adoption.DaskExecutor(address)
            try:
                seconds = sweep(executor, args.plans, args.replications, counterfactuals)
            finally:
                executor.close()
                for process in processes:
                    process.terminate()
                    process.wait()
            rows.append(("dask", workers, seconds))
    print_table(
        [
            {
                "executor": name,
                "workers": workers,
                "seconds": f"{seconds:.1f}",
                "runs_per_second": f"{runs / seconds:.2f}",
                "efficiency": f"{one_worker / (workers * seconds):.0%}",
            }
            for name, workers, seconds in rows
        ],
        [
            ("executor", "executor"),
            ("workers", "workers"),
            ("seconds", f"{runs} runs{'' if counterfactuals else ', no counterfactuals'} (s)"),
            ("runs_per_second", "runs/s"),
            ("efficiency", "parallel efficiency"),
        ],
    )
    print_reference()


if __name__ == "__main__":
    main()
