"""The path and query parameters that name rows, years and pages, bounded by what the
database holds: a larger id is a 422 (or a page's 404), never an integer overflow."""

from typing import Annotated

from fastapi import Path, Query

from grants.core.fields import FIRST_YEAR, LAST_YEAR

ROW_ID_MAX = 2_147_483_647  # the largest INTEGER key PostgreSQL and SQLite share

Id = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]
FiscalYear = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
YearFilter = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
After = Annotated[int | None, Query(ge=0, le=ROW_ID_MAX)]
Limit = Annotated[int, Query(ge=1, le=100)]
