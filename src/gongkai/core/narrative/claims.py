"""Claims: the numbers a report's prose states about its own tables.

Officers write the prose of an annual report by hand, and evaluators' commonest finding is prose
that contradicts the tables (LEGAL.md §2.7 rule 9, §6 items 5 and 8). :func:`extract_claims`
reads every number the prose states about something the tables also state — applications
received and carried over, each result category, reconsideration and litigation, normative
documents, proactive-disclosure totals and their category breakdowns, fees — and keeps the
sentence it came from, so that a finding can quote it.

How a number is read. The prose is cut into sentences (。！？ and line breaks) and clauses
(，；：and brackets). A number with its measure word is tied to the keyword nearest before it
in its clause (``“无法提供”的 16 件``); when the clause has none, to a keyword after it
(``1件结转下年度继续办理``). The topic of a sentence carries over its clauses, so that
``行政复议案件 3 件，维持 3 件`` reads as 3 reconsiderations, 3 upheld.

What is deliberately not read (conservative by design — a claim that does not surely name a
cell must not turn into an error):

- counts of *information items* (unit 条, or ``…信息数``, ``…类信息``): ``依申请公开信息数22条``
  and ``不予公开政府信息4条`` are categories of information, not application results;
- ``办理申请218件``: 办理 can mean received or closed, so it names no single row;
- sub-rows of a result category (``本机关不掌握``): prose that names a reason usually means the
  whole category (``因本机关不掌握等原因无法提供``), so only the category is read;
- a bare ``结转 N 件`` that says neither 上年 nor 下年.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from gongkai.core.formats import FORMAT_2021, SECTIONS, T3, T4, ReportFormat
from gongkai.core.narrative._numbers import Number, normalise, scan_numbers


class ClaimKind(enum.StrEnum):
    CELL = "cell"  # a quantity of a table: the sum of the cells its target names
    CATEGORY_TOTAL = "category_total"  # a stated total of information items, with a breakdown
    CATEGORY = "category"  # one line of that breakdown (机构职能类信息 211 条)
    FEE_COLLECTED = "fee_collected"  # 信息处理费 actually collected, in yuan
    FEE_NOTICES = "fee_notices"  # number of fee notices (收费通知) sent


@dataclass(frozen=True, slots=True)
class Target:
    """Cells of one table whose sum the claim states.

    ``rows`` may name a header row (``unavailable`` for （四）无法提供), which stands for the
    sum of its member rows; several rows are summed (予以公开及部分公开). ``columns`` are
    column codes of :mod:`gongkai.core.formats`; several are summed (法人或其他组织).
    """

    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...] = ("total",)


@dataclass(frozen=True, slots=True)
class Claim:
    """One number the prose states, what it is about, and where it was said."""

    kind: ClaimKind
    value: int | Decimal
    unit: str
    # How the claim reads in a message: 「无法提供」16 件, 行政复议 7 件「均获维持」.
    phrase: str
    # The sentence the number came from, as written (the finding's excerpt).
    sentence: str
    section: str
    target: Target | None = None
    # A second reading common in practice (收到 N 件 meaning 一+二, new plus carried over): a
    # match on it is worth a warning, not an error.
    alternative: Target | None = None
    # False when the wording maps to the cell only loosely (发布规范性文件 N 件 may or may not
    # be 制发; 没有…行政复议 is read from a negation): a mismatch is then a warning.
    firm: bool = True
    # The words naming a breakdown line (CATEGORY), or quoting the total (CATEGORY_TOTAL).
    label: str = ""
    # Links a CATEGORY_TOTAL to its CATEGORY lines; unique within one extraction.
    group: int | None = None
    # Said by an office acting for the unit (「区政府办代表区政府受理…」): the count may be only
    # that office's share, so a difference from the table cannot be called a contradiction.
    on_behalf: str = ""


# --------------------------------------------------------------------------------------------
# Keywords. Each maps the nearest words before a number to what the number is about.
# --------------------------------------------------------------------------------------------


class _Family(enum.Enum):
    T3 = "t3"  # a table 三 row
    NEW = "new"  # 收到/受理 …申请 (needs 申请 nearby)
    REMEDY = "remedy"  # a table 四 row group (topic)
    OUTCOME = "outcome"  # a table 四 column, needs a remedy topic
    DOCS = "docs"  # a section 二 (一) row: 规章 / 规范性文件
    FEE_NOTICE = "fee_notice"
    APPLICANT = "applicant"  # a table 三 column, needs a table 三 topic


@dataclass(frozen=True, slots=True)
class _Keyword:
    pattern: re.Pattern[str]
    family: _Family
    key: tuple[str, ...]


def _kw(pattern: str, family: _Family, *key: str) -> _Keyword:
    return _Keyword(re.compile(pattern), family, key)


LITIGATION_ROWS: Final = ("litigation_direct", "litigation_after")
RESULT_GROUPS: Final = (
    "disclosed",
    "partly_disclosed",
    "withheld",
    "unavailable",
    "not_processed",
    "other",
)

_KEYWORDS: Final = (
    # Table 三 result categories; the combined wording first, so that it wins over 部分公开.
    _kw(r"予以公开(?:及|和|与|、|或|以及)部分公开", _Family.T3, "disclosed", "partly_disclosed"),
    _kw(r"部分公开", _Family.T3, "partly_disclosed"),
    _kw(r"(?:予以|同意|全部)公开", _Family.T3, "disclosed"),
    _kw(r"不予公开(?!政府信息|信息|类)", _Family.T3, "withheld"),
    _kw(r"无法提供", _Family.T3, "unavailable"),
    _kw(r"不予处理", _Family.T3, "not_processed"),
    _kw(r"其他处理", _Family.T3, "other"),
    _kw(r"(?:上一?年度?|去年)(?:度)?(?:结转|转入|遗留|未办结)", _Family.T3, "carried_in"),
    _kw(
        r"(?:结转|转入|顺延|延续)(?:至|到)?下一?年度?|下一?年度?继续办理",
        _Family.T3,
        "carried_out",
    ),
    _kw(r"办结|办理完毕|答复(?!率)", _Family.T3, "results_total"),
    _kw(r"收到|受理|新收|接收|接到", _Family.NEW, "new"),
    # Table 四: the longer wordings first.
    _kw(r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)", _Family.REMEDY, "litigation_after"),
    _kw(r"(?:未经复议)?直接(?:提起)?(?:行政)?(?:诉讼|起诉)", _Family.REMEDY, "litigation_direct"),
    _kw(r"行政复议|复议", _Family.REMEDY, "reconsideration"),
    _kw(r"行政诉讼|诉讼|起诉", _Family.REMEDY, *LITIGATION_ROWS),
    _kw(r"(?<!均)(?<!全部)(?:结果)?维持", _Family.OUTCOME, "upheld"),
    _kw(r"(?:结果)?纠正|被撤销|确认违法", _Family.OUTCOME, "corrected"),
    _kw(r"尚未审结|未审结|审理中|未结案", _Family.OUTCOME, "pending"),
    _kw(r"其他结果", _Family.OUTCOME, "other"),
    # Section 二 (一).
    _kw(r"规范性文件(?!类)", _Family.DOCS, "normative_documents"),
    _kw(r"规章(?!制度|类)", _Family.DOCS, "rules"),
    _kw(r"收费通知", _Family.FEE_NOTICE, "fee_notices"),
    # Table 三 columns.
    _kw(r"自然人", _Family.APPLICANT, "natural_person"),
    _kw(r"商业企业", _Family.APPLICANT, "commercial"),
    _kw(r"科研机构", _Family.APPLICANT, "research"),
    _kw(r"社会公益组织", _Family.APPLICANT, "public_interest"),
    _kw(r"法律服务机构", _Family.APPLICANT, "legal_services"),
    _kw(
        r"法人或其他组织|法人和其他组织",
        _Family.APPLICANT,
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other_org",
    ),
)
_ROW_WORDS: Final = {
    "disclosed": "予以公开",
    "partly_disclosed": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
_APPLICATION_WORD: Final = re.compile(r"申请")
# 依申请公开 contains 申请 but names a kind of information, not applications.
_NOT_APPLICATIONS: Final = re.compile(r"依申请")
_APPLICATION_AFTER: Final = re.compile(r"^\s*(?:份|个|条)?\s*(?:政府信息公开)?申请")
# 「区政府办代表区政府」 just before the verb: who acts, and for whom.
_ON_BEHALF: Final = re.compile(
    r"([^，,。；;：:\s]{1,12}代表[^，,。；;：:\s]{1,10})\s*(?:共|共计|累计)?\s*$"
)

# Section 二 (一) verbs, most specific first; the column each names, by format version.
_DOC_VERBS: Final = (
    (re.compile(r"现行有效"), "in_force"),
    (re.compile(r"废止|宣布失效"), "repealed"),
    (re.compile(r"制发|印发|出台|制定|新制作|制作"), "made"),
    (re.compile(r"发布|公开|公布"), "published"),
)
# verb → (column code, firm) per format version.
_DOC_COLUMNS: Final[dict[str, dict[str, tuple[str, bool]]]] = {
    "2021": {
        "in_force": ("in_force", True),
        "repealed": ("repealed", True),
        "made": ("issued", True),
        "published": ("issued", False),
    },
    "2019": {"made": ("made", True), "published": ("published", True)},
}

_ALL_UPHELD: Final = re.compile(r"均(?:获|被|予以|为)?维持|全部(?:被|获)?维持|均获支持")
_ALL_CLOSED: Final = re.compile(r"均已(?:结案|审结|办结)|全部(?:结案|审结)")
_NONE_REMEDY: Final = re.compile(
    r"(?:没有|未发生|未出现|未有|无)(?P<span>[^，。；,;\d]{0,30}?(?:行政复议|行政诉讼)"
    r"[^，。；,;\d]{0,20})"
)
_REMEDY_CORRECTION: Final = re.compile(r"纠正|纠错|败诉|撤销|确认违法|被诉")
_FEE_WORD: Final = re.compile(r"信息处理费")
_FEE_NONE: Final = re.compile(r"(?:未|没有|无|不|免)收(?:取)?(?:任何)?信息处理费|无收取信息处理费")
_FEE_COLLECT: Final = re.compile(r"收取|收缴|收费")
_FEE_NOTICE_NONE: Final = re.compile(
    r"(?:未|没有|无)(?:发出|发放|出具|下发|送达|发送)(?:过|任何)?(?:信息处理费)?收费通知"
)

_SENTENCE_END: Final = re.compile(r"[。！？!?\n]+")
_CLAUSE_MARKS: Final = frozenset("，,；;：:（()）")
_CLAUSE_MARK: Final = re.compile("[" + re.escape("".join(sorted(_CLAUSE_MARKS))) + "]")
_OPEN: Final = frozenset("（(")
_CLOSE: Final = frozenset("）)")
_LABEL_TRIM: Final = re.compile(
    r"^[\s，,；;：:、（()）“”\"']*(?:其中|另有|包括|主要有|主要包括)?[\s，,：:]*(?:涉及|有)?"
)
_LABEL_TAIL: Final = re.compile(r"[\s“”\"']*(?:共|共计|合计|数|为|计)?[\s“”\"']*$")
_BREAKDOWN_AFTER: Final = re.compile(r"\s*[，,；;：:]?\s*[（(]?\s*其中")
_YEAR_PREFIX: Final = re.compile(r"^.*\d{4}\s*年度?(?:全年)?")
_LABEL_MAX: Final = 60
_AMONG: Final = re.compile(r"在[^，。；,;]{0,15}?(?P<n>\d[\d,]*)\s*条[^，。；,;]{0,12}?中")


def extract_claims(narrative: Mapping[str, str], *, fmt: ReportFormat = FORMAT_2021) -> list[Claim]:
    """Every number the prose states about the tables, in reading order.

    ``narrative`` maps section codes (``formats.SECTIONS``) to text; unknown codes are read
    after the known ones. ``fmt`` decides which section 二 column a 规范性文件 count names
    (2019: 本年新制作/新公开; 2021: 制发/废止/现行有效); table 三 and 四 codes are the same in
    both. Never raises on any text.
    """
    order = [s.code for s in SECTIONS if s.code in narrative]
    order += [code for code in narrative if code not in order]
    claims: list[Claim] = []
    groups = iter(range(1, 1_000_000_000))
    for section in order:
        text = narrative[section]
        if not isinstance(text, str) or not text.strip():
            continue
        for sentence in _sentences(normalise(text), text):
            claims.extend(_read_sentence(sentence, section, fmt, groups))
    return claims


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str  # normalised (ASCII digits), same offsets as ``original``
    original: str

    @property
    def excerpt(self) -> str:
        return self.original.strip()


def _sentences(normal: str, original: str) -> Iterator[_Sentence]:
    start = 0
    for match in _SENTENCE_END.finditer(normal):
        end = match.start()
        # Keep the full stop in the excerpt, as the report printed it.
        stop = match.end() if match.group().startswith("。") else end
        if normal[start:end].strip():
            yield _Sentence(normal[start:end], original[start:stop])
        start = match.end()
    if normal[start:].strip():
        yield _Sentence(normal[start:], original[start:])


class _Clauses:
    """Clause boundaries of one sentence, found once; each lookup is a binary search."""

    def __init__(self, text: str) -> None:
        self._marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
        self._size = len(text)

    def start(self, position: int) -> int:
        """Where the clause holding ``position`` begins (after the nearest clause mark)."""
        index = bisect.bisect_left(self._marks, position)
        return self._marks[index - 1] + 1 if index > 0 else 0

    def end(self, position: int) -> int:
        """Where the clause holding ``position`` ends (at the next clause mark)."""
        index = bisect.bisect_left(self._marks, position)
        return self._marks[index] if index < len(self._marks) else self._size


@dataclass(frozen=True, slots=True)
class _Hit:
    keyword: _Keyword
    start: int
    end: int
    text: str


class _KeywordSet:
    """The keywords of some families, with one combined pattern to skip text that has none."""

    def __init__(self, families: frozenset[_Family]) -> None:
        self.keywords = tuple(k for k in _KEYWORDS if k.family in families)
        self.any = re.compile("|".join(f"(?:{k.pattern.pattern})" for k in self.keywords))

    def last(self, text: str) -> _Hit | None:
        """The keyword ending nearest the end of ``text``; the longer one on a tie."""
        if not self.any.search(text):
            return None
        best: _Hit | None = None
        for keyword in self.keywords:
            for match in keyword.pattern.finditer(text):
                hit = _Hit(keyword, match.start(), match.end(), match.group())
                if (
                    best is None
                    or hit.end > best.end
                    or (hit.end == best.end and len(hit.text) > len(best.text))
                ):
                    best = hit
        return best

    def first(self, text: str) -> _Hit | None:
        """The keyword starting nearest the start of ``text``."""
        if not self.any.search(text):
            return None
        best: _Hit | None = None
        for keyword in self.keywords:
            match = keyword.pattern.search(text)
            if match and (best is None or match.start() < best.start):
                best = _Hit(keyword, match.start(), match.end(), match.group())
        return best


_ROW_FAMILIES: Final = frozenset(
    {_Family.T3, _Family.NEW, _Family.REMEDY, _Family.OUTCOME, _Family.DOCS, _Family.FEE_NOTICE}
)
_ROWS: Final = _KeywordSet(_ROW_FAMILIES)
_APPLICANTS: Final = _KeywordSet(frozenset({_Family.APPLICANT}))
_REMEDIES: Final = _KeywordSet(frozenset({_Family.REMEDY}))
_T3_ROWS: Final = _KeywordSet(frozenset({_Family.T3}))


@dataclass(slots=True)
class _State:
    """What a sentence is about so far, carried from clause to clause."""

    t3_row: tuple[str, ...] | None = None
    t3_phrase: str = ""
    t3_alternative: bool = False
    remedy: tuple[str, ...] | None = None
    remedy_word: str = ""
    doc_verb: str | None = None


def _read_sentence(
    sentence: _Sentence, section: str, fmt: ReportFormat, groups: Iterator[int]
) -> list[Claim]:
    text = sentence.text
    numbers = scan_numbers(text)
    if not any(n.unit is not None for n in numbers):
        # Most sentences state no count; only the wording-only claims can be in them.
        return _sentence_wide(sentence, section, [])
    clauses = _Clauses(text)
    fee_sentence = _FEE_WORD.search(text) is not None
    claims: list[Claim] = []
    state = _State()
    previous_end = 0
    for index, number in enumerate(numbers):
        if not number.is_count:
            previous_end = number.end
            continue
        if number.unit is None:
            continue
        left_start = max(clauses.start(number.start), previous_end)
        left = _NOT_APPLICATIONS.sub("＿＿＿", text[left_start : number.start])
        right_end = clauses.end(number.end)
        if index + 1 < len(numbers):
            right_end = min(right_end, numbers[index + 1].start)
        right = text[number.end : right_end]
        claim = _read_number(number, left, right, fee_sentence, state, sentence, section, fmt)
        if claim is not None:
            claims.append(claim)
        previous_end = number.end
    claims.extend(_sentence_wide(sentence, section, claims))
    claims.extend(_breakdown(sentence, section, numbers, clauses, groups))
    return claims


def _read_number(
    number: Number,
    left: str,
    right: str,
    fee_sentence: bool,
    state: _State,
    sentence: _Sentence,
    section: str,
    fmt: ReportFormat,
) -> Claim | None:
    unit = number.unit or ""
    value = number.value
    if fee_sentence and unit in ("元", "万元") and _FEE_COLLECT.search(left + right):
        yuan = value * 10_000 if unit == "万元" else value
        return Claim(
            kind=ClaimKind.FEE_COLLECTED,
            value=yuan,
            unit="元",
            phrase=f"收取信息处理费 {_show(yuan)} 元",
            sentence=sentence.excerpt,
            section=section,
        )
    if unit not in ("件", "份"):
        return None
    hit = _ROWS.last(left)
    applicant = _APPLICANTS.last(left)
    if hit is None:
        # Nothing before the number in its clause: a keyword after it (1件结转下年度继续办理).
        after = _T3_ROWS.first(right)
        if after is not None and after.keyword.key in (("carried_out",), ("carried_in",)):
            hit = after
    if hit is None and applicant is None:
        return None
    family = hit.keyword.family if hit is not None else _Family.APPLICANT
    if unit == "份" and family is not _Family.DOCS and family is not _Family.FEE_NOTICE:
        return None
    # Update the sentence's topics from the words before the number.
    remedy_hit = _REMEDIES.last(left)
    if remedy_hit is not None:
        state.remedy = remedy_hit.keyword.key
        state.remedy_word = _remedy_word(remedy_hit.keyword.key)

    if family is _Family.FEE_NOTICE:
        return Claim(
            kind=ClaimKind.FEE_NOTICES,
            value=value,
            unit=unit,
            phrase=f"收费通知 {_show(value)} {unit}",
            sentence=sentence.excerpt,
            section=section,
        )
    if family is _Family.DOCS and hit is not None:
        # The verb is in the same clause, or carried from a list of documents just before
        # (主动公开规章13件，行政规范性文件60件); never from an unrelated clause.
        state.doc_verb = _doc_verb(left) or state.doc_verb
        return _doc_claim(hit, value, unit, state, sentence, section, fmt)
    state.doc_verb = None
    if family in (_Family.REMEDY, _Family.OUTCOME) and hit is not None:
        return _remedy_claim(hit, value, state, sentence, section)
    if family is _Family.NEW and hit is not None:
        if not (_APPLICATION_WORD.search(left[hit.start :]) or _APPLICATION_AFTER.match(right)):
            return None
        state.t3_row = ("new",)
        state.t3_phrase = f"{hit.text}申请"
        state.t3_alternative = True
        column = _applicant_columns(applicant)
        claim = _t3_claim(("new",), column, value, state, sentence, section, alternative=True)
        acting = _ON_BEHALF.search(left[: hit.start])
        return replace(claim, on_behalf=acting.group(1)) if acting else claim
    if family is _Family.T3 and hit is not None:
        rows = hit.keyword.key
        state.t3_row = rows
        state.t3_phrase = _t3_phrase(rows, hit.text)
        state.t3_alternative = False
        return _t3_claim(rows, _applicant_columns(applicant), value, state, sentence, section)
    if family is _Family.APPLICANT and applicant is not None and state.t3_row is not None:
        return _t3_claim(
            state.t3_row,
            applicant.keyword.key,
            value,
            state,
            sentence,
            section,
            alternative=state.t3_alternative,
        )
    return None


def _applicant_columns(hit: _Hit | None) -> tuple[str, ...]:
    return ("total",) if hit is None else hit.keyword.key


def _t3_phrase(rows: tuple[str, ...], words: str) -> str:
    if rows == ("carried_in",):
        return "上年结转"
    if rows == ("carried_out",):
        return "结转下年度"
    if rows == ("results_total",):
        return words
    return words


def _t3_claim(
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    value: int | Decimal,
    state: _State,
    sentence: _Sentence,
    section: str,
    *,
    alternative: bool = False,
) -> Claim:
    phrase = f"「{state.t3_phrase}」"
    if columns != ("total",):
        phrase = f"「{state.t3_phrase}」中{_applicant_label(columns)} "
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit="件",
        phrase=f"{phrase}{_show(value)} 件",
        sentence=sentence.excerpt,
        section=section,
        target=Target(T3, rows, columns),
        alternative=Target(T3, ("new", "carried_in"), columns) if alternative else None,
    )


def _applicant_label(columns: tuple[str, ...]) -> str:
    if len(columns) > 1:
        return "法人或其他组织"
    return FORMAT_2021.table3.column(columns[0]).label


def _remedy_word(rows: tuple[str, ...]) -> str:
    if rows == ("reconsideration",):
        return "行政复议"
    if rows == ("litigation_after",):
        return "复议后起诉"
    if rows == ("litigation_direct",):
        return "直接起诉"
    return "行政诉讼"


def _remedy_claim(
    hit: _Hit, value: int | Decimal, state: _State, sentence: _Sentence, section: str
) -> Claim | None:
    if hit.keyword.family is _Family.REMEDY:
        rows = hit.keyword.key
        return Claim(
            kind=ClaimKind.CELL,
            value=value,
            unit="件",
            phrase=f"「{_remedy_word(rows)}」{_show(value)} 件",
            sentence=sentence.excerpt,
            section=section,
            target=Target(T4, rows, ("total",)),
        )
    if state.remedy is None:
        return None
    column = hit.keyword.key[0]
    label = FORMAT_2021.table4.column(column).label
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit="件",
        phrase=f"{state.remedy_word}「{label}」{_show(value)} 件",
        sentence=sentence.excerpt,
        section=section,
        target=Target(T4, state.remedy, (column,)),
    )


def _doc_verb(text: str) -> str | None:
    for pattern, verb in _DOC_VERBS:
        if pattern.search(text):
            return verb
    return None


def _doc_claim(
    hit: _Hit,
    value: int | Decimal,
    unit: str,
    state: _State,
    sentence: _Sentence,
    section: str,
    fmt: ReportFormat,
) -> Claim | None:
    if state.doc_verb is None:
        return None
    mapped = _DOC_COLUMNS.get(fmt.version, {}).get(state.doc_verb)
    if mapped is None:
        return None
    column, firm = mapped
    table = "s2.art20_1"
    row = hit.keyword.key[0]
    words = {"in_force": "现行有效", "repealed": "废止", "made": "制发", "published": "发布"}
    return Claim(
        kind=ClaimKind.CELL,
        value=value,
        unit=unit,
        phrase=f"{words[state.doc_verb]}「{hit.text}」{_show(value)} {unit}",
        sentence=sentence.excerpt,
        section=section,
        target=Target(table, (row,), (column,)),
        firm=firm,
    )


def _sentence_wide(sentence: _Sentence, section: str, claims: list[Claim]) -> list[Claim]:
    """Claims that a sentence makes about its other claims, or without any number."""
    text = sentence.text
    extra: list[Claim] = []
    remedy_totals = [
        c
        for c in claims
        if c.target is not None and c.target.table == T4 and c.target.columns == ("total",)
    ]
    stated = {(c.target.rows, c.target.columns) for c in claims if c.target is not None}
    if remedy_totals and _ALL_UPHELD.search(text):
        for claim in remedy_totals:
            assert claim.target is not None
            if (claim.target.rows, ("upheld",)) in stated:
                continue
            word = _remedy_word(claim.target.rows)
            extra.append(
                replace(
                    claim,
                    phrase=f"{word} {_show(claim.value)} 件「均获维持」",
                    target=Target(T4, claim.target.rows, ("upheld",)),
                )
            )
    if remedy_totals and _ALL_CLOSED.search(text):
        for claim in remedy_totals:
            assert claim.target is not None
            if (claim.target.rows, ("pending",)) in stated:
                continue
            word = _remedy_word(claim.target.rows)
            extra.append(
                replace(
                    claim,
                    value=0,
                    phrase=f"{word} {_show(claim.value)} 件「均已结案」（尚未审结 0 件）",
                    target=Target(T4, claim.target.rows, ("pending",)),
                )
            )
    if not remedy_totals:
        for match in _NONE_REMEDY.finditer(text):
            span = match.group("span")
            if _REMEDY_CORRECTION.search(span):
                continue
            for word, rows in (("行政复议", ("reconsideration",)), ("行政诉讼", LITIGATION_ROWS)):
                if word in span:
                    extra.append(
                        Claim(
                            kind=ClaimKind.CELL,
                            value=0,
                            unit="件",
                            phrase=f"没有{word}（0 件）",
                            sentence=sentence.excerpt,
                            section=section,
                            target=Target(T4, rows, ("total",)),
                            firm=False,
                        )
                    )
    collected = any(c.kind is ClaimKind.FEE_COLLECTED for c in claims)
    if not collected and _FEE_WORD.search(text) and _FEE_NONE.search(text):
        extra.append(
            Claim(
                kind=ClaimKind.FEE_COLLECTED,
                value=0,
                unit="元",
                phrase="未收取信息处理费",
                sentence=sentence.excerpt,
                section=section,
            )
        )
    if _FEE_NOTICE_NONE.search(text) and not any(c.kind is ClaimKind.FEE_NOTICES for c in claims):
        extra.append(
            Claim(
                kind=ClaimKind.FEE_NOTICES,
                value=0,
                unit="件",
                phrase="未发出收费通知",
                sentence=sentence.excerpt,
                section=section,
            )
        )
    return extra


# --------------------------------------------------------------------------------------------
# Breakdowns: 「总数 1555 条，其中机构职能类信息 211 条，……」
# --------------------------------------------------------------------------------------------


def _depths(text: str) -> tuple[list[int], list[bool]]:
    """Bracket depth at each offset, and whether the innermost bracket opens with 其中."""
    depth = 0
    stack: list[bool] = []
    depths: list[int] = []
    breakdown: list[bool] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
            stack.append(text.startswith("其中", index + 1))
        elif char in _CLOSE and depth > 0:
            depth -= 1
            stack.pop()
        depths.append(depth)
        breakdown.append(bool(stack) and stack[-1])
    return depths, breakdown


def _breakdown(
    sentence: _Sentence,
    section: str,
    numbers: list[Number],
    clauses: _Clauses,
    groups: Iterator[int],
) -> list[Claim]:
    """A stated total of information items followed by its category lines, if the sentence has one.

    The total is a count in 条 followed by 其中 (``总数1555条，其中…``), or the phrase
    ``在…的90条…中``. Its lines are the later counts in the same unit (or with the unit left
    off at a clause end, as in ``不予公开信息数79。``), at the same bracket depth: counts in a
    bracket after a line are that line's own breakdown (``预决算公开197条（政府预决算32条、
    部门预决算公开165条）``), not more lines. A first line equal to the total restates it
    (``全文电子化的主动公开信息数共90条``) and is not a category.
    """
    text = sentence.text
    total: Number | None = None
    parts_start = 0
    for number in numbers:
        if number.unit != "条" or not number.is_count:
            continue
        # 其中 right after the total, or at the start of the next clause when the rest of the
        # total's clause holds no other number (发布380条财政资金信息，其中…).
        match = _BREAKDOWN_AFTER.match(text, number.end)
        if match is None:
            clause_end = clauses.end(number.end)
            if not any(char.isdigit() for char in text[number.end : clause_end]):
                match = _BREAKDOWN_AFTER.match(text, clause_end)
        if match is not None:
            total = number
            parts_start = match.end()
            break
    among = _AMONG.search(text)
    if among is not None and (total is None or among.start() < total.start):
        candidates = [n for n in numbers if n.start == among.start("n")]
        if candidates:
            total = candidates[0]
            parts_start = among.end()
    if total is None:
        return []
    depths, in_breakdown = _depths(text)
    base = depths[parts_start - 1] if parts_start > 0 else 0
    parts: list[tuple[Number, str]] = []
    previous = parts_start
    for number in numbers:
        if number.start < parts_start or not number.is_count:
            continue
        if depths[number.start] < base:
            break
        if depths[number.start] > base and not in_breakdown[number.start]:
            continue
        at_clause_end = number.end >= len(text) or text[number.end] in _CLAUSE_MARKS | {"、"}
        if number.unit != total.unit and not (number.unit is None and at_clause_end):
            continue
        label = _label(text[max(previous, number.start - _LABEL_MAX) : number.start])
        previous = number.end
        if not label:
            continue
        parts.append((number, label))
    if parts and parts[0][0].value == total.value and len(parts) > 2:
        parts = parts[1:]
    if len(parts) < 2:
        return []
    group = next(groups)
    total_text = _YEAR_PREFIX.sub("", text[clauses.start(total.start) : total.end].strip())
    claims = [
        Claim(
            kind=ClaimKind.CATEGORY_TOTAL,
            value=total.value,
            unit="条",
            phrase=f"「{total_text}」",
            sentence=sentence.excerpt,
            section=section,
            label=total_text,
            group=group,
        )
    ]
    for number, label in parts:
        claims.append(
            Claim(
                kind=ClaimKind.CATEGORY,
                value=number.value,
                unit="条",
                phrase=f"「{label}」{_show(number.value)} 条",
                sentence=sentence.excerpt,
                section=section,
                label=label,
                group=group,
            )
        )
    return claims


def _label(text: str) -> str:
    text = text.strip()
    # Cut at the last clause mark: the label is the words right before the number.
    for index in range(len(text) - 1, -1, -1):
        if text[index] in _CLAUSE_MARKS:
            text = text[index + 1 :]
            break
    text = _LABEL_TRIM.sub("", text)
    return _LABEL_TAIL.sub("", text).strip()


def _show(value: int | Decimal) -> str:
    return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)
