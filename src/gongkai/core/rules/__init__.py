"""The consistency rules (勾稽关系) of an annual report, as a registry of small pure functions.

Every rule reads the format declaration (:mod:`gongkai.core.formats`) rather than a list of
rows of its own, and applies to the format versions whose declaration has what it checks, so a
new format version needs no change here. Rules never raise on a bad report and never stop at
the first problem. When a rule cannot be evaluated because cells are blank, it says so in one
INFO issue naming the blank cells (the blank cells themselves are reported once, as a warning,
by ``cells.blank``).

The package, one module per seam:

- :mod:`~gongkai.core.rules.engine`: ``Rule``, ``Issue``, ``Context``, the registry and
  :func:`check_report`;
- :mod:`~gongkai.core.rules.fast`: the fast path (per-format lookups, C-speed checks of the
  common case), which only ever skips a detailed pass that would find nothing;
- :mod:`~gongkai.core.rules.tables`: the balance and every total (勾稽关系);
- :mod:`~gongkai.core.rules.cells`: what a cell may hold, blanks, 万元 typed as 元;
- :mod:`~gongkai.core.rules.publication`: format version and publication deadline;
- :mod:`~gongkai.core.rules.cross_year`: rules that need last year's report;
- :mod:`~gongkai.core.rules.fees`: (六)2 against section 六, read by
  :mod:`gongkai.core.narrative.fees`;
- :mod:`~gongkai.core.rules.structure`: the six sections, their numbering and order;
- :mod:`~gongkai.core.rules.wording`: doubled words, years that are not the report's;
- :mod:`~gongkai.core.rules.rates`: shares and year-on-year rates stated in the prose;
- :mod:`~gongkai.core.rules.shares`: percentages without a count, bound by their subject;
- :mod:`~gongkai.core.rules.fee_amounts`: 行政事业性收费 amounts in the prose against section 二.

The modules register their rules when imported, in the order below, which is the order of
``RULES``.
"""

from __future__ import annotations

from gongkai.core.formats import (
    S2_IN_FORCE,
    S2_ISSUED,
    S2_ITEMS_LAST_YEAR,
    S2_NORMATIVE,
    S2_REPEALED,
    SECTION_OTHER,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_FEE_UNPAID,
    T3_NEW,
    T3_RESULTS_TOTAL,
)
from gongkai.core.narrative.fees import FeeStatement, read_fee_statement

# isort: off
# The order of registration is the order of RULES.
from gongkai.core.rules import (
    tables,
    cells,
    publication,
    cross_year,
    fees,
    structure,
    wording,
    rates,
    shares,
    fee_amounts,
)
# isort: on

from gongkai.core.rules.cells import WAN_YUAN_WHOLE_NUMBER_SUSPECT
from gongkai.core.rules.engine import (
    ALL_VERSIONS,
    RULES,
    Check,
    Context,
    Issue,
    Rule,
    check_report,
    prose_rules,
    rule_by_id,
)

# Names this module had before it became a package; the codes now live in formats.
NARRATIVE_OTHER = SECTION_OTHER

__all__ = [
    "ALL_VERSIONS",
    "NARRATIVE_OTHER",
    "RULES",
    "S2_IN_FORCE",
    "S2_ISSUED",
    "S2_ITEMS_LAST_YEAR",
    "S2_NORMATIVE",
    "S2_REPEALED",
    "T3_CARRIED_IN",
    "T3_CARRIED_OUT",
    "T3_FEE_UNPAID",
    "T3_NEW",
    "T3_RESULTS_TOTAL",
    "WAN_YUAN_WHOLE_NUMBER_SUSPECT",
    "Check",
    "Context",
    "FeeStatement",
    "Issue",
    "Rule",
    "cells",
    "check_report",
    "cross_year",
    "fee_amounts",
    "fees",
    "prose_rules",
    "publication",
    "rates",
    "read_fee_statement",
    "rule_by_id",
    "shares",
    "structure",
    "tables",
    "wording",
]
