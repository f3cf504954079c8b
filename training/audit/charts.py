"""Chart geometry of the audit's charts page: plain SVG computed on the server (no script, no CDN).

The template only draws what these return: bar widths and column heights in pixels.
"""

from ..models import RequirementTarget


def bar_chart(rows) -> dict:
    """Horizontal bars of each unit's rate for targets 2 and 3 and staffing."""
    bars = []
    for index, row in enumerate(rows):
        entry = {"name": row.node.name, "code": row.node.code, "y": index * 34, "values": []}
        for offset, target in enumerate(
            (RequirementTarget.CORPS, RequirementTarget.LARGE_GRASSROOTS, RequirementTarget.STAFFING)
        ):
            f = row.figures.get(target)
            pct = f.percent if f else None  # shown with |percent, as on the tables
            entry["values"].append(
                {
                    "target": target,
                    "pct": pct,
                    "width": 0 if pct is None else round(float(pct) * 2.4, 1),
                    "y": index * 34 + 4 + offset * 9,
                }
            )
        bars.append(entry)
    return {"bars": bars, "height": max(len(bars) * 34, 34)}


def trend_chart(trend) -> dict:
    """Columns per year for each target's rate; 0–100 % mapped to 160 px."""
    targets = [RequirementTarget.STAFFING, RequirementTarget.CORPS, RequirementTarget.LARGE_GRASSROOTS]
    years = []
    for index, (year, figures) in enumerate(trend):
        columns = []
        for offset, target in enumerate(targets):
            f = figures.get(target)
            pct = f.percent if f else None
            height = 0 if pct is None else round(float(pct) * 1.6, 1)
            columns.append(
                {
                    "target": target,
                    "pct": pct,
                    "x": 40 + index * 110 + offset * 28,
                    "height": height,
                    "y": 180 - height,
                }
            )
        years.append({"year": year, "x": 40 + index * 110 + 40, "columns": columns})
    return {"years": years, "width": max(40 + len(years) * 110, 200)}
