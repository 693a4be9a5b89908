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
from functools import cache, partial
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainValidator, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from grants.core import characters

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


def normalise(value: object, *, multiline: bool) -> object:
    """NFC, ``\\n`` line breaks, trimmed; a forbidden character is an error naming it.
    Anything but a string is left for the type check to refuse."""
    if not isinstance(value, str):
        return value
    text = _LINE_BREAKS.sub("\n", value)
    if not multiline and "\n" in text:
        raise PydanticCustomError("line_break", "line breaks are not allowed here")
    _refuse_forbidden(text, multiline=multiline)  # before trimming, which would drop some
    text = unicodedata.normalize("NFC", text).strip()
    if text and not any(characters.visible(char) for char in text):
        raise PydanticCustomError("invisible", "nothing visible")
    return text


def _refuse_forbidden(text: str, *, multiline: bool = True, categories: bool = True) -> None:
    bad = _FORBIDDEN.search(text)
    char = bad.group() if bad is not None else (
        characters.first_refused(text, multiline=multiline) if categories else None)
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
    are stated in the schema, for the API's clients to know: in words, and as the pattern of
    the characters it may hold (made when the schema is, not at import: it takes a second)."""
    def stated(schema: dict) -> None:
        schema["description"] = TEXT_RULES + (SEVERAL_LINES if multiline else ONE_LINE)
        schema["pattern"] = characters.pattern(multiline=multiline)
    return Annotated[str, BeforeValidator(partial(normalise, multiline=multiline)),
                     StringConstraints(min_length=min_length, max_length=max_length),
                     Field(json_schema_extra=stated)]


def _secret(value: object) -> object:
    """Passwords are compared byte for byte, so they are not normalised; but a control
    character is still refused before anything is hashed or looked up."""
    if isinstance(value, str):
        _refuse_forbidden(value, categories=False)
    return value


@cache
def secret_pattern() -> str:
    """What a secret may hold, as the schema states it: every character _secret does not
    refuse, standing as itself (made once, when the schema is first made: it takes a moment)."""
    return f"^{characters.char_class(lambda char: not _FORBIDDEN.match(char))}*$"


def _secret_schema(schema: dict) -> None:
    schema["pattern"] = secret_pattern()


def secret(max_length: int, *, min_length: int = 1) -> object:
    return Annotated[str, BeforeValidator(_secret),
                     StringConstraints(min_length=min_length, max_length=max_length),
                     Field(json_schema_extra=_secret_schema)]


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
# The same range in the schema, as a pattern of real calendar dates from 2000-04-01 to
# 2101-03-31 (leap days included), so that a client knows which dates are taken.
_D31, _D30, _D28 = "(0[1-9]|[12][0-9]|3[01])", "(0[1-9]|[12][0-9]|30)", "(0[1-9]|1[0-9]|2[0-8])"
_ANY_DAY = f"((0[13578]|1[02])-{_D31}|(0[469]|11)-{_D30}|02-{_D28})"
DATE_PATTERN = ("^("
                f"2000-((0[578]|1[02])-{_D31}|(0[469]|11)-{_D30})"  # from April 2000
                f"|(200[1-9]|20[1-9][0-9]|2100)-{_ANY_DAY}"
                "|20(0[48]|[2468][048]|[13579][26])-02-29"  # leap years (2100 is none)
                f"|2101-(0[13]-{_D31}|02-{_D28})"  # to March 2101
                ")$")
IsoDate = Annotated[date, PlainValidator(_iso_date, json_schema_input_type=date),
                    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "description": (
                        f"YYYY-MM-DD, {EARLIEST.isoformat()} to {LATEST.isoformat()}")})]
def _whole(value: object) -> object:
    """JSON has one kind of number, and JSON Schema reads 16417.0 as the integer 16417: so
    does this. A fraction, a string or a boolean is still no integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def whole(**bounds: int) -> object:
    """An integer within ``bounds`` (``ge``, ``gt``, ``le``), given as a JSON number."""
    return Annotated[int, Strict(), Field(**bounds), BeforeValidator(_whole)]  # outermost: first


Yen = whole(ge=0, le=MAX_YEN)
PositiveYen = whole(gt=0, le=MAX_YEN)
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


FiscalYear = whole(ge=FIRST_YEAR, le=LAST_YEAR)
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
    return Annotated[str, BeforeValidator(partial(_digits, count=count)),
                     WithJsonSchema({"type": "string", "pattern": f"^[0-9０-９]{{{count}}}$",
                                     "description": f"{count} digits (ASCII or full-width)"})]


BankCode, BranchCode, AccountNumber = digits(4), digits(3), digits(7)
BankName = text(40, multiline=False)


_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}  # ぁ..ゖ -> ァ..ヶ


_BANK_KANA = re.compile(r"[\u30a1-\u30f6\u30fc\u3000A-Z0-9().,\-/（）．，－／]+")


def _as_bank_kana(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "\u3000").translate(_TO_KATAKANA)


def _kana(value: object) -> object:
    """The account holder in katakana as banks print it: half-width kana and letters typed
    are made full-width (NFKC), hiragana katakana; anything but katakana, long vowel marks,
    spaces, letters, digits and the few marks banks allow is refused."""
    value = normalise(value, multiline=False)
    if isinstance(value, str):
        value = _as_bank_kana(value)
        if not _BANK_KANA.fullmatch(value):
            raise PydanticCustomError("kana", "katakana only")
    return value


def _kana_schema(schema: dict) -> None:
    """What may be typed, as the schema's pattern: each character that becomes one a bank
    prints (made when the schema is)."""
    def takes(char: str) -> bool:
        kept = _as_bank_kana(char)
        return len(kept) == 1 and bool(_BANK_KANA.fullmatch(kept))
    typed = characters.char_class(takes, last=0xFFFF)
    shown = characters.char_class(lambda char: takes(char) and not char.isspace(), last=0xFFFF)
    schema.update(pattern=f"^{typed}*{shown}{typed}*$",
                  description="the holder as the bank prints it: katakana (hiragana and "
                              "half-width kana are made katakana), letters, digits, ().,-/")


HolderKana = Annotated[str, BeforeValidator(_kana), StringConstraints(min_length=1, max_length=48),
                       Field(json_schema_extra=_kana_schema)]
