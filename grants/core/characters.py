"""Which characters text may hold, decided once and used twice: by the validation of every
text field (``grants.core.fields``), and as the pattern the API's schema states for it, so
that what the schema allows the server accepts and the other way round.

Refused: control characters (but newline and tab where text has several lines), format
characters (Unicode Cf: zero-width space, BOM, soft hyphen, bidi marks and overrides, tags;
but a zero-width joiner between two pictographs), line and paragraph separators (Zl, Zp),
private-use, surrogate and unassigned code points (Co, Cs, Cn: the noncharacters among them),
and more than four combining marks in a row. A character that Unicode's composed form (NFC)
would replace by several (U+0958 and the like) has no place in the schema's pattern either,
since text is stored composed and its length counted after. Which code points are assigned
is this Python's Unicode database's view."""

import sys
import unicodedata
from functools import cache

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})
COMBINING = frozenset({"Mn", "Mc", "Me"})
MAX_COMBINING_IN_A_ROW = 4
ZWJ = "\u200d"
# Letters and symbols that draw nothing: a title of these alone is as blank as spaces.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")
LINE_AND_TAB = "\n\t"


def refused(char: str, *, multiline: bool) -> bool:
    """Whether this character, standing alone, has no place in text (of one line or several)."""
    if multiline and char in LINE_AND_TAB:
        return False
    return unicodedata.category(char) in REFUSED_CATEGORIES


def first_refused(text: str, *, multiline: bool) -> str | None:
    """The first character of the text that is refused where it stands, or None."""
    run = 0
    for n, char in enumerate(text):
        category = unicodedata.category(char)
        if refused(char, multiline=multiline) and not (char == ZWJ and _joins_pictographs(text, n)):
            return char
        run = run + 1 if category in COMBINING else 0
        if run > MAX_COMBINING_IN_A_ROW:
            return char
    return None


def visible(char: str) -> bool:
    """Whether a person sees something where this character is."""
    return not (char.isspace() or char in INVISIBLE or unicodedata.category(char) in COMBINING
                or unicodedata.category(char) in REFUSED_CATEGORIES)


def _joins_pictographs(text: str, n: int) -> bool:
    before = text[n - 1] if n > 0 else ""
    if before and unicodedata.category(before) in COMBINING | {"Sk"} and n > 1:
        before = text[n - 2]  # a variation selector or skin tone after the first pictograph
    after = text[n + 1] if n + 1 < len(text) else ""
    return bool(before and after) and {unicodedata.category(before),
                                       unicodedata.category(after)} <= {"So"}


@cache
def pattern(*, multiline: bool) -> str:
    """The schema's pattern for such text: allowed characters only, at least one of them
    visible (text is trimmed, and may not be left empty). The characters stand as themselves
    (no escapes), so that the pattern reads the same to Python and to ECMAScript's ``u`` mode."""
    allowed = char_class(lambda char: _in_pattern(char, multiline=multiline))
    seen = char_class(lambda char: _in_pattern(char, multiline=multiline) and visible(char))
    return f"^{allowed}*{seen}{allowed}*$"


def _in_pattern(char: str, *, multiline: bool) -> bool:
    return (not refused(char, multiline=multiline)
            and len(unicodedata.normalize("NFC", char)) == 1)


def char_class(keep, *, last: int = sys.maxunicode) -> str:
    """A character class of the code points up to ``last`` that ``keep`` holds, as ranges."""
    ranges, start = [], None
    for code in range(last + 2):
        kept = code <= last and not 0xD800 <= code <= 0xDFFF and keep(chr(code))
        if kept and start is None:
            start = code
        elif not kept and start is not None:
            ranges.append((start, code - 1))
            start = None
    return "[" + "".join(_literal(a) if a == b else f"{_literal(a)}-{_literal(b)}"
                         for a, b in ranges) + "]"


def _literal(code: int) -> str:
    """A code point in a character class: the character itself, escaped where it means
    something inside a class or cannot stand in JSON as it is."""
    char = chr(code)
    if char in "\\]^-[" or code < 0x20:
        return f"\\u{code:04x}" if char in "\n\t" or code < 0x20 else "\\" + char
    return char
