"""Hypothesis turns a regex's character class into a strategy one code point at a time: every
character of every range put in a set, each checked for case folding, then sorted back into
intervals. That takes 2.5 s for the text fields' pattern, the class of every character text
may hold (some 280,000), and schemathesis meets it in many regexes (each length a field may
have, and the lengths it tries around them): most of the API's fuzzing went there. This
makes the same strategy from the class's ranges directly, for classes of plain ranges and
characters in a regex that does not ignore case (ours), and leaves every other to Hypothesis."""

import re
import re._constants as sre
from functools import cache

from hypothesis.internal import charmap
from hypothesis.internal.intervalsets import IntervalSet
from hypothesis.strategies._internal import regex
from hypothesis.strategies._internal.lazy import unwrap_strategies

_original = regex._strategy


def _strategy(codes, context, is_unicode, *, alphabet):
    if (isinstance(codes, tuple) and codes[0] == sre.IN and is_unicode and alphabet is not None
            and not context.flags & re.IGNORECASE
            and all(kind in (sre.RANGE, sre.LITERAL, sre.NEGATE) for kind, _ in codes[1])):
        allowed = unwrap_strategies(alphabet).intervals
        return _class(tuple(codes[1]), allowed.intervals)
    return _original(codes, context, is_unicode, alphabet=alphabet)


@cache
def _class(items: tuple, allowed: tuple):
    intervals = IntervalSet([value if kind == sre.RANGE else (value, value)
                             for kind, value in items if kind != sre.NEGATE])
    intervals = intervals.union(intervals)  # sorted and merged
    if any(kind == sre.NEGATE for kind, _ in items):
        intervals = charmap.query() - intervals
    intervals &= IntervalSet(allowed)
    return regex._intervals_to_strategy(intervals, description="This character class")


def install() -> None:
    regex._strategy = _strategy
