"""``format: date`` and ``format: date-time`` accept exactly RFC 3339, wherever they appear.

pydantic alone parses more: ``"0"`` is a date (1970-01-01) and ``"20250101"`` a date-time, as
Unix timestamps, and a date-time may lack its offset. A contract run found ``"0"`` accepted as
a ``format: date`` query parameter and body field of the reference service.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

pytestmark = pytest.mark.filterwarnings("error")

DATES = """
openapi: 3.1.0
info: {title: Dates, version: '1'}
paths:
  /events:
    post:
      operationId: createEvent
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Event'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Event'}
      responses:
        '200': {$ref: '#/components/responses/Echo'}
    get:
      operationId: findEvents
      parameters:
        - {name: on, in: query, schema: {type: string, format: date}}
        - {name: after, in: query, schema: {type: string, format: date-time}}
        - {name: X-Since, in: header, schema: {type: string, format: date-time}}
        - name: days
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string, format: date}}
      responses:
        '200': {$ref: '#/components/responses/Echo'}
  /days/{day}:
    get:
      operationId: getDay
      parameters:
        - {name: day, in: path, required: true, schema: {type: string, format: date}}
      responses:
        '200': {$ref: '#/components/responses/Echo'}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, taken_on]
              properties:
                file: {type: string, format: binary}
                taken_on: {type: string, format: date}
      responses:
        '200': {$ref: '#/components/responses/Echo'}
components:
  schemas:
    Day: {type: string, format: date}
    Days: {type: array, items: {$ref: '#/components/schemas/Day'}}
    Event:
      type: object
      required: [on, at]
      properties:
        on: {type: string, format: date}
        at: {type: string, format: date-time}
        also: {type: array, items: {type: string, format: date}}
        ends: {type: [string, 'null'], format: date-time}
        type: {type: string}  # a field named like a core-schema key
        function: {type: string, format: date}
        when:
          oneOf:
            - {type: string, format: date}
            - {type: integer}
  responses:
    Echo:
      description: what the service received, as Python reprs
      content:
        application/json:
          schema:
            type: object
            required: [echo]
            properties:
              echo: {type: string}
