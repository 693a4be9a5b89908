"""Who signs the forms: each org's head from a given day (so that a new 理事長 leaves older
notices right) and each municipality's head, kept by the admin (SPEC §6; the documents
issue)."""

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from grants.core.errors import NotFound
from grants.core.fields import text
from grants.core.ja.messages import message
from grants.core.models import Municipality, Org, OrgHead
from grants.core.schemas import Body

Name = text(40, multiline=False)


class OrgHeadBody(Body):
    title: Name
    name: Name
    effective_from: date


class MunicipalityHeadBody(Body):
    name: Name


def set_org_head(session: Session, org_id: str, body: OrgHeadBody) -> OrgHead:
    """The org's head from ``effective_from`` on (replacing an entry for that same day)."""
    if session.get(Org, org_id) is None:
        raise NotFound(message("unknown_org", org=org_id), code="unknown_org")
    head = session.get(OrgHead, (org_id, body.effective_from))
    if head is None:
        head = OrgHead(org_id=org_id, effective_from=body.effective_from, title=body.title,
                       name=body.name)
        session.add(head)
    else:
        head.title, head.name = body.title, body.name
    session.flush()
    return head


def set_municipality_head(session: Session, code: str, body: MunicipalityHeadBody) -> Municipality:
    municipality = session.get(Municipality, code)
    if municipality is None:
        raise NotFound(message("unknown_municipality", code=code), code="unknown_municipality")
    municipality.head_name = body.name
    session.flush()
    return municipality


def org_heads(session: Session) -> list[OrgHead]:
    return list(session.scalars(select(OrgHead).order_by(OrgHead.org_id, OrgHead.effective_from)))
