"""Reads of tracking, and the one place that decides what of it is public (DESIGN.md sections 2 and 5).

Public pages see every tracked item of a city with its full history (the history is the point), links, the
documents organizers marked public, testimony only as `resolve_quote` allows it today for public advocacy on the
portal, and an office's answer only once organizers approved it; who was asked and whether they answered is
public. Organizers of the city see their private documents too. Lists load with a fixed number of queries whatever
their size: the item list is one query plus its prefetches, and figures are counted from what was loaded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cities.models import City
from cities.selectors import directory_cities
from reports.enums import ReportStatus
from reports.models import ReportRecommendation
from reports.quotes import resolve_quote
from testimony.enums import Use
from tracking.enums import STATUS_MEANINGS, EvidenceKind, ReplyDecision, TrackingStatus
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem, TrackedItemQuerySet
from upr.models import Recommendation, ReviewCycle, Theme

# The uses a testimony's consent must allow for its words to be evidence: public advocacy, and, on the portal's
# pages, being shown on the portal (DESIGN.md section 5).
PUBLIC_EVIDENCE_USES = (Use.ADVOCACY, Use.PORTAL)
ORGANIZER_EVIDENCE_USES = (Use.ADVOCACY,)
STATUS_ORDER = list(TrackingStatus)
NOT_ASSESSED = "not_assessed"


def status_legend() -> list[tuple[str, object, object]]:
    """(value, label, meaning) of every status, in order: shown to everyone beside every scorecard."""
    return [(status.value, status.label, STATUS_MEANINGS[status]) for status in STATUS_ORDER]


# --- Loading items ------------------------------------------------------------------------------------------


def _updates_prefetch() -> Prefetch:
    # Lists (`to_attr`), not related managers: Django builds a manager and a queryset per update for a prefetch
    # into `update.evidence`, which for a city tracking 575 recommendations with 10 updates each was most of a
    # scorecard's time. Each update gets `evidence_list` and `reply_list`.
    evidence = Prefetch(
        "evidence", queryset=Evidence.objects.select_related("testimony").order_by("pk"), to_attr="evidence_list"
    )
    replies = Prefetch("replies", queryset=Reply.objects.select_related("office").order_by("pk"), to_attr="reply_list")
    return Prefetch(
        "updates", queryset=StatusUpdate.objects.order_by("pk").prefetch_related(evidence, replies), to_attr="history"
    )


def items_with_history(items: QuerySet[TrackedItem]) -> QuerySet[TrackedItem]:
    """Items with everything a scorecard or the board shows: the recommendation, its themes, the office, and the
    history of updates with their evidence and replies (six queries whatever the number of items)."""
    return items.select_related(
        "city",
        "office",
        "recommendation__cycle",
        "local_recommendation__theme",
        "local_recommendation__report__cycle",
    ).prefetch_related("recommendation__themes", _updates_prefetch())


def filter_items(
    items: TrackedItemQuerySet, *, theme=None, status: str = "", level: str = "", cycle=None
) -> TrackedItemQuerySet:
    if theme is not None:
        items = items.filter(Q(recommendation__themes=theme) | Q(local_recommendation__theme=theme)).distinct()
    if level:
        items = items.filter(level=level)
    if cycle is not None:
        items = items.filter(Q(recommendation__cycle=cycle) | Q(local_recommendation__report__cycle=cycle))
    if status == NOT_ASSESSED:
        items = items.with_current().filter(current_status__isnull=True)
    elif status:
        items = items.with_current().filter(current_status=status)
    return items


def item_order(items: QuerySet[TrackedItem]) -> QuerySet[TrackedItem]:
    """Official recommendations in the UN's order (cycle, paragraph), then the city's own."""
    return items.order_by(
        "recommendation__cycle__number", "recommendation__sort_key", "local_recommendation__position", "pk"
    )


@dataclass
class ShownEvidence:
    kind: str
    title: str
    url: str = ""
    evidence_id: int | None = None  # documents: opened through tracking:document
    is_public: bool = True
    quote: str = ""
    name: str = ""


@dataclass
class ShownReply:
    office: str
    requested_at: object
    due_on: object
    answered: bool
    answered_at: object = None
    answer: str = ""
    answered_by: str = ""
    decision: str = ""
    reply_id: int | None = None


@dataclass
class ShownUpdate:
    update: StatusUpdate
    evidence: list[ShownEvidence]
    replies: list[ShownReply]
    corrects: StatusUpdate | None


@dataclass
class ShownItem:
    item: TrackedItem
    status: str  # a TrackingStatus value, or NOT_ASSESSED
    status_label: str
    observed_on: object
    themes: list[Theme]
    history: list[ShownUpdate] = field(default_factory=list)

    @property
    def latest(self) -> ShownUpdate | None:
        return self.history[-1] if self.history else None


def shown_evidence(evidence: Evidence, *, public: bool) -> ShownEvidence | None:
    """One piece of evidence as it may be shown (None when it may not): private documents only to the city's
    organizers (`public` False), testimony only as its consent and public version allow today."""
    if evidence.kind == EvidenceKind.LINK:
        return ShownEvidence(kind=evidence.kind, title=evidence.title or evidence.url, url=evidence.url)
    if evidence.kind == EvidenceKind.DOCUMENT:
        if public and not evidence.is_public:
            return None
        return ShownEvidence(
            kind=evidence.kind, title=evidence.title, evidence_id=evidence.pk, is_public=evidence.is_public
        )
    uses = PUBLIC_EVIDENCE_USES if public else ORGANIZER_EVIDENCE_USES
    resolved = resolve_quote(evidence.testimony, evidence.excerpt, uses)
    if resolved is None:
        return None
    return ShownEvidence(kind=evidence.kind, title=evidence.title, quote=resolved.text, name=resolved.name)


def shown_reply(reply: Reply, *, public: bool) -> ShownReply:
    """Who was asked, when and whether they answered is public; the answer only once organizers approved it."""
    show_answer = not public or reply.decision == ReplyDecision.APPROVED
    return ShownReply(
        office=reply.office.name,
        requested_at=reply.requested_at,
        due_on=reply.due_on,
        answered=reply.answered_at is not None,
        answered_at=reply.answered_at,
        answer=reply.answer if show_answer else "",
        answered_by=reply.answered_by_name if show_answer else "",
        decision=reply.decision,
        reply_id=reply.pk,
    )


def item_themes(item: TrackedItem) -> list[Theme]:
    if item.recommendation is not None:
        return list(item.recommendation.themes.all())
    theme = item.local_recommendation.theme if item.local_recommendation is not None else None
    return [theme] if theme is not None else []


def history_of(item: TrackedItem) -> list[StatusUpdate]:
    """The item's updates, oldest first, as `items_with_history` loaded them."""
    return item.history  # type: ignore[attr-defined]  # set by Prefetch(to_attr="history")


