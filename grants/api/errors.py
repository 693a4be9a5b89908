"""Every error the API answers is JSON with a Japanese ``detail`` and a stable ``code``."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from grants.api.schemas import ErrorOut
from grants.errors import GrantsError
from grants.ja import message
from grants.validation import problems_from

HTTP_MESSAGES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}

# Declared on every route so that the OpenAPI schema describes what clients will meet.
RESPONSES = {status: {"model": ErrorOut} for status in (401, 403, 404, 409, 422)}


def install(app: FastAPI) -> None:
    @app.exception_handler(GrantsError)
    async def _domain(_request: Request, error: GrantsError) -> JSONResponse:
        body = {"detail": error.detail, "code": error.code}
        if getattr(error, "problems", None):
            body["problems"] = error.problems
        return JSONResponse(body, status_code=error.status, headers=error.headers())

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        detail, problems = problems_from(error.errors())
        return JSONResponse({"detail": detail, "code": "invalid_input", "problems": problems},
                            status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 400:
            # FastAPI's answer to a body it cannot even decode: invalid input like any other.
            detail = message("invalid_input", problems=message("json"))
            return JSONResponse({"detail": detail, "code": "invalid_input",
                                 "problems": {"body": message("json")}}, status_code=422)
        key = HTTP_MESSAGES.get(error.status_code, "http_error")
        return JSONResponse({"detail": message(key), "code": key},
                            status_code=error.status_code, headers=error.headers)
