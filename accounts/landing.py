"""Where signing in lands each person: their own home in the portal, not the public home page.

accounts sits below every other app (DESIGN.md section 2), so it cannot know who organizes a city or where the
national team works: the apps that own those pages register a landing here in their AppConfig.ready(), and the
login asks the registry. The first landing, by order, that claims the user wins; nobody claimed lands on the
home page (LOGIN_REDIRECT_URL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Landing:
    name: str
    # The path to land this user on, or None when this landing is not theirs.
    path_for: Callable[[object], str | None]
    order: int


class LandingRegistry:
    def __init__(self) -> None:
        self._landings: dict[str, Landing] = {}

    def register(self, name: str, path_for: Callable[[object], str | None], *, order: int = 100) -> None:
        self._landings[name] = Landing(name, path_for, order)

    def path_for(self, user) -> str | None:
        """The first registered landing's path for `user`, or None: the home page."""
        for landing in sorted(self._landings.values(), key=lambda landing: (landing.order, landing.name)):
            path = landing.path_for(user)
            if path:
                return path
        return None


login_landings = LandingRegistry()
