"""Reasons added afterwards to a decision recorded without them.

Decisions recorded before decisions carried their reasons (:mod:`gongkai.core.reasons`), or
imported from a ledger, have none, and the reply letter that needs them is refused until they
are recorded. The decision itself is a fact of the case and stays as it was: the reasons are a
``ReasonsAdded`` event after it, which :func:`gongkai.applications.events.decision` reads
together with the ``Decided`` event. Only the reasons still blank may be added here; a reason
already recorded is not rewritten (the history is evidence), and an archived case is read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.db import transaction

from gongkai.agencies.gatekeeper import Action, access_application_by_id, require
from gongkai.applications import events as ev
from gongkai.applications.models import RESULT_CHOICES, Application
from gongkai.applications.services.base import (
    ARCHIVED,
    ApplicationError,
    application_append_event,
)
from gongkai.core.reasons import (
    REASON_NAMES,
    WITHHELD_GROUNDS,
    ReasonField,
    missing_reasons,
    required_reasons,
)

NOT_DECIDED: Final = "申请 {number} 尚未作出答复决定，没有可以补录理由的决定"
NO_REASONS_NEEDED: Final = "申请 {number} 的办理结果“{result}”不需要说明理由，无需补录"
ALREADY_RECORDED: Final = "申请 {number} 的答复决定已记录理由，不能再补录；已记录的理由不能在此修改"
KEEP_RECORDED: Final = "“{what}”已经记录为“{value}”，补录时不能修改，请留空该项"
NOT_USED: Final = "办理结果“{result}”不需要填写“{what}”，请清空该项"
STILL_MISSING: Final = "请填写{what}"
BAD_GROUND: Final = "不予公开部分的情形 {ground!r} 不是“不予公开”的情形之一，可选：{allowed}"

_RESULT_LABELS: Final = dict(RESULT_CHOICES)


def recorded_reasons(decided: ev.Decided) -> dict[ReasonField, str]:
    """The reasons ``decided`` (as read by :func:`ev.decision`) holds, by field."""
    return {
        ReasonField.FACTS: decided.facts,
        ReasonField.WITHHELD_PART: decided.withheld_part,
        ReasonField.WITHHELD_GROUND: decided.withheld_ground,
    }


@transaction.atomic
def application_add_reasons(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    facts: str = "",
    withheld_part: str = "",
    withheld_ground: str = "",
    on: dt.date | None = None,
) -> Application:
    """Add the reasons the decision of ``application_id`` lacks, as one ``ReasonsAdded`` event.

    Every reason the result needs and the decision lacks must be given; a reason the decision
    already records must be left blank (or repeated unchanged), a reason the result does not
    use is refused, and a decision with all its reasons refuses the addition altogether.
    """
    application: Application = access_application_by_id(
        acting_user, application_id, for_change=True
    )
    require(acting_user, Action.ADD_REASONS, application.unit)
    number = application.tracking_number
    if application.archived_on is not None:
        raise ApplicationError(
            ARCHIVED.format(number=number, day=application.archived_on.isoformat())
        )
    found = ev.decision(application.events.order_by("id"))
    if found is None:
        raise ApplicationError(NOT_DECIDED.format(number=number))
    decided = found[1]
    result = decided.result
    label = _RESULT_LABELS.get(result, result)
    needs = required_reasons(result)
    if not needs:
        raise ApplicationError(NO_REASONS_NEEDED.format(number=number, result=label))
    recorded = recorded_reasons(decided)
    if not missing_reasons(result, recorded):
        raise ApplicationError(ALREADY_RECORDED.format(number=number))
    given = {
        ReasonField.FACTS: facts.strip(),
        ReasonField.WITHHELD_PART: withheld_part.strip(),
        ReasonField.WITHHELD_GROUND: withheld_ground.strip(),
    }
    wanted = {need.field for need in needs}
    added: dict[ReasonField, str] = {}
    for name, value in given.items():
        if not value:
            continue
        if name not in wanted:
            raise ApplicationError(NOT_USED.format(result=label, what=REASON_NAMES[name]))
        if recorded[name] and value != recorded[name]:
            raise ApplicationError(
                KEEP_RECORDED.format(what=REASON_NAMES[name], value=recorded[name])
            )
        if not recorded[name]:
            added[name] = value
    ground = added.get(ReasonField.WITHHELD_GROUND, "")
    if ground and ground not in WITHHELD_GROUNDS:
        allowed = "、".join(_RESULT_LABELS[code] for code in WITHHELD_GROUNDS)
        raise ApplicationError(BAD_GROUND.format(ground=ground, allowed=allowed))
    lacking = missing_reasons(result, {**recorded, **added})
    if lacking:
        raise ApplicationError(
            STILL_MISSING.format(what="、".join(f"“{need.label}”" for need in lacking))
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ReasonsAdded(
            facts=added.get(ReasonField.FACTS, ""),
            withheld_part=added.get(ReasonField.WITHHELD_PART, ""),
            withheld_ground=ground,
        ),
        on=on,
        action=Action.ADD_REASONS,
    )
