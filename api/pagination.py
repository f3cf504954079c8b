"""Cursor pagination and ETags for every list.

A list is ordered by one unique key (``id``, or ``path`` for the tree); the cursor is that key
of the last row sent, signed (so it is opaque and cannot be forged into another list) and
URL-safe. A page is one query (the rows, with one more to know whether another page follows),
whatever its size. The ETag is the SHA-256 of the page's body: a client that sends it back in
``If-None-Match`` gets ``304 Not Modified`` while nothing on the page changed.
"""

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .problems import bad_request

SALT = "api.cursor"
DEFAULT_PAGE_SIZE = 50


def check_query(request, allowed: set[str]) -> None:
    """Refuse a query parameter the endpoint does not know: a misspelt filter would otherwise
    be ignored and the client would get every row instead of the ones it meant."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise bad_request(
            _("Unknown query parameter(s): %(names)s.") % {"names": ", ".join(unknown)},
            errors=[{"pointer": f"#/query/{name}", "detail": _("Unknown parameter.")} for name in unknown],
        )


def page_size(raw: int | None) -> int:
    size = DEFAULT_PAGE_SIZE if raw is None else raw
    if not 1 <= size <= settings.API_MAX_PAGE_SIZE:
        raise bad_request(
            _("limit must be between 1 and %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE},
            errors=[{"pointer": "#/query/limit", "detail": _("Out of range.")}],
        )
    return size


def encode_cursor(endpoint: str, key) -> str:
    return signing.dumps([endpoint, key], salt=SALT, compress=True)


def decode_cursor(endpoint: str, cursor: str):
    try:
        name, key = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        name, key = None, None
    if name != endpoint:
        raise bad_request(
            _("The cursor is not valid for this list; start again without it."),
            errors=[{"pointer": "#/query/cursor", "detail": _("Not a cursor of this list.")}],
        )
    return key


def json_response(request, body: dict, *, status: int = 200) -> HttpResponse:
    """JSON with a strong ETag; ``304`` when the client already holds this exact body."""
    content = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:40] + '"'
    wanted = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, status=status, content_type="application/json")
    response["ETag"] = etag
    # Lists depend on who asks: never shared by a proxy, always revalidated.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


def paginate(
    request,
    queryset: QuerySet,
    *,
    endpoint: str,
    key: str,
    serialize: Callable,
    limit: int | None,
    cursor: str | None,
) -> HttpResponse:
    """One page of ``queryset`` after the cursor, ordered by the unique ``key``."""
    size = page_size(limit)
    queryset = queryset.order_by(key)
    if cursor:
        queryset = queryset.filter(**{f"{key}__gt": decode_cursor(endpoint, cursor)})
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(endpoint, getattr(rows[-1], key)) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    body = {"items": [serialize(row) for row in rows], "next_cursor": next_cursor, "next": next_url}
    response = json_response(request, body)
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response
