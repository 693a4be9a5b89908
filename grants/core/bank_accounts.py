"""The account each municipality is paid into (振込先, SPEC: 交付請求): given with its first
交付請求書 and reused after that; whole only for that municipality and its org's secretariat,
who act on it, and masked for everyone else who may read the grant (auditors, admins)."""

from datetime import datetime

from sqlmodel import Session

from grants.core import access
from grants.core.actors import Actor
from grants.core.errors import Refused
from grants.core.ja.messages import message
from grants.core.models import BankAccount, Municipality

FIELDS = ("bank_name", "bank_code", "branch_name", "branch_code", "account_type",
          "account_number", "holder_kana")


def keep(session: Session, municipality_code: str, given: dict | None, *, by: str,
         now: datetime) -> dict:
    """The account to pay into: the one given, now the municipality's; or the saved one."""
    saved = session.get(BankAccount, municipality_code)
    if given is None:
        if saved is None:
            raise Refused(message("no_account"), code="no_account")
        return {name: getattr(saved, name) for name in FIELDS}
    if saved is None:
        saved = BankAccount(municipality_code=municipality_code, updated_at=now, updated_by=by,
                            **given)
        session.add(saved)
    else:
        for name, value in given.items():
            setattr(saved, name, value)
        saved.updated_at, saved.updated_by = now, by
    session.flush()
    return dict(given)


def saved(session: Session, municipality_code: str) -> dict | None:
    account = session.get(BankAccount, municipality_code)
    return None if account is None else {name: getattr(account, name) for name in FIELDS}


def for_reader(session: Session, actor: Actor, municipality_code: str) -> dict:
    """A municipality's saved account for whoever may read its grants, as they may see it:
    404 outside the tenant (and when none is saved), 403 for the admin, as for a grant."""
    municipality = session.get(Municipality, municipality_code)
    if municipality is None:
        raise access.not_found("bank_account")
    access.may_read(actor, municipality.code, municipality.org_id, what="bank_account").check()
    account = as_shown(saved(session, municipality_code), actor, municipality)
    if account is None:
        raise access.not_found("bank_account")
    return account


def as_shown(account: dict | None, actor: Actor, municipality: Municipality) -> dict | None:
    """The account as this person may see it: whole, or with the number and the holder
    masked but for the last three digits."""
    if account is None or access.may_see_whole_account(actor, municipality.code, municipality.org_id):
        return account
    return account | {"account_number": "****" + account["account_number"][-3:],
                      "holder_kana": "＊＊＊＊"}
