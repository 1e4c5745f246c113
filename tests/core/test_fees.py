"""The 信息处理费 calculator prices what LEGAL.md §4 says 国办函〔2020〕109号 prices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import law
from gongkai.core.errors import GongkaiError
from gongkai.core.fees import (
    MAX_PAGES_PER_APPLICATION,
    MAX_REQUESTS_PER_MONTH,
    FeeMethod,
    fee_for_pages,
    fee_for_requests,
)

# Kept well below the bounds so that a hypothesis run stays fast, but far past every band edge.
requests = st.integers(min_value=0, max_value=2_000)
pages = st.integers(min_value=0, max_value=1_000_000)


# --- The worked examples of LEGAL.md §4 --------------------------------------------------------


def test_45_requests_in_one_month_cost_5500_yuan() -> None:
    result = fee_for_requests(45)
    assert result.yuan == Decimal(5500)
    assert [(b.first, b.last, b.yuan_each) for b in result.bands] == [
        (1, 10, Decimal(0)),
        (11, 30, Decimal(100)),
        (31, 40, Decimal(200)),
        (41, 45, Decimal(300)),
    ]
    assert result.method is FeeMethod.PER_REQUEST
    assert result.describe()[-1] == "按件计收，合计5,500元"


def test_1500_pages_cost_54700_yuan() -> None:
    """The amount a 成都高新区 bureau demanded in 2024 (LEGAL.md §4)."""
    result = fee_for_pages(1500)
    assert result.yuan == Decimal(54700)
    assert [(b.first, b.last, int(b.yuan_each), int(b.amount)) for b in result.bands] == [
        (1, 30, 0, 0),
        (31, 100, 10, 700),
        (101, 200, 20, 2000),
        (201, 1500, 40, 52000),
    ]
    assert result.describe() == [
        "第1至30页，免费，共30页",
        "第31至100页，每页10元，共70页，计700元",
        "第101至200页，每页20元，共100页，计2,000元",
        "第201至1500页，每页40元，共1300页，计52,000元",
        "按量计收，合计54,700元",
    ]


# --- The rate of the n-th request / page of a band (Art 4, Art 5) ------------------------------


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (101, 900),
    ],
)
def test_the_nth_request_of_a_month_costs_the_rate_of_its_band(nth: int, yuan: int) -> None:
    assert fee_for_requests(1, already_this_month=nth - 1).yuan == Decimal(yuan)


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [(1, 0), (30, 0), (31, 10), (100, 10), (101, 20), (200, 20), (201, 40), (10_000, 40)],
)
def test_the_nth_page_costs_the_rate_of_its_band(nth: int, yuan: int) -> None:
    assert fee_for_pages(nth).yuan - fee_for_pages(nth - 1).yuan == Decimal(yuan)


def test_a_later_application_in_the_month_starts_where_the_earlier_ones_stopped() -> None:
    result = fee_for_requests(3, already_this_month=9)
    assert [(b.first, b.last, int(b.amount)) for b in result.bands] == [(10, 10, 0), (11, 12, 200)]
    assert result.describe() == [
        "第10件，免费，共1件",
        "第11至12件，每件100元，共2件，计200元",
        "按件计收，合计200元",
    ]


def test_nothing_requested_costs_nothing_and_has_no_bands() -> None:
    assert fee_for_requests(0, already_this_month=50).bands == ()
    assert fee_for_pages(0).yuan == 0


def test_the_notice_names_the_measures() -> None:
    assert fee_for_pages(40).basis == law.FEE_ARTICLE


# --- Properties ---------------------------------------------------------------------------------


@given(a=requests, b=requests)
def test_splitting_a_months_requests_never_changes_the_months_fee(a: int, b: int) -> None:
    assert fee_for_requests(a).yuan + fee_for_requests(b, already_this_month=a).yuan == (
        fee_for_requests(a + b).yuan
    )


@given(n=requests, extra=st.integers(min_value=0, max_value=500))
def test_more_requests_never_cost_less(n: int, extra: int) -> None:
    assert fee_for_requests(n + extra).yuan >= fee_for_requests(n).yuan


@given(already=requests, n=st.integers(min_value=1, max_value=200))
def test_a_request_costs_at_least_as_much_later_in_the_month(already: int, n: int) -> None:
    assert fee_for_requests(n, already + 1).yuan >= fee_for_requests(n, already).yuan


@given(n=pages, extra=st.integers(min_value=0, max_value=10_000))
def test_more_pages_never_cost_less(n: int, extra: int) -> None:
    assert fee_for_pages(n + extra).yuan >= fee_for_pages(n).yuan


@given(n=st.integers(min_value=0, max_value=law.PER_REQUEST_FREE))
def test_the_first_requests_of_a_month_are_free(n: int) -> None:
    assert fee_for_requests(n).yuan == 0
    assert fee_for_requests(law.PER_REQUEST_FREE + 1).yuan > 0


@given(n=st.integers(min_value=0, max_value=30))
def test_the_first_30_pages_are_free(n: int) -> None:
    assert law.PER_PAGE_BANDS[0].last == 30
    assert fee_for_pages(n).yuan == 0
    assert fee_for_pages(31).yuan > 0


@given(already=requests, n=requests)
def test_the_breakdown_covers_each_request_once_and_adds_up(already: int, n: int) -> None:
    result = fee_for_requests(n, already_this_month=already)
    numbered = [i for band in result.bands for i in range(band.first, band.last + 1)]
    assert numbered == list(range(already + 1, already + n + 1))
    assert sum((band.amount for band in result.bands), Decimal(0)) == result.yuan
    assert len(result.describe()) == len(result.bands) + 1


@given(n=pages)
def test_the_page_breakdown_covers_each_page_once_and_adds_up(n: int) -> None:
    result = fee_for_pages(n)
    assert sum(band.units for band in result.bands) == n
    assert all(a.last + 1 == b.first for a, b in zip(result.bands, result.bands[1:], strict=False))
    assert sum((band.amount for band in result.bands), Decimal(0)) == result.yuan


# --- Policy switches for the UNVERIFIED points --------------------------------------------------


def test_electronic_pages_count_as_pages_by_default() -> None:
    assert fee_for_pages(1500, electronic=True).yuan == Decimal(54700)


def test_a_deployment_may_refuse_to_price_electronic_data_by_page() -> None:
    policy = law.FeePolicy(electronic_pages_count_as_pages=False)
    assert fee_for_pages(1500, policy=policy).yuan == Decimal(54700)
    with pytest.raises(GongkaiError, match="电子数据"):
        fee_for_pages(1500, electronic=True, policy=policy)


def test_no_applicant_is_exempt_by_default() -> None:
    assert fee_for_requests(45, applicant_type="natural_person").yuan == Decimal(5500)


def test_a_configured_exemption_zeroes_the_fee_but_keeps_the_breakdown() -> None:
    policy = law.FeePolicy(exempt_applicant_types=frozenset({"research"}))
    result = fee_for_requests(45, applicant_type="research", policy=policy)
    assert result.yuan == 0
    assert result.is_free
    assert len(result.bands) == 4
    assert result.describe()[-1] == "申请人类型“research”按本单位收费设置免收，不收取信息处理费"
    assert fee_for_pages(1500, applicant_type="natural_person", policy=policy).yuan == 54700


# --- Bad input is a Chinese error that names the value ------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fee_for_requests(-1), "本次申请的件数不能为负数，收到的是 -1"),
        (lambda: fee_for_requests(3, already_this_month=-2), "本月此前已申请的件数不能为负数"),
        (lambda: fee_for_requests(2.5), "本次申请的件数必须是整数，收到的是 2.5"),  # type: ignore[arg-type]
        (lambda: fee_for_requests("3"), "必须是整数，收到的是 '3'"),  # type: ignore[arg-type]
        (lambda: fee_for_requests(True), "必须是整数，收到的是 True"),
        (lambda: fee_for_pages(-30), "信息的页数不能为负数，收到的是 -30"),
        (lambda: fee_for_pages(Decimal("10.5")), "信息的页数必须是整数"),  # type: ignore[arg-type]
        (lambda: fee_for_pages(None), "信息的页数必须是整数，收到的是 None"),  # type: ignore[arg-type]
        (lambda: fee_for_requests(MAX_REQUESTS_PER_MONTH + 1), "超过可计算的上限"),
        (
            lambda: fee_for_requests(MAX_REQUESTS_PER_MONTH, already_this_month=1),
            "本月累计件数为 100001 件",
        ),
        (lambda: fee_for_pages(MAX_PAGES_PER_APPLICATION + 1), "信息的页数为 100000001"),
    ],
)
def test_bad_input_is_a_specific_chinese_error(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(GongkaiError) as raised:
        call()
    assert message in str(raised.value)


def test_the_largest_allowed_month_is_priced_quickly() -> None:
    result = fee_for_requests(MAX_REQUESTS_PER_MONTH)
    assert result.bands[-1].last == MAX_REQUESTS_PER_MONTH
    assert fee_for_pages(MAX_PAGES_PER_APPLICATION).yuan > 0