"""

NOT_A_DATE = ["0", "20250101", "2025-1-01", "2025-01-01T00:00:00Z", "1e3", ""]
NOT_A_DATE_TIME = [
    "0",
    "1700000000",
    "20250101",
    "2025-01-01",
    "2025-01-01T00:00:00",  # no offset
    "2025-01-01 00:00:00Z",  # a space, not T
    "2025-01-01T00:00Z",  # no seconds
    "2025-01-01T00:00:00+0100",
]


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(DATES)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    def reply(*values: Any) -> Any:  # the shared Echo response, hoisted once
        return api.models.FindEvents200ResponseBody(echo=" ".join(_typed(v) for v in values))

    class Service:
        async def create_event(self, *, body: Any) -> Any:
            return reply(body.on, body.at, body.also, body.ends)

        async def find_events(self, *, on: Any, after: Any, x_since: Any, days: Any) -> Any:
            return reply(on, after, x_since, days)

        async def get_day(self, *, day: Any) -> Any:
            return reply(day)

        async def upload(self, *, body: Any) -> Any:
            return reply(body.taken_on)

    return api.create_app(default=Service())


def _typed(value: Any) -> str:
    """``date:2025-02-01``, ``datetime:2025-02-01T09:30:00+00:00``, ``[…]``, ``None``."""
    if isinstance(value, list):
        return "[" + ",".join(_typed(v) for v in value) + "]"
    if isinstance(value, datetime.date):  # a datetime is a date too: its own name says which
        return f"{type(value).__name__}:{value.isoformat()}"
    return repr(value)


def _echo(response: Any) -> str:
    assert response.status_code == 200, response.text
    echo: str = response.json()["echo"]
    return echo


def _pointers(response: Any) -> list[str]:
    return [e["pointer"] for e in problem(response, 422)["errors"]]


async def test_rfc_3339_values_are_accepted_and_parsed(app: Any) -> None:
    async with client(app) as c:
        body = await c.post(
            "/events",
            json={"on": "2025-02-01", "at": "2025-02-01T09:30:00Z", "also": ["2025-02-01"]},
        )
        lower = await c.post(
            "/events", json={"on": "2025-02-01", "at": "2025-02-01t10:30:00+01:00"}
        )
        form = await c.post("/events", data={"on": "2025-02-01", "at": "2025-02-01T09:30:00.5Z"})
        query = await c.get(
            "/events",
            params={"on": "2025-02-01", "after": "2025-02-01T09:30:00Z", "days": "2025-02-01"},
            headers={"X-Since": "2025-02-01T09:30:00Z"},
        )
        path = await c.get("/days/2025-02-01")
        upload = await c.post(
            "/uploads", files={"file": ("a.txt", b"x")}, data={"taken_on": "2025-02-01"}
        )
    d, at = "date:2025-02-01", "datetime:2025-02-01T09:30:00+00:00"
    assert _echo(body) == f"{d} {at} [{d}] None"
    assert _echo(lower) == f"{d} datetime:2025-02-01T10:30:00+01:00 None None"
    assert _echo(form) == f"{d} datetime:2025-02-01T09:30:00.500000+00:00 None None"
    assert _echo(query) == f"{d} {at} {at} [{d}]"
    assert _echo(path) == d
    assert _echo(upload) == d


@pytest.mark.parametrize("value", NOT_A_DATE)
async def test_a_date_is_rfc_3339_full_date(app: Any, value: str) -> None:
    good_at = "2025-02-01T09:30:00Z"
    async with client(app) as c:
        body = await c.post("/events", json={"on": value, "at": good_at})
        item = await c.post("/events", json={"on": "2025-02-01", "at": good_at, "also": [value]})
        form = await c.post("/events", data={"on": value, "at": good_at})
        query = await c.get("/events", params={"on": value})
        styled = await c.get("/events", params={"days": f"2025-02-01,{value}"})
        path = await c.get(f"/days/{value or '%20'}")
        upload = await c.post("/uploads", files={"file": ("a.txt", b"x")}, data={"taken_on": value})
    assert _pointers(body) == ["/body/on"]
    assert _pointers(item) == ["/body/also/0"]
    assert _pointers(form) == ["/body/on"]
    assert _pointers(query) == ["/query/on"]
    assert _pointers(styled)[0].startswith("/query/days")
    assert _pointers(path) == ["/path/day"]
    assert _pointers(upload) == ["/body/taken_on"]


async def test_fields_named_like_schema_keys_and_unions(app: Any) -> None:
    base = {"on": "2025-02-01", "at": "2025-02-01T09:30:00Z", "type": "x"}
    async with client(app) as c:
        good = await c.post("/events", json={**base, "function": "2025-02-01", "when": 3})
        function = await c.post("/events", json={**base, "function": "0"})
        union = await c.post("/events", json={**base, "when": "0"})
    assert good.status_code == 200, good.text
    assert _pointers(function) == ["/body/function"]
    assert all(p.startswith("/body/when") for p in _pointers(union))


@pytest.mark.parametrize("value", NOT_A_DATE_TIME)
async def test_a_date_time_is_rfc_3339_date_time(app: Any, value: str) -> None:
    async with client(app) as c:
        body = await c.post("/events", json={"on": "2025-02-01", "at": value})
        nullable = await c.post(
            "/events", json={"on": "2025-02-01", "at": "2025-02-01T09:30:00Z", "ends": value}
        )
        query = await c.get("/events", params={"after": value})
        header = await c.get("/events", headers={"X-Since": value})
    assert _pointers(body) == ["/body/at"]
    assert _pointers(nullable) == ["/body/ends"]
    assert _pointers(query) == ["/query/after"]
    assert _pointers(header) == ["/header/X-Since"]


async def test_impossible_dates_are_still_rejected(app: Any) -> None:
    async with client(app) as c:
        body = await c.post("/events", json={"on": "2025-02-30", "at": "2025-02-01T25:00:00Z"})
        query = await c.get("/events", params={"on": "2025-13-01"})
    assert _pointers(body) == ["/body/on", "/body/at"]
    assert _pointers(query) == ["/query/on"]


@pytest.mark.parametrize("value", NOT_A_DATE)
def test_root_models_check_dates_too(api: GeneratedApi, value: str) -> None:
    from pydantic import ValidationError

    m = api.models
    assert m.Days.model_validate_json('["2025-02-01"]').root[0].root == datetime.date(2025, 2, 1)
    with pytest.raises(ValidationError):
        m.Day.model_validate_json(f'"{value}"')
    with pytest.raises(ValidationError):
        m.Days.model_validate_json(f'["{value}"]')


async def test_a_leap_second_is_a_valid_date_time(app: Any) -> None:
    """RFC 3339 allows second 60 at 23:59 UTC; ``datetime`` has no second 60, so it becomes
    the last instant it can hold (23:59:59.999999), in order with its neighbours."""
    leap = "1998-12-31T23:59:60Z"
    async with client(app) as c:
        body = await c.post("/events", json={"on": "2025-02-01", "at": leap})
        offset = await c.get("/events", params={"after": "1998-12-31T15:59:60.5-08:00"})
        header = await c.get("/events", headers={"X-Since": leap})
        not_at_midnight = await c.post(
            "/events", json={"on": "2025-02-01", "at": "2025-01-01T12:00:60Z"}
        )
        sixty_one = await c.get("/events", params={"after": "1998-12-31T23:59:61Z"})
    assert _echo(body) == "date:2025-02-01 datetime:1998-12-31T23:59:59.999999+00:00 None None"
    assert _echo(offset) == "None datetime:1998-12-31T15:59:59.999999-08:00 None None"
    assert _echo(header) == "None None datetime:1998-12-31T23:59:59.999999+00:00 None"
    assert _pointers(not_at_midnight) == ["/body/at"]
    assert _pointers(sixty_one) == ["/query/after"]


SIZED = """
openapi: 3.1.0
info: {title: Sized, version: '1'}
paths:
  /jobs/{id}:
    get:
      operationId: getJob
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid, minLength: 36, maxLength: 36}}
        - {name: since, in: query, schema: {type: string, format: date-time, maxLength: 40}}
      responses:
        '204': {description: found}
"""


async def test_lengths_on_uuid_and_date_time_parameters_are_not_a_500(make_api: MakeApi) -> None:
    """A length on a ``format: uuid`` string (zuora.com's spec has them) cannot be applied to
    the parsed UUID; the format bounds the text already, so the value is served, not a 500."""
    api = make_api(SIZED)
    seen: list[Any] = []

    class Service:
        async def get_job(self, *, id: Any, since: Any) -> Any:
            seen.append((id, since))
            return api.responses.GetJob204Response()

    job = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    async with client(api.create_app(default=Service())) as c:
        good = await c.get(f"/jobs/{job}", params={"since": "2025-02-01T09:30:00Z"})
        bad = await c.get("/jobs/not-a-uuid")
    assert good.status_code == 204, good.text
    assert [(str(i), s.isoformat()) for i, s in seen] == [(job, "2025-02-01T09:30:00+00:00")]
    assert _pointers(bad) == ["/path/id"]
