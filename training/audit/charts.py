"""Chart geometry of the audit's charts page: plain SVG computed on the server (no script, no CDN).

Both charts are horizontal bars drawn at the phone's own scale: the SVG has no viewBox, so its
text keeps the stylesheet's size (12 px and up) at any width, and bar lengths are percentages of
the bar area. Each group (a unit, or a year) has its full title wrapped over as many lines as it
needs, then one bar per target, each with its target's tag ("MT1") before it and its value printed
after it: a phone has no hover, so nothing is said only in a tooltip.
"""

import textwrap

from ..models import RequirementTarget

# Targets in the order the department reports them.
TARGETS = (RequirementTarget.STAFFING, RequirementTarget.CORPS, RequirementTarget.LARGE_GRASSROOTS)
# The widest title line, in characters: ~300 px of 13 px text, inside a 375 px phone's column.
TITLE_CHARS = 40
TITLE_LINE = 18  # px per title line
BAR_ROW = 20  # px per bar row
GROUP_GAP = 14  # px between groups


def _group(key: str, title: str, figures: dict, y: int, number: int) -> tuple[dict, int]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    bars = []
    top = y + len(lines) * TITLE_LINE + 4
    for offset, target in enumerate(TARGETS):
        f = figures.get(target)
        pct = f.percent if f else None
        bars.append(
            {
                "target": target,
                "number": offset + 1,
                "pct": pct,
                # The bar's length as a share of the bar area; "0" draws nothing for — or 0 %.
                "width": "0" if pct is None else f"{min(float(pct), 100.0):.2f}",
                "y": top + offset * BAR_ROW,
                "text_y": top + offset * BAR_ROW + 11,
            }
        )
    height = len(lines) * TITLE_LINE + 4 + len(TARGETS) * BAR_ROW
    group = {
        "key": key,
        "number": number,
        "lines": [{"text": line, "y": y + 14 + i * TITLE_LINE} for i, line in enumerate(lines)],
        "bars": bars,
        "figures": [figures.get(t) for t in TARGETS],
    }
    return group, height


def _chart(groups_in) -> dict:
    groups, y = [], 0
    for number, (key, title, figures) in enumerate(groups_in, start=1):
        group, height = _group(key, title, figures, y, number)
        groups.append(group)
        y += height + GROUP_GAP
    return {"groups": groups, "height": max(y - GROUP_GAP, BAR_ROW)}


def bar_chart(rows) -> dict:
    """One group per unit (its full name), bars for targets 1, 2 and 3."""
    return _chart((row.node.code, row.node.name, row.figures) for row in rows)


def trend_chart(trend) -> dict:
    """One group per year, oldest first, bars for targets 1, 2 and 3."""
    return _chart((year, str(year), figures) for year, figures in trend)
