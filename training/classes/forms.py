"""Forms of the class and ledger pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.fields import unit_field_for

from ..models import ClassSession, InPersonClass, TrainingRecord


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class InPersonClassForm(forms.ModelForm):
    class Meta:
        model = InPersonClass
        fields = [
            "title",
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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, strip=True)


class CorrectionForm(forms.Form):
    completed_on = forms.DateField(label=_("Date completed"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    score = forms.DecimalField(
        label=_("Score (%)"), max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500, strip=True)

    def __init__(self, *args, record: TrainingRecord, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record

    @classmethod
    def for_record(cls, record: TrainingRecord, data=None):
        initial = {"completed_on": record.completed_on, "hours": record.hours, "score": record.score}
        return cls(data=data, initial=initial, record=record)

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A training cannot be completed in the future."))
        return day

    def clean(self):
        data = super().clean()
        record = self.record
        day, hours, score = data.get("completed_on"), data.get("hours"), data.get("score")
        if day is None or hours is None:
            return data
        if (day, hours) == (record.completed_on, record.hours) and score in (None, record.score):
            raise forms.ValidationError(_("Nothing to correct: change the date, the hours or the score."))
        if (
            record.course_id
            and day.year != record.year
            and TrainingRecord.objects.valid()
            .filter(officer_id=record.officer_id, course_id=record.course_id, year=day.year)
            .exists()
        ):
            raise forms.ValidationError(
                _("This officer already has a record of this course in %(year)s."), params={"year": day.year}
            )
        return data


class AttendanceSheetForm(forms.Form):
    sheet = forms.FileField(label=_("Attendance sheet (.xlsx)"))
