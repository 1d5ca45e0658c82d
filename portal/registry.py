"""Small registries through which higher apps add to pages that lower apps own (DESIGN.md section 2).

An app registers in its AppConfig.ready(); the page iterates the registry and never imports the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stat:
    key: str
    label: str
    count: Callable[[], int]
    order: int


class StatRegistry:
    def __init__(self) -> None:
        self._stats: dict[str, Stat] = {}

    def register(self, key: str, label: str, count: Callable[[], int], *, order: int = 100) -> None:
        self._stats[key] = Stat(key, label, count, order)

    def __iter__(self):
        return iter(sorted(self._stats.values(), key=lambda stat: (stat.order, stat.key)))


home_stats = StatRegistry()


class JobRegistry:
    """Jobs the beat tick runs. Each must be idempotent and cheap when nothing is due."""

    def __init__(self) -> None:
        self._jobs: dict[str, Callable[[], object]] = {}

    def register(self, name: str, job: Callable[[], object]) -> None:
        self._jobs[name] = job

    def items(self):
        return list(self._jobs.items())


periodic_jobs = JobRegistry()
