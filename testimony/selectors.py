"""Reads of testimony. Privacy is decided here, once: public pages start from `public_testimony()`, reports from
`quotable_for()`, organizers from `testimony_visible_to()` (DESIGN.md section 5)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cities.models import City
from cities.selectors import cities_organized_by
from testimony.enums import Status, Use
from testimony.models import ConsentText, Testimony
from upr.models import Theme


def current_consent_text() -> ConsentText:
    """The consent wording in force. There is always one: testimony's migration 0002 writes the first."""
    text = ConsentText.objects.order_by("-effective_from", "-pk").first()
    if text is None:
        raise ConsentText.DoesNotExist("No consent wording: run the migrations (testimony 0002 writes the first).")
    return text


def public_testimony() -> QuerySet[Testimony]:
    """Everything any public page may show, with what public pages need loaded."""
    return Testimony.objects.public().select_related("city").prefetch_related("themes")


def quotable_for(city: City, use: Use, *more: Use) -> QuerySet[Testimony]:
    """A city's testimony that may be quoted for `use` (Use.LOCAL_REPORT, Use.NATIONAL_REPORT, Use.ADVOCACY), and
    for every use in `more` as well (a local report published on the portal needs LOCAL_REPORT and PORTAL)."""
    testimonies = Testimony.objects.allowing(use).filter(city=city)
    for other in more:
        testimonies = testimonies.allowing(other)
    return testimonies


def testimony_visible_to(user) -> QuerySet[Testimony]:
    """Private testimony an organizer may see: only their own cities'."""
    return Testimony.objects.filter(city__in=cities_organized_by(user))


def public_counts(cities) -> dict[int, int]:
    rows = Testimony.objects.public().filter(city__in=cities).values("city").annotate(n=Count("id"))
    return {row["city"]: row["n"] for row in rows}


def public_counts_by_theme(city: City, themes) -> dict[int, int]:
    """{theme id: public testimony of `city` tagged with it} for the themes given, in one query (the city profile
    shows it beside each theme)."""
    rows = (
        Testimony.objects.public()
        .filter(city=city, themes__in=themes)
        .values("themes")
        .annotate(n=Count("id", distinct=True))
        .values_list("themes", "n")
    )
    return dict(rows)


def collected_counts(cities) -> dict[int, int]:
    """All testimony a city has gathered (any status but withdrawn): the "Collect" figure of the 3 Cs."""
    rows = (
        Testimony.objects.filter(city__in=cities)
        .exclude(status=Status.WITHDRAWN)
        .values("city")
        .annotate(n=Count("id"))
    )
    return {row["city"]: row["n"] for row in rows}


def collected_by_theme(cities) -> dict[int | None, int]:
    """{theme id: testimony collected (any status but withdrawn) in `cities` tagged with it}, in one query; the key
    None counts the testimony without any theme. Testimony with several themes counts once under each."""
    rows = (
        Testimony.objects.filter(city__in=cities)
        .exclude(status=Status.WITHDRAWN)
        .values("themes")
        .annotate(n=Count("id", distinct=True))
        .values_list("themes", "n")
    )
    return dict(rows)


def collected_breakdown(city: City) -> dict:
    """A city's testimony (any status but withdrawn) by kind and by theme, for a report's methodology figures.

    Counts only, nothing about any single testimony; as plain JSON values (kind codes, theme slugs and names).
    """
    collected = Testimony.objects.filter(city=city).exclude(status=Status.WITHDRAWN)
    by_kind = [
        [row["kind"], row["n"]] for row in collected.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    by_theme = [
        [themes[row["themes"]].slug, themes[row["themes"]].name, themes[row["themes"]].name_es, row["n"]]
        for row in collected.filter(themes__isnull=False)
        .values("themes")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "themes")
    ]
    return {"total": collected.count(), "by_kind": by_kind, "by_theme": by_theme}


def waiting_counts(cities) -> dict[int, int]:
    """Per city, the testimony waiting for organizers: received, or asking for a wider consent."""
    waiting = Q(status=Status.RECEIVED) | (Q(status=Status.APPROVED) & ~Q(pending_consent={}))
    rows = Testimony.objects.filter(waiting, city__in=cities).values("city").annotate(n=Count("id"))
    return {row["city"]: row["n"] for row in rows}


def filter_public_testimony(*, city=None, theme=None, nature: str = "", language: str = "") -> QuerySet[Testimony]:
    """The public list, narrowed by the filters given (each optional), newest first."""
    testimonies = public_testimony()
    if city is not None:
        testimonies = testimonies.filter(city=city)
    if theme is not None:
        testimonies = testimonies.filter(themes=theme)
    if nature:
        testimonies = testimonies.filter(nature=nature)
    if language:
        testimonies = testimonies.filter(language=language)
    return testimonies.order_by("-created_at", "-pk")


def city_public_testimony(city: City, limit: int = 5) -> list[Testimony]:
    """A city's latest public testimony, for its page."""
    return list(public_testimony().filter(city=city).order_by("-created_at", "-pk")[:limit])
