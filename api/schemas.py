"""What the API sends and accepts. Dates and times are ISO 8601 (times with their UTC offset)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    """A request body: a field the API does not know is refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class UnitRef(Schema):
    id: int
    code: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    worker_count: int
    is_active: bool
    dissolved_on: date | None
    parent_code: str | None = Field(None, description="Null at the top of your scope.")
    path: str = Field(description="Materialized path: 4 characters per level; a prefix is an ancestor.")
    depth: int
    updated_at: datetime = Field(description="When the unit last changed (see changed_since).")


class OfficerOut(Schema):
    id: int
    code: str | None
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    date_of_birth: date | None
    gender: str
    phone: str
    email: str
    unit: UnitRef
    updated_at: datetime = Field(description="When the officer's own row last changed (see changed_since).")


class RoleAssignmentOut(Schema):
    id: int
    officer_id: int
    officer_code: str | None
    role: str
    unit: UnitRef
    start_date: date
    end_date: date | None
    updated_at: datetime = Field(description="When the assignment last changed (see changed_since).")


class OfficerDetailOut(OfficerOut):
    roles: list[RoleAssignmentOut]


class TrainingRecordOut(Schema):
    id: int
    officer_id: int
    officer_code: str | None
    kind: str
    title: str
    completed_on: date
    year: int
    hours: Decimal
    score: Decimal | None
    counts_toward_requirement: bool
    grants_certificate: bool
    source: str
    in_person_class_id: int | None
    corrects_id: int | None
    recorded_at: datetime
    voided_at: datetime | None
    void_reason: str

    @staticmethod
    def resolve_officer_code(record) -> str | None:
        return record.officer.code  # selected with the record


class CertificateOut(Schema):
    id: int
    register_number: str = Field(description="As printed: N/YYYY/GCN-ISSUER.")
    year: int
    issued_on: date
    status: str = Field(description="preparing, failed, valid, superseded or revoked.")
    verify_url: str
    officer_id: int
    officer_code: str | None
    full_name: str
    training_title: str
    training_start: date
    training_end: date
    hours: Decimal
    record_id: int
    supersedes_id: int | None
    superseded_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ClassOut(Schema):
    id: int
    title: str
    topic: str
    organising_unit: UnitRef
    start_date: date
    end_date: date
    place: str
    hours: Decimal
    counts_toward_requirement: bool
    grants_certificate: bool


class FigureOut(Schema):
    required: int
    done: int
    missing: int
    percent: Decimal | None = Field(
        description="Two decimals, halves rounded up; null when nobody is required."
    )


class AuditUnitRowOut(Schema):
    code: str
    name: str
    level: str
    is_self: bool = Field(description="Roles held at the unit itself rather than in a child unit.")
    figures: dict[str, FigureOut | None]


class AuditRoleRowOut(Schema):
    role: str
    figures: dict[str, FigureOut | None]


class AuditNodeOut(Schema):
    code: str
    name: str
    level: str


class AuditOut(Schema):
    year: int
    closed: bool = Field(description="A closed year is read from its frozen snapshot.")
    unit: AuditNodeOut | None = Field(description="Null when a manager's view spans several subtrees.")
    unit_name: str
    targets: dict[str, FigureOut | None] = Field(description="staffing, corps, large_grassroots.")
    units: list[AuditUnitRowOut]
    roles: list[AuditRoleRowOut]


def page_of(item):
    """The schema of a page of ``item`` (for the OpenAPI document)."""

    class Page(Schema):
        items: list[item]
        next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")
        next: str | None = Field(description="The next page's URL; null on the last.")

    Page.__name__ = f"{item.__name__.removesuffix('Out')}Page"
    return Page


# --- Writes --------------------------------------------------------------------------------------

CELL = 255


class AttendanceIn(Strict):
    officer_codes: list[str] = Field(max_length=5000, description="Officer codes of those present.")


class AttendanceOut(Schema):
    rows: int
    newly_present: int
    already_present: int
    record_ids: list[int] = Field(description="The training records made by this request.")


class UnitRowIn(Strict):
    code: str = Field(max_length=CELL)
    parent_code: str | None = Field(None, max_length=CELL)
    name: str | None = Field(None, max_length=CELL)
    level: str | None = Field(None, max_length=CELL, description="city, upper or grassroots.")
    kind: str | None = Field(None, max_length=CELL)
    worker_count: int | str | None = None


class OfficerRowIn(Strict):
    code: str | None = Field(None, max_length=CELL)
    family_name: str | None = Field(None, max_length=CELL)
    middle_name: str | None = Field(None, max_length=CELL)
    given_name: str | None = Field(None, max_length=CELL)
    full_name: str | None = Field(None, max_length=CELL)
    date_of_birth: str | None = Field(None, max_length=CELL, description="yyyy-mm-dd or dd/mm/yyyy.")
    gender: str | None = Field(None, max_length=CELL)
    phone: str | None = Field(None, max_length=CELL)
    email: str | None = Field(None, max_length=CELL)
    unit_code: str = Field(max_length=CELL)
    role: str | None = Field(None, max_length=CELL)
    start_date: str | None = Field(None, max_length=CELL)
    end_date: str | None = Field(None, max_length=CELL)


class RosterIn(Strict):
    units: list[UnitRowIn] = Field(default_factory=list, max_length=5000)
    officers: list[OfficerRowIn] = Field(default_factory=list, max_length=5000)
    dry_run: bool = Field(False, description="Check and report what would change; write nothing.")
    close_missing: bool = Field(
        False, description="Also close the open roles of officers left out, at the units the rows name."
    )


class RosterOut(Schema):
    written: bool
    summary: dict
