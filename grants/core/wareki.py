"""和暦: Japanese era dates, used only at the edges (messages, pages, documents)."""

from datetime import date

# (first day, era name); 令和 began 2019-05-01.
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
]


def _era(day: date) -> tuple[str, int]:
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"no era known for {day}")


def _year(n: int) -> str:
    return "元" if n == 1 else str(n)


def wareki_date(day: date) -> str:
    """2025-04-01 -> '令和7年4月1日'; 2019-05-01 -> '令和元年5月1日'."""
    name, n = _era(day)
    return f"{name}{_year(n)}年{day.month}月{day.day}日"


def fiscal_year_label(fiscal_year: int) -> str:
    """2025 -> '令和7年度'. FY2019 began under 平成 on 1 April but is called 令和元年度, as
    the government does, so the year is named by the era in force from 1 May."""
    if not 1927 <= fiscal_year <= 9998:
        return f"{fiscal_year}年度"
    name, n = _era(date(fiscal_year, 5, 1))
    return f"{name}{_year(n)}年度"


def era_year(fiscal_year: int) -> str:
    """The era year of a fiscal year as documents number it: 2025 -> '7', 2019 -> '元'."""
    label = fiscal_year_label(fiscal_year)
    return label[2:-2] if label[:2] in {name for _, name in ERAS} else str(fiscal_year)
