"""The .ics event of an in-person class (RFC 5545, the ``icalendar`` package): one event per
session, in Hanoi time, so a phone's calendar shows the class where and when it is held."""

from datetime import datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event

from ..models import InPersonClass
from ..models.classes import LOCAL_TZ


def class_ics(in_person_class: InPersonClass) -> str:
    """The class as an iCalendar text: one VEVENT per session, or an all-day event over its days."""
    calendar = Calendar()
    calendar.add("prodid", "-//Huan luyen Cong doan//lms//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "lms"
    stamp = datetime.now(tz=LOCAL_TZ).replace(microsecond=0)
    sessions = list(in_person_class.sessions.all())
    if sessions:
        spans = [(f"session-{s.pk}", s.starts_at, s.ends_at) for s in sessions]
    else:
        spans = [
            (
                "days",
                in_person_class.start_date,
                in_person_class.end_date + timedelta(days=1),
            )
        ]
    for key, start, end in spans:
        event = Event()
        event.add("uid", f"class-{in_person_class.pk}-{key}@{host}")
        event.add("summary", in_person_class.title)
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        if in_person_class.place:
            event.add("location", in_person_class.place)
        calendar.add_component(event)
    return calendar.to_ical().decode()


__all__ = ["class_ics"]
