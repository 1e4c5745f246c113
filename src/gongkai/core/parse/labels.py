"""Label normalisation and matching against the format declarations.

Published reports spell the official labels in many ways: full- or half-width brackets and
digits, stray spaces inside a label (「社会公益 组织」, 「本年度办 理结果」), curly or straight
quotes, 「、」 or 「，」 inside the (六) labels, a doubled numeral (「三三、」), or typos that the
format declares as ``aliases``. Everything here works on text passed through :func:`normalise`,
and builds its patterns from :mod:`gongkai.core.formats`, so no label is typed twice.

The HTML, DOCX and PDF front ends reuse :func:`normalise`, :func:`row_pattern`,
:func:`match_row` and :func:`match_column`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final

from gongkai.core.cjk_equivalents import EQUIVALENT_UNIFIED, SparseTranslation, replace_each
from gongkai.core.findings import Severity
from gongkai.core.formats import Column, Row, Table
from gongkai.core.parse.result import ParseProblem

_COMMENT = re.compile(r"<!--.*?-->|<!\[endif\]-->|-->|<!--", re.S)
_QUOTES = str.maketrans({c: '"' for c in "“”„‟〝〞「」『』＂"} | {c: "'" for c in "‘’‚‛"})
_SPACE = re.compile(r"\s+")
CN_NUMERALS = "一二三四五六七八九十"
_NUMBERING = re.compile(rf"^(?:\(\s*[{CN_NUMERALS}]+\s*\)|[{CN_NUMERALS}]+\s*[、.,]|\d+\s*[.、])")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


# Superscript and subscript digits (「²」「₃」) are a footnote's or a unit's, never a count's,
# but NFKC turns them into plain digits. They are kept as they are (through private-use
# stand-ins that NFKC leaves alone).
_SCRIPT_DIGITS = "\u00b2\u00b3\u00b9" + "".join(map(chr, range(0x2070, 0x208F)))
_PROTECT = {ord(c): 0xF0000 + ord(c) for c in _SCRIPT_DIGITS}
_RESTORE = {v: k for k, v in _PROTECT.items()}
# Applied before NFKC: the stand-ins above, and the CJK radicals that PDF text layers print
# for ideographs (「⺠」 for 民), which NFKC does not map (Unicode's EquivalentUnifiedIdeograph).
_BEFORE_NFKC = _PROTECT | EQUIVALENT_UNIFIED
# The same three tables, applied where their characters occur (see SparseTranslation).
_before_nfkc = SparseTranslation(_BEFORE_NFKC)
_restore = SparseTranslation(_RESTORE)
_quotes = SparseTranslation(_QUOTES)


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), CJK radicals → ideographs, straight quotes, no HTML
    comments; keeps line breaks.

    The same function is applied to the document and to every official label, so matching
    never depends on which width or quote style a report used.
    """
    if "-->" in text or "<!--" in text:  # (what every match of _COMMENT holds)
        text = _COMMENT.sub("", text)
    present = may_change(text)
    if present.isdisjoint(_STAND_IN_CHARS):
        text = nfkc(text, present)  # (_before_nfkc and _restore would leave it as it is)
    else:
        text = _restore(nfkc(_before_nfkc(text)))
    text = _quotes(text)
    # NFKC leaves the ideographic full stop and a few dashes alone; map the ones seen in cells.
    return text.replace("\u2014", "-").replace("\u2212", "-").replace("\ufe63", "-")


# Neither ASCII nor a unified ideograph (U+4E00–U+9FFF): the only characters that NFKC, the
# radical table, the quotes and the dashes may change.
_MAY_CHANGE = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")
# The characters of _MAY_CHANGE that every Chinese report prints hundreds of times (full-width
# punctuation), and a pattern for the others.
_COMMON: Final = "，、。（）“”《》：；"
_RARE: Final = re.compile(r"[^\x00-\x7f\u4e00-\u9fff" + _COMMON + "]")
# What _before_nfkc and _restore replace: characters of _MAY_CHANGE (test_fast_paths checks),
# so a text in which may_change finds none is left alone by both.
_STAND_IN_CHARS: Final = frozenset(map(chr, _BEFORE_NFKC | _RESTORE))
_NFKC_CACHE: dict[str, str] = {}


def may_change(text: str) -> set[str]:
    """The distinct characters of ``text`` that :data:`_MAY_CHANGE` matches.

    ``set(_MAY_CHANGE.findall(text))`` builds a string for every full-width comma of the
    report; a search in C for each common one (``in``) and the pattern for the rest, which
    then matches a few characters at most, take a third of the time.
    """
    present = {char for char in _COMMON if char in text}
    present.update(_RARE.findall(text))
    return present


