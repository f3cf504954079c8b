"""A tree of three districts with officers, roles, records, classes and certificates in each,
tokens for its people, and a client that speaks to /api/v1/ with a token."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api.tokens import create_token
from certificates.issuing import issue_certificate
from organizations.models import Role, UnitLevel, UpperKind
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UnitFactory
from training.models import RecordSource, TrainingKind, TrainingRecord
from training.tests.class_factories import InPersonClassFactory


@dataclass
class Area:
    """What one district holds: its units, officers, roles, records, classes, certificates."""

    units: list = field(default_factory=list)
    officers: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    records: list = field(default_factory=list)
    classes: list = field(default_factory=list)
    certificates: list = field(default_factory=list)

    def ids(self, kind: str) -> set[int]:
        return {obj.pk for obj in getattr(self, kind)}


def _fill(area: Area, district, grassroots, prefix: str) -> None:
    area.units += [district, grassroots]
    klass = InPersonClassFactory(organising_unit=district, title=f"Lớp {prefix}", grants_certificate=True)
    area.classes.append(klass)
    for index, unit in enumerate([district, grassroots]):
        officer = OfficerFactory(unit=unit, code=f"{prefix}-{index}")
        area.officers.append(officer)
        area.roles.append(
            RoleAssignmentFactory(
                officer=officer, unit=unit, role=Role.PROPAGANDIST, start_date=date(2024, 1, 1)
            )
        )
        record = TrainingRecord.objects.create(
            officer=officer,
            kind=TrainingKind.IN_PERSON_CLASS,
            in_person_class=klass,
            title=klass.title,
            completed_on=date(2026, 3, 11),
            hours=Decimal("8.0"),
            grants_certificate=True,
            source=RecordSource.ATTENDANCE,
        )
        area.records.append(record)
        certificate, _created = issue_certificate(record=record)
        area.certificates.append(certificate)


@pytest.fixture
def world(tree, settings):
    """tree (HN → Ba Đình, Cầu Giấy) plus Hoàn Kiếm; each district filled the same way."""
    settings.SITE_URL = "https://hoctap.example.vn"
    hk = UnitFactory(
        parent=tree["city"],
        code="Q-HK",
        name="LĐLĐ quận Hoàn Kiếm",
        level=UnitLevel.UPPER,
        kind=UpperKind.DISTRICT,
    )
    ghk = UnitFactory(parent=hk, code="CS-HK", name="CĐCS Khách sạn Hoàn Kiếm", level=UnitLevel.GRASSROOTS)
    areas = {"ba_dinh": Area(), "cau_giay": Area(), "hoan_kiem": Area()}
    _fill(areas["ba_dinh"], tree["a"], tree["ga"], "BD")
    _fill(areas["cau_giay"], tree["b"], tree["gb"], "CG")
    _fill(areas["hoan_kiem"], hk, ghk, "HK")
    return areas


def token_for(user, scope: str = "read", days: int = 30) -> str:
    _token, raw = create_token(
        user=user, name="Phần mềm nhân sự", scope=scope, expires_at=timezone.now() + timedelta(days=days)
    )
    return raw


class ApiClient:
    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **headers}

    def get(self, path: str, params=None, **headers):
        return self.client.get(f"/api/v1{path}", params or {}, **self._headers(headers))

    def post(self, path: str, body, **headers):
        import json

        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", **self._headers(headers)
        )


@pytest.fixture
def api_as(client):
    def make(user, scope: str = "read") -> ApiClient:
        return ApiClient(client, token_for(user, scope))

    return make


def all_pages(api: ApiClient, path: str, params=None, limit: int = 2) -> list[dict]:
    """Every item of a list, page by page through the cursors."""
    items, query = [], {**(params or {}), "limit": limit}
    for _page in range(1000):
        response = api.get(path, query)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if not body["next_cursor"]:
            return items
        query = {**query, "cursor": body["next_cursor"]}
    raise AssertionError("the cursors never ended")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"].startswith("/api/v1/problems/")
    assert body["title"] and body["detail"]
    return body
