"""Narrative checks: the prose of an annual report against its tables, itself and last year.

- :func:`extract_claims` reads the numbers the prose states about the tables;
- :func:`check_narrative` checks them against the cells they name, and checks stated totals,
  duplicated category lines and result categories the prose leaves out;
- :func:`copy_paste_check` compares each section with the previous year's report;
- :func:`~gongkai.core.narrative.fees.read_fee_statement` is the one reader of section 六's
  fee figures, for the fee rules.
"""

from gongkai.core.narrative.check import check_narrative, describe_target, target_value
from gongkai.core.narrative.claims import Claim, ClaimKind, Target, extract_claims
from gongkai.core.narrative.copy_paste import copy_paste_check, similarity

__all__ = [
    "Claim",
    "ClaimKind",
    "Target",
    "check_narrative",
    "copy_paste_check",
    "describe_target",
    "extract_claims",
    "similarity",
    "target_value",
]
