"""The threshold rule against peers: a plain per-agent Mesa model and NDlib.

    pip install -e ".[peers]"
    python benchmarks/peers.py                    # 100,000 nodes, mean degree 4, 50 steps

Target (issue 5): adoption at least 10x faster than both, with identical final
adopter counts from the same graph and the same initial adopters. Each timing covers
building the model on the given graph and running it; the graph is built once and
shared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import mesa
import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import print_table

import adoption
from adoption.config.network import NetworkSpec
from adoption.organisation import plain_organisation


class ThresholdAgent(mesa.Agent):
    """One node: adopts once the share of adopting neighbours reaches its threshold."""

    def __init__(self, model: mesa.Model, phi: float) -> None:
        super().__init__(model)
        self.phi = phi
        self.adopted = False
        self.adopts_next = False
        self.neighbours: list[ThresholdAgent] = []

    def decide(self) -> None:
        if not self.adopted and self.neighbours:
            share = sum(n.adopted for n in self.neighbours) / len(self.neighbours)
            self.adopts_next = share >= self.phi

    def apply(self) -> None:
        if self.adopts_next:
            self.adopted = True


class PerAgentThresholdModel(mesa.Model):
    """The same rule as a textbook Mesa model: one Python object per node, synchronous."""

    def __init__(self, graph: nx.Graph, seeds: list[int], phi: float) -> None:
        super().__init__(rng=0)
        nodes = [ThresholdAgent(self, phi) for _ in range(graph.number_of_nodes())]
        for node, agent in enumerate(nodes):
            agent.neighbours = [nodes[other] for other in graph.neighbors(node)]
        for node in seeds:
            nodes[node].adopted = True
        self.nodes = nodes

    def step(self) -> None:
        self.agents.do("decide")
        self.agents.do("apply")

    def adopters(self) -> int:
        return sum(agent.adopted for agent in self.nodes)


def run_adoption(spec: NetworkSpec, seeds: list[int], phi: float, steps: int) -> tuple[int, float]:
    org = plain_organisation(spec)
    scenario = adoption.load_scenario(
        {
            "network": spec.model_dump(mode="json"),
            "behaviour": {"rule": "threshold", "phi": phi},
            "initial_adopters": {"ids": seeds},
            "horizon_days": steps,
        }
    )
    start = time.perf_counter()
    result = adoption.simulate(scenario, organisation=org)
    return int(result.timeseries["ever_active"].iloc[-1]), time.perf_counter() - start


def run_mesa(graph: nx.Graph, seeds: list[int], phi: float, steps: int) -> tuple[int, float]:
    start = time.perf_counter()
    model = PerAgentThresholdModel(graph, seeds, phi)
    for _ in range(steps):
        model.step()
    return model.adopters(), time.perf_counter() - start


def run_ndlib(graph: nx.Graph, seeds: list[int], phi: float, steps: int) -> tuple[int, float]:
    import ndlib.models.epidemics as epidemics
    from ndlib.models.ModelConfig import Configuration

    start = time.perf_counter()
    model = epidemics.ThresholdModel(graph)
    config = Configuration()
    for node in graph.nodes:
        config.add_node_configuration("threshold", node, phi)
    config.add_model_initial_configuration("Infected", seeds)
    model.set_initial_status(config)
    # NDlib's first iteration only reports the initial status
    model.iteration_bunch(steps + 1, node_status=False, progress_bar=False)
    return int(sum(model.status.values())), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--nodes", type=int, default=100_000, help="nodes of the random graph (default 100000)"
    )
    parser.add_argument("--mean-degree", type=float, default=4.0, help="mean degree (default 4)")
    parser.add_argument("--steps", type=int, default=50, help="steps (default 50)")
    parser.add_argument(
        "--phi", type=float, default=0.18, help="adoption threshold φ (default 0.18)"
    )
    parser.add_argument("--seeds", type=int, default=20, help="initial adopters (default 20)")
    args = parser.parse_args()
    spec = NetworkSpec(kind="erdos_renyi", n=args.nodes, mean_degree=args.mean_degree, seed=1)
    graph = nx.from_scipy_sparse_array(plain_organisation(spec).adjacency)
    seeds = sorted(np.random.default_rng(2).choice(args.nodes, args.seeds, replace=False).tolist())
    results = {
        "adoption": run_adoption(spec, seeds, args.phi, args.steps),
        "Mesa, one agent per node": run_mesa(graph, seeds, args.phi, args.steps),
        "NDlib ThresholdModel": run_ndlib(graph, seeds, args.phi, args.steps),
    }
    ours = results["adoption"][1]
    print_table(
        [
            {
                "implementation": name,
                "adopters": f"{adopters:,}",
                "seconds": f"{seconds:.2f}",
                "speed_up": f"{seconds / ours:.0f}x" if name != "adoption" else "1x",
            }
            for name, (adopters, seconds) in results.items()
        ],
        [
            ("implementation", "implementation"),
            ("adopters", "final adopters"),
            ("seconds", "seconds"),
            ("speed_up", "adoption is faster by"),
        ],
    )
    counts = {adopters for adopters, _ in results.values()}
    if len(counts) != 1:
        sys.exit(f"final adopter counts differ: {results}")


if __name__ == "__main__":
    main()
