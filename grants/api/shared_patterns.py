"""The text rules' patterns are long (a character class of every character text may hold):
stated once each in the OpenAPI document, as the schemas ``OneLineText`` and
``SeveralLinesText``, and referred to from every text field, instead of repeated in each."""

from typing import Any

from grants.core import characters

SHARED = {"OneLineText": False, "SeveralLinesText": True}  # component → multiline


def share_patterns(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each text field's pattern replaced by a reference to its component."""
    named = {characters.pattern(multiline=multiline): name for name, multiline in SHARED.items()}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, multiline in SHARED.items():
        components[name] = {"type": "string", "pattern": characters.pattern(multiline=multiline)}
    _replace(schema.get("paths", {}), named)
    for name, component in components.items():
        if name not in SHARED:
            _replace(component, named)
    return schema


def _replace(node: Any, named: dict[str, str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("pattern") in named:
            node["allOf"] = [{"$ref": f"#/components/schemas/{named[node.pop('pattern')]}"}]
        for value in node.values():
            _replace(value, named)
    elif isinstance(node, list):
        for value in node:
            _replace(value, named)
