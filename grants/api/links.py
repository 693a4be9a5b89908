"""OpenAPI links: which answer gives the identifier another operation takes, so that a client
(or a stateful test) can follow the procedure from one answer to the next — a new grant's
``id`` to its actions, an uploaded attachment to its download, a page of documents to the
first document's PDF.

Derived from the schema itself: every successful answer of a kind named below links to every
operation with that kind's path parameter, so a new action or route is linked without being
listed here."""

from typing import Any

# Answer schema → (path parameter it fills, where the value is in that answer).
SOURCES: dict[str, tuple[str, str]] = {
    "GrantOut": ("grant_id", "/id"),
    "GrantPage": ("grant_id", "/items/0/id"),
    "AttachmentOut": ("attachment_id", "/id"),
    "AttachmentPage": ("attachment_id", "/items/0/id"),
    "DocumentPage": ("document_id", "/items/0/id"),
    "NoticePage": ("notice_id", "/items/0/id"),
    "ProgramOut": ("fiscal_year", "/fiscal_year"),
    "MunicipalityOut": ("municipality_code", "/code"),
}
_REF = "#/components/schemas/"


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with ``links`` on every successful answer that yields an identifier."""
    takers: dict[str, list[str]] = {}  # path parameter → operationIds that take it
    for operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path":
                takers.setdefault(parameter["name"], []).append(operation["operationId"])
    for operation in _operations(schema):
        for status, answer in operation.get("responses", {}).items():
            source = _source(answer) if status.startswith("2") else None
            if source is None:
                continue
            parameter, pointer = source
            answer["links"] = {
                target: {"operationId": target,
                         "parameters": {parameter: f"$response.body#{pointer}"}}
                for target in takers.get(parameter, [])}
    return schema


def _operations(schema: dict[str, Any]):
    for methods in schema.get("paths", {}).values():
        yield from methods.values()


def _source(answer: dict[str, Any]) -> tuple[str, str] | None:
    body = answer.get("content", {}).get("application/json", {}).get("schema", {})
    if body.get("type") == "array":  # a bare list: its first item
        found = SOURCES.get(body.get("items", {}).get("$ref", "").removeprefix(_REF))
        return None if found is None else (found[0], "/0" + found[1])
    return SOURCES.get(body.get("$ref", "").removeprefix(_REF))
