"""The clock's fast path (clock/fast.py) and its plain path (clock/plain.py) give the same state.

The fast path is what every page uses; the plain path says the same thing on dates with the
public arithmetic and nothing built for speed. Both derive the state from the record the replay
builds, so each test replays a history once, asks both paths at the day asked about, and
requires equal answers: every field, every pause, the due date an extension or a fee notice is
checked against. Histories come from the benchmark's generator (valid, shaped like real cases)
and from hypothesis (any event in any order, mostly refused, which reaches odd corners).
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import national_calendar
from gongkai.core.clock import (
    ClockError,
    ClockState,
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    ConsultationSent,
    CorrectionAbandoned,
    CorrectionRequested,
    Decided,
    DelayedReplyNotified,
    Event,
    ExtensionGranted,
    FeeNoticeDelivered,
    FeeNoticeSent,
    FeeNotPaid,
    FeePaid,
    Received,
    ReplySent,
    SupplementReceived,
    Withdrawn,
    case_clock,
    fast,
    plain,
)
from gongkai.core.clock.record import CaseRecord
from gongkai.core.clock.replay import replay
from gongkai.core.law import Channel, ClockPolicy
from tests.core.test_clock import BENCH

CAL = national_calendar()
D = dt.date
POLICIES = st.sampled_from([ClockPolicy(), ClockPolicy(fee_payment_pauses_clock=False)])


def both(record: CaseRecord, as_of: dt.date) -> ClockState:
    """A snapshot that computes the state both ways and fails unless they agree."""
    quick = fast.state(record, as_of)
    reference = plain.state(record, as_of)
    assert quick == reference
    running = record.replied_on is None and record.closed_on is None
    if running and not record.awaiting_supplement:
        assert fast.current_due(record, as_of) == reference.due
    return quick


def agree(events: list[Event], on: dt.date, policy: ClockPolicy) -> ClockState | None:
    """Replay with :func:`both`; ``None`` if the history is refused (by the shared replay)."""
    try:
        return replay(events, CAL, on, policy, both)
    except ClockError:
        return None


histories = st.randoms(use_true_random=False).map(
    lambda rng: BENCH.random_history(random.Random(rng.getrandbits(64)), CAL)
)


@settings(max_examples=300, deadline=None)
@given(histories, st.integers(-60, 60), POLICIES)
def test_fast_and_plain_agree_on_valid_histories(
    case: tuple[list[Event], dt.date], shift: int, policy: ClockPolicy
) -> None:
    events, on = case
    # A shift back asks about a day inside the history (later events not yet known).
    asked = max(on + dt.timedelta(days=shift), events[0].receipt_date)  # type: ignore[union-attr]
    state = agree(events, asked, policy)

    if policy == ClockPolicy():  # the histories are generated valid under the default policy
        assert state is not None
        assert state == case_clock(events, calendar=CAL, on=asked)


# --- any events in any order ----------------------------------------------------------------

PARTIES = st.sampled_from(list(ConsultationParty))
REFS = st.sampled_from(["", "1", "2"])


def _step(kind: int, on: dt.date, draw: st.DrawFn) -> Event:
    later = on + dt.timedelta(days=draw(st.integers(1, 15)))
    maybe_later = draw(st.none() | st.just(later))
    steps: list[Event] = [
        CorrectionRequested(on, maybe_later),
        SupplementReceived(on),
        CorrectionAbandoned(on),
        ConsultationSent(on, draw(PARTIES), draw(REFS), maybe_later),
        ConsultationAnswered(on, draw(PARTIES), draw(REFS)),
        ExtensionGranted(on, draw(st.integers(1, 20))),
        FeeNoticeSent(on, maybe_later),
        FeePaid(on),
        FeeNotPaid(on),
        Decided(on),
        ReplySent(on),
        Withdrawn(on),
        ConsultationDelivered(on, draw(PARTIES), draw(REFS)),
        FeeNoticeDelivered(on),
        DelayedReplyNotified(on, on + dt.timedelta(days=draw(st.integers(1, 60)))),
    ]
    return steps[kind]


@st.composite
def candidate_steps(draw: st.DrawFn) -> tuple[Received, list[Event], int]:
    """A receipt (under either Regulation, or before both), then up to 14 candidate events at
    non-decreasing dates, and a shift in days for the day asked about."""
    received = draw(st.dates(min_value=D(2008, 1, 1), max_value=D(2025, 6, 30)))
    day = received
    # Weighted towards the steps that open pauses, so that overlapping ones are common.
    kinds = st.sampled_from(
        [0, 1, 2, 3, 3, 3, 4, 4, 4, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 13, 14]
    )
    steps: list[Event] = []
    for _ in range(draw(st.integers(0, 14))):
        day += dt.timedelta(days=draw(st.integers(0, 12)))
        steps.append(_step(draw(kinds), day, draw))
    return Received(received, Channel.IN_PERSON), steps, draw(st.integers(-20, 40))


@settings(max_examples=300, deadline=None)
@given(candidate_steps(), POLICIES)
def test_fast_and_plain_agree_on_any_event_sequence(
    case: tuple[Received, list[Event], int], policy: ClockPolicy
) -> None:
    received, steps, shift = case
    # Each candidate is kept if the replay accepts it and dropped if it refuses it, so the
    # history keeps growing however wild the draw; both paths are asked after every step.
    history: list[Event] = [received]
    for step in steps:
        on = max(step.on + dt.timedelta(days=shift), received.on)
        if agree([*history, step], on, policy) is not None:
            history.append(step)


def test_the_sequences_reach_pauses_extensions_and_fees() -> None:
    """The generator is worth its examples only if valid histories with pauses come out of it."""
    seen: set[str] = set()
    rng = random.Random(5)
    for _ in range(300):
        history, on = BENCH.random_history(rng, CAL)
        state = agree(history, on, ClockPolicy())
        assert state is not None
        if state.pauses:
            seen.add("pause")
        if any(p.open for p in state.pauses):
            seen.add("open pause")
        if state.extended_due:
            seen.add("extension")
        if state.fee_payment_due:
            seen.add("fee")
    assert seen == {"pause", "open pause", "extension", "fee"}
