"""Property-based: schemathesis generates requests from the OpenAPI schema for every
operation, as every role and as nobody; each is sent as generated and again with control
characters in every string it carries; then statefully, following the schema's links from
answer to answer, each step taken by its rightful role and again by the other org's. The API
must never answer 5xx nor contradict its own schema (every check schemathesis has: a request
the schema allows is taken, one it forbids refused, the answer as documented), nor let another
org do what the rightful caller could, on SQLite and on PostgreSQL alike. The figures are
printed at the end of the run."""

import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation

from grants.app import app
from tests import factories as f
from tests import hypothesis_support
from tests.support import FIGURES

hypothesis_support.install()  # the same strategies for the text patterns, made 60 times faster

schema = schemathesis.openapi.from_asgi("/openapi.json", app)  # with ./schemathesis.toml
CHECKS = None  # every check schemathesis has, as `st run --checks all`: a schema-valid request
# accepted, an invalid one refused, the answer as the schema says, an Allow header complete ...
CALLERS = {"applicant": f.applicant(), "secretariat": f.secretariat(), "auditor": f.AUDITOR,
           "admin": f.ADMIN, "anonymous": None}
CONTROL = "\u0000\u001b\u000b\u0001\ufffe"
EXAMPLES = 5  # per operation and caller beside the coverage phase's cases, each sent twice (as generated, and salted)
STATEFUL_SCENARIOS = 100
FUZZ: Counter = Counter()
FUZZ_OPERATIONS: set[str] = set()  # what was sent and met, for the figures at the end of the run


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    if FUZZ:
        FIGURES.append(
            f"schemathesis: {FUZZ['requests']} requests over {len(FUZZ_OPERATIONS)} operations "
            f"as {len(CALLERS)} callers; stateful: {STATEFUL_SCENARIOS} scenarios, "
            f"{FUZZ['stateful requests']} requests, {FUZZ['refusals to the other org']} "
            f"of them another org refused where the rightful caller succeeded; "
            f"0 server errors, 0 answers contradicting the schema")


@pytest.fixture(params=list(CALLERS))
def headers(request, client, session, login):
    """A caller and a few grants to find, in several states."""
    f.program(session, allows_advance=True)
    for state in ("draft", "under_review", "awarded", "published"):
        f.grant_in(session, state)
    actor = CALLERS[request.param]
    return login(actor) if actor else {}


