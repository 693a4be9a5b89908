"""Every error the API answers is JSON with a Japanese ``detail`` and a stable ``code``
(the pages tell the same ``Answer`` as a page)."""

from dataclasses import dataclass, field

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from grants.api.schemas import ErrorOut
from grants.core.db import DATABASE_AWAY
from grants.core.errors import GrantsError, NotReady
from grants.core.ja.messages import message
from grants.core.validation import problems_from

HTTP_MESSAGES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}

# Declared on every route so that the OpenAPI schema describes what clients will meet.
RESPONSES = {status: {"model": ErrorOut} for status in (401, 403, 404, 409, 422)}


@dataclass(frozen=True)
class Answer:
    """What an error comes to, whichever way in it is told: as JSON or as a page."""

    status: int
    detail: str
    code: str
    problems: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] | None = None


def answer_for(error: Exception) -> Answer:
    if isinstance(error, DATABASE_AWAY):
        # The database is down or restarting: a moment's outage, told as such, not a 500.
        return answer_for(NotReady(message("not_ready_database")))
    if isinstance(error, GrantsError):
        return Answer(error.status, error.detail, error.code, error.problems, error.headers())
    if isinstance(error, RequestValidationError):
        detail, problems = problems_from(error.errors())
        return Answer(422, detail, "invalid_input", problems)
    if error.status_code == 400:
        # FastAPI's answer to a body it cannot even decode: invalid input like any other.
        return Answer(422, message("invalid_input", problems=message("json")), "invalid_input",
                      {"body": message("json")})
    key = HTTP_MESSAGES.get(error.status_code, "http_error")
    return Answer(error.status_code, message(key), key, headers=error.headers)


def as_json(answer: Answer) -> JSONResponse:
    body = {"detail": answer.detail, "code": answer.code}
    if answer.problems:
        body["problems"] = answer.problems
    return JSONResponse(body, status_code=answer.status, headers=answer.headers)
