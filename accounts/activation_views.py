"""/kich-hoat/: an officer types (or opens a link or QR code carrying) an activation code,
confirms their date of birth, chooses a password and is signed in on /learn/."""

from allauth.account.utils import perform_login
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from organizations.models import Officer

from . import activation as services

SESSION_KEY = "lms_activation"
# The date of birth was confirmed this long ago at most when the password is chosen.
CONFIRMED_FOR_SECONDS = 30 * 60


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Activation code"),
        max_length=services.LONGEST_TYPED,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=gettext_lazy("As printed on your activation sheet, e.g. K7QM-3XPD-9RTA."),
    )
    date_of_birth = forms.DateField(
        label=gettext_lazy("Date of birth"),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
        help_text=gettext_lazy("Day, month and year, e.g. 05/03/1985."),
        error_messages={"invalid": gettext_lazy("Enter the date as dd/mm/yyyy, e.g. 05/03/1985.")},
    )


def _code_message(reason: str) -> str:
    return {
        "unknown": _("This activation code is not valid. Check that you typed it as printed."),
        "used": _("This activation code has already been used. Sign in with your password."),
        "superseded": _(
            "This activation code was replaced by a newer one. "
            "Use the latest sheet or link your union gave you."
        ),
        "expired": _("This activation code has expired. Ask your union manager for a new one."),
    }[reason]


def _too_many(request):
    return render(request, "accounts/activation/limited.html", status=429)


@never_cache
def start(request, code: str = ""):
    """Step 1: the code and the date of birth. Nothing about the officer is shown here."""
    address = client_address(request)
    if services.is_limited(address=address):
        return _too_many(request)
    form = CodeForm(request.POST or None, initial={"code": code})
    problem, status = "", 200
    if code and request.method != "POST":
        try:
            services.find_code(code)
        except services.CodeProblem as error:
            problem, status = _code_message(error.reason), 410
    if request.method == "POST" and form.is_valid():
        try:
            row = services.find_code(form.cleaned_data["code"])
        except services.CodeProblem as error:
            services.count_failure(address=address)
            problem, status = _code_message(error.reason), 400
        else:
            officer = row.officer
            if services.is_limited(address=address, officer_id=officer.pk):
                return _too_many(request)
            if officer.date_of_birth is None:
                problem, status = (
                    _(
                        "Your date of birth is not on the roster, so this code cannot be used yet. "
                        "Ask your union manager to add it, or to invite you another way."
                    ),
                    400,
                )
            elif officer.date_of_birth != form.cleaned_data["date_of_birth"]:
                services.count_failure(address=address, officer_id=officer.pk)
                problem, status = (
                    _("The date of birth does not match the roster. Check it and try again."),
                    400,
                )
            else:
                request.session[SESSION_KEY] = {"code": row.pk, "at": timezone.now().timestamp()}
                return redirect("activation:password")
    return render(
        request, "accounts/activation/start.html", {"form": form, "problem": problem}, status=status
    )


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords do not match."))
        elif one:
            # Checked against the person's own name and e-mail, as Django's validators do.
            user = get_user_model()(
                first_name=self.officer.given_name,
                last_name=self.officer.family_name,
                email=self.officer.email,
            )
            try:
                password_validation.validate_password(one, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


def _confirmed_code(request):
    """The code whose date of birth this session confirmed (recently), if it is still open."""
    state = request.session.get(SESSION_KEY) or {}
    if not state or timezone.now().timestamp() - state.get("at", 0) > CONFIRMED_FOR_SECONDS:
        return None
    return (
        services.ActivationCode.objects.open()
        .select_related("officer", "officer__unit")
        .filter(pk=state.get("code"), officer__user__isnull=True)
        .first()
    )


@never_cache
def choose_password(request):
    """Step 2: the officer, now named, chooses a password; the account is made and signed in."""
    row = _confirmed_code(request)
    if row is None:
        if request.user.is_authenticated and Officer.objects.for_user(request.user) is not None:
            return redirect("learn:dashboard")  # a repeated submit after the account was made
        return redirect("activation:start")
    form = PasswordForm(request.POST or None, officer=row.officer)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activate(code_id=row.pk, password=form.cleaned_data["password1"])
        except services.AlreadyActivated:
            return redirect("activation:start")
        request.session.pop(SESSION_KEY, None)
        # allauth's sign-in, so its login stages (two-factor where required) and signals apply.
        return perform_login(
            request, user, email_verification="none", redirect_url=reverse("learn:dashboard")
        )
    return render(request, "accounts/activation/password.html", {"form": form, "officer": row.officer})
