"""Verification of the whole audit trail (auditors and admins)."""

from fastapi import APIRouter

from grants.api.deps import AuditorCall
from grants.api.errors import RESPONSES
from grants.api.schemas import VerifyOut
from workflows import audit

router = APIRouter(prefix="/api/audit", tags=["audit"], responses=RESPONSES)


@router.get("/verify", response_model=VerifyOut)
async def verify(call: AuditorCall) -> VerifyOut:
    """Walk the hash chain; ``first_broken`` is the first event that does not hold."""
    def work(session, _actor):
        result = audit.verify(session)
        return VerifyOut(ok=result.ok, events=result.events, first_broken=result.first_broken,
                         problem=result.problem)
    return await call(work)