def nfkc(text: str, present: set[str] | None = None) -> str:
    """``unicodedata.normalize("NFKC", text)``, by replacing only the characters that change.

    CPython's NFKC of a Chinese report (full-width punctuation throughout) takes about 200 ns
    a character, twice lxml's parse of the page. Each distinct character that NFKC changes is
    normalised once, and replaced where it occurs. The result is NFKC of the text whenever it
    is itself in NFKC (the pieces are compatibility-equivalent to the characters they replace,
    so NFKC of both is the same, and NFKC leaves a normalised text alone); that is checked
    (a quick check, in C), and any text where it does not hold (a combining mark after a
    letter, Hangul jamo) is normalised the plain way.
    """
    changed: dict[str, str] = {}
    for char in may_change(text) if present is None else present:
        done = _NFKC_CACHE.get(char)
        if done is None:
            done = unicodedata.normalize("NFKC", char)
            if len(_NFKC_CACHE) < 65536:
                _NFKC_CACHE[char] = done
        if done != char:
            changed[char] = done
    result = text
    if changed:
        sequential = not any(char in done for done in changed.values() for char in changed)
        if sequential:
            # Every character of ``changed`` occurs in the text (it was found there), so each
            # is replaced without looking for them again (what replace_each would do first).
            for char, done in changed.items():
                result = result.replace(char, done)
        else:
            pattern = re.compile("[" + "".join(map(re.escape, sorted(changed))) + "]")
            result = replace_each(text, pattern, changed, sequential)
    if unicodedata.is_normalized("NFKC", result):
        return result
    return unicodedata.normalize("NFKC", text)


_CHAR_CACHE: dict[str, str] = {}


def _normalise_char(char: str) -> str:
    done = _CHAR_CACHE.get(char)
    if done is None and char in _SCRIPT_DIGITS:
        done = char
    if done is None:
        done = unicodedata.normalize("NFKC", char.translate(EQUIVALENT_UNIFIED))
        done = done.translate(_QUOTES)
        done = done.replace("\u2014", "-").replace("\u2212", "-").replace("\ufe63", "-")
        if len(_CHAR_CACHE) < 65536:
            _CHAR_CACHE[char] = done
    return done


# Traditional characters of the words the readers look for (row and column labels, section
# headings, table 四's heads, the title's words), and their simplified forms: the pairs of
# OpenCC's character tables (s2t, s2tw, s2hk) over those words, and 隻 複 覆 製 係 衆 眾 臺,
# which its word tables use there. None of the traditional ones occurs in those words as
# simplified. Sites serve a page in traditional script on request (「繁體」), and crawlers store
# that copy: its table labels are the same words.
_TRADITIONAL: Final = (
    "佈係內別動務區員問啓啟單國執報實審對屬廢強彙後掃採據數於時會條業構標樣機權決沒況"
    "減為無爲獲現當發眾確祕稱穩節範籤糾納紙組結統經維縣總織繳繼續罰臺與舉華萬蘇處號衆"
    "補製複覆規訂計訟訪設許訴詢試該誌認說説請識議護費購載輸轉辦這進過適選鄉鎮鏈閉開間"
    "關隊隻頁項頭題額類驗體"
)
_SIMPLIFIED: Final = (
    "布系内别动务区员问启启单国执报实审对属废强汇后扫采据数于时会条业构标样机权决没况"
    "减为无为获现当发众确秘称稳节范签纠纳纸组结统经维县总织缴继续罚台与举华万苏处号众"
    "补制复复规订计讼访设许诉询试该志认说说请识议护费购载输转办这进过适选乡镇链闭开间"
    "关队只页项头题额类验体"
)
_TO_SIMPLIFIED: Final = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
# Words only a traditional text prints (「公開」「申請」; a simplified report never does).
_TRADITIONAL_WORDS: Final = ("公開", "申請")
# A character of each word, the one only traditional script prints (see in_traditional_script).
_TRADITIONAL_CHARS: Final = ("開", "請")
# Said of every report read so, since its narrative is then quoted with those characters
# simplified.
TRADITIONAL_NOTE: Final = ParseProblem(
    "traditional_script",
    "原文为繁体字：表格标签、章节标题等所用的字已按简体读取，引用的正文中这些字也显示为简体",
    Severity.INFO,
)


def simplified(text: str) -> tuple[str, bool]:
    """A text printed in traditional script with the characters of the words the readers look
    for made simplified, and whether it was (a simplified text is returned as it is).

    Only those characters change: a traditional report's labels then match the format's, and
    its prose keeps what is not theirs. Whether a text is traditional is told by words a
    simplified report never prints, so no simplified report is touched.
    """
    if not in_traditional_script(text):
        return text, False
    return to_simplified(text), True


