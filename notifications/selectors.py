"""Reads of the notifications layer for screens."""

from django.db.models import Q, QuerySet

from organizations.models import Officer

from . import channels, routing
from .models import Channel


def unreachable_officers(user) -> QuerySet[Officer]:
    """Officers in ``user``'s scope whom no message can reach: for every configured channel (of
    ``NOTIFY_CHANNEL_ORDER``, or their preferred one) they lack the address it needs — the SQL
    form of ``routing.route(officer) == []``. One query (and a count), sorted by name."""
    has_email = ~Q(email="") | (Q(user__isnull=False) & ~Q(user__email=""))
    has_phone = ~Q(phone="")
    order = routing.channel_order()
    reach = Q(pk__in=[])
    for channel in Channel.values:
        if not channels.configured(channel):
            continue
        address = has_email if channel == Channel.EMAIL else has_phone
        reach |= address if channel in order else (Q(preferred_channel=channel) & address)
    return Officer.objects.in_scope(user).filter(~reach).select_related("unit").sorted_by_name()
