"""Who must use two-factor (staff), and the TOTP code forms that say when a code was just used."""

import datetime

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from core.compiled import CompiledValuesQuery


def _account_facts_query(user_id: int, today):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Exists, OuterRef

    from organizations.models import Officer, Role, RoleAssignment
    from organizations.scope import AUDITOR_GROUP

    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    return (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(
            in_auditors=Exists(Group.objects.filter(name=AUDITOR_GROUP, user=OuterRef("pk"))),
            admin_by_group=Exists(admin_access.filter(group__user=OuterRef("pk"))),
            admin_by_user=Exists(admin_access.filter(user=OuterRef("pk"))),
            manages_a_unit=Exists(
                RoleAssignment.objects.active_on(today).filter(
                    role=Role.UNIT_MANAGER, officer__user=OuterRef("pk")
                )
            ),
            has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
            has_officer=Exists(Officer.objects.filter(user=OuterRef("pk"))),
        )
        .values(
            "is_active",
            "is_staff",
            "is_superuser",
            "in_auditors",
            "admin_by_group",
            "admin_by_user",
            "manages_a_unit",
            "has_totp",
            "has_officer",
        )
    )


# Every signed-in request runs it: compiled once per process and, on PostgreSQL, prepared once per
# connection (building it took 2.5 ms a request, and PostgreSQL 1.2 ms to plan it).
_ACCOUNT_FACTS = CompiledValuesQuery(_account_facts_query, user_id=int, today=datetime.date)


def account_facts(user) -> dict[str, bool]:
    """What the signed-in ``user`` is, read in one query and kept on the user object for the
    request: staff, superuser, in the auditors' group, may open the Wagtail admin, manages a unit
    today, has a TOTP authenticator, has an officer on the roster.

    Read fresh from the database on every request (the user object is loaded per request, no
    other cache): a role or group given a moment ago counts on the very next request. The two-
    factor check and the navigation both ask, so a page pays one query for both. Primes
    ``organizations.scope.is_auditor``'s per-request cache too.
    """
    cached = getattr(user, "_lms_account_facts", None)
    if cached is not None:
        return cached
    from django.utils import timezone

    found = _ACCOUNT_FACTS.first(user_id=user.pk, today=timezone.localdate())
    row = None if found is None else {name: bool(value) for name, value in found.items()}
    if row is None:
        facts = dict.fromkeys(
            (
                "staff",
                "superuser",
                "auditor",
                "admin_permission",
                "may_open_admin",
                "manager",
                "has_totp",
                "has_officer",
            ),
            False,
        )
    else:
        admin_permission = row["admin_by_group"] or row["admin_by_user"]
        facts = {
            "staff": row["is_staff"],
            "superuser": row["is_superuser"],
            "auditor": row["is_superuser"] or row["in_auditors"],
            "admin_permission": admin_permission,
            # As user.has_perm("wagtailadmin.access_admin") answers: active users only.
            "may_open_admin": row["is_active"] and (row["is_superuser"] or admin_permission),
            "manager": row["manages_a_unit"],
            "has_totp": row["has_totp"],
            "has_officer": row["has_officer"],
        }
    user._lms_account_facts = facts
    user._lms_is_auditor = facts["auditor"]
    return facts


def two_factor_facts(user) -> dict[str, bool]:
    """Whether ``user`` must use two-factor and whether a TOTP authenticator is set up (one
    query, shared with the navigation: ``account_facts``)."""
    facts = account_facts(user)
    required = any(facts[key] for key in ("staff", "superuser", "auditor", "admin_permission", "manager"))
    return {"required": required, "has_totp": facts["has_totp"]}


def requires_two_factor(user) -> bool:
    """True for staff: anyone who may open the Wagtail admin (editors, unit managers, auditors,
    superusers) or who manages a unit (and so reads its roster and audit on the site's pages).

    The admin and the roster hold officers' personal data and the admin publishes courses, so a
    password alone is not enough there; learners are not asked.
    """
    return two_factor_facts(user)["required"]


def needs_two_factor_setup(user) -> bool:
    """True for staff who have no TOTP authenticator yet (one query)."""
    facts = two_factor_facts(user)
    return facts["required"] and not facts["has_totp"]


CODE_JUST_USED = _(
    "This code has just been used. Wait for your authenticator app to show the next code, "
    "then enter that one."
)


def _used_code_key(user, code: str) -> str | None:
    """allauth's cache key marking ``code`` as used by the user's TOTP authenticator."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return TOTP(authenticator)._get_used_cache_key(code) if authenticator else None


class _TOTPCodeMixin:
    """Says plainly when a TOTP code was refused because it was just used, and keeps a used
    code refused for as long as it could still be accepted.

    allauth accepts a code from the step before or after (``MFA_TOTP_TOLERANCE``), so a code
    is good for up to (2 × tolerance + 1) steps, but it remembers a used code for one step only.
    """

    def clean_code(self) -> str:
        try:
            code = super().clean_code()
        except forms.ValidationError:
            key = _used_code_key(self.user, self.cleaned_data.get("code") or "")
            if key and cache.get(key) is not None:
                raise forms.ValidationError(CODE_JUST_USED, code="code_just_used") from None
            raise
        if self.authenticator.type == Authenticator.Type.TOTP:
            steps = 2 * mfa_settings.TOTP_TOLERANCE + 1
            cache.set(_used_code_key(self.user, code), "y", timeout=steps * mfa_settings.TOTP_PERIOD)
        return code


class AuthenticateForm(_TOTPCodeMixin, mfa_forms.AuthenticateForm):
    """The code step of signing in (``MFA_FORMS["authenticate"]``)."""


class ReauthenticateForm(_TOTPCodeMixin, mfa_forms.ReauthenticateForm):
    """The code asked again before a sensitive change (``MFA_FORMS["reauthenticate"]``)."""
