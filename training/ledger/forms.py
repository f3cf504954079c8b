"""Forms of the ledger pages: a reason (to void a record or take someone off a list), a correction."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import TrainingRecord


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
