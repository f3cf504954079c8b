"""Template helpers of the audit (sortable headers, badges, bar widths), the ledger (names) and the
learner's panel. The charts' geometry is computed by ``training.audit.charts``."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from organizations.models import Officer, UnitLevel

from ..audit.rules import officer_year
from ..classes.invitations import is_closed, open_invitations_for
from ..ledger import selectors as ledger_selectors
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
    # aria-sort belongs on a column header, not a link: the state is said in words instead.
    if current == key:
        arrow, state = " ▲", _("sorted ascending")
    elif current == f"-{key}":
        arrow, state = " ▼", _("sorted descending")
    else:
        return format_html('<a href="?{}">{}</a>', query.urlencode(), label)
    return format_html(
        '<a href="?{}">{}<span aria-hidden="true">{}</span><span class="visually-hidden"> ({})</span></a>',
        query.urlencode(),
        label,
        arrow,
        state,
    )


@register.filter
def person_name(user) -> str:
    """A person's name the Vietnamese way (see ``ledger.selectors.person_name``)."""
    return ledger_selectors.person_name(user)


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


# --- The learner's panel on /learn/ -------------------------------------------------------


@register.inclusion_tag("training/learn_requirement_panel.html", takes_context=True)
def learn_requirement(context, year=None):
    """Required this year or not, under which target, done or not yet, what counts, the deadline and
    the learner's records. Nothing for someone who is not an officer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    officer = Officer.objects.for_user(user)
    if officer is None:
        return {"status": None}
    year = int(year or timezone.localdate().year)
    today = timezone.localdate()
    return {"status": officer_year(officer, year), "year": year, "officer": officer, "today": today}


@register.inclusion_tag("training/learn_invitations_panel.html", takes_context=True)
def learn_invitations(context):
    """The learner's invitations to classes not yet over, answered here. Nothing for someone
    who is not an officer or has none."""
    request = context.get("request")
    officer = Officer.objects.for_user(getattr(request, "user", None))
    if officer is None:
        return {"invitations": []}
    rows = open_invitations_for(officer)
    return {
        "invitations": [(i, is_closed(i.in_person_class)) for i in rows],
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
