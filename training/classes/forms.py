"""Forms of the class pages: a class, its sessions, an attendance sheet."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organizations.fields import unit_field_for
from organizations.models import Unit

from ..ledger.forms import DateInput
from ..models import ClassKind, ClassSession, InPersonClass


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
            "capacity",
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


class InviteForm(forms.Form):
    """Invite to an existing class in the viewer's scope, or to one created on the spot."""

    in_person_class = forms.ModelChoiceField(
        queryset=InPersonClass.objects.none(),
        required=False,
        label=_("Existing class"),
        empty_label=_("— a new class —"),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    kind = forms.ModelChoiceField(
        queryset=ClassKind.objects.all(), required=False, label=capfirst(_("kind of class"))
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=capfirst(_("start time")), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=capfirst(_("end time")), required=False, widget=TimeInput())
    place = forms.CharField(label=capfirst(_("place")), max_length=255, required=False)
    organising_unit = forms.ModelChoiceField(
        queryset=None, required=False, label=capfirst(_("organising unit"))
    )
    hours = forms.DecimalField(
        label=capfirst(_("hours")), max_digits=5, decimal_places=1, min_value=0, required=False
    )
    capacity = forms.IntegerField(label=capfirst(_("capacity")), min_value=1, required=False)
    confirm = forms.BooleanField(label=_("I have read the warnings: invite them anyway"), required=False)

    NEW_CLASS_FIELDS = ("title", "date", "start_time", "end_time", "organising_unit")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_person_class"].queryset = (
            InPersonClass.objects.organised_within(user)
            .filter(start_date__gte=timezone.localdate())
            .select_related("organising_unit")
            .order_by("start_date", "id")
        )
        unit = InPersonClass._meta.get_field("organising_unit").formfield(required=False)
        self.fields["organising_unit"] = unit_field_for(user, unit)
        self.fields["organising_unit"].required = False

    def clean(self):
        data = super().clean()
        if data.get("in_person_class"):
            return data
        for name in self.NEW_CLASS_FIELDS:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Choose an existing class, or fill this in for a new one."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return data

    def when(self):
        """(sessions, first day, last day) of the class invited to."""
        klass = self.cleaned_data.get("in_person_class")
        if klass is not None:
            sessions = [(s.date, s.start_time, s.end_time) for s in klass.sessions.all()]
            return sessions, klass.start_date, klass.end_date
        data = self.cleaned_data
        return [(data["date"], data["start_time"], data["end_time"])], data["date"], data["date"]

    def save_class(self, *, by) -> InPersonClass:
        """The class chosen, or the new one with its one session."""
        klass = self.cleaned_data.get("in_person_class")
        if klass is not None:
            return klass
        data = self.cleaned_data
        klass = InPersonClass.objects.create(
            title=data["title"],
            kind=data.get("kind"),
            organising_unit=data["organising_unit"],
            start_date=data["date"],
            end_date=data["date"],
            place=data.get("place") or "",
            hours=data.get("hours") or 0,
            capacity=data.get("capacity"),
            created_by=by,
        )
        ClassSession.objects.create(
            in_person_class=klass, date=data["date"], start_time=data["start_time"], end_time=data["end_time"]
        )
        return klass


class RosterForm(forms.Form):
    """Invite from a unit's roster: the unit (its subtree's officers), in the viewer's scope."""

    roster = forms.ModelChoiceField(queryset=None, to_field_name="code", label=capfirst(_("unit")))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        field = forms.ModelChoiceField(
            queryset=Unit.objects.all(), to_field_name="code", label=capfirst(_("unit"))
        )
        self.fields["roster"] = unit_field_for(user, field)
