"""A count said by an office acting for the unit is that office's, not the unit's table."""

from __future__ import annotations

from gongkai.core.narrative.claims import extract_claims


def test_an_office_acting_for_the_unit_is_named_on_the_claim() -> None:
    [claim] = extract_claims({"overview": "2024年，区政府办代表区政府受理政府信息公开申请17件。"})
    assert claim.value == 17
    assert claim.on_behalf == "区政府办代表区政府"


def test_the_unit_itself_is_not_acting_for_anyone() -> None:
    [claim] = extract_claims({"overview": "2023年全区受理政府信息公开申请21件，均按时答复。"})
    assert claim.value == 21
    assert claim.on_behalf == ""
