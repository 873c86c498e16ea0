"""Scenario sections `network` and `initial_adopters`: plain networks for classic models."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from adoption.config.base import Section, Share
from adoption.config.lever import lever

MAX_TIES = 50_000_000
"""Most ties a generated network may have (about 1 GB of edges and adjacency)."""


class NetworkSpec(Section):
    """A plain network instead of an organisation (for the textbook models).

    `complete` never materialises its edges: a person's ties are everyone else.
    """

    kind: Literal[
        "complete",
        "erdos_renyi",
        "watts_strogatz",
        "ring_lattice",
        "barabasi_albert",
        "edge_list",
    ] = Field(
        description="which standard network (NetworkX generators; edge_list: a file)",
        json_schema_extra=lever(
            "which standard network", "", "classic models", "required: no default"
        ),
    )
    n: int | None = Field(
        None,
        ge=2,
        le=10_000_000,
        description="number of nodes",
        json_schema_extra=lever(
            "number of nodes", "nodes", "classic models", "required for every generated network"
        ),
    )
    mean_degree: float | None = Field(
        None,
        gt=0,
        description="mean degree (erdos_renyi)",
        json_schema_extra=lever(
            "mean degree", "ties per node", "classic models", "required for erdos_renyi"
        ),
    )
    k: int | None = Field(
        None,
        ge=2,
        description="ties to nearest neighbours (ring, WS)",
        json_schema_extra=lever(
            "ties to nearest neighbours",
            "ties per node",
            "classic models",
            "required for ring and watts_strogatz",
        ),
    )
    p: Share | None = Field(
        None,
        description="rewiring probability (watts_strogatz)",
        json_schema_extra=lever(
            "rewiring probability", "share (0–1)", "classic models", "required for watts_strogatz"
        ),
    )
    m: int | None = Field(
        None,
        ge=1,
        description="ties of each new node (barabasi_albert)",
        json_schema_extra=lever(
            "ties of each new node",
            "ties per node",
            "classic models",
            "required for barabasi_albert",
        ),
    )
    path: Path | None = Field(
        None,
        description="edge list CSV (source, target[, weight])",
        json_schema_extra=lever(
            "edge list to load", "CSV file", "classic models", "required for edge_list"
        ),
    )
    seed: int = Field(
        0,
        ge=0,
        description="seed of the random network",
        json_schema_extra=lever(
            "seed of the random network",
            "",
            "classic models",
            "assumption: any seed; the same seed gives the same network",
        ),
    )

    @model_validator(mode="after")
    def _parameters_present(self) -> NetworkSpec:
        needed = {
            "complete": ("n",),
            "erdos_renyi": ("n", "mean_degree"),
            "watts_strogatz": ("n", "k", "p"),
            "ring_lattice": ("n", "k"),
            "barabasi_albert": ("n", "m"),
            "edge_list": ("path",),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} network needs {', '.join(missing)}")
        # what the generators would refuse mid-run, refused here with the numbers
        n = self.n
        if self.kind in ("watts_strogatz", "ring_lattice") and self.k >= n:
            raise ValueError(f"k ({self.k}) must be below n ({n}): each node has n - 1 others")
        if self.kind == "barabasi_albert" and self.m >= n:
            raise ValueError(f"m ({self.m}) must be below n ({n})")
        if self.kind == "erdos_renyi" and self.mean_degree > n - 1:
            raise ValueError(f"mean_degree ({self.mean_degree}) must be at most n - 1 ({n - 1})")
        ties = {
            "erdos_renyi": lambda: n * self.mean_degree / 2,
            "watts_strogatz": lambda: n * self.k / 2,
            "ring_lattice": lambda: n * self.k / 2,
            "barabasi_albert": lambda: n * self.m,
        }.get(self.kind, lambda: 0)()
        if ties > MAX_TIES:
            raise ValueError(
                f"a {self.kind} network of {n:,} nodes has about {ties:,.0f} ties; at most "
                f"{MAX_TIES:,} fit in memory (fewer nodes or a lower degree)"
            )
        return self


class InitialAdopters(Section):
    """Who has adopted at the start: a count or share chosen at random, or listed ids."""

    count: int | None = Field(
        None,
        ge=0,
        description="number chosen at random",
        json_schema_extra=lever(
            "number of first adopters, at random",
            "people",
            "classic models",
            "one of count, share or ids",
        ),
    )
    share: Share | None = Field(
        None,
        description="share chosen at random",
        json_schema_extra=lever(
            "share of first adopters, at random",
            "share (0–1)",
            "classic models",
            "one of count, share or ids",
        ),
    )
    ids: list[int] | None = Field(
        None,
        description="node numbers, from 0",
        json_schema_extra=lever(
            "first adopters by node number", "", "classic models", "one of count, share or ids"
        ),
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> InitialAdopters:
        given = [name for name in ("count", "share", "ids") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of count, share or ids")
        return self
