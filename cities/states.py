"""The US states and the District of Columbia: the postal code a city stores, and the state's name in English and
Spanish (data/us_states.csv, sources in data/SOURCES.md), shown in the language of the page."""

from __future__ import annotations

import csv
import functools
import unicodedata
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "us_states.csv"


@functools.cache
def _names() -> dict[str, dict[str, str]]:
    """Postal code -> {"en": name, "es": name}."""
    with DATA_FILE.open(encoding="utf-8", newline="") as file:
        return {row["code"]: {"en": row["name"], "es": row["name_es"]} for row in csv.DictReader(file)}


def _language(language: str | None) -> str:
    return "es" if (language or get_language() or "en").startswith("es") else "en"


def state_name(code: str, language: str | None = None) -> str:
    """The state's name in `language` (default: the active one); an unknown code is returned as it is."""
    names = _names().get((code or "").upper())
    return names[_language(language)] if names else code


def _sort_key(name: str) -> str:
    # "Oregón" sorts with the other O names: compare without accents, as a reader looks for a name.
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c))


def state_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every state, in alphabetical order of the names in `language` (default: the active one)."""
    language = _language(language)
    return sorted(((code, names[language]) for code, names in _names().items()), key=lambda c: _sort_key(c[1]))


def is_state(code: str) -> bool:
    return (code or "").upper() in _names()