def in_traditional_script(text: str) -> bool:
    """Whether ``text`` prints words a simplified report never does (「公開」「申請」)."""
    # Each word holds a character a simplified text never prints: a text without either is
    # told by two one-character searches, which run many times faster over ideographs than
    # a search for a two-character word.
    if not any(char in text for char in _TRADITIONAL_CHARS):
        return False
    return any(word in text for word in _TRADITIONAL_WORDS)


def to_simplified(text: str) -> str:
    """The characters of the words the readers look for made simplified (see
    :func:`simplified`), for a text already known to be traditional."""
    return text.translate(_TO_SIMPLIFIED)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text that remembers where each of its characters came from.

    Parsers search ``text``; what they hand to people (the narrative) is cut from
    ``original`` (the input without HTML comments) at ``origin(i)``, so full-width
    punctuation and the author's spelling survive.
    """

    text: str
    original: str
    # None when every character normalised to exactly one character (the usual case).
    offsets: tuple[int, ...] | None = None

    def origin(self, index: int) -> int:
        if self.offsets is None:
            return min(max(index, 0), len(self.original))
        return self.offsets[min(max(index, 0), len(self.offsets) - 1)]

    def original_slice(self, start: int, end: int) -> str:
        return self.original[self.origin(start) : self.origin(end)]


def normalise_mapped(text: str) -> Normalised:
    """:func:`normalise`, character by character, keeping the offset of every character.

    Only the characters that change are replaced (by a regular expression, in C): a report is
    mostly ASCII and ideographs, and looking each of its characters up in a table was the most
    expensive step of reading it.
    """
    original = _COMMENT.sub("", text) if "-->" in text or "<!--" in text else text
    table: dict[str, str] = {}
    for char in may_change(original):
        done = _normalise_char(char)
        if done != char:
            table[char] = done
    if not table:
        return Normalised(original, original)
    if all(len(v) == 1 for v in table.values()):
        changes = re.compile("[" + "".join(map(re.escape, sorted(table))) + "]")
        sequential = not any(char in done for done in table.values() for char in table)
        return Normalised(replace_each(original, changes, table, sequential), original)
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(original):
        done = table.get(char, char)
        pieces.append(done)
        offsets.extend([index] * len(done))
    offsets.append(len(original))
    return Normalised("".join(pieces), original, tuple(offsets))


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """A label without any whitespace, normalised: the key two spellings must share."""
    if len(text) <= _COMPACT_CACHED_LENGTH:
        return _compact_label(text)
    return _compact(text)


# Labels are short and every report prints the same ones: each is normalised once. Longer
# texts (a section's heading with its body) are not kept.
_COMPACT_CACHED_LENGTH: Final = 120


@lru_cache(maxsize=8192)
def _compact_label(text: str) -> str:
    return _compact(text)


def _compact(text: str) -> str:
    return "".join(normalise(text).split())  # str.split's whitespace is exactly \s


def strip_numbering(label: str) -> str:
    """「(一)予以公开」 → 「予以公开」; 「1.属于国家秘密」 → 「属于国家秘密」."""
    return _NUMBERING.sub("", compact(label))


def _char_pattern(char: str) -> str:
    if char in "\"'":
        return "[\"']?"
    if char in "、,":
        return "[、,]"
    if char == ".":
        return "[.、]"
    return re.escape(char)


def loose(text: str) -> str:
    """A regex for ``text`` that tolerates whitespace between any two characters."""
    return r"\s*".join(_char_pattern(c) for c in compact(text))


def _numbering_pattern(numbering: str) -> str:
    numbering = numbering.strip()
    inner = numbering.strip("()、.,").strip()
    if numbering.startswith("("):
        return rf"\(\s*{inner}\s*\)"
    if inner.isdigit():
        # The numeral sits right after the previous row's digits (「00000002.其他…」), so it
        # must be followed by its dot, or it would swallow a digit of the cells.
        return rf"{inner}\s*[.、]"
    # 「三、」 also as 「三三、」 (a doubled numeral seen in the corpus). At most three: with
    # no bound, a run of 「三」 was scanned to its end again from each of its characters (14 s
    # for 30,000 of them in table 三's region).
    return rf"(?:{inner}\s*){{1,3}}[、.,]"


def _core_alternatives(row: Row) -> list[str]:
    label = compact(row.label)
    numbering_match = _NUMBERING.match(label)
    core = label[numbering_match.end() :] if numbering_match else label
    cores = [core, *(strip_numbering(a) for a in row.aliases)]
    patterns = []
    for item in sorted(set(cores), key=len, reverse=True):
        note = _TRAILING_NOTE.search(item)
        if note and note.start() > 0:
            patterns.append(rf"{loose(item[: note.start()])}(?:\s*{loose(note.group())})?")
        else:
            patterns.append(loose(item))
    return patterns


@lru_cache(maxsize=512)
def row_pattern(row: Row, *, numbered: bool = True) -> re.Pattern[str]:
    """The compiled pattern that finds ``row``'s label in normalised text.

    With ``numbered`` the label's own numbering (「(一)」, 「1.」, 「三、」) is required; that keeps
    short labels such as 「3.其他」 from matching the column header 「其他」.
    """
    label = compact(row.label)
    numbering_match = _NUMBERING.match(label)
    body = "(?:" + "|".join(_core_alternatives(row)) + ")"
    if numbered and numbering_match:
        return re.compile(_numbering_pattern(numbering_match.group()) + r"\s*" + body)
    return re.compile(body)


@lru_cache(maxsize=512)
def text_pattern(text: str) -> re.Pattern[str]:
    return re.compile(loose(text))


def match_row(label: str, table: Table) -> Row | None:
    """The row of ``table`` whose official label (or alias) ``label`` spells; None if none.

    Used by grid readers, where a cell holds exactly one label: the label must match from its
    start, numbering optional, and the longest matching row wins (「行政规范性文件」 before
    「规范性文件」).
    """
    key = compact(label)
    if not key:
        return None
    best: tuple[int, Row] | None = None
    for row in table.rows:
        for pattern in (row_pattern(row), row_pattern(row, numbered=False)):
            found = pattern.match(key)
            if found and (best is None or found.end() > best[0]):
                best = (found.end(), row)
    if best is None:
        return None
    # The label may carry a provincial note after the official text, but not much else.
    return best[1] if best[0] >= len(key) - 40 else None


# A misspelt label is still its row when it is this close to exactly one official label (and
# to no other): 「其他法律行政止公开」 is 「其他法律行政法规禁止公开」 at 0.86, while two different
# rows of the format are never closer than about 0.7 to each other.
FUZZY_MIN_RATIO = 0.8
_FUZZY_MIN_LENGTH = 4
_FUZZY_MARGIN = 0.1
_NUMERAL = re.compile(rf"[{CN_NUMERALS}]+|\d+")


def _numbering_key(label: str) -> str:
    """「(三)」 and 「三、」 → 「三」, 「2.」 → 「2」; empty when the label is not numbered."""
    found = _NUMBERING.match(label)
    if not found:
        return ""
    numeral = _NUMERAL.search(found.group())
    return numeral.group() if numeral else ""


def _without_note(core: str) -> str:
    """A label without its parenthetical note, also a note cut short (「…（区分处理的，只计」)."""
    note = _TRAILING_NOTE.search(core)
    if note and note.start() > 0:
        return core[: note.start()]
    opened = core.rfind("(")
    if opened > 0 and ")" not in core[opened:]:
        return core[:opened]
    return core


@lru_cache(maxsize=512)
def _fuzzy_targets(row: Row) -> tuple[tuple[str, str], ...]:
    """(numbering, core) of the row's label and aliases, notes removed."""
    targets = []
    for spelling in (row.label, *row.aliases):
        key = compact(spelling)
        targets.append((_numbering_key(key), _without_note(strip_numbering(spelling))))
    return tuple(dict.fromkeys(targets))