def shown_item(item: TrackedItem, *, public: bool) -> ShownItem:
    history = []
    updates = history_of(item)
    by_pk = {update.pk: update for update in updates}
    for update in updates:
        # `evidence_list` and `reply_list` are set by `_updates_prefetch` (Prefetch to_attr).
        evidence = [shown for e in update.evidence_list if (shown := shown_evidence(e, public=public))]  # type: ignore[attr-defined]
        replies = [shown_reply(r, public=public) for r in update.reply_list]  # type: ignore[attr-defined]
        history.append(
            ShownUpdate(update, evidence, replies, by_pk.get(update.corrects_id) if update.corrects_id else None)
        )
    latest = updates[-1] if updates else None
    return ShownItem(
        item=item,
        status=latest.status if latest else NOT_ASSESSED,
        status_label=latest.get_status_display() if latest else str(not_assessed_label()),
        observed_on=latest.observed_on if latest else None,
        themes=item_themes(item),
        history=history,
    )


def not_assessed_label():
    from django.utils.translation import gettext_lazy as _

    return _("Not assessed yet")


def city_items(city: City, *, public: bool, **filters) -> list[ShownItem]:
    """A city's tracked items (filtered by theme, status, level, cycle) as its scorecard or board shows them."""
    items = item_order(items_with_history(filter_items(TrackedItem.objects.filter(city=city), **filters)))
    return [shown_item(item, public=public) for item in items]


# --- Figures ------------------------------------------------------------------------------------------------


@dataclass
class ThemeRow:
    theme: Theme | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def ordered(self) -> list[tuple[str, int]]:
        return [(status, self.counts.get(status, 0)) for status in [*STATUS_ORDER, NOT_ASSESSED]]


def counts_by_theme(shown: list[ShownItem]) -> list[ThemeRow]:
    """Items by status for each theme (an item counts under each of its themes; none: "No theme"), in theme
    order, computed from the items already loaded."""
    rows: dict[int | None, ThemeRow] = {}
    for entry in shown:
        themes_of: list[Theme | None] = list(entry.themes) or [None]
        for theme in themes_of:
            key = theme.pk if theme is not None else None
            row = rows.setdefault(key, ThemeRow(theme, defaultdict(int)))
            row.counts[entry.status] += 1
    return sorted(
        rows.values(),
        key=lambda r: (r.theme is None, r.theme.position if r.theme else 0, r.theme.name if r.theme else ""),
    )


