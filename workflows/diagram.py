"""The Mermaid state diagram of the grant lifecycle, generated from the transition table.

``python -m workflows.diagram > docs/workflow.md`` rewrites the committed copy; a test
fails when the copy no longer matches the table."""

from grants.core.ja.labels import ACTION_LABELS, ROLE_LABELS, STATE_LABELS
from workflows.machine import State
from workflows.table import TRANSITIONS


def mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for state in State:
        staff, applicant = STATE_LABELS[state]
        lines.append(f'    state "{state}<br/>{staff} / {applicant}" as {state}')
    for t in TRANSITIONS.values():
        who = ROLE_LABELS[t.role]
        forms = "".join(f" 様式{form.number}" for form in t.forms)
        for source in sorted(t.sources, key=list(State).index):
            lines.append(f"    {source} --> {t.target}: {t.action} {ACTION_LABELS[t.action]}"
                         f" ({who}){forms}")
    return "\n".join(lines) + "\n"


def document() -> str:
    roles = "、".join(f"{role}: {label}" for role, label in ROLE_LABELS.items())
    return (
        "# Grant lifecycle\n\n"
        "Generated from `workflows/table.py` by `python -m workflows.diagram > docs/workflow.md`;\n"
        "do not edit by hand (a test checks that it is current).\n\n"
        f"Roles: {roles}. Each arrow is an action, who takes it, and the forms (様式) it issues.\n\n"
        "```mermaid\n" + mermaid() + "```\n"
    )


if __name__ == "__main__":
    print(document(), end="")
