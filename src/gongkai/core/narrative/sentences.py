"""Sentences and clauses of the prose: where a number's words may be looked for."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Final, NamedTuple

SENTENCE_END: Final = re.compile(r"[。！？!?\n]+")
CLAUSE_MARKS: Final = frozenset("，,；;：:（()）")
CLAUSE_MARK: Final = re.compile("[" + re.escape("".join(sorted(CLAUSE_MARKS))) + "]")
OPEN: Final = frozenset("（(")
CLOSE: Final = frozenset("）)")


class Sentence(NamedTuple):
    """One sentence (a named tuple: a report has hundreds, and a tuple is built fastest)."""

    text: str  # normalised (ASCII digits), same offsets as ``original``
    original: str

    @property
    def excerpt(self) -> str:
        return self.original.strip()


# The sentences of the prose read last. The prose checks and several rules (shares, rates,
# 「均已办结」) cut the same report's prose into the same sentences; the first cut serves the
# others. The auditor empties it before and after each report (:func:`forget_sentences`), so
# no report reuses another's, and it never holds more than a few texts.
_CUT: dict[tuple[str, str], tuple[Sentence, ...]] = {}
_CUT_LIMIT: Final = 32
# What else is kept of the sentences for one report (the claims read from them), emptied with
# the cut sentences.
_ALSO_FORGET: list[Callable[[], None]] = []


def split_sentences(normal: str, original: str) -> Iterator[Sentence]:
    """The sentences of ``normal`` (``original`` cut at the same offsets for the excerpts)."""
    return iter(cut_sentences(normal, original))


def cut_sentences(normal: str, original: str) -> tuple[Sentence, ...]:
    """The sentences of ``normal``, as :func:`split_sentences`, cut once per text."""
    key = (normal, original)
    cut = _CUT.get(key)
    if cut is None:
        cut = _split(normal, original)
        if len(_CUT) >= _CUT_LIMIT:
            _CUT.clear()
        _CUT[key] = cut
    return cut


def forget_sentences() -> None:
    """Forget the sentences cut so far (the auditor calls it around each report)."""
    _CUT.clear()
    for forget in _ALSO_FORGET:
        forget()


def forget_with_sentences(forget: Callable[[], None]) -> None:
    """Have :func:`forget_sentences` also empty another per-report cache."""
    _ALSO_FORGET.append(forget)


# A tuple's own constructor: a named tuple's ``__new__`` is a Python function, and a report's
# prose has hundreds of sentences.
_new: Final = tuple.__new__


# The same runs, kept by ``split`` between the pieces.
_SENTENCE_ENDS: Final = re.compile(f"({SENTENCE_END.pattern})")


def _split(normal: str, original: str) -> tuple[Sentence, ...]:
    """Cut by ``split`` (a piece, its run of marks, the next piece…), the offsets added up
    from the pieces' lengths: a third faster than a match object for each run."""
    sentences: list[Sentence] = []
    pieces = _SENTENCE_ENDS.split(normal)
    start = 0
    for index in range(0, len(pieces) - 1, 2):
        text, marks = pieces[index], pieces[index + 1]
        end = start + len(text)
        after = end + len(marks)
        if text and not text.isspace():  # text.strip(), without building the stripped text
            # Keep the full stop in the excerpt, as the report printed it.
            stop = after if marks[0] == "。" else end
            sentences.append(_new(Sentence, (text, original[start:stop])))
        start = after
    text = pieces[-1]
    if text and not text.isspace():
        sentences.append(_new(Sentence, (text, original[start:])))
    return tuple(sentences)


class Clauses:
    """Clause boundaries of one sentence, found once; each lookup is a binary search."""

    def __init__(self, text: str) -> None:
        self._marks = [m.start() for m in CLAUSE_MARK.finditer(text)]
        self._size = len(text)

    def start(self, position: int) -> int:
        """Where the clause holding ``position`` begins (after the nearest clause mark)."""
        index = bisect.bisect_left(self._marks, position)
        return self._marks[index - 1] + 1 if index > 0 else 0

    def end(self, position: int) -> int:
        """Where the clause holding ``position`` ends (at the next clause mark)."""
        index = bisect.bisect_left(self._marks, position)
        return self._marks[index] if index < len(self._marks) else self._size
