"""Suggested redactions: what in a testimony's original looks like a name, an email address, a phone number or a
street address, for organizers to replace by a placeholder ("[name]") in the public version.

Suggestions, never decisions: organizers read the whole text anyway (DESIGN.md section 5) and nothing is changed
until they choose to. The detection leans towards suggesting too much: a name missed can harm someone, a word
suggested by mistake costs one glance. Names come from what the person told us (the name in their contact details,
the name they chose to be shown under, each part of it too), from phrases that introduce a name ("my name is",
"me llamo", "Mr.", "la Sra.") and from the people a text names by their relation ("my neighbor Rosa", "mi hijo
Daniel"); a name the text gives without any of these is left to the organizers' reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

NAME, EMAIL, PHONE, ADDRESS = "name", "email", "phone", "address"

# Each kind's placeholder in the public version, in the testimony's own language.
PLACEHOLDERS = {
    NAME: _("[name]"),
    EMAIL: _("[email]"),
    PHONE: _("[phone]"),
    ADDRESS: _("[address]"),
}
LABELS = {
    NAME: _("a name"),
    EMAIL: _("an email address"),
    PHONE: _("a phone number"),
    ADDRESS: _("a street address"),
}
# When two suggestions overlap, the more specific one wins (an email address holds what looks like a name).
_PRIORITY = {EMAIL: 0, PHONE: 1, ADDRESS: 2, NAME: 3}


@dataclass(frozen=True)
class Suggestion:
    kind: str
    start: int
    end: int
    text: str


_LETTER = r"[^\W\d_]"
# A capitalised word of a name: "María", "O'Neil", "Jean-Luc", "McDonald".
_NAME_WORD = rf"(?:[A-ZÁÉÍÓÚÑÜÀÈÌÒÙÂÊÎÔÛÇ]{_LETTER}*(?:['’-][A-ZÁÉÍÓÚÑÜÀÈÌÒÙÂÊÎÔÛÇ]?{_LETTER}+)*)"
_NAME_PARTICLE = r"(?:de|del|de la|la|las|los|y|van|von|da|dos|di|le|bin|ibn)"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# North American numbers ((412) 555-0123, 412-555-0123, 412.555.0123, +1 412 555 0123, 4125550123) and other
# international ones (+44 20 7946 0958): seven or more digits in groups, so dates and years are not taken.
PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}"
    r"|\d{3}[\s.-]\d{4}"
    r")(?!\w)"
)

_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|Ter|"
    r"Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Alley|Trail|Trl|Row|Plaza|Pike"
)
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|Floor|Fl|#)\.?\s*#?\s*[\w-]+)?"
ADDRESS_RES = (
    # "5500 Penn Avenue", "12 N. Main St., Apt 4B"
    re.compile(
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:(?:{_NAME_WORD}|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,4}}"
        rf"(?i:{_STREET_TYPES})\b\.?{_UNIT}"
    ),
    # "calle Penn 123", "Avenida Juárez nº 45, 3º B", "Av. Las Palmas 12"
    re.compile(
        rf"\b(?i:calle|avenida|avda\.|av\.|paseo|camino|carretera|plaza|callejón|bulevar)\s+"
        rf"(?:(?:{_NAME_PARTICLE}\s+)?{_NAME_WORD}\s+){{1,4}}(?:(?i:n[º°o]\.?|número|num\.?|#)\s*)?\d{{1,5}}\b"
        rf"(?:,?\s*\d{{1,2}}\s*[º°]\s*[A-Za-z]?)?"
    ),
    # "P.O. Box 123"
    re.compile(r"\b(?i:P\.?\s?O\.?\s+Box|Apartado(?:\s+postal)?)\s+\d{1,6}\b"),
)

# Phrases after which a name follows: "My name is Ana Ruiz", "me llamo Ana", "Officer Daniels", "la Sra. López".
_INTRODUCERS = (
    r"(?i:my name is|my name's|i am called|call me|me llamo|mi nombre es|se llama|se llamaba|named|called|"
    r"llamad[oa])"
)
_TITLES = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Sgt|Det|Lt|Capt|Sr|Sra|Srta|Dra|Lic|Ing)\.?|"
    r"(?:Officer|Detective|Sergeant|Judge|Pastor|Father|Sister|Councilman|Councilwoman|Councilmember|Mayor|Don|Doña)"
)
# People named by their relation to the person: "my neighbor Rosa", "our landlord Mr. Kim", "mi hija Lucía".
_RELATIONS = (
    r"(?i:neighbou?r|son|daughter|wife|husband|partner|mother|mom|father|dad|brother|sister|friend|cousin|aunt|"
    r"uncle|grandmother|grandfather|grandma|grandpa|landlord|landlady|boss|roommate|caseworker|teacher|nephew|niece|"
    r"vecin[oa]|hij[oa]|espos[oa]|pareja|madre|mamá|padre|papá|herman[oa]|amig[oa]|prim[oa]|tí[oa]|abuel[oa]|"
    r"caser[oa]|dueñ[oa]|jef[ea]|compañer[oa]|maestr[oa]|sobrin[oa])"
)
NAME_RES = (
    re.compile(rf"\b{_INTRODUCERS}\s+(?P<name>{_FULL_NAME})"),
    re.compile(rf"(?<![\w.])(?:{_TITLES})\s+(?P<name>{_FULL_NAME})"),
    re.compile(rf"\b{_RELATIONS}[,:]?\s+(?P<name>{_FULL_NAME})"),
)
_TITLE_RE = re.compile(_TITLES)
# Capitalised words that follow those phrases without being a name.
_NOT_NAMES = {
    "i", "the", "a", "an", "and", "but", "he", "she", "they", "we", "it", "el", "la", "los", "las", "un", "una",
    "y", "pero", "que", "ella", "él", "ellos", "nosotros", "yo",
}  # fmt: skip


def _fold(text: str) -> str:
    """Lower case without accents, keeping every character's position ("María" and "maria" match)."""
    return "".join(
        unicodedata.normalize("NFKD", ch)[0] if unicodedata.normalize("NFKD", ch) else ch for ch in text.lower()
    )


