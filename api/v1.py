"""The REST API, mounted at /api/v1/ (lms.urls). See docs/api.md."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import TokenAuth
from .endpoints import audit, classes, ledger, roster, roster_write
from .problems import Problem, bad_request, invalid, not_found, unauthorized

DESCRIPTION = """Read the union tree, the roster, the training ledger, certificates and the yearly
audit; record attendance and update the roster. Every request carries a personal access token
(`Authorization: Bearer hlcd_…`), made on your account page, and sees exactly what its owner
sees on the site. Errors are RFC 9457 problem documents. Guide: docs/api.md."""

api = NinjaAPI(
    title="Huấn luyện Công đoàn API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(settings={"persistAuthorization": False}),
    # Swagger UI (served from django-ninja's own static files) sets style attributes: on this
    # page only, inline styles are allowed; scripts stay 'self' only.
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)
for module in (roster, roster_write, ledger, audit, classes):
    api.add_router("/", module.router)


def _pointer(location) -> str:
    parts = [str(part) for part in location]
    if parts[:2] == ["body", "payload"]:
        parts = parts[2:]
    elif parts and parts[0] == "body":
        parts = parts[1:]
    return "#/" + "/".join(parts)


@api.exception_handler(Problem)
def problem(request, exc: Problem):
    return exc.response()


@api.exception_handler(AuthenticationError)
def no_token(request, exc):
    return unauthorized(_("Send a personal access token: Authorization: Bearer hlcd_…")).response()


@api.exception_handler(ValidationError)
def validation(request, exc: ValidationError):
    errors = [{"pointer": _pointer(e.get("loc", ())), "detail": e.get("msg", "")} for e in exc.errors]
    status = 422 if any(e.get("loc", ("",))[0] == "body" for e in exc.errors) else 400
    if status == 400:
        return bad_request(_("A query parameter has a wrong value."), errors=errors).response()
    return invalid(_("The request body does not match the schema."), errors).response()


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return Problem(exc.status_code, "bad-request", _("Bad request"), str(exc)).response()


@api.exception_handler(Http404)
def missing(request, exc):
    return not_found().response()


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return Problem(413, "body-too-large", _("Request body too large"), str(exc)).response()
