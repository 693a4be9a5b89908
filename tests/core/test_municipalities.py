"""SPEC §1: the 62 municipalities, the two orgs, and the check digit of their codes."""

import pytest
from sqlalchemy import func, select

from grants.core import municipalities
from grants.core.errors import InvalidInput
from grants.core.models import Municipality, Org
from tests.support import need


def test_the_62_municipalities_are_seeded_with_their_orgs(session):
    assert session.scalar(select(func.count()).select_from(Municipality)) == 62
    by_org = dict(session.execute(select(Municipality.org_id, func.count())
                                  .group_by(Municipality.org_id)).all())
    assert by_org == {"tokubetsuku-kyogikai": 23, "shichoson-chosakai": 39}
    kinds = dict(session.execute(select(Municipality.kind, func.count())
                                 .group_by(Municipality.kind)).all())
    assert kinds == {"特別区": 23, "市": 26, "町": 5, "村": 8}
    assert session.get(Org, "tokubetsuku-kyogikai").name == "公益財団法人特別区協議会"
    assert session.get(Org, "shichoson-chosakai").name == "公益財団法人東京市町村自治調査会"


def test_shipped_list_matches_the_verified_list():
    from pathlib import Path
    verified = Path(__file__).parents[3] / "shared" / "data" / "municipalities.csv"
    need(verified.exists(), "shared/data/municipalities.csv is not beside this checkout")
    shipped = Path(municipalities.__file__).parent / "data" / "municipalities.csv"
    assert shipped.read_text("utf-8") == verified.read_text("utf-8")


@pytest.mark.parametrize(("code", "head"), [("131016", "千代田区長"), ("132012", "八王子市長"),
                                            ("133035", "瑞穂町長"), ("133078", "檜原村長")])
def test_documents_are_addressed_to_the_head_of_the_municipality(session, code, head):
    assert session.get(Municipality, code).head_title == head


@pytest.mark.parametrize(("first_five", "digit"), [("13101", 6), ("13201", 2), ("13421", 0),
                                                   ("13362", 1)])
def test_check_digit(first_five, digit):
    assert municipalities.check_digit(first_five) == digit


def test_code_with_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidInput) as invalid:
        municipalities.validate_code("131017")
    assert invalid.value.detail == "団体コード 131017 の検査数字が正しくありません（正しくは 131016）。"
    with pytest.raises(InvalidInput, match="6桁の数字"):
        municipalities.validate_code("13101")
    with pytest.raises(InvalidInput, match="6桁の数字"):
        municipalities.validate_code("１３１０１６")


def test_a_list_with_a_wrong_check_digit_is_refused_whole():
    text = ("code,name,kana,kind,jurisdiction\n"
            "131016,千代田区,ちよだく,特別区,tokubetsuku-kyogikai\n"
            "132013,八王子市,はちおうじし,市,shichoson-chosakai\n")
    with pytest.raises(InvalidInput, match="132013"):
        municipalities.read_rows(text)


def test_seeding_twice_changes_nothing(session):
    before = [m.model_dump() for m in session.scalars(select(Municipality).order_by(Municipality.code))]
    assert municipalities.seed(session) == 62
    after = [m.model_dump() for m in session.scalars(select(Municipality).order_by(Municipality.code))]
    assert after == before
