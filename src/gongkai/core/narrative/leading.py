"""Patterns that tell where a match may begin before they try one.

The engine tries a pattern at every character of the text. A pattern that opens with an
alternation of words in groups (「予以公开…|部分公开…|自然人…」) is tried alternative by
alternative at each, where its first characters alone would pass over most of the text: the
engine looks for a pattern's first characters itself only when it opens with a plain word
or set. :func:`leading` puts them first, as a look-ahead of one character set, which the
engine tests at the speed of a plain scan (six times as fast over the corpus's prose for the
subjects of a percentage); the matches are the same, as every match begins with one of them.
"""

from __future__ import annotations

import re
from typing import Any

# The pattern parser the re module compiles with is private (``re._parser``, Python 3.11 on).
# Without it, or with one whose parse this module does not know, every pattern is compiled as
# it is and no text is skipped: slower, never wrong.
try:
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    # What matches no character: a look-around, an anchor.
    _ZERO_WIDTH: frozenset[Any] = frozenset({sre.ASSERT, sre.ASSERT_NOT, sre.AT})
    _REPEATS: frozenset[Any] = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})
except (ImportError, AttributeError):  # pragma: no cover - another Python's private modules
    sre = sre_parse = None


def _parsed(pattern: str, flags: int = 0) -> list[tuple[Any, Any]] | None:
    """The pattern as the re module parses it; None without that parser or when it fails."""
    if sre_parse is None:  # pragma: no cover - see above
        return None
    try:
        return list(sre_parse.parse(pattern, flags))
    except Exception:  # pragma: no cover - a parser this module does not know
        return None


def leading(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled, behind a look-ahead at the characters its matches begin with
    when they are a few plain characters (else as it is)."""
    first = first_chars(pattern, flags)
    if not first:
        return re.compile(pattern, flags)
    chars = "".join(re.escape(c) for c in sorted(first))
    return re.compile(f"(?=[{chars}])(?:{pattern})", flags)


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters every match of ``pattern`` begins with; None when they are not a set
    of plain characters (a class such as ``\\d``, a range, a match that may be empty, a
    pattern that ignores case)."""
    items = None if flags & re.IGNORECASE else _parsed(pattern, flags)
    if items is None:
        return None
    first, empty = _first(items)
    return None if first is None or empty else first


def _first(items: list[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
    """The first characters of a sequence, and whether it may match the empty string."""
    found: set[str] = set()
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        first, empty = _first_of(op, arg)
        if first is None:
            return None, False
        found |= first
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _first_of(op: Any, arg: Any) -> tuple[frozenset[str] | None, bool]:
    if op is sre.LITERAL:
        return frozenset({chr(arg)}), False
    if op is sre.SUBPATTERN:
        return _first(list(arg[-1]))
    if op is sre.BRANCH:
        found: set[str] = set()
        empty = False
        for branch in arg[1]:
            first, may_be_empty = _first(list(branch))
            if first is None:
                return None, False
            found |= first
            empty = empty or may_be_empty
        return frozenset(found), empty
    if op in _REPEATS:
        low, _, body = arg
        first, empty = _first(list(body))
        return first, empty or low == 0
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in arg):
        return frozenset(chr(code) for _, code in arg), False
    return None, False


def anchor_words(pattern: str) -> tuple[str, ...] | None:
    """Words one of which every match of ``pattern`` holds, so that a text with none of them
    need not be searched (a substring test, in C): of each alternative, its longest run of
    plain characters that no match can lack, or else the words of the first group it cannot
    lack. A look-around consumes nothing and is passed over, an optional part may be absent.
    None when some alternative has neither (a class, a repeat, only optional parts)."""
    items = _parsed(pattern)
    return None if items is None else _words(items)


def _words(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        found: list[str] = []
        for branch in items[0][1][1]:
            words = _words(list(branch))
            if words is None:
                return None
            found.extend(words)
        return tuple(dict.fromkeys(found))
    runs = [""]
    groups: list[tuple[str, ...]] = []
    for op, arg in items:
        if op is sre.LITERAL:
            runs[-1] += chr(arg)
            continue
        runs.append("")
        # A group that must match: captured, or an alternation (「(?:a|b)」 is parsed as one).
        words = None
        if op is sre.SUBPATTERN:
            words = _words(list(arg[-1]))
        elif op is sre.BRANCH:
            words = _words([(op, arg)])
        if words is not None:
            groups.append(words)
    longest = max(runs, key=len)
    if longest:
        return (longest,)
    return groups[0] if groups else None
