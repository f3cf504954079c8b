"""The documented spreadsheet layout: sheets, Vietnamese headers and the values they accept.

The same tables drive the parser, the blank template and docs/roster-import.md.
"""

import re
import unicodedata
from dataclasses import dataclass

from ..models import ContactChannel, Gender, Role, UnitLevel, UpperKind

UNITS = "units"
OFFICERS = "officers"

UNITS_SHEET_TITLE = "Đơn vị"
OFFICERS_SHEET_TITLE = "Cán bộ"
INSTRUCTIONS_SHEET_TITLE = "Hướng dẫn"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", required=True, aliases=("unit code", "code")),
    Column("parent_code", "Mã đơn vị cấp trên", aliases=("mã cấp trên", "parent unit code", "parent code")),
    Column("name", "Tên đơn vị", required=True, aliases=("unit name", "name")),
    Column("level", "Cấp", required=True, aliases=("cấp đơn vị", "level")),
    Column("kind", "Loại", aliases=("loại đơn vị", "kind")),
    Column("worker_count", "Số lao động", aliases=("số công nhân lao động", "workers", "worker count")),
)

OFFICER_COLUMNS = (
    Column("code", "Mã cán bộ", aliases=("mã cb", "officer code")),
    Column("family_name", "Họ", aliases=("family name",)),
    Column("middle_name", "Tên đệm", aliases=("middle name",)),
    Column("given_name", "Tên", aliases=("given name",)),
    Column("full_name", "Họ và tên", aliases=("họ tên", "full name")),
    Column("date_of_birth", "Ngày sinh", aliases=("date of birth",)),
    Column("gender", "Giới tính", aliases=("gender",)),
    Column("phone", "Số điện thoại", aliases=("điện thoại", "sđt", "phone")),
    Column("email", "Thư điện tử", aliases=("email", "e-mail", "địa chỉ email")),
    Column("unit_code", "Mã đơn vị", required=True, aliases=("unit code",)),
    Column("role", "Vai trò", aliases=("chức danh", "role")),
    Column("start_date", "Ngày bắt đầu", aliases=("từ ngày", "start date")),
    Column("end_date", "Ngày kết thúc", aliases=("đến ngày", "end date")),
    Column("preferred_channel", "Kênh nhận tin", aliases=("kênh ưu tiên", "preferred channel", "channel")),
)

COLUMNS = {UNITS: UNIT_COLUMNS, OFFICERS: OFFICER_COLUMNS}


def plain(text) -> str:
    """Lower case, no diacritics, đ→d, single spaces, without a trailing "(*)" or "*"."""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\(\s*\*\s*\)|\*", " ", text)
    return " ".join(text.split())


def _lookup(columns) -> dict[str, Column]:
    table = {}
    for column in columns:
        for name in (column.header, column.field, *column.aliases):
            table[plain(name)] = column
    return table


HEADER_LOOKUP = {kind: _lookup(columns) for kind, columns in COLUMNS.items()}

LEVEL_VALUES = {
    plain(v): level
    for level, values in {
        UnitLevel.CITY: ("Thành phố", "LĐLĐ Thành phố", "Liên đoàn Lao động Thành phố", "city"),
        UnitLevel.UPPER: (
            "Cấp trên trực tiếp",
            "Cấp trên",
            "Công đoàn cấp trên trực tiếp cơ sở",
            "CĐCTTT",
            "upper",
        ),
        UnitLevel.GRASSROOTS: ("Cơ sở", "Công đoàn cơ sở", "CĐCS", "grassroots"),
    }.items()
    for v in values
}
LEVEL_RANK = {UnitLevel.CITY: 0, UnitLevel.UPPER: 1, UnitLevel.GRASSROOTS: 2}

KIND_VALUES = {
    plain(v): kind
    for kind, values in {
        UpperKind.DISTRICT: ("Quận, huyện", "LĐLĐ quận, huyện, thị xã", "Quận huyện", "district"),
        UpperKind.INDUSTRY: ("Ngành", "Công đoàn ngành", "industry"),
        UpperKind.INDUSTRIAL_ZONE: ("Khu công nghiệp", "Công đoàn Khu công nghiệp", "industrial_zone"),
        UpperKind.CORPORATION: ("Tổng công ty", "Công đoàn Tổng công ty", "corporation"),
    }.items()
    for v in values
}

