"""Fuzz the API from its own OpenAPI document: no input may cause a server error, an
undocumented status or a response that breaks the documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from rehabit.config.wsgi import application

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db: None) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails(case: schemathesis.Case) -> None:
    # The schema cannot express the questionnaire's rules (required questions, skip logic),
    # so a schema-valid body may rightly get 422: that check is left out, all others run.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
