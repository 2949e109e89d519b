"""Ablation switches: each turns one change of the summariser off, to see what it is worth.

``python -m bench.quality`` scores ours on LCSTS and the press releases once with everything on
and once per switch here, on the same inputs. A switch is a name and a function returning a
context manager; the switch is entered in the worker process around each ``summarize`` call,
so patch module attributes that the core reads at call time (a constant used as a default
argument value is bound at import and cannot be switched this way).

To add one::

    ABLATIONS.append(Ablation("no position prior", lambda: patch.object(rank, "POSITION_WEIGHT", 0.0)))
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from unittest.mock import patch

from bot.text import rank


@dataclass(frozen=True, slots=True)
class Ablation:
    name: str
    #: Returns a fresh context manager that turns the change off while it is entered.
    switch: Callable[[], AbstractContextManager[object]]


ABLATIONS: list[Ablation] = [
    # Demonstration: rank on the position prior alone, without TF-IDF centrality.
    Ablation("no centrality (CENTRALITY_WEIGHT=0)", lambda: patch.object(rank, "CENTRALITY_WEIGHT", 0.0)),
]


def by_name(name: str) -> Ablation:
    for ablation in ABLATIONS:
        if ablation.name == name:
            return ablation
    raise KeyError(name)
