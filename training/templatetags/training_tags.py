"""Template helpers of the audit (sortable headers, server-rendered SVG charts) and the learner's panel."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from organizations.models import UnitLevel

from ..models import RequirementTarget

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str) -> str:
    """A table header link that sorts by ``key``, toggling the direction, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("sort", "")
    query = request.GET.copy()
    for page_param in ("page", "opage"):  # a new order starts on the first page
        query.pop(page_param, None)
    query["sort"] = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    aria = "ascending" if current == key else ("descending" if current == f"-{key}" else "none")
    return format_html('<a href="?{}" aria-sort="{}">{}{}</a>', query.urlencode(), aria, label, arrow)


@register.filter
def person_name(user) -> str:
    """A person's name the Vietnamese way: the roster's name, else last + first name, else e-mail."""
    if user is None:
        return "—"
    officer = getattr(user, "officer", None)  # select_related("…__officer"): no query
    if officer is not None:
        return officer.full_name
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.email or user.get_username()


@register.filter
def figure(figures: dict, target: str):
    return figures.get(target) if figures else None


@register.filter
def target_label(target: str) -> str:
    return RequirementTarget(target).label if target in RequirementTarget.values else ""


@register.filter
def level_label(level: str) -> str:
    return UnitLevel(level).label if level in UnitLevel.values else ""


@register.filter
def badge_class(figure) -> str:
    """Green only when everyone is done: 199,999 of 200,000 shows 100.00% (rounded half up) but
    is not complete."""
    if figure is None or figure.percent is None:
        return ""
    if figure.done >= figure.required:
        return "badge--ok"
    return "badge--warn" if figure.percent >= 70 else "badge--bad"


@register.filter
def bar_width(percent) -> str:
    return "0" if percent is None else str(min(float(percent), 100.0))


# --- Charts: plain SVG geometry computed on the server (no script, no CDN) ----------------


def bar_chart(rows) -> dict:
    """Horizontal bars of each unit's rate for targets 2 and 3 and staffing."""
    from training.models import RequirementTarget

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
    from training.models import RequirementTarget

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


# --- The learner's panel on /learn/ -------------------------------------------------------


@register.inclusion_tag("training/learn_requirement_panel.html", takes_context=True)
def learn_requirement(context, year=None):
    """Required this year or not, under which target, done or not yet, what counts, the deadline and
    the learner's records. Nothing for someone who is not an officer."""
    from training.audit.rules import officer_year

    request = context.get("request")
    user = getattr(request, "user", None)
    officer = getattr(user, "officer", None) if user is not None and user.is_authenticated else None
    if officer is None:
        return {"status": None}
    year = int(year or timezone.localdate().year)
    today = timezone.localdate()
    return {"status": officer_year(officer, year), "year": year, "officer": officer, "today": today}
