"""Reminder e-mails: who the current reminder writes to (the dry run) and sending it once each.

A reminder is recorded in ``ReminderSent`` (unique per reminder key, kind and address) before
it is sent, in the same transaction, so nobody is written twice for the same reminder. The
Celery task and its schedule are in ``training.tasks``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import notifications
from core.numbers import format_percent
from notifications import routing
from notifications.models import MessageKind
from organizations.models import ContactChannel, Officer, Role, RoleAssignment

from ..models import ReminderKind, ReminderSent, RequirementTarget
from . import rules
from .selectors import headline, officer_list
from .source import AuditSource, node_of

REMINDER_KEY = re.compile(r"\d{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3]))")


def reminder_key(day: date, cadence: str = "monthly") -> str:
    """Which reminder a run on ``day`` sends: "2026-03" (monthly) or "2026-W50" (weekly).

    The 1st of a month is that month's reminder whichever schedule fired, so on a Monday
    1 December the monthly and the weekly runs share one key and each person gets one mail.
    """
    if cadence == "weekly" and day.day != 1:
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{day.year}-{day.month:02d}"


@dataclass
class Recipient:
    kind: str
    email: str  # the address the reminder goes to on ``channel``: an e-mail, or a phone number
    name: str
    officer_id: int | None
    details: dict = field(default_factory=dict)
    channel: str = "email"
    officer: Officer | None = None

    def get_channel_display(self) -> str:
        return ContactChannel(self.channel).label


@dataclass
class ReminderPlan:
    key: str
    year: int
    officers: list[Recipient] = field(default_factory=list)
    managers: list[Recipient] = field(default_factory=list)
    closed: bool = False
    # Required officers not yet trained whom no configured channel reaches (no phone, no e-mail).
    unreachable: list[Officer] = field(default_factory=list)
    # Training targets still running, with their deadlines; those whose deadline has passed
    # are reminded no more (the dry run lists them).
    open_targets: dict[str, date] = field(default_factory=dict)
    passed_targets: dict[str, date] = field(default_factory=dict)

    @property
    def recipients(self) -> list[Recipient]:
        return self.officers + self.managers

    @property
    def without_email(self) -> int:  # the name the dry run's page used before other channels
        return len(self.unreachable)

    def by_channel(self) -> dict[str, int]:
        """How many recipients each channel would carry, in the configured order."""
        counts = dict.fromkeys(routing.channel_order(), 0)
        for recipient in self.recipients:
            counts[recipient.channel] = counts.get(recipient.channel, 0) + 1
        return counts


def reminder_plan(
    *, key: str | None = None, today: date | None = None, cadence: str = "monthly"
) -> ReminderPlan:
    """Who the reminder ``key`` would write to now: required officers not yet trained (whom a
    channel reaches) for a target whose deadline has not passed, and the managers of units while
    such a target remains, minus those already written to for this key. Each officer is told
    the earliest deadline they are still missing. Writes nothing: this is the dry run."""
    today = today or timezone.localdate()
    if not (key and REMINDER_KEY.fullmatch(key)):
        key = reminder_key(today, cadence)
    year = today.year
    source = AuditSource.for_year(year)
    plan = ReminderPlan(key=key, year=year, closed=source.frozen)
    if source.frozen:
        return plan
    for target in rules.TRAINING_TARGETS:
        requirement = source.requirements.get(target)
        if requirement is not None:
            deadline = requirement.effective_deadline
            (plan.open_targets if deadline >= today else plan.passed_targets)[target] = deadline
    if not plan.open_targets:
        return plan
    already = set(ReminderSent.objects.filter(key=key).values_list("kind", "email"))
    # There are two training targets: with none passed, all are asked for; else the one left.
    target = next(iter(plan.open_targets)) if plan.passed_targets else ""
    untrained = officer_list(source, None, None, target=target, status="untrained")
    # Someone missing two targets is told the earlier deadline: the ids missing a target due
    # before the latest deadline are read once (one query each).
    latest = max(plan.open_targets.values())
    earlier: dict[int, date] = {}
    for target, deadline in sorted(plan.open_targets.items(), key=lambda item: item[1], reverse=True):
        if deadline < latest:
            rows = officer_list(source, None, None, target=target, status="untrained")
            earlier.update(dict.fromkeys(rows.values_list("officer_id", flat=True), deadline))
    seen = set()
    for officer in (
        Officer.objects.filter(id__in=untrained.values("officer_id"))
        .select_related("user")
        .order_by("sort_key", "id")
        .iterator()
    ):
        pairs = routing.route(officer, MessageKind.REMINDER)
        if not pairs:
            plan.unreachable.append(officer)
            continue
        channel, email = pairs[0]
        if (ReminderKind.OFFICER, email) in already or email in seen:
            continue
        seen.add(email)
        plan.officers.append(
            Recipient(
                ReminderKind.OFFICER,
                email,
                officer.full_name,
                officer.id,
                {"deadline": earlier.get(officer.id, latest)},
                channel=channel,
                officer=officer,
            )
        )
    managers = (
        RoleAssignment.objects.active_on(today)
        .filter(role=Role.UNIT_MANAGER)
        .select_related("officer__user", "unit")
        .order_by("unit__path", "id")
    )
    # One summary per address covering every unit it manages. In path order a unit comes after
    # its ancestors, so a unit inside a subtree already summarised is left out.
    by_email: dict[str, Recipient] = {}
    for assignment in managers:
        officer = assignment.officer
        pairs = routing.route(officer, MessageKind.MANAGER_SUMMARY)
        if not pairs:
            continue
        channel, email = pairs[0]
        if (ReminderKind.MANAGER, email) in already:
            continue
        recipient = by_email.get(email)
        if recipient is None:
            recipient = Recipient(
                ReminderKind.MANAGER,
                email,
                officer.full_name,
                officer.id,
                {"units": []},
                channel=channel,
                officer=officer,
            )
            by_email[email] = recipient
            plan.managers.append(recipient)
        unit = assignment.unit
        units = recipient.details["units"]
        if any(unit.path.startswith(summarised["path"]) for summarised in units):
            continue
        units.append({"name": unit.name, "path": unit.path, "unit": unit})
    return plan


def _officer_message(recipient: Recipient, year: int) -> tuple[str, str, dict]:
    deadline = recipient.details["deadline"]
    subject = _("Reminder: your %(year)s training is not yet done") % {"year": year}
    body = _(
        "Dear %(name)s,\n\nYou are required to complete a qualifying training in %(year)s and the "
        "ledger has none for you yet. The deadline is %(deadline)s. Online courses and in-person "
        "classes both count.\n\nYour training page: %(url)s\n"
    ) % {
        "name": recipient.name,
        "year": year,
        "deadline": date_format(deadline, "SHORT_DATE_FORMAT"),
        "url": f"{settings.SITE_URL}/learn/",
    }
    params = {
        "name": recipient.name,
        "year": year,
        "deadline": date_format(deadline, "SHORT_DATE_FORMAT"),
        "url": f"{settings.SITE_URL}/learn/",
    }
    return subject, body, params


def _figure_lines(figures: dict, passed_targets: dict) -> str:
    lines = []
    for target, figure in figures.items():
        if figure is None or target in passed_targets:
            continue
        lines.append(
            f"- {RequirementTarget(target).label}: {figure.done}/{figure.required}"
            + (f" ({format_percent(figure.percent)})" if figure.percent is not None else "")
        )
    return "\n".join(lines)


def _manager_message(
    recipient: Recipient, source: AuditSource, passed_targets: dict
) -> tuple[str, str, dict]:
    """One summary of every unit the recipient manages (each with its subtree), without the
    targets whose deadline has passed. Three queries a unit: the figures are computed here,
    for the mail, not for the dry run."""
    year = source.year
    units = [
        {**unit, "figures": headline(source, None, node_of(unit["unit"]))}
        for unit in recipient.details["units"]
    ]
    url = f"{settings.SITE_URL}/audit/officers/?year={year}"
    params = {"name": recipient.name, "year": year, "unit": units[0]["name"] if units else "", "url": url}
    if len(units) == 1:
        (unit,) = units
        subject = _("Training %(year)s: summary for %(unit)s") % {"year": year, "unit": unit["name"]}
        body = _(
            "Dear %(name)s,\n\nThe training figures of %(unit)s and its units so far in %(year)s:\n"
            "%(lines)s\n\nThe list of officers not yet trained: %(url)s\n"
        ) % {
            "name": recipient.name,
            "unit": unit["name"],
            "year": year,
            "lines": _figure_lines(unit["figures"], passed_targets),
            "url": url,
        }
        return subject, body, params
    subject = _("Training %(year)s: summary for the %(count)s units you manage") % {
        "year": year,
        "count": len(units),
    }
    sections = "\n\n".join(
        f"{unit['name']}:\n{_figure_lines(unit['figures'], passed_targets)}" for unit in units
    )
    body = _(
        "Dear %(name)s,\n\nThe training figures so far in %(year)s of each unit you manage, "
        "with the units below it:\n\n%(sections)s\n\nThe list of officers not yet trained: %(url)s\n"
    ) % {"name": recipient.name, "year": year, "sections": sections, "url": url}
    return subject, body, params


def send_reminders(*, cadence: str = "monthly", dry_run: bool = False, today: date | None = None) -> dict:
    """Send the current reminder (``cadence`` monthly or weekly) once to each recipient.

    With ``dry_run`` nothing is sent or recorded; the plan is returned.
    """
    day = today or timezone.localdate()
    key = reminder_key(day, cadence)
    with translation.override(settings.LANGUAGE_CODE):
        plan = reminder_plan(key=key, today=day)
        if dry_run:
            return {
                "key": key,
                "would_send": [r.email for r in plan.recipients],
                "by_channel": plan.by_channel(),
                "unreachable": [officer.full_name for officer in plan.unreachable],
                "sent": [],
            }
        source = AuditSource.for_year(plan.year)
        sent = []
        for recipient in plan.recipients:
            if recipient.kind == ReminderKind.OFFICER:
                subject, body, params = _officer_message(recipient, plan.year)
                kind = MessageKind.REMINDER
            else:
                subject, body, params = _manager_message(recipient, source, plan.passed_targets)
                kind = MessageKind.MANAGER_SUMMARY
            with transaction.atomic():
                _record, created = ReminderSent.objects.get_or_create(
                    key=key,
                    kind=recipient.kind,
                    email=recipient.email,
                    defaults={"officer_id": recipient.officer_id, "year": plan.year},
                )
                if not created:
                    continue
                notifications.send(
                    kind,
                    officer=recipient.officer,
                    subject=subject,
                    body=body,
                    params=params,
                    dedupe_key=f"reminder:{key}:{recipient.kind}:{recipient.email}",
                    deliver_now=True,
                )
            sent.append(recipient.email)
    return {"key": key, "would_send": [], "sent": sent}