def match_row_fuzzy(label: str, tables: tuple[Table, ...]) -> tuple[Table, Row, float] | None:
    """The one row of ``tables`` whose label ``label`` misspells; None if none or several.

    For a label :func:`match_row` does not recognise. A numbered label keeps its number (a
    typo in 「2.其他法律行政止公开」 never makes it row 3); its text must be at least
    :data:`FUZZY_MIN_RATIO` similar to the official text, and clearly closer to it than to any
    other row's, or nothing is guessed.
    """
    key = compact(label)
    number = _numbering_key(key)
    core = _without_note(strip_numbering(key))
    if len(core) < _FUZZY_MIN_LENGTH or len(core) > 60:
        return None
    floor = FUZZY_MIN_RATIO - _FUZZY_MARGIN
    scored: list[tuple[float, Table, Row]] = []
    for table in tables:
        for row in table.rows:
            best = 0.0
            for target_number, target in _fuzzy_targets(row):
                if number and target_number and number != target_number:
                    continue
                matcher = SequenceMatcher(None, core, target, autojunk=False)
                if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                    continue
                best = max(best, matcher.ratio())
            if best >= floor:
                scored.append((best, table, row))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0], reverse=True)
    ratio, table, row = scored[0]
    if ratio < FUZZY_MIN_RATIO:
        return None
    if len(scored) > 1 and scored[1][0] > ratio - _FUZZY_MARGIN:
        return None
    return table, row, ratio


def match_column(label: str, table: Table) -> Column | None:
    """The column of ``table`` whose label or alias ``label`` spells; None if none."""
    key = compact(label)
    for column in table.columns:
        names = (column.label, *column.aliases)
        if any(compact(n) == key for n in names):
            return column
    for column in table.columns:
        if any(key.startswith(compact(n)) for n in (column.label, *column.aliases)):
            return column
    return None
