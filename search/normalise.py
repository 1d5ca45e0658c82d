"""Irregular plurals the stemmers leave apart, folded onto the singular in the index and in every query alike.

PostgreSQL's English stemmer keeps "women" and "woman" (and "children", "child") as different words, and its Spanish
one stems "mujeres" and "mujer", "ciudades" and "ciudad" differently: searching one would miss the other, the
complaint people make of the UN's own index. The database applies the same rules in `upr_normalise(language,
text)` (search/migrations/0002), which tests/search/test_normalise.py checks against these.
"""

from __future__ import annotations

import re

# English: the irregular plurals human rights texts use.
ENGLISH = [
    (re.compile(r"\b(wo)?men\b", re.IGNORECASE), r"\1man"),
    (re.compile(r"\bchildren\b", re.IGNORECASE), "child"),
]
# Spanish: a plural in -es after d, n, r, l, z or j is the singular plus -es (mujeres, jóvenes, ciudades, naciones).
SPANISH = [
    (re.compile(r"\b(\w{3,}[dnrlzj])es\b", re.IGNORECASE), r"\1"),
]


def normalise(language: str, text: str) -> str:
    for pattern, replacement in SPANISH if language == "es" else ENGLISH:
        text = pattern.sub(replacement, text)
    return text