def status_totals(shown: list[ShownItem]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for entry in shown:
        counts[entry.status] += 1
    labels = {s.value: s.label for s in STATUS_ORDER} | {NOT_ASSESSED: not_assessed_label()}
    return [(status, labels[status], counts.get(status, 0)) for status in [*STATUS_ORDER, NOT_ASSESSED]]


def status_by_theme(city: City, themes) -> dict[int, dict[str, int]]:
    """{theme id: {status: items}} of the city's tracked items on `themes` (an official recommendation under each
    of its themes, the city's own under its theme; NOT_ASSESSED where no update was made), in two queries."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tracked = TrackedItem.objects.filter(city=city).with_current()
    official = tracked.filter(recommendation__themes__in=themes).values_list("recommendation__themes", "current_status")
    own = tracked.filter(local_recommendation__theme__in=themes).values_list(
        "local_recommendation__theme", "current_status"
    )
    for theme_id, status in [*official, *own]:
        counts[theme_id][status or NOT_ASSESSED] += 1
    return counts


def city_scorecard_summary(city: City) -> dict:
    """The city page panel's context: how many items the city tracks and where they stand (two queries)."""
    rows = TrackedItem.objects.filter(city=city).with_current().values_list("current_status", flat=True)
    counts: dict[str, int] = defaultdict(int)
    for status in rows:
        counts[status or NOT_ASSESSED] += 1
    labels = {s.value: s.label for s in STATUS_ORDER} | {NOT_ASSESSED: not_assessed_label()}
    totals = [(s, labels[s], counts.get(s, 0)) for s in [*STATUS_ORDER, NOT_ASSESSED] if counts.get(s)]
    return {"tracking_total": sum(counts.values()), "tracking_totals": totals}


# --- The network view ---------------------------------------------------------------------------------------


@dataclass
class GridCell:
    theme: Theme
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def implemented(self) -> int:
        return self.counts.get(TrackingStatus.IMPLEMENTED, 0) + self.counts.get(TrackingStatus.PARTLY_IMPLEMENTED, 0)


@dataclass
class GridRow:
    city: City
    cells: list[GridCell]

    @property
    def total(self) -> int:
        return sum(cell.total for cell in self.cells)


def network_grid(*, theme=None, status: str = "", level: str = "", cycle=None) -> tuple[list[Theme], list[GridRow]]:
    """The city x theme grid: for each city that tracks something, per theme, how many items stand at each status
    (three queries whatever the number of cities)."""
    items = filter_items(TrackedItem.objects.all(), theme=theme, status=status, level=level, cycle=cycle)
    rows = items.with_current().values_list(
        "pk", "city_id", "current_status", "recommendation__themes", "local_recommendation__theme"
    )
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[tuple[int, int]] = set()
    for pk, city_id, current, rec_theme, local_theme in rows:
        theme_id = rec_theme or local_theme
        if theme_id is None or (theme is not None and theme_id != theme.pk) or (pk, theme_id) in seen:
            continue
        seen.add((pk, theme_id))
        counts[(city_id, theme_id)][current or NOT_ASSESSED] += 1
    city_ids = {city_id for city_id, _theme in counts}
    theme_ids = {theme_id for _city, theme_id in counts}
    themes = list(Theme.objects.filter(pk__in=theme_ids).order_by("position", "name"))
    cities = list(City.objects.filter(pk__in=city_ids).order_by("name", "state"))
    grid = [GridRow(city, [GridCell(t, dict(counts.get((city.pk, t.pk), {}))) for t in themes]) for city in cities]
    return themes, grid


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    cities: list[tuple[City, str, str]]  # (city, status value, status label)


def network_recommendations(*, theme=None, status: str = "", level: str = "", cycle=None) -> list[RecommendationRow]:
    """Per official recommendation tracked anywhere: which cities track it and where each says it stands (two
    queries)."""
    items = filter_items(
        TrackedItem.objects.filter(recommendation__isnull=False), theme=theme, status=status, level=level, cycle=cycle
    )
    items = (
        items.with_current()
        .select_related("city", "recommendation__cycle")
        .order_by("recommendation__cycle__number", "recommendation__sort_key", "city__name")
    )
    labels = {s.value: s.label for s in STATUS_ORDER} | {NOT_ASSESSED: not_assessed_label()}
    rows: dict[int, RecommendationRow] = {}
    for item in items:
        row = rows.setdefault(item.recommendation_id, RecommendationRow(item.recommendation, []))
        current = item.current_status or NOT_ASSESSED
        row.cities.append((item.city, current, labels[current]))
    return list(rows.values())


# --- Organizer reads ----------------------------------------------------------------------------------------


def city_offices(city: City) -> QuerySet[Office]:
    return Office.objects.filter(city=city).order_by("level", "name")


def organizer_item(city: City, item_id: int) -> TrackedItem:
    """One of the city's items with its history; 404 for another city's."""
    item = items_with_history(TrackedItem.objects.filter(city=city, pk=item_id)).first()
    if item is None:
        raise Http404("No such tracked item in this city")
    return item


def recommendation_choices(
    city: City, *, q: str = "", theme=None, cycle=None, response: str = "", state: str = ""
) -> QuerySet[Recommendation]:
    """Official recommendations matching the filters, each with `tracked` (the city already tracks it) and
    `suggested` (its accepted local report linked it)."""
    recs = Recommendation.objects.select_related("cycle").prefetch_related("themes")
    if q:
        recs = recs.filter(Q(text__icontains=q) | Q(paragraph__startswith=q))
    if theme is not None:
        recs = recs.filter(themes=theme)
    if cycle is not None:
        recs = recs.filter(cycle=cycle)
    if response:
        recs = recs.filter(response=response)
    if state:
        recs = recs.filter(recommending_states__icontains=state)
    linked = ReportRecommendation.objects.filter(
        report__city=city, report__status=ReportStatus.ACCEPTED, official=OuterRef("pk")
    )
    return recs.annotate(
        tracked=Exists(TrackedItem.objects.filter(city=city, recommendation=OuterRef("pk"))),
        suggested=Exists(linked),
    ).order_by("-suggested", "cycle__number", "sort_key")


def local_choices(city: City) -> QuerySet[ReportRecommendation]:
    """The city's own recommendations (accepted local reports), each with `tracked`."""
    return (
        ReportRecommendation.objects.filter(report__city=city, report__status=ReportStatus.ACCEPTED)
        .select_related("report__cycle", "theme")
        .annotate(tracked=Exists(TrackedItem.objects.filter(city=city, local_recommendation=OuterRef("pk"))))
        .order_by("report__cycle__number", "position", "pk")
    )


def quotable_testimony(city: City):
    """The testimony organizers may quote as evidence: the city's, allowing public advocacy."""
    from testimony.selectors import quotable_for

    return quotable_for(city, Use.ADVOCACY).order_by("-created_at", "-pk")


def evidence_document(evidence_id: int, *, cities: QuerySet[City]) -> Evidence:
    """A document of evidence: a public one to anyone, a private one only to the organizers of its city (`cities`:
    those the person organizes). 404 otherwise."""
    documents = Evidence.objects.filter(kind=EvidenceKind.DOCUMENT).exclude(document="")
    allowed = Q(is_public=True) | Q(update__item__city__in=cities)
    evidence = documents.filter(allowed, pk=evidence_id).first()
    if evidence is None:
        raise Http404("No such document")
    return evidence


def cycles_tracked() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.filter(recommendations__isnull=False).distinct().order_by("number")


def tracked_counts(cities) -> dict[int, int]:
    """{city id: how many recommendations it tracks} (one query)."""
    from django.db.models import Count

    rows = TrackedItem.objects.filter(city__in=cities).values("city").annotate(n=Count("id"))
    return {row["city"]: row["n"] for row in rows}


def elsewhere(item: TrackedItem) -> list[tuple[City, int, str, str, object]]:
    """For organizers: the other cities tracking the same official recommendation, each with its item's id, status,
    label and date observed (one query)."""
    if item.recommendation_id is None:
        return []
    labels = {s.value: s.label for s in STATUS_ORDER} | {NOT_ASSESSED: not_assessed_label()}
    others = (
        TrackedItem.objects.filter(recommendation_id=item.recommendation_id)
        .exclude(city_id=item.city_id)
        .with_current()
        .select_related("city")
        .order_by("city__name", "city__state")
    )
    return [
        (
            other.city,
            other.pk,
            other.current_status or NOT_ASSESSED,
            labels[other.current_status or NOT_ASSESSED],
            other.current_observed_on,
        )
        for other in others
    ]


# --- The discovery surfaces (search, the API, open data, feeds, the sitemap) ---------------------------------
#
# They read only these. Their scope is the cities of the directory (cities.selectors.directory_cities), the cities
# the search, the API and the open data list as cities: a city that leaves the directory (back to exploring) takes
# its scorecard out of them too, and no row names a city the cities dataset does not hold. What they may copy of an
# item is what its public scorecard shows, less the quoted testimony: the scorecard resolves each quote against
# today's consent when it is shown, which a copy kept in an index or a file could not follow.


def _public_cities() -> QuerySet:
    """The directory's cities as a subquery of their ids."""
    return directory_cities().prefetch_related(None).order_by().values("pk")


def _update_count() -> Coalesce:
    # A subquery, not Count("updates"): the theme filter joins themes, which would count an update once per theme.
    counted = StatusUpdate.objects.filter(item=OuterRef("pk")).order_by().values("item").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def public_scorecard_items(
    *, city: City | None = None, theme=None, status: str = "", level: str = "", cycle=None
) -> TrackedItemQuerySet:
    """The tracked items of the directory's cities (filtered as on the scorecard pages), each with
    `current_status`, `current_observed_on` and `update_count`, its city, office, recommendation (cycle, themes) or
    the city's own (cycle, theme) loaded: one query and one prefetch, whatever the number of items. By city, then in
    the scorecard's order."""
    items = TrackedItem.objects.filter(city__in=_public_cities())
    if city is not None:
        items = items.filter(city=city)
    items = filter_items(items, theme=theme, status=status, level=level, cycle=cycle)
    if not status:  # filter_items annotated them already when filtering by status
        items = items.with_current()
    return (
        items.annotate(update_count=_update_count())
        .select_related(
            "city",
            "office",
            "recommendation__cycle",
            "local_recommendation__theme",
            "local_recommendation__report__cycle",
        )
        .prefetch_related("recommendation__themes")
        .order_by(
            "city__name",
            "city__state",
            "recommendation__cycle__number",
            "recommendation__sort_key",
            "local_recommendation__position",
            "pk",
        )
    )


def public_item(pk: int) -> TrackedItem | None:
    """One item of a directory city with its history (as `items_with_history` loads it), or None."""
    return items_with_history(public_scorecard_items().filter(pk=pk)).first()


def public_items_with_history(*, city_id: int | None = None, pks=None) -> QuerySet[TrackedItem]:
    """Every item of the directory's cities (or of one of them, or among `pks`) with its history, for the search
    index."""
    items = public_scorecard_items()
    if city_id is not None:
        items = items.filter(city_id=city_id)
    if pks is not None:
        items = items.filter(pk__in=pks)
    return items_with_history(items)


def status_label(status: str | None):
    """The label of a status value (or of none: "Not assessed yet"), in the active language."""
    if not status or status == NOT_ASSESSED:
        return not_assessed_label()
    return TrackingStatus(status).label


def public_words(item: TrackedItem) -> list[str]:
    """The words of an item's history that may be copied to a public index (item from `public_item` or
    `public_items_with_history`): what changed at each update, the titles of its links and public documents, and the
    offices' answers organizers approved. Never a document kept for the city's organizers, never an answer waiting
    for approval or declined (`shown_evidence`, `shown_reply` decide), never quoted testimony (see above)."""
    words = []
    for shown in shown_item(item, public=True).history:
        words.append(shown.update.what_changed)
        words += [e.title for e in shown.evidence if e.kind != EvidenceKind.TESTIMONY and e.title]
        words += [reply.answer for reply in shown.replies if reply.answer]
    return words


def public_status_updates() -> QuerySet[StatusUpdate]:
    """Status updates of the directory's cities' items, newest recorded first, with their item, city and
    recommendation: for the feed of scorecard changes. Only the update's own fields are public here (its status,
    date and what changed), never its evidence or replies."""
    return (
        StatusUpdate.objects.filter(item__city__in=_public_cities())
        .select_related("item__city", "item__recommendation", "item__local_recommendation")
        .order_by("-recorded_at", "-pk")
    )


def public_city_statuses() -> Prefetch:
    """A prefetch for Recommendation lists: `public_city_statuses`, the items of the directory's cities tracking
    each recommendation (with `current_status`, `current_observed_on` and the city), by city name. One query for the
    whole list."""
    items = (
        TrackedItem.objects.filter(city__in=_public_cities())
        .with_current()
        .select_related("city")
        .order_by("city__name", "city__state", "pk")
    )
    return Prefetch("tracked_items", queryset=items, to_attr="public_city_statuses")


def public_scorecard_cities() -> QuerySet[City]:
    """The directory's cities that track at least one recommendation (their scorecards have something to show)."""
    return (
        directory_cities()
        .prefetch_related(None)
        .filter(Exists(TrackedItem.objects.filter(city=OuterRef("pk"))))
        .order_by("name", "state")
    )
