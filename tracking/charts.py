"""Server-drawn SVG charts of the scorecards: horizontal bars stacked by status. The figures are always in a table
beside the chart too, and each status has its own pattern as well as its colour (never colour alone)."""

from __future__ import annotations

from dataclasses import dataclass

from tracking.selectors import NOT_ASSESSED, STATUS_ORDER, ThemeRow, not_assessed_label

# Colours with at least 3:1 contrast against white; patterns tell them apart without colour.
STATUS_STYLE = {
    "not_started": ("#6c757d", ""),
    "in_progress": ("#0a58ca", "dots"),
    "partly_implemented": ("#8a5a00", "stripes"),
    "implemented": ("#146c43", ""),
    "regressed": ("#b02a37", "cross"),
    NOT_ASSESSED: ("#adb5bd", "dots"),
}
LABEL_WIDTH = 220
BAR_WIDTH = 420
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    x: float
    width: float
    colour: str
    pattern: str


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    legend: list[tuple[str, str, str, str]]  # (status, label, colour, pattern)


def status_labels() -> dict[str, str]:
    return {s.value: str(s.label) for s in STATUS_ORDER} | {NOT_ASSESSED: str(not_assessed_label())}


def theme_chart(rows: list[ThemeRow], no_theme_label: str) -> Chart:
    labels = status_labels()
    largest = max((row.total for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for status, count in row.ordered():
            if not count:
                continue
            width = BAR_WIDTH * count / largest
            colour, pattern = STATUS_STYLE[status]
            segments.append(Segment(status, labels[status], count, round(x, 2), round(width, 2), colour, pattern))
            x += width
        label = row.theme.display_name if row.theme else no_theme_label
        bars.append(Bar(label, row.total, 10 + index * ROW_HEIGHT, segments))
    legend = [
        (status, labels[status], *STATUS_STYLE[status]) for status in [*(s.value for s in STATUS_ORDER), NOT_ASSESSED]
    ]
    return Chart(bars, LABEL_WIDTH + BAR_WIDTH + 50, 20 + len(rows) * ROW_HEIGHT, legend)


CELL_WIDTH = 64
CELL_HEIGHT = 24
GRID_LABEL_WIDTH = 180
HEADER_HEIGHT = 120


@dataclass(frozen=True)
class GridCellShape:
    x: int
    y: int
    total: int
    segments: list[Segment]
    title: str


@dataclass(frozen=True)
class GridChart:
    columns: list[tuple[str, int]]  # (theme label, x of its column's centre)
    rows: list[tuple[str, int]]  # (city label, y of its row's centre)
    cells: list[GridCellShape]
    width: int
    height: int
    legend: list[tuple[str, str, str, str]]


def grid_chart(themes, grid) -> GridChart:
    """Cities down, themes across; each cell a bar of the city's items on that theme stacked by status, with their
    number."""
    labels = status_labels()
    columns = [
        (theme.display_name, GRID_LABEL_WIDTH + i * CELL_WIDTH + CELL_WIDTH // 2) for i, theme in enumerate(themes)
    ]
    rows, cells = [], []
    for r, row in enumerate(grid):
        y = HEADER_HEIGHT + r * CELL_HEIGHT
        rows.append((str(row.city), y + CELL_HEIGHT // 2))
        for c, cell in enumerate(row.cells):
            if not cell.total:
                continue
            x0 = GRID_LABEL_WIDTH + c * CELL_WIDTH + 4
            x = float(x0)
            segments = []
            for status in [*(s.value for s in STATUS_ORDER), NOT_ASSESSED]:
                count = cell.counts.get(status, 0)
                if not count:
                    continue
                width = (CELL_WIDTH - 8) * count / cell.total
                colour, pattern = STATUS_STYLE[status]
                segments.append(Segment(status, labels[status], count, round(x, 2), round(width, 2), colour, pattern))
                x += width
            title = f"{row.city} · {cell.theme.display_name}: " + ", ".join(f"{s.label} {s.count}" for s in segments)
            cells.append(GridCellShape(x0, y + 3, cell.total, segments, title))
    legend = [
        (status, labels[status], *STATUS_STYLE[status]) for status in [*(s.value for s in STATUS_ORDER), NOT_ASSESSED]
    ]
    width = GRID_LABEL_WIDTH + max(len(themes), 1) * CELL_WIDTH + 10
    return GridChart(columns, rows, cells, width, HEADER_HEIGHT + len(grid) * CELL_HEIGHT + 10, legend)
