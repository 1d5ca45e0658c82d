"""Snippets: a part of a text around the words searched for, with those words marked, as safe HTML.

The database's snippets (ts_headline) come back with private-use characters around each match; `marked_html`
escapes everything else and turns those into <mark>, so a text can never inject markup. Where the database cannot
make the snippet (the simpler search on SQLite, and testimony, whose snippet is made at display time from today's
public version), `excerpt` does it in Python.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.normalise import normalise

START, STOP = "\ue000", "\ue001"
WINDOW_WORDS = 30
# The singular each folded plural came from, to mark both forms in a text (search.normalise folds the other way).
PLURALS = {"woman": "women", "man": "men", "child": "children"}


def marked_html(text: str) -> SafeString:
    """Escape `text` and turn the match markers into <mark> elements."""
    html = escape(text)
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def clean(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def positive_terms(query: str) -> list[str]:
    """The words and phrases a query looks for (not the excluded ones, nor OR), for marking them in a text."""
    terms = []
    for minus_phrase, phrase, minus_word, word in _TOKEN.findall(query):
        if phrase and not minus_phrase:
            terms.append(phrase)
        elif word and not minus_word and word.lower() != "or":
            terms.append(word)
    return [term for term in terms if term.strip()]


def _patterns(query: str, language: str) -> list[re.Pattern]:
    patterns = []
    for term in positive_terms(query):
        forms = {term, normalise(language, term)}
        forms |= {PLURALS[f.lower()] for f in forms if f.lower() in PLURALS}
        for form in forms:
            # The word and what follows it in the same word ("housing" from "hous"), accents as typed.
            patterns.append(re.compile(r"\b" + re.escape(form) + r"\w*", re.IGNORECASE))
    return patterns


def excerpt(text: str, query: str, language: str = "en") -> SafeString:
    """About WINDOW_WORDS words of `text` around the first word searched for, the words marked."""
    text = clean(text)
    patterns = _patterns(query, language)
    first = min((m.start() for p in patterns if (m := p.search(text))), default=0)
    words_before = text[:first].split()
    start_words = max(0, len(words_before) - WINDOW_WORDS // 3)
    words = text.split()
    part = " ".join(words[start_words : start_words + WINDOW_WORDS])
    prefix = "… " if start_words > 0 else ""
    suffix = " …" if start_words + WINDOW_WORDS < len(words) else ""
    return marked_html(prefix + mark(part, patterns) + suffix)


def mark(text: str, patterns: list[re.Pattern]) -> str:
    """`text` with every match of `patterns` between markers, overlapping matches merged into one."""
    spans = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + START + text[start:end] + STOP + text[end:]
    return text
