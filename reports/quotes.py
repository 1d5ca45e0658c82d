"""A quote in any report is a reference to a testimony, never a copy of it (DESIGN.md section 5).

Local and national reports store which testimony they quote and which of its words; `resolve_quote` decides, at
every print and every display, what may appear today: the words only while they are still inside the testimony's
public version and its consent allows every use asked for, and the name only as the person chooses it now. Nothing
else prints or shows a quote, so a change of consent, a withdrawal, a new name or a redaction reaches every
report, page and file made after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from testimony.enums import Use
from testimony.models import Testimony


@dataclass(frozen=True)
class ResolvedQuote:
    """What a quote prints today."""

    testimony: Testimony
    text: str
    name: str


def normal_words(text: str) -> str:
    """Whitespace normalised: line breaks and double spaces in a stored excerpt or a public version never decide
    whether an excerpt is still inside it."""
    return " ".join((text or "").split())


def inside_public_version(testimony: Testimony, excerpt: str) -> bool:
    """Whether `excerpt` is word for word inside the testimony's public version today (an empty excerpt stands for
    the whole of it, so it is inside any public version there is). The one rule for the editor, which refuses a
    reworded quote, and for every print, which leaves out a quote redacted away since."""
    public = normal_words(testimony.public_text)
    return bool(public) and normal_words(excerpt) in public


def shown_name(testimony: Testimony) -> str:
    return testimony.shown_name or _("Anonymous")


def resolve_quote(testimony: Testimony | None, excerpt: str, uses: Iterable[Use]) -> ResolvedQuote | None:
    """The quote as it may print now, or None when it may not print at all.

    `excerpt` empty quotes the whole public version. An excerpt that is no longer word for word inside the public
    version (an organizer redacted more since, or someone edited the quote) is left out rather than printing words
    the person or the organizers took away.
    """
    if testimony is None or not all(testimony.allows(use) for use in uses):
        return None
    if not inside_public_version(testimony, excerpt):
        return None
    text = normal_words(excerpt) or normal_words(testimony.public_text)
    return ResolvedQuote(testimony=testimony, text=text, name=shown_name(testimony))