def _known_name_parts(names: Iterable[str]) -> list[str]:
    """The names the person gave, whole and by part (first name, surnames), longest first; initials and particles
    left out."""
    parts: set[str] = set()
    for name in names:
        name = " ".join((name or "").split())
        if not name:
            continue
        parts.add(name)
        parts.update(word for word in re.split(r"[\s,]+", name) if len(word.strip(".")) > 1)
    particles = {"de", "del", "la", "las", "los", "y", "van", "von", "da", "dos", "di", "le"}
    return sorted((p for p in parts if p.lower() not in particles), key=len, reverse=True)


def _known_names(text: str, names: Iterable[str]) -> Iterable[Suggestion]:
    folded = _fold(text)
    for part in _known_name_parts(names):
        pattern = re.compile(rf"(?<!\w){re.escape(_fold(part))}(?!\w)")
        for match in pattern.finditer(folded):
            yield Suggestion(NAME, match.start(), match.end(), text[match.start() : match.end()])


def _looks_like_names(text: str) -> Iterable[Suggestion]:
    for pattern in NAME_RES:
        for match in pattern.finditer(text):
            offset = match.start("name")
            words = list(re.finditer(r"\S+", match.group("name")))
            # A capitalised word that is no name ("my son And ...", "me llamo Y ...") ends the name there.
            while words and words[-1].group(0).lower() in _NOT_NAMES:
                words.pop()
            if (
                not words
                or words[0].group(0).lower().rstrip(".") in _NOT_NAMES
                or _TITLE_RE.fullmatch(words[0].group(0))
            ):
                continue  # "our landlord, Mr. Kim": the title's own pattern finds the name after it
            start, end = offset + words[0].start(), offset + words[-1].end()
            yield Suggestion(NAME, start, end, text[start:end])


def _matches(kind: str, patterns: Iterable[re.Pattern], text: str) -> Iterable[Suggestion]:
    for pattern in patterns:
        for match in pattern.finditer(text):
            # A final full stop ends the sentence, or an abbreviation the placeholder can do without.
            value = match.group(0).rstrip(" ,.")
            if kind == PHONE and sum(ch.isdigit() for ch in value) < 7:
                continue
            yield Suggestion(kind, match.start(), match.start() + len(value), value)


