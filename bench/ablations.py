"""Ablation switches: each turns one change of the summariser off, to see what it is worth.

``python -m bench.quality`` scores ours on LCSTS and the press releases once with everything on
and once per switch here, on the same inputs. A switch is a name and a function returning a
context manager; the switch is entered in the worker process around each ``summarize`` call,
so patch module attributes that the core reads at call time (a constant used as a default
argument value is bound at import and cannot be switched this way).

To add one::

    ABLATIONS.append(Ablation("no position prior", lambda: patch.dict(rank.WEIGHTS, {"position": 0.0})))
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from unittest.mock import patch

from bot.text import choose, rank, split


@dataclass(frozen=True, slots=True)
class Ablation:
    name: str
    #: Returns a fresh context manager that turns the change off while it is entered.
    switch: Callable[[], AbstractContextManager[object]]


ABLATIONS: list[Ablation] = [
    # The fitted weights, each group off in turn.
    Ablation("no lead weight (WEIGHTS lead=0)", lambda: patch.dict(rank.WEIGHTS, {"lead": 0.0})),
    Ablation(
        "no word signals (centrality, lead similarity, density = 0)",
        lambda: patch.dict(rank.WEIGHTS, {"centrality": 0.0, "lead_similarity": 0.0, "density": 0.0}),
    ),
    Ablation("position only (every weight but lead and position = 0)", lambda: _position_only()),
    # The faithful-unit rules and the choice of points.
    Ablation("no coverage of the article's parts", lambda: patch.object(rank, "COVERAGE", False)),
    Ablation("no conclusion for commentary", lambda: patch.object(rank, "CONCLUSION", False)),
    Ablation("dependent sentences stand alone", lambda: patch.object(split, "JOIN_DEPENDENT", False)),
    Ablation("no semicolon parts of long sentences", lambda: patch.object(split, "SEMICOLON_PARTS", False)),
    Ablation("summary never shows a cut sentence whole", lambda: patch.object(choose, "SUMMARY_WHOLE", False)),
]


def _position_only() -> AbstractContextManager[object]:
    keep = {"lead", "position"}
    return patch.dict(rank.WEIGHTS, {name: 0.0 for name in rank.WEIGHTS if name not in keep})


def by_name(name: str) -> Ablation:
    for ablation in ABLATIONS:
        if ablation.name == name:
            return ablation
    raise KeyError(name)
