"""Password reset codes: a unit manager issues one from the roster; the officer uses it at
``/quen-mat-khau/ma/`` with their phone number (accounts.reset_codes)."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.utils import perform_login
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from core.phones import InvalidPhone, normalise_phone
from organizations.models import Officer
from organizations.views import _require_roster_access

from . import reset_codes
from .models import PasswordResetCode

TRIES_PER_HOUR = 10  # wrong codes per client address and per phone number, as for sign-in
HISTORY_SHOWN = 20


def _scoped_officer(user, pk: int) -> Officer:
    """The officer if ``user`` may see them (a manager of their unit, an auditor); 404 otherwise."""
    _require_roster_access(user)
    officer = Officer.objects.in_scope(user).select_related("unit", "user").filter(pk=pk).first()
    if officer is None:
        raise Http404
    return officer


@never_cache
@login_required
def officer_reset_code(request, pk: int):
    """An officer's reset codes (who issued which, when, what became of it) and, on POST, a new
    code shown once on this page."""
    officer = _scoped_officer(request.user, pk)
    code = None
    if request.method == "POST":
        try:
            code = reset_codes.issue_reset_code(officer, issued_by=request.user)
        except reset_codes.NoAccount:
            pass  # the page says the officer has no account yet
    history = list(
        PasswordResetCode.objects.filter(officer=officer).select_related("issued_by__officer")[:HISTORY_SHOWN]
    )
    return render(
        request,
        "accounts/reset_code.html",
        {
            "officer": officer,
            "code": code,
            "issued": history[0] if code else None,
            "history": history,
            "reset_url": request.build_absolute_uri(reverse("password_reset_code")),
        },
    )


# ------------------------------------------------------------------ the officer's side


class ResetWithCodeForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    code = forms.CharField(
        label=_("Code from your unit manager"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as error:
            raise ValidationError(error.message, code="invalid_phone") from None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


def _limit_keys(request) -> list[str]:
    """The counters a wrong try moves: the client's address and the phone number typed."""
    try:
        ip = get_account_adapter(request).get_client_ip(request)
    except PermissionDenied:
        ip = "unknown"
    typed = request.POST.get("phone", "")[:40]
    try:
        phone = normalise_phone(typed) or typed.strip()
    except InvalidPhone:
        phone = "".join(typed.split())
    return [f"reset-code:ip:{ip}", f"reset-code:phone:{phone}"]


def _is_limited(keys: list[str]) -> bool:
    return any((cache.get(key) or 0) >= TRIES_PER_HOUR for key in keys)


def _count_wrong_try(keys: list[str]) -> None:
    # The hour starts at the first wrong try; counted in Django's cache (CACHE_URL shares it
    # between web processes, as for sign-in's limits).
    for key in keys:
        cache.add(key, 0, timeout=60 * 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=60 * 60)


@never_cache
def reset_with_code(request):
    """Forgotten password, for officers who sign in with their phone: number + code + new password
    → signed in (through allauth's sign-in, so staff still meet their two-factor step) on /learn/."""
    form = ResetWithCodeForm(request.POST or None)
    if request.method != "POST":
        sms = reset_codes.sms_is_available()
        context = {"form": form, "sms_available": sms, "sms_form": SmsCodeForm() if sms else None}
        return render(request, "accounts/reset_with_code.html", context)
    keys = _limit_keys(request)
    if _is_limited(keys):
        return render(request, "accounts/reset_with_code.html", {"form": form, "limited": True}, status=429)
    if not form.is_valid():
        if "phone" in form.errors or "code" in form.errors:
            _count_wrong_try(keys)
        return render(request, "accounts/reset_with_code.html", {"form": form})
    try:
        row = reset_codes.find_reset_code(form.cleaned_data["phone"], form.cleaned_data["code"])
        reset_codes.check_new_password(row, form.cleaned_data["password1"])
        user = reset_codes.reset_password_with_code(row, form.cleaned_data["password1"])
    except reset_codes.CodeRefused as refused:
        _count_wrong_try(keys)
        form.add_error("code", refused.message)
    except ValidationError as error:
        form.add_error("password1", error)
    else:
        return perform_login(request, user, redirect_url=reverse("learn:dashboard"))
    return render(request, "accounts/reset_with_code.html", {"form": form})


class SmsCodeForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=40)

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as error:
            raise ValidationError(error.message, code="invalid_phone") from None


@never_cache
def reset_code_by_sms(request):
    """The "Send me a code by SMS" form (only when an SMS gateway is set up): the same answer whether or not
    the number has an account, then the code form with the number filled in. Each request counts
    toward the page's hourly limit, per address and per number, like a wrong code."""
    if not reset_codes.sms_is_available():
        raise Http404
    sms_form = SmsCodeForm(request.POST or None)
    context = {"form": ResetWithCodeForm(), "sms_form": sms_form, "sms_available": True}
    if request.method != "POST":
        return render(request, "accounts/reset_with_code.html", context)
    keys = _limit_keys(request)
    if _is_limited(keys):
        return render(request, "accounts/reset_with_code.html", {**context, "limited": True}, status=429)
    _count_wrong_try(keys)
    if not sms_form.is_valid():
        return render(request, "accounts/reset_with_code.html", context)
    reset_codes.send_reset_code_by_sms(sms_form.cleaned_data["phone"])
    context["form"] = ResetWithCodeForm(initial={"phone": request.POST.get("phone", "")})
    context["sms_form"] = SmsCodeForm()
    context["sms_sent"] = True
    return render(request, "accounts/reset_with_code.html", context)