def _truly_negative(case) -> bool:
    """Whether a case schemathesis made to be invalid is: its coverage phase (4.32) sometimes
    marks a body invalid that its own schema validates (a valid value for one property of an
    object said to be invalid); such a request is rightly taken, and not counted against us.
    Every other case labelled invalid is held to it."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative:
        return False
    invalid = {location for location, part in meta.components.items() if part.mode.is_negative}
    if invalid != {ParameterLocation.BODY}:
        return True
    body = next((body for body in case.operation.body if body.media_type == case.media_type), None)
    if body is None or isinstance(case.body, bytes):  # raw bytes: a body that is not JSON at all
        return True
    return not body.is_valid(case.body)


def _salted(value):
    """The same value with control characters in every string inside it."""
    if isinstance(value, str):
        return value[:1] + CONTROL + value[1:]
    if isinstance(value, dict):
        return {key: _salted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_salted(item) for item in value]
    return value


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_nor_breaks_its_schema(case, headers):
    if case.path == "/api/auth/logout":
        return  # would revoke the token the other examples use; covered in test_api_auth
    FUZZ_OPERATIONS.add(case.operation.label)
    case.call_and_validate(headers=headers, checks=CHECKS,
                           excluded_checks=[] if _truly_negative(case) else [negative_data_rejection])
    salted = case.derive(query=_salted(case.query))
    if isinstance(case.body, dict | list | str):
        salted.body = _salted(case.body)
    # Salted, a value breaks the text rules the schema states: refused, whatever its mode says.
    salted.call_and_validate(headers=headers, checks=CHECKS, excluded_checks=[positive_data_acceptance])
    FUZZ["requests"] += 2


# --- stateful: following the schema's links, each step taken by the one whose step it is ----

OWNED = ("grant_id", "attachment_id", "document_id", "notice_id")  # identifiers that are someone's


def test_api_followed_link_by_link_by_every_role_never_fails_nor_leaks(session, client,
                                                                       password_hash):
    """Schemathesis chains operations through the OpenAPI links (a grant's id to its actions,
    a page of documents to the first one's PDF, ...), starting from grants of one org in every
    state. Each step is taken by the role whose step it is — the grant's own applicant for
    applicant actions and edits, its org's secretariat for theirs, the admin for programs,
    the auditor for the ledger — and then again by the same role of the other org: that call
    must never succeed where the rightful one did (a 404, never another org's data), and
    neither call may answer 5xx or contradict the schema."""
    from sqlalchemy import select

    from grants.core.models import Attachment, Document, Grant, Municipality
    from grants.core.users import issue_token
    from tests.support import ensure_user
    from workflows.table import TRANSITIONS

    f.program(session, allows_advance=True)
    f.program(session, fiscal_year=f.FY + 1, allows_advance=True)
    codes = session.scalars(select(Municipality.code).where(Municipality.org_id == f.CITY_ORG)
                            .order_by(Municipality.code)).all()
    states = list(f.PATHS)
    for code, state in zip(codes, states, strict=False):
        f.grant_in(session, state, code=code)

    people = [f.applicant(code) for code in [*codes, f.WARD]] + [
        f.secretariat(f.CITY_ORG), f.secretariat(f.WARD_ORG), f.ADMIN, f.AUDITOR]
    tokens = {actor: {"Authorization": "Bearer " + issue_token(
        session, ensure_user(session, actor, password_hash))[0]} for actor in people}
    session.commit()

    def grant_behind(case) -> Grant | None:
        params = case.path_parameters or {}
        model, key = next(((m, k) for m, k in ((Grant, "grant_id"), (Attachment, "attachment_id"),
                                              (Document, "document_id")) if k in params), (None, None))
        if model is None or not isinstance(params[key], int) or not 0 < params[key] < 2**31:
            return None
        row = session.get(model, params[key])
        return row if model is Grant or row is None else session.get(Grant, row.grant_id)

    def role_for(case) -> str:
        if "/actions/" in case.path:
            return str(TRANSITIONS[case.path.rsplit("/", 1)[1]].role)
        if case.path.startswith("/api/programs") and case.method != "GET":
            return "admin"
        if case.path in ("/api/ledger", "/api/audit/verify"):
            return "auditor"
        if case.path == "/api/grants" and case.method == "GET":
            return "secretariat"  # who sees every grant of the org, to link onwards from
        return "applicant"

    def actor(role: str, grant: Grant | None, *, rightful: bool):
        code = grant.municipality_code if grant is not None else f.CITY
        if not rightful:  # the same role, in the other org
            code = f.WARD
        org = f.CITY_ORG if code != f.WARD else f.WARD_ORG
        return {"applicant": f.applicant(code), "secretariat": f.secretariat(org),
                "admin": f.ADMIN, "auditor": f.AUDITOR}[role]

    # Signing in and out are left to the stateless test: their counters and revocations
    # outlive a scenario, and each scenario must meet the same answers to the same requests.
    linked = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(
        path=["/api/auth/logout", "/api/auth/token"])
    linked.config.phases.stateful.inference.algorithms = []  # the schema's own links only
    # Valid requests, to get deep into the procedure; invalid ones are the stateless test's.
    linked.config.phases.stateful.generation.modes = [GenerationMode.POSITIVE]
    workflow = linked.as_state_machine()

    class Crew(workflow):
        # Scenarios start only where no identifier is needed (lists, new grants and
        # programs); every identifier after that comes through a link, not by chance.
        root_rules = frozenset(name for name in workflow.root_rules  # RANDOM__POST_api_grants
                               if not re.search(r"_id(_|$)", name))
        locals().update({name: None for name in workflow.root_rules - root_rules})

        def setup(self):
            # Every scenario starts from the same grants: what one scenario did is rolled
            # back before the next (a savepoint around the requests' own).
            session.commit()
            self.scenario = session.bind.begin_nested()
            self.lists = 0

        def teardown(self):
            session.rollback()
            self.scenario.rollback()

        def before_call(self, case):
            if case.path == "/api/grants" and case.method == "GET":
                # The secretariat lists its grants in one state (the filters themselves are
                # the stateless test's), so that the link leads to a grant in that state:
                # the states in turn, so that scenarios reach grants in each of them.
                self.lists += 1
                case.query = {"state": (case.query or {}).get("state") or states[self.lists % len(states)]}

        def get_call_kwargs(self, case):
            return {"headers": tokens[actor(role_for(case), grant_behind(case), rightful=True)]}

        def validate_response(self, response, case, **kwargs):
            FUZZ["stateful requests"] += 1
            case.validate_response(response, checks=CHECKS)
            outsider = actor(role_for(case), grant_behind(case), rightful=False)
            if outsider in (f.ADMIN, f.AUDITOR):
                return  # one of each; the other roles' refusals are the stateless test's
            other = case.call(headers=tokens[outsider])
            FUZZ["stateful requests"] += 1
            case.validate_response(other, checks=CHECKS)
            if response.status_code < 300 and any(f"{{{key}}}" in case.path for key in OWNED):
                assert other.status_code == 404, (case.method, case.path, other.status_code)
                FUZZ["refusals to the other org"] += 1

    Crew.run(settings=settings(max_examples=STATEFUL_SCENARIOS, stateful_step_count=10,
                               deadline=None, derandomize=True, database=None,
                               phases=[Phase.explicit, Phase.generate],
                               suppress_health_check=list(HealthCheck)))


def test_the_schema_links_each_answer_to_what_can_follow_it():
    """A client can follow the procedure from the schema alone: a new grant's id to every
    action on it, a page of documents to the first one's PDF, a program to its changes."""
    spec = app.openapi()
    by_id = {op["operationId"]: (path, method) for path, methods in spec["paths"].items()
             for method, op in methods.items()}

    def links(path: str, method: str, status: str) -> dict:
        return spec["paths"][path][method]["responses"][status]["links"]

    created = links("/api/grants", "post", "201")
    actions = {path for path, _ in by_id.values() if path.startswith("/api/grants/{grant_id}/actions/")}
    assert {by_id[link["operationId"]][0] for link in created.values()} >= actions | {
        "/api/grants/{grant_id}", "/api/grants/{grant_id}/events"}
    assert {link["parameters"]["grant_id"] for link in created.values()} == {"$response.body#/id"}
    pdf = links("/api/grants/{grant_id}/documents", "get", "200")
    assert {by_id[link["operationId"]][0] for link in pdf.values()} == {
        "/api/documents/{document_id}", "/api/documents/{document_id}/pdf"}
    assert {link["parameters"]["document_id"] for link in pdf.values()} == {"$response.body#/items/0/id"}
    programs = links("/api/programs", "get", "200")
    assert [link["parameters"] for link in programs.values()] == [{"fiscal_year": "$response.body#/0/fiscal_year"}]
    assert "links" not in spec["paths"]["/api/me"]["get"]["responses"]["200"]  # nothing to follow
