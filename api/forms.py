from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TokenScope

DEFAULT_DAYS = 90


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “HR software of the district”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=DEFAULT_DAYS)
        self.fields["expires_on"].help_text = _("At most %(days)s days from today.") % {
            "days": settings.API_TOKEN_MAX_DAYS
        }

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise forms.ValidationError(
                _("A token may be valid for at most %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        return day

    def expires_at(self) -> datetime:
        """The end of the chosen day, Hanoi time."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.combine(day, time.max.replace(microsecond=0)))
