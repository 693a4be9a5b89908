"""The kinds of value people type, each normalised and bounded the same way wherever it is
typed: in the API, the pages or the command line.

Text is Unicode NFC with line breaks as ``\\n``, trimmed, and free of characters that have no
business in a grant's record: control characters (other than newline and tab in multi-line
text), surrogates, noncharacters such as U+FFFE, the bidirectional overrides that make text
read differently from how it is stored, format and invisible characters (Unicode Cf: zero-width
space, BOM, soft hyphen, bidi marks, tags), line and paragraph separators (Zl, Zp), private-use
and unassigned code points (Co, Cn), and more than four combining marks in a row. Such a
character is refused, never silently dropped, so that what is stored is exactly what the person
meant, and nothing stored can later fail in a Word document (XML refuses most control
characters), an export or PostgreSQL (which refuses NUL). A one-line field needs at least one
character a person can see: spaces and fillers alone are blank.

Numbers typed as text (years, amounts, codes) are ASCII or full-width digits and nothing else:
never ², ① or another script's digits, which Unicode would also call digits.

Dates are ISO strings (``2025-05-20``) or ``date`` objects, never numbers, and lie in the fiscal
years the program can have (2000 to 2100), all of which have an era name for 和暦."""

import re
import unicodedata
from datetime import date
from functools import partial
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainValidator, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_YEN = 1_000_000_000_000  # a trillion yen: far above any grant, well inside BIGINT
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 4, 1), date(LAST_YEAR + 1, 3, 31)

