"""A small English-Spanish glossary of the words people search the UN's texts with, so that a search in one
language also finds texts in the other: the UN's recommendations are in English, many residents search in
Spanish ("racismo", "niños"). A query is searched as typed and, as an alternative, translated word by word (phrases
first) into the other language; theme names, which the index holds in both languages, cover the rest.
"""

from __future__ import annotations

import re
import unicodedata

# (English, Spanish); phrases before their words.
PAIRS = [
    ("death penalty", "pena de muerte"),
    ("human rights", "derechos humanos"),
    ("indigenous peoples", "pueblos indígenas"),
    ("police brutality", "brutalidad policial"),
    ("racial discrimination", "discriminación racial"),
    ("drinking water", "agua potable"),
    ("homeless", "sin hogar"),
    ("housing", "vivienda"),
    ("women", "mujeres"),
    ("woman", "mujer"),
    ("children", "niños"),
    ("child", "niño"),
    ("girls", "niñas"),
    ("racism", "racismo"),
    ("discrimination", "discriminación"),
    ("torture", "tortura"),
    ("police", "policía"),
    ("prison", "prisión"),
    ("prisons", "cárceles"),
    ("migrants", "migrantes"),
    ("refugees", "refugiados"),
    ("asylum", "asilo"),
    ("health", "salud"),
    ("education", "educación"),
    ("water", "agua"),
    ("poverty", "pobreza"),
    ("work", "trabajo"),
    ("wages", "salarios"),
    ("environment", "medio ambiente"),
    ("climate", "clima"),
    ("disability", "discapacidad"),
    ("violence", "violencia"),
    ("voting", "voto"),
    ("justice", "justicia"),
    ("equality", "igualdad"),
    ("rights", "derechos"),
    ("right", "derecho"),
    ("report", "informe"),
    ("recommendation", "recomendación"),
    ("recommendations", "recomendaciones"),
    ("city", "ciudad"),
    ("cities", "ciudades"),
]
SPANISH_STOPWORDS = {"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "con", "a", "al", "o", "u"}
ENGLISH_STOPWORDS = {"the", "of", "and", "to", "in", "for", "on", "with", "a", "an", "or"}


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def _table(source: int) -> list[tuple[re.Pattern, str]]:
    pairs = sorted(PAIRS, key=lambda pair: -len(pair[source]))
    # A word's plural ("viviendas", "prisons") is looked up as the word.
    return [(re.compile(r"\b" + re.escape(_plain(pair[source])) + r"(?:e?s)?\b"), pair[1 - source]) for pair in pairs]


_TO_ENGLISH = _table(1)
_TO_SPANISH = _table(0)


def translate(query: str, language: str) -> str:
    """The query with the glossary's words of the other language put into `language` ("" if none was found).
    Quotes, OR and minus signs are kept; the other language's small words are dropped where a word was translated."""
    table, stopwords = (_TO_ENGLISH, SPANISH_STOPWORDS) if language == "en" else (_TO_SPANISH, ENGLISH_STOPWORDS)
    text = _plain(query)
    found = False
    for pattern, replacement in table:
        text, count = pattern.subn(replacement, text)
        found = found or bool(count)
    if not found:
        return ""
    return " ".join(word for word in text.split() if word.strip('"-') not in stopwords)