ROLE_VALUES = {
    plain(v): role
    for role, values in {
        Role.PROPAGANDA_OFFICER: (
            "Cán bộ Tuyên giáo",
            "Tuyên giáo",
            "Cán bộ làm công tác tuyên giáo",
            "propaganda_officer",
            "Propaganda-education officer",
        ),
        Role.REPORTER: ("Báo cáo viên", "reporter"),
        Role.PROPAGANDIST: ("Tuyên truyền viên", "propagandist"),
        Role.OPINION_COLLABORATOR: (
            "Cộng tác viên dư luận xã hội",
            "Cộng tác viên DLXH",
            "CTV DLXH",
            "opinion_collaborator",
            "Public-opinion collaborator",
        ),
        Role.GRASSROOTS_CHAIR: (
            "Chủ tịch CĐCS",
            "Chủ tịch công đoàn cơ sở",
            "grassroots_chair",
            "Grassroots union chair",
        ),
        Role.UNIT_MANAGER: ("Quản lý đơn vị", "unit_manager", "Unit manager"),
    }.items()
    for v in values
}

GENDER_VALUES = {
    plain(v): gender
    for gender, values in {
        Gender.MALE: ("Nam", "male", "M"),
        Gender.FEMALE: ("Nữ", "female", "F"),
        Gender.OTHER: ("Khác", "other"),
    }.items()
    for v in values
}

CHANNEL_VALUES = {
    plain(v): channel
    for channel, values in {
        ContactChannel.ZALO: ("Zalo", "ZNS"),
        ContactChannel.SMS: ("SMS", "Tin nhắn", "Tin nhắn SMS"),
        ContactChannel.EMAIL: ("Thư điện tử", "Email", "E-mail"),
    }.items()
    for v in values
}

# Vietnamese labels written in the template and the docs (what users type).
LEVEL_LABELS = {
    UnitLevel.CITY: "Thành phố",
    UnitLevel.UPPER: "Cấp trên trực tiếp",
    UnitLevel.GRASSROOTS: "Cơ sở",
}
KIND_LABELS = {
    UpperKind.DISTRICT: "Quận, huyện",
    UpperKind.INDUSTRY: "Ngành",
    UpperKind.INDUSTRIAL_ZONE: "Khu công nghiệp",
    UpperKind.CORPORATION: "Tổng công ty",
}
ROLE_LABELS = {
    Role.PROPAGANDA_OFFICER: "Cán bộ Tuyên giáo",
    Role.REPORTER: "Báo cáo viên",
    Role.PROPAGANDIST: "Tuyên truyền viên",
    Role.OPINION_COLLABORATOR: "Cộng tác viên dư luận xã hội",
    Role.GRASSROOTS_CHAIR: "Chủ tịch CĐCS",
    Role.UNIT_MANAGER: "Quản lý đơn vị",
}
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ", Gender.OTHER: "Khác"}
CHANNEL_LABELS = {ContactChannel.ZALO: "Zalo", ContactChannel.SMS: "SMS", ContactChannel.EMAIL: "Thư điện tử"}


def display(field: str, value) -> str:
    """A cell value as the spreadsheet writes it (dates dd/mm/yyyy, Vietnamese labels), "—" when empty."""
    from datetime import date

    if value in (None, ""):
        return "—"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if field == "phone":
        from core.phones import display_phone

        return display_phone(value)
    labels = {
        "gender": GENDER_LABELS,
        "level": LEVEL_LABELS,
        "kind": KIND_LABELS,
        "preferred_channel": CHANNEL_LABELS,
    }.get(field, {})
    return str(labels.get(value, value))


def sheet_kind(title: str, headers: list) -> str | None:
    """Which table a sheet holds, from its title or, failing that, its headers."""
    name = plain(title)
    if name in (plain(UNITS_SHEET_TITLE), "units"):
        return UNITS
    if name in (plain(OFFICERS_SHEET_TITLE), "officers"):
        return OFFICERS
    if name == plain(INSTRUCTIONS_SHEET_TITLE):
        return None
    keys = {plain(h) for h in headers if h not in (None, "")}
    if keys & {"ma can bo", "ho va ten", "ten", "ho", "vai tro", "ngay sinh"}:
        return OFFICERS
    if keys & {"ma don vi cap tren", "ten don vi", "cap"}:
        return UNITS
    return None
