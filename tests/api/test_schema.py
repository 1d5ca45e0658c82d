"""Schemathesis against the API's own OpenAPI document, through the WSGI application: every operation, with
generated valid (positive) and invalid (negative) parameters, must never answer 5xx, must refuse invalid input with
a 4xx, and every answer (status code, content type, headers, body) must match the schema.

Hypothesis drives each operation directly (`as_strategy`): schemathesis's pytest plugin does not run under pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from api.v1 import api
from tests.api import fill

DOCUMENT = api.get_openapi_schema()
LABELS = [f"{method.upper()} {path}" for path, methods in DOCUMENT["paths"].items() for method in methods]


def _can_be_invalid(label: str) -> bool:
    """Whether any parameter has a value the schema forbids: a plain string in the path (a slug) has none."""
    method, path = label.split(" ", 1)
    parameters = DOCUMENT["paths"][path][method.lower()].get("parameters", [])
    return any(p["in"] == "query" or p.get("schema", {}).get("type") != "string" for p in parameters)


CASES = [
    *(pytest.param(label, GenerationMode.POSITIVE, id=f"{label}-valid") for label in LABELS),
    *(
        pytest.param(label, GenerationMode.NEGATIVE, id=f"{label}-invalid")
        for label in LABELS
        if _can_be_invalid(label)
    ),
]


@pytest.fixture
def api_schema(db, settings):
    # The fuzzer sends hundreds of requests from one address: the rate limit has its own test (test_api.py).
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (1_000_000, 60)}
    fill(3)
    # The WSGI handler closes the database connection after each request, which would close the test's
    # transaction: as Django's test client does, keep it open while the test runs.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_is_fuzzed(api_schema):
    """The count the issue's note reports: every operation of the schema (all read-only), each fuzzed below."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert sorted(op.label for op in operations) == sorted(LABELS)
    assert {op.method.upper() for op in operations} == {"GET"}
    assert len(LABELS) == 17
    # 17 with valid input, 14 with invalid input (not the three whose only parameter is a slug)
    assert len(CASES) == 31


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_operation_conforms_to_the_schema(api_schema, label, mode):
    operation = api_schema.find_operation_by_label(label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        # Asked uncompressed: the WSGI transport hands the body over as sent, and the portal gzips public answers
        # for clients that accept it (tests/portal/test_compression.py).
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    run()
