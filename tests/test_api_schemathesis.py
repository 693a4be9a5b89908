"""Property-based: schemathesis generates requests from the OpenAPI schema for every
operation; the API must never answer 5xx nor contradict its own schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from grants.app import app
from tests import factories as f

schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance,
          status_code_conformance]


@pytest.fixture(params=["applicant", "secretariat", "admin"])
def headers(request, client, session, login):
    """A signed-in caller and a few grants to find, in several states."""
    f.program(session, allows_advance=True)
    for state in ("draft", "under_review", "awarded", "published"):
        f.grant_in(session, state)
    actor = {"applicant": f.applicant(), "secretariat": f.secretariat(), "admin": f.ADMIN}
    return login(actor[request.param])


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_nor_breaks_its_schema(case, headers):
    if case.path == "/api/auth/logout":
        return  # would revoke the token the other examples use; covered in test_api_auth
    case.call_and_validate(headers=headers, checks=CHECKS)
