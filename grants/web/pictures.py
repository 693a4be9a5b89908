"""Pictures drawn on the server as SVG, where people would rather look than read: the
lifecycle of a grant with its current state marked (drawn from the transition table), and
how much of the year's cap each municipality has used. No JavaScript; each picture carries
a text alternative."""

from collections import deque
from xml.sax.saxutils import escape

from grants.core.ja.labels import state_label, yen
from grants.core.ja.pages import PAGE
from grants.core.models import Municipality
from workflows.machine import State
from workflows.table import TRANSITIONS

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 184, 36, 20, 30, 12


def _ranks() -> dict[State, int]:
    """Each state's distance from draft along the table's transitions."""
    rank, todo = {State.draft: 0}, deque([State.draft])
    while todo:
        state = todo.popleft()
        for transition in TRANSITIONS.values():
            if state in transition.sources and transition.target not in rank:
                rank[transition.target] = rank[state] + 1
                todo.append(transition.target)
    return rank


RANKS = _ranks()
ROWS = [[s for s in State if RANKS[s] == r] for r in range(max(RANKS.values()) + 1)]
WIDTH = 2 * MARGIN + max(len(row) for row in ROWS) * (BOX_W + GAP_X) - GAP_X + 40
HEIGHT = 2 * MARGIN + len(ROWS) * (BOX_H + GAP_Y) - GAP_Y


def _positions() -> dict[State, tuple[float, float]]:
    places = {}
    for r, row in enumerate(ROWS):
        span = len(row) * (BOX_W + GAP_X) - GAP_X
        left = (WIDTH - 40 - span) / 2
        for i, state in enumerate(row):
            places[state] = (left + i * (BOX_W + GAP_X), MARGIN + r * (BOX_H + GAP_Y))
    return places


PLACES = _positions()


def lifecycle(current: str, *, for_applicant: bool) -> str:
    """The grant's lifecycle, the current state filled in."""
    label = state_label(current, for_applicant=for_applicant)
    title = PAGE["lifecycle_title"]
    desc = PAGE["lifecycle_desc"].format(state=label)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="lc-title lc-desc" class="lifecycle">',
        f'<title id="lc-title">{escape(title)}</title><desc id="lc-desc">{escape(desc)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#666"/></marker></defs>',
    ]
    for transition in TRANSITIONS.values():
        for source in transition.sources:
            if source != transition.target:
                parts.append(_edge(source, transition.target))
    for state, (x, y) in PLACES.items():
        here = state == current
        fill, ink, weight = ("#0017c1", "#ffffff", 700) if here else ("#ffffff", "#1a1a1a", 400)
        name = state_label(state, for_applicant=for_applicant)
        fit = f' textLength="{BOX_W - 12}" lengthAdjust="spacingAndGlyphs"' if len(name) > 12 else ""
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="#0017c1" stroke-width="{3 if here else 1.5}"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 5:.0f}" text-anchor="middle" '
            f'font-size="13" font-weight="{weight}" fill="{ink}"{fit}>{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _edge(source: State, target: State) -> str:
    (sx, sy), (tx, ty) = PLACES[source], PLACES[target]
    if RANKS[target] > RANKS[source]:
        x1, y1, x2, y2 = sx + BOX_W / 2, sy + BOX_H, tx + BOX_W / 2, ty
        return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#666" '
                f'stroke-width="1.5" marker-end="url(#arrow)"/>')
    # Back along the way (a return, an approved change): a curve round the right-hand side.
    x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H / 2, tx + BOX_W, ty + BOX_H / 2
    bulge = max(x1, x2) + 30
    return (f'<path d="M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} '
            f'{x2:.0f},{y2:.0f}" fill="none" stroke="#666" stroke-width="1.5" '
            f'stroke-dasharray="4 3" marker-end="url(#arrow)"/>')


def cap_use(rows: list[tuple[Municipality, int]], cap: int, year_label: str) -> str:
    """A bar per municipality: what it holds against the year's cap."""
    name_w, bar_w, row_h, value_w = 110, 260, 26, 130
    width, height = name_w + bar_w + value_w, 2 * MARGIN + len(rows) * row_h
    title = PAGE["cap_chart_title"].format(year=year_label, cap=yen(cap))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="cap-title" class="cap-use">'
        f'<title id="cap-title">{escape(title)}</title>']
    for i, (municipality, committed) in enumerate(rows):
        y = MARGIN + i * row_h
        used = bar_w * min(committed, cap) / cap if cap else 0
        parts.append(
            f'<text x="{name_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(municipality.name)}</text>'
            f'<rect x="{name_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#f2f2f2" '
            f'stroke="#949494"/>'
            f'<rect x="{name_w}" y="{y + 4}" width="{used:.1f}" height="16" fill="#0017c1"/>'
            f'<text x="{name_w + bar_w + 8}" y="{y + 17}" font-size="13" fill="#1a1a1a">'
            f'{escape(yen(committed))}</text>')
    parts.append("</svg>")
    return "".join(parts)