_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF)
                         for plane in range(17))  # U+FFFE, U+FFFF, U+1FFFE … U+10FFFF
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 control characters but tab and newline
    "\ud800-\udfff"  # lone surrogates (JSON can carry them; UTF-8 cannot)
    "\ufdd0-\ufdef" + _NONCHARACTERS +  # noncharacters
    "\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides and isolates
)
_LINE_BREAKS = re.compile(r"\r\n?")
_REFUSED_CATEGORIES = {"Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
_COMBINING = {"Mn", "Mc", "Me"}
MAX_COMBINING_IN_A_ROW = 4
# Letters and symbols that draw nothing: a title of these alone is as blank as spaces.
_INVISIBLE = set("\u115f\u1160\u3164\uffa0\u2800")


_ZWJ = "\u200d"


def _category_problem(text: str) -> str | None:
    """The first character of a refused category, or of too long a run of combining marks.
    The zero-width joiner is kept where it joins two pictographs into one (👨‍👩‍👧)."""
    run = 0
    for n, char in enumerate(text):
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES and not (char == _ZWJ and _joins_emoji(text, n)):
            return char
        run = run + 1 if category in _COMBINING else 0
        if run > MAX_COMBINING_IN_A_ROW:
            return char
    return None


def _joins_emoji(text: str, n: int) -> bool:
    before = text[n - 1] if n > 0 else ""
    if before and unicodedata.category(before) in _COMBINING | {"Sk"} and n > 1:
        before = text[n - 2]  # a variation selector or skin tone after the first pictograph
    after = text[n + 1] if n + 1 < len(text) else ""
    return bool(before and after) and {unicodedata.category(before),
                                       unicodedata.category(after)} <= {"So"}


def _visible(text: str) -> bool:
    return any(not char.isspace() and char not in _INVISIBLE
               and unicodedata.category(char) not in _COMBINING for char in text)


def normalise(value: object, *, multiline: bool) -> object:
    """NFC, ``\\n`` line breaks, trimmed; a forbidden character is an error naming it.
    Anything but a string is left for the type check to refuse."""
    if not isinstance(value, str):
        return value
    text = _LINE_BREAKS.sub("\n", value)
    _refuse_forbidden(text)  # before trimming, which would quietly drop some of them
    text = unicodedata.normalize("NFC", text).strip()
    if not multiline and "\n" in text:
        raise PydanticCustomError("line_break", "line breaks are not allowed here")
    if not multiline and "\t" in text:
        raise PydanticCustomError("forbidden_character", "character {char} is not allowed",
                                  {"char": "U+0009"})
    if text and not multiline and not _visible(text):
        raise PydanticCustomError("invisible", "nothing visible")
    return text


def _refuse_forbidden(text: str, *, categories: bool = True) -> None:
    bad = _FORBIDDEN.search(text)
    char = bad.group() if bad is not None else (_category_problem(text) if categories else None)
    if char is not None:
        raise PydanticCustomError("forbidden_character", "character {char} is not allowed",
                                  {"char": f"U+{ord(char):04X}"})


TEXT_RULES = ("Stored as Unicode NFC, trimmed. Refused: control characters, format characters "
              "(Unicode Cf, but a zero-width joiner between two pictographs), line and paragraph "
              "separators, private-use and unassigned code points, more than 4 combining marks "
              "in a row.")
ONE_LINE = " One line: no line break or tab, and at least one visible character."
SEVERAL_LINES = " Several lines: newline and tab allowed."


def text(max_length: int, *, multiline: bool = True, min_length: int = 1) -> object:
    """A text field of at most ``max_length`` characters (after normalisation); its rules
    are stated in the schema, for the API's clients to know."""
    rules = TEXT_RULES + (SEVERAL_LINES if multiline else ONE_LINE)
    return Annotated[str, BeforeValidator(partial(normalise, multiline=multiline)),
                     StringConstraints(min_length=min_length, max_length=max_length),
                     WithJsonSchema({"type": "string", "minLength": min_length,
                                     "maxLength": max_length, "description": rules})]


def _secret(value: object) -> object:
    """Passwords are compared byte for byte, so they are not normalised; but a control
    character is still refused before anything is hashed or looked up."""
    if isinstance(value, str):
        _refuse_forbidden(value, categories=False)
    return value


def secret(max_length: int, *, min_length: int = 1) -> object:
    return Annotated[str, BeforeValidator(_secret),
                     StringConstraints(min_length=min_length, max_length=max_length)]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> date:
    if type(value) is date:
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_parsing", "not a calendar date") from None
    else:
        raise PydanticCustomError("date_type", "an ISO date string is required")
    if not EARLIEST <= day <= LATEST:
        raise PydanticCustomError("date_range", "outside {first} to {last}",
                                  {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()})
    return day


Title = text(200, multiline=False)
Reason = text(2000)
LongText = text(4000)
IsoDate = Annotated[date, PlainValidator(_iso_date, json_schema_input_type=date)]
Yen = Annotated[int, Strict(), Field(ge=0, le=MAX_YEN)]
PositiveYen = Annotated[int, Strict(), Field(gt=0, le=MAX_YEN)]
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")


def ascii_digits(typed: str) -> str:
    """Full-width digits and commas as ASCII; every other character as it is, so that a
    pattern of ``[0-9]`` then accepts ASCII and full-width digits and nothing else."""
    return typed.translate(_FULL_WIDTH)


def whole_number(typed: str, *, low: int, high: int) -> int:
    """A whole number typed as text, in ``low``..``high``: ASCII or full-width digits only
    (never ², ① or another script's digits); ValueError otherwise."""
    text = ascii_digits(typed.strip())
    if not re.fullmatch(r"[0-9]{1,18}", text) or not low <= int(text) <= high:
        raise ValueError(typed)
    return int(text)


FiscalYear = Annotated[int, Strict(), Field(ge=FIRST_YEAR, le=LAST_YEAR)]
MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
OrgId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]{0,39}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._@-]{3,64}$")]


# A bank account to pay a grant into (振込先), as banks' transfer files (全銀) have it.
def _digits(value: object, *, count: int) -> object:
    """A code of exactly ``count`` digits; full-width digits typed are read as digits."""
    value = normalise(value, multiline=False)
    if isinstance(value, str):
        value = ascii_digits(value)
        if not re.fullmatch(f"[0-9]{{{count}}}", value):
            raise PydanticCustomError("digits", "{count} digits", {"count": count})
    return value


def digits(count: int) -> object:
    return Annotated[str, BeforeValidator(partial(_digits, count=count))]


BankCode, BranchCode, AccountNumber = digits(4), digits(3), digits(7)
BankName = text(40, multiline=False)


_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}  # ぁ..ゖ -> ァ..ヶ


def _kana(value: object) -> object:
    """The account holder in katakana as banks print it: half-width kana and letters typed
    are made full-width (NFKC), hiragana katakana; anything but katakana, long vowel marks,
    spaces, letters, digits and the few marks banks allow is refused."""
    value = normalise(value, multiline=False)
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).replace(" ", "\u3000").translate(_TO_KATAKANA)
        if not re.fullmatch(r"[\u30a1-\u30f6\u30fc\u3000A-Z0-9().,\-/（）．，－／]+", value):
            raise PydanticCustomError("kana", "katakana only")
    return value


HolderKana = Annotated[str, BeforeValidator(_kana), StringConstraints(min_length=1, max_length=48)]
