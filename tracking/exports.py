"""The CSV files of the scorecards (DESIGN.md section 5: no personal data). Their columns, as documented on the
scorecard pages:

City scorecard (`/cities/<slug>/scorecard.csv`), one row per tracked recommendation:
  recommendation: the paragraph of the UN's report ("26.112"), or "local" for the city's own;
  review: the review cycle's number; text: the recommendation's text; themes: the portal themes, "; "-separated;
  us_response: the United States' response (official recommendations only); level: city, county, state or
  federal; office: the office responsible; status: the current status (or not_assessed); observed_on: the date
  of the latest assessment; updates: how many assessments the history holds; reply_asked_on: when the office was
  last asked to reply; reply_answered: yes or no; reply: the office's answer, once organizers approved it.

Network (`/scorecard.csv`), one row per city and theme:
  city, state, theme, then one column per status with how many items stand there, and total.

Names of the people who recorded updates or answered, evidence and quoted testimony are left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from tracking.selectors import NOT_ASSESSED, STATUS_ORDER, GridRow, ShownItem

CITY_COLUMNS = [
    "recommendation",
    "review",
    "text",
    "themes",
    "us_response",
    "level",
    "office",
    "status",
    "observed_on",
    "updates",
    "reply_asked_on",
    "reply_answered",
    "reply",
]


def city_rows(items: list[ShownItem]) -> Iterator[list]:
    yield CITY_COLUMNS
    for entry in items:
        item = entry.item
        official = item.recommendation if item.recommendation_id else None
        cycle = official.cycle if official else item.local_recommendation.report.cycle
        replies = [reply for update in entry.history for reply in update.replies]
        last = replies[-1] if replies else None
        approved = [reply.answer for reply in replies if reply.answer]
        yield [
            official.paragraph if official else "local",
            cycle.number,
            item.text,
            "; ".join(theme.name for theme in entry.themes),
            official.response if official else "",
            item.level,
            item.office.name if item.office else "",
            entry.status,
            entry.observed_on.isoformat() if entry.observed_on else "",
            len(entry.history),
            last.requested_at.date().isoformat() if last else "",
            ("yes" if last.answered else "no") if last else "",
            approved[-1] if approved else "",
        ]


def network_rows(themes, grid: list[GridRow]) -> Iterator[list]:
    statuses = [*(s.value for s in STATUS_ORDER), NOT_ASSESSED]
    yield ["city", "state", "theme", *statuses, "total"]
    for row in grid:
        for cell in row.cells:
            if cell.total:
                yield [
                    row.city.name,
                    row.city.state,
                    cell.theme.name,
                    *(cell.counts.get(s, 0) for s in statuses),
                    cell.total,
                ]
