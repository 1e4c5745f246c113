"""The one reading of a decision's reasons (:func:`gongkai.applications.events.stated_decision`)
that the printed case file and the applicant's portal page both show: statutory order, the
ground in plain words, reasons added afterwards (补录答复理由) with the day they were added, a
reason the result needs still blank, and what it does with a ground it does not know.

Events are built unsaved with :func:`ev.new_event`: the helper reads the events it is given,
not the database."""

from __future__ import annotations

import datetime as dt

from gongkai.applications import events as ev
from gongkai.applications.models import RESULT_PLAIN_LABELS, ApplicationEvent
from gongkai.core.formats import (
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
    T3_WITHHELD_THIRD_PARTY,
)
from gongkai.core.law import Channel
from gongkai.core.reasons import REASON_NAMES, ReasonField

D = dt.date
PART = "报价明细"
FACTS = "属于第三方商业秘密，经征求意见不同意公开"
RECEIVED = ev.new_event(ev.Received(channel=Channel.IN_PERSON), date=D(2024, 3, 4))


def decided(result: str = T3_PARTLY_DISCLOSED, **reasons: str) -> ApplicationEvent:
    return ev.new_event(ev.Decided(result=result, **reasons), date=D(2024, 3, 18))


def added(day: dt.date, **reasons: str) -> ApplicationEvent:
    return ev.new_event(ev.ReasonsAdded(**reasons), date=day)


def as_rows(events: list[ApplicationEvent]) -> list[tuple[ReasonField, str, str, dt.date | None]]:
    stated = ev.stated_decision(events)
    assert stated is not None
    return [(r.name, r.label, r.text, r.added_on) for r in stated.reasons]


def test_reasons_come_in_the_order_a_reply_states_them() -> None:
    # given a 部分公开 decision recording its three reasons (passed in another order)
    event = decided(facts=FACTS, withheld_ground=T3_WITHHELD_THIRD_PARTY, withheld_part=PART)
    stated = ev.stated_decision([RECEIVED, event])

    # then the decision's own event and result in plain words, and its reasons in the order of
    # REASON_NAMES: the part, its ground by its plain label, why; none marked as added later
    assert stated is not None and stated.event is event
    assert stated.result == RESULT_PLAIN_LABELS[T3_PARTLY_DISCLOSED]
    assert [r.name for r in stated.reasons] == list(REASON_NAMES)
    assert as_rows([RECEIVED, event]) == [
        (ReasonField.WITHHELD_PART, REASON_NAMES[ReasonField.WITHHELD_PART], PART, None),
        (
            ReasonField.WITHHELD_GROUND,
            REASON_NAMES[ReasonField.WITHHELD_GROUND],
            RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY],
            None,
        ),
        (ReasonField.FACTS, REASON_NAMES[ReasonField.FACTS], FACTS, None),
    ]


def test_reasons_added_afterwards_carry_the_day_each_was_first_added() -> None:
    # given a 部分公开 decision recorded without reasons, the part and its ground added on
    # 20 March, then why on 22 March together with a second (later) version of the part
    events = [
        RECEIVED,
        decided(),
        added(D(2024, 3, 20), withheld_part=PART, withheld_ground=T3_WITHHELD_THIRD_PARTY),
        added(D(2024, 3, 22), withheld_part="另一说法", facts=FACTS),
    ]

    # then each reads as first added, with the day it was added
    assert [(name, text, day) for name, _, text, day in as_rows(events)] == [
        (ReasonField.WITHHELD_PART, PART, D(2024, 3, 20)),
        (ReasonField.WITHHELD_GROUND, RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY], D(2024, 3, 20)),
        (ReasonField.FACTS, FACTS, D(2024, 3, 22)),
    ]


def test_a_reason_the_decision_held_is_not_marked_though_restated_later() -> None:
    held = decided(T3_UNAVAILABLE_NOT_HELD, facts=FACTS)
    events = [RECEIVED, held, added(D(2024, 3, 20), facts="另一说法")]
    assert as_rows(events) == [(ReasonField.FACTS, REASON_NAMES[ReasonField.FACTS], FACTS, None)]


def test_a_needed_reason_still_blank_is_listed_blank_and_an_unneeded_one_left_out() -> None:
    # 部分公开 needs all three: listed, blank, until recorded
    assert [(name, text) for name, _, text, _ in as_rows([decided()])] == [
        (ReasonField.WITHHELD_PART, ""),
        (ReasonField.WITHHELD_GROUND, ""),
        (ReasonField.FACTS, ""),
    ]
    # 部分公开 with a blank ground only: the ground stays listed, blank, between the others
    rows = as_rows([decided(withheld_part=PART, facts=FACTS)])
    assert [(name, text) for name, _, text, _ in rows] == [
        (ReasonField.WITHHELD_PART, PART),
        (ReasonField.WITHHELD_GROUND, ""),
        (ReasonField.FACTS, FACTS),
    ]
    # 予以公开 needs none: nothing listed
    assert as_rows([decided(T3_DISCLOSED)]) == []


def test_an_unknown_ground_or_result_is_shown_as_stored() -> None:
    # a ground that is no result row: its stored code, not an empty or invented label
    rows = as_rows([decided(withheld_part=PART, withheld_ground="no.such.row", facts=FACTS)])
    assert rows[1] == (
        ReasonField.WITHHELD_GROUND,
        REASON_NAMES[ReasonField.WITHHELD_GROUND],
        "no.such.row",
        None,
    )
    # a result that is no row of any format: its code, and only the reasons recorded
    stated = ev.stated_decision([decided("no.such.result", facts=FACTS)])
    assert stated is not None and stated.result == "no.such.result"
    assert [r.name for r in stated.reasons] == [ReasonField.FACTS]


def test_no_decision_and_a_later_decision() -> None:
    # no decision yet: nothing, even with reasons recorded before any
    assert ev.stated_decision([RECEIVED, added(D(2024, 3, 20), facts=FACTS)]) is None
    # a second decision is read alone: reasons added to the first are not its own
    first = decided()
    second = ev.new_event(ev.Decided(result=T3_UNAVAILABLE_NOT_HELD), date=D(2024, 3, 25))
    events = [RECEIVED, first, added(D(2024, 3, 20), facts=FACTS), second]
    stated = ev.stated_decision(events)
    assert stated is not None and stated.event is second
    assert as_rows(events) == [(ReasonField.FACTS, REASON_NAMES[ReasonField.FACTS], "", None)]
    # reasons added to it afterwards are its own, with their day
    later = [*events, added(D(2024, 3, 27), facts=FACTS)]
    assert as_rows(later) == [
        (ReasonField.FACTS, REASON_NAMES[ReasonField.FACTS], FACTS, D(2024, 3, 27))
    ]