def suggest_redactions(text: str, *, names: Iterable[str] = ()) -> list[Suggestion]:
    """What in `text` looks like a name (`names`: those the person gave), an email address, a phone number or a
    street address, in the order of the text, without overlaps (the more specific kind, then the longer, wins)."""
    if not text:
        return []
    found = [
        *_matches(EMAIL, [EMAIL_RE], text),
        *_matches(PHONE, [PHONE_RE], text),
        *_matches(ADDRESS, ADDRESS_RES, text),
        *_known_names(text, names),
        *_looks_like_names(text),
    ]
    found.sort(key=lambda s: (_PRIORITY[s.kind], -(s.end - s.start), s.start))
    kept: list[Suggestion] = []
    for suggestion in found:
        if all(suggestion.end <= other.start or suggestion.start >= other.end for other in kept):
            kept.append(suggestion)
    return sorted(kept, key=lambda s: s.start)


def placeholder(kind: str, language: str | None = None) -> str:
    """The placeholder for `kind` in the testimony's `language` ("[name]", "[nombre]")."""
    if language:
        with override(language):
            return str(PLACEHOLDERS[kind])
    return str(PLACEHOLDERS[kind])


def highlight(text: str, suggestions: Iterable[Suggestion], *, id_prefix: str) -> SafeString:
    """`text` as HTML paragraphs (escaped), each suggestion marked (<mark id="<id_prefix>-<n>">), n counting from 1
    in the order given."""
    parts: list[str] = []
    position = 0
    for number, suggestion in enumerate(suggestions, start=1):
        parts.append(escape(text[position : suggestion.start]))
        parts.append(
            format_html(
                '<mark class="redaction-suggestion" id="{}-{}" data-kind="{}">{}</mark>',
                id_prefix,
                number,
                suggestion.kind,
                suggestion.text,
            )
        )
        position = suggestion.end
    parts.append(escape(text[position:]))
    html = "".join(parts).replace("\r\n", "\n")
    paragraphs = [p.strip().replace("\n", "<br>") for p in re.split(r"\n{2,}", html) if p.strip()]
    # Every piece of the person's text went through escape() or format_html() above.
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S308


# --- The moderation page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSuggestion:
    """One thing to redact in one public field: every occurrence of `text` there becomes `placeholder`."""

    kind: str
    text: str
    placeholder: str
    anchor: str  # the id of its first mark in the original

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass(frozen=True)
class FieldRedactions:
    """A free-text field's original, highlighted, and what to redact in its public version."""

    original: str  # the model field ("body")
    public: str  # its public version's field, named like the form's ("public_body")
    label: str
    highlighted: SafeString
    suggestions: tuple[FieldSuggestion, ...]


def redactions_for(testimony, *, names: Iterable[str] = ()) -> list[FieldRedactions]:
    """Per free-text field the person wrote (testimony.models.PUBLIC_TEXT_FIELDS), its original with the
    suggestions marked, and one suggestion per distinct text, with its placeholder in the testimony's language.
    `names`: the names the person gave besides the one they chose to be shown under (their contact details)."""
    from testimony.models import PUBLIC_TEXT_FIELDS

    known = [*names, testimony.display_name]
    fields = []
    for text_field in PUBLIC_TEXT_FIELDS:
        original = getattr(testimony, text_field.original) or ""
        found = suggest_redactions(original, names=known)
        id_prefix = f"suggestion-{text_field.original.replace('_', '-')}"
        distinct: dict[str, FieldSuggestion] = {}
        for number, suggestion in enumerate(found, start=1):
            if suggestion.text not in distinct:
                distinct[suggestion.text] = FieldSuggestion(
                    suggestion.kind,
                    suggestion.text,
                    placeholder(suggestion.kind, testimony.language),
                    f"{id_prefix}-{number}",
                )
        fields.append(
            FieldRedactions(
                text_field.original,
                text_field.public,
                str(text_field.label),
                highlight(original, found, id_prefix=id_prefix),
                tuple(distinct.values()),
            )
        )
    return fields
