"""The municipalities and the fiscal-year programs."""

from typing import Annotated

from fastapi import APIRouter, Path

from grants.api.deps import AdminCall, CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import BankAccountOut, MunicipalityOut, ProgramOut, municipality_out, program_out
from grants.core import bank_accounts, municipalities, programs
from grants.core.fields import MunicipalityCode
from grants.core.schemas import ProgramBody, ProgramPatch
from grants.http.params import FiscalYear

router = APIRouter(prefix="/api", tags=["reference"], responses=RESPONSES)


@router.get("/municipalities", response_model=list[MunicipalityOut])
async def list_municipalities(call: CallDep) -> list[MunicipalityOut]:
    """The 62 municipalities, with the org that administers each one's grants."""
    def work(session, _actor):
        return [municipality_out(m) for m in municipalities.list_municipalities(session)]
    return await call(work)


@router.get("/municipalities/{municipality_code}/bank-account", response_model=BankAccountOut)
async def bank_account(municipality_code: Annotated[MunicipalityCode, Path()],
                       call: CallDep) -> BankAccountOut:
    """The account the municipality is paid into (振込先), given with its 交付請求: whole for
    the municipality and its org's secretariat, the number and holder masked for auditors."""
    return await call(lambda session, actor: BankAccountOut(
        **bank_accounts.for_reader(session, actor, municipality_code)))


@router.get("/programs", response_model=list[ProgramOut])
async def list_programs(call: CallDep) -> list[ProgramOut]:
    return await call(lambda session, _actor: [program_out(p) for p in programs.list_programs(session)])


@router.post("/programs", response_model=ProgramOut, status_code=201)
async def add_program(body: ProgramBody, call: AdminCall) -> ProgramOut:
    """Open a fiscal year (admin)."""
    return await call(lambda session, _actor: program_out(programs.add_program(session, body)))


@router.patch("/programs/{fiscal_year}", response_model=ProgramOut)
async def change_program(fiscal_year: FiscalYear, body: ProgramPatch, call: AdminCall) -> ProgramOut:
    """Change a fiscal year's cap, budget, window or advance rule (admin)."""
    return await call(lambda session, _actor: program_out(
        programs.change_program(session, fiscal_year, body)))
