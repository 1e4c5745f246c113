"""What an application can end in: table 三's result rows, and the article each one rests on.

An application's result *is* a result row of table 三 (DESIGN.md §2, "Report model"), so the
list of results is read from the format declaration (:mod:`gongkai.core.formats`), never typed.
The legal basis a reply letter cites for each result is data as well: one entry per result row of
the 2021 format, from ``shared/LEGAL.md`` §2.4 ("Outcome-code → row mapping"), with the articles
of the Regulation ([R], 国务院令第711号) and the fee measures ([FEE]). The letters read the
article and the reason from here; the decision form offers ``citation`` as the default legal
basis, which the clerk may change for the case at hand (what the clerk recorded is what the
letter prints). Where LEGAL.md marks the mapping UNVERIFIED, ``verified`` is False and a comment
says so: such entries are our working interpretation and are meant to be edited when a second
source settles them — the letter templates themselves are editable per unit as well.

Articles are written relative to the instrument (``REGULATION_NAME`` from :mod:`gongkai.core.law`,
or the fee measures ``FEE_ARTICLE``), never with the instrument re-typed here. Pure Python: the
apps, the CLI and the report builder read it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from gongkai.core.formats import (
    LATEST_FORMAT,
    T3_FEE_UNPAID,
    T3_NO_CORRECTION,
    T3_NOT_PROCESSED_CONFIRMATION,
    T3_NOT_PROCESSED_EXCESSIVE,
    T3_NOT_PROCESSED_PETITION,
    T3_NOT_PROCESSED_PUBLICATION,
    T3_NOT_PROCESSED_REPEAT,
    T3_OTHER_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NEEDS_CREATION,
    T3_UNAVAILABLE_NOT_HELD,
    T3_UNAVAILABLE_UNCLEAR,
    T3_WITHHELD_ENFORCEMENT_FILE,
    T3_WITHHELD_INTERNAL_AFFAIRS,
    T3_WITHHELD_PROCESS_INFO,
    T3_WITHHELD_PROHIBITED_BY_LAW,
    T3_WITHHELD_QUERY_MATTER,
    T3_WITHHELD_STATE_SECRET,
    T3_WITHHELD_THIRD_PARTY,
    T3_WITHHELD_THREE_SAFETY,
    Row,
    Table,
)
from gongkai.core.law import FEE_ARTICLE, REGULATION_NAME


def result_rows(table3: Table) -> tuple[tuple[Row, Row | None], ...]:
    """Table 三's result rows an application can end in, each with its group header row.

    A result is a leaf of 三、本年度办理结果: a row with cells below the results header that is
    not itself a total. Its group ((三)不予公开 …) is the nearest header row above it, or
    ``None`` for rows that stand alone ((一)予以公开).
    """
    rows: list[tuple[Row, Row | None]] = []
    in_results = False
    group: Row | None = None
    for row in table3.rows:
        if row.level == 0:
            in_results = not row.has_cells  # only the "三、本年度办理结果" header has no cells
            continue
        if not in_results:
            continue
        if not row.has_cells:
            group = row
            continue
        if row.sum_of:  # (七)总计
            continue
        if row.level == 1:
            group = None
        rows.append((row, group))
    return tuple(rows)


def result_label(row: Row, group: Row | None) -> str:
    """The result as a clerk reads it: ``不予公开：属于国家秘密``."""
    return f"{group.name}：{row.label}" if group else row.label


def result_plain_label(row: Row, group: Row | None) -> str:
    """The result in plain words for a clerk's pages: the rows' short names without the
    report's numbering and notes (``部分公开``, ``不予公开：属于国家秘密``,
    ``其他处理：逾期不补正``). The report and its exports keep :func:`result_label`."""
    name = re.sub(r"^\d+\.", "", row.name)
    return f"{group.name}：{name}" if group else name


@dataclass(frozen=True, slots=True)
class Basis:
    """Why a result was reached: the article relied on and the sentence that explains it."""

    article: str  # e.g. "第三十六条第（二）项"; "" when no specific article is known
    reason: str  # the decision's explanation, addressed to the applicant
    instrument: str = REGULATION_NAME
    verified: bool = True  # False where LEGAL.md §2.4/§8 marks the mapping UNVERIFIED

    @property
    def citation(self) -> str:
        """The full citation for the letter (``《中华人民共和国政府信息公开条例》第…条``)."""
        if not self.article:
            return ""
        return f"{self.instrument}{self.article}"


_WITHHELD: Final = "本机关决定不予公开"

# Keys are table 三 result-row codes of LATEST_FORMAT (checked at import below).
RESULT_BASIS: Final[dict[str, Basis]] = {
    # Art 36 (二): disclosable — provide it or say how, where and when (interpretation).
    "disclosed": Basis(
        "第三十六条第（二）项",
        "经审查，您申请获取的政府信息属于可以公开的政府信息，本机关决定予以公开",
    ),
    # Art 37: separable parts — provide the rest, give the reasons for what is withheld.
    T3_PARTLY_DISCLOSED: Basis(
        "第三十七条",
        "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，"
        "但能够作区分处理，本机关决定向您提供可以公开的部分，其余部分不予公开",
    ),
    # Art 14: state secrets; other law forbids; 三安全一稳定 (direct from the text).
    T3_WITHHELD_STATE_SECRET: Basis(
        "第十四条", f"经审查，您申请获取的政府信息属于国家秘密，{_WITHHELD}"
    ),
    T3_WITHHELD_PROHIBITED_BY_LAW: Basis(
        "第十四条",
        f"经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，{_WITHHELD}",
    ),
    T3_WITHHELD_THREE_SAFETY: Basis(
        "第十四条",
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，"
        + _WITHHELD,
    ),
    # Art 15: third parties' commercial secrets and privacy (direct).
    T3_WITHHELD_THIRD_PARTY: Basis(
        "第十五条",
        "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
        + _WITHHELD,
    ),
    # Art 16 ¶1: 人事管理、后勤管理、内部工作流程 (direct).
    T3_WITHHELD_INTERNAL_AFFAIRS: Basis(
        "第十六条第一款",
        "经审查，您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，" + _WITHHELD,
    ),
    # Art 16 ¶2: 讨论记录、过程稿、磋商信函、请示报告 (direct).
    T3_WITHHELD_PROCESS_INFO: Basis(
        "第十六条第二款",
        "经审查，您申请获取的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，"
        + _WITHHELD,
    ),
    # Art 16 ¶2: 行政执法案卷 (direct).
    T3_WITHHELD_ENFORCEMENT_FILE: Basis(
        "第十六条第二款", f"经审查，您申请获取的信息属于行政执法案卷信息，{_WITHHELD}"
    ),
    # UNVERIFIED (LEGAL.md §2.4, §8.4): 行政查询事项 read as Art 36 (七), special access procedures.
    T3_WITHHELD_QUERY_MATTER: Basis(
        "第三十六条第（七）项",
        "经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的行政查询事项，"
        "请按照有关规定办理",
        verified=False,
    ),
    # Art 36 (四). UNVERIFIED (§8.4) whether Art 36 (五) "not this agency's" also belongs here.
    T3_UNAVAILABLE_NOT_HELD: Basis(
        "第三十六条第（四）项",
        "经检索，本机关没有制作或者获取您申请公开的政府信息，该政府信息不存在",
        verified=False,
    ),
    # Art 38: no ready-made information; need not be created by processing (interpretation).
    T3_UNAVAILABLE_NEEDS_CREATION: Basis(
        "第三十八条",
        "经审查，本机关没有您申请的现成信息，需要对现有政府信息进行加工、分析才能形成，"
        "本机关依法不予提供",
    ),
    # Art 30: still unclear after the supplement (interpretation).
    T3_UNAVAILABLE_UNCLEAR: Basis(
        "第三十条",
        "经审查，您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供",
    ),
    # Art 39 ¶1: petitions, complaints, reports (direct).
    T3_NOT_PROCESSED_PETITION: Basis(
        "第三十九条第一款",
        "经审查，您以政府信息公开申请的形式提出的是信访、投诉、举报等诉求，"
        "不作为政府信息公开申请处理，请通过相应渠道提出",
    ),
    # Art 36 (六): a repeat of a request already answered (direct).
    T3_NOT_PROCESSED_REPEAT: Basis(
        "第三十六条第（六）项",
        "本机关已就您申请的同一政府信息作出过答复，您重复申请，本机关不予重复处理",
    ),
    # Art 39 ¶2: public publications (direct).
    T3_NOT_PROCESSED_PUBLICATION: Basis(
        "第三十九条第二款",
        "您申请获取的是公开出版物，请通过公开出版物的发行渠道获取，本机关不予处理",
    ),
    # Art 35: excessive requests without good reason (direct).
    T3_NOT_PROCESSED_EXCESSIVE: Basis(
        "第三十五条",
        "您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，本机关不予处理",
    ),
    # UNVERIFIED (LEGAL.md §2.4, §8.4): no explicit article for confirmation/re-issue requests.
    T3_NOT_PROCESSED_CONFIRMATION: Basis(
        "",
        "您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的处理范围，"
        "本机关不予处理",
        verified=False,
    ),
    # Art 30, last sentence: no supplement in time — deemed withdrawn (direct).
    T3_NO_CORRECTION: Basis(
        "第三十条",
        "您无正当理由逾期未补正，视为放弃申请，本机关不再处理您的政府信息公开申请",
    ),
    # [FEE]: fee not paid within the payment period (direct).
    T3_FEE_UNPAID: Basis(
        "",
        "您逾期未按收费通知要求缴纳信息处理费，本机关不再处理您的政府信息公开申请",
        instrument=FEE_ARTICLE,
    ),
    # Anything else, e.g. withdrawal by the applicant (interpretation; no one article).
    T3_OTHER_OTHER: Basis("", "您已撤回政府信息公开申请，本机关终止办理", verified=False),
}


def _check_complete() -> None:
    """Every result row of the format has a basis: a new row must be mapped before use."""
    codes = {row.code for row, _ in result_rows(LATEST_FORMAT.table3)}
    if set(RESULT_BASIS) != codes:
        missing = sorted(codes - set(RESULT_BASIS))
        extra = sorted(set(RESULT_BASIS) - codes)
        raise RuntimeError(
            f"core.results out of step with table 三: missing {missing}, extra {extra}"
        )


_check_complete()


def basis_for(result: str) -> Basis:
    """The basis of ``result``, a table 三 result-row code (2019's single 其他处理 included)."""
    if result in RESULT_BASIS:
        return RESULT_BASIS[result]
    if result == "other":  # 2019 trial format: one 其他处理 row
        return RESULT_BASIS[T3_OTHER_OTHER]
    raise KeyError(result)


def default_legal_basis(result: str) -> str:
    """The legal basis to offer for ``result``: the article, else the instrument as a whole.

    Where no single article is known (UNVERIFIED entries) the instrument alone is offered, so a
    clerk sees that a more precise basis is theirs to add rather than a guessed article.
    """
    basis = basis_for(result)
    return basis.citation or basis.instrument
