"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers is one of these: ``type`` (a URI naming the kind of problem,
listed in docs/api.md), ``title`` (the kind, in words), ``status``, ``detail`` (this
occurrence) and, for rows of a write, ``errors`` (one entry per bad field, each with a JSON
Pointer into the request body).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_BASE = "/api/v1/problems/"
CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in an endpoint: the API answers with this problem document."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str = "",
        *,
        errors: list[dict] | None = None,
        headers: dict | None = None,
        extra: dict | None = None,
    ):
        super().__init__(detail or title)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.errors, self.headers, self.extra = errors, headers or {}, extra or {}

    def document(self) -> dict:
        body = {
            "type": PROBLEM_BASE + self.kind,
            "title": str(self.title),
            "status": self.status,
            "detail": str(self.detail or self.title),
        }
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body

    def response(self) -> HttpResponse:
        response = HttpResponse(
            json.dumps(self.document(), cls=DjangoJSONEncoder, ensure_ascii=False),
            status=self.status,
            content_type=CONTENT_TYPE,
        )
        for name, value in self.headers.items():
            response[name] = value
        return response


def not_found(detail: str = "") -> Problem:
    # The same answer for "no such object" and "not yours to see", as on the screens.
    return Problem(404, "not-found", _("Not found"), detail or _("There is no such object in your scope."))


def unauthorized(detail: str) -> Problem:
    return Problem(
        401, "unauthorized", _("Not signed in"), detail, headers={"WWW-Authenticate": 'Bearer realm="api"'}
    )


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", _("Not allowed"), detail)


def bad_request(detail: str, *, errors: list[dict] | None = None) -> Problem:
    return Problem(400, "bad-request", _("Bad request"), detail, errors=errors)


def invalid(detail: str, errors: list[dict]) -> Problem:
    return Problem(422, "invalid", _("The request has errors"), detail, errors=errors)
