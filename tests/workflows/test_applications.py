"""SPEC §2: applicants create and edit their own municipality's applications."""

import pytest
from sqlalchemy import select

from grants.core.errors import Forbidden, InvalidInput, NotFound, Refused
from grants.core.models import AuditEvent
from tests import factories as f
from workflows.drafts import create_draft, edit_draft


def test_applicant_creates_a_draft_for_their_municipality(session):
    f.program(session)
    grant = create_draft(session, f.applicant(), {"fiscal_year": 2025, "municipality_code": f.CITY,
                                                  "title": "  緑のカーテン講習会  "}, now=f.NOW)
    assert (grant.state, grant.title, grant.actions) == ("draft", "緑のカーテン講習会", [])
    event = session.scalars(select(AuditEvent).where(AuditEvent.grant_id == grant.id)).one()
    assert (event.action, event.from_state, event.to_state) == ("create", None, "draft")
    assert event.actor == "applicant-132012"


def test_applicant_cannot_create_for_another_municipality(session):
    f.program(session)
    with pytest.raises(NotFound):
        create_draft(session, f.applicant(f.TOWN), {"fiscal_year": 2025,
                                                    "municipality_code": f.CITY, "title": "x"})


def test_only_applicants_create_applications(session):
    f.program(session)
    for actor in (f.secretariat(), f.AUDITOR, f.ADMIN):
        with pytest.raises(Forbidden):
            create_draft(session, actor, {"fiscal_year": 2025, "municipality_code": f.CITY,
                                          "title": "x"})


def test_draft_needs_an_open_program(session):
    with pytest.raises(NotFound, match="令和7年度の事業"):
        f.draft(session)


def test_draft_fields_are_validated(session):
    f.program(session)
    with pytest.raises(InvalidInput) as invalid:
        f.draft(session, category="recycling", project_cost_yen="600000", title="")
    assert set(invalid.value.problems) == {"category", "project_cost_yen", "title"}


def test_edit_changes_a_draft_and_is_audited(session):
    f.program(session)
    grant = f.draft(session)
    edit_draft(session, grant.id, f.applicant(), {"requested_yen": 450_000, "summary": None}, now=f.NOW)
    assert (grant.requested_yen, grant.summary, grant.title) == (450_000, None, "市民協働による里山保全事業")
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.amounts) == ("edit", {"requested_yen": 450_000})


def test_returned_application_can_be_corrected_and_resubmitted(session):
    f.program(session)
    grant = f.grant_in(session, "returned")
    edit_draft(session, grant.id, f.applicant(), {"summary": "資料を追加しました。"}, now=f.NOW)
    f.act(session, grant, "submit")
    assert grant.state == "submitted"


def test_edit_keeps_the_title(session):
    f.program(session)
    grant = f.draft(session)
    with pytest.raises(InvalidInput) as invalid:
        edit_draft(session, grant.id, f.applicant(), {"title": None})
    assert "title" in invalid.value.problems


def test_edit_cannot_move_the_grant_to_another_year_or_municipality(session):
    f.program(session)
    grant = f.draft(session)
    with pytest.raises(InvalidInput):
        edit_draft(session, grant.id, f.applicant(), {"municipality_code": f.TOWN})


def test_only_drafts_and_returned_applications_are_editable(session):
    f.program(session)
    grant = f.grant_in(session, "submitted")
    with pytest.raises(Refused, match="申請済み（審査待ち）"):
        edit_draft(session, grant.id, f.applicant(), {"summary": "変更"})


def test_another_municipality_cannot_edit(session):
    f.program(session)
    grant = f.draft(session)
    with pytest.raises(NotFound):
        edit_draft(session, grant.id, f.applicant(f.TOWN), {"summary": "変更"})
