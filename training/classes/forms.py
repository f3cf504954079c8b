"""Forms of the class pages: a class, its sessions, an attendance sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.fields import unit_field_for

from ..ledger.forms import DateInput
from ..models import ClassSession, InPersonClass


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class InPersonClassForm(forms.ModelForm):
    class Meta:
        model = InPersonClass
        fields = [
            "title",
            "kind",
            "topic",
            "organising_unit",
            "start_date",
            "end_date",
            "place",
            "hours",
            "counts_toward_requirement",
            "grants_certificate",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organising_unit"] = unit_field_for(user, self.fields["organising_unit"])


class ClassSessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "start_time", "end_time"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, in_person_class: InPersonClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.in_person_class = in_person_class

    def clean_date(self):
        day = self.cleaned_data["date"]
        klass = self.instance.in_person_class
        if not klass.start_date <= day <= klass.end_date:
            raise forms.ValidationError(_("A session must fall within the class's dates."))
        return day


class AttendanceSheetForm(forms.Form):
    sheet = forms.FileField(label=_("Attendance sheet (.xlsx)"))
