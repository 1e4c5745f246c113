"""信息处理费: the fee an agency may charge for excessive requests ([FEE] 国办函〔2020〕109号).

The measures price two ways, and the agency picks one per application (Art 3):

* 按件 (per request, Art 4) is cumulative over one applicant's requests in one calendar month,
  so the price of *this* application depends on how many the same applicant already made that
  month. :func:`fee_for_requests` therefore takes ``already_this_month`` and prices requests
  number ``already+1 .. already+count``; splitting a month's requests into several applications
  never changes the month's total.
* 按量 (per page, Art 5) is per application: :func:`fee_for_pages` prices the pages of one
  application alone.

Both are excess-progressive (超额累进): each unit is priced at the rate of the band it falls in,
like income tax brackets, not at the rate of the last unit. The bands themselves are read from
:mod:`gongkai.core.law`; this module only applies them. The result carries a per-band breakdown
because the 收费通知书 must state the basis, standard and amount (LEGAL.md §4), and a clerk
checks the letter line by line.

Points LEGAL.md marks UNVERIFIED are decided by :class:`~gongkai.core.law.FeePolicy`, never here:
whether pages of electronic data count as pages (``electronic_pages_count_as_pages``) and whether
any applicant type is exempt (``exempt_applicant_types``, empty by default: no exemption was found
in the verified articles, so none is invented).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from gongkai.core import law
from gongkai.core.errors import GongkaiError

# Input bounds. They are not legal facts but guards: a per-request breakdown has one line per
# band of 10, so an absurd count (a typo, a pasted ID number) would otherwise build millions of
# lines. Both are orders of magnitude above anything one applicant files in a month.
MAX_REQUESTS_PER_MONTH: Final = 100_000
MAX_PAGES_PER_APPLICATION: Final = 100_000_000


class FeeMethod(enum.StrEnum):
    """The two pricing methods of the measures; an application is priced by exactly one."""

    PER_REQUEST = "per_request"  # 按件
    PER_PAGE = "per_page"  # 按量

    @property
    def label(self) -> str:
        return {"per_request": "按件计收", "per_page": "按量计收"}[self.value]

    @property
    def unit(self) -> str:
        return {"per_request": "件", "per_page": "页"}[self.value]


@dataclass(frozen=True, slots=True)
class BandCharge:
    """One line of the notice: units ``first..last`` of this band, priced at ``yuan_each``."""

    first: int
    last: int
    yuan_each: Decimal
    unit: str

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> Decimal:
        return self.yuan_each * self.units

    @property
    def is_free(self) -> bool:
        return self.yuan_each == 0

    def describe(self) -> str:
        """One line of the 收费通知书, e.g. ``第11至30件，每件100元，共20件，计2,000元``."""
        span = (
            f"第{self.first}{self.unit}"
            if self.first == self.last
            else f"第{self.first}至{self.last}{self.unit}"
        )
        if self.is_free:
            return f"{span}，免费，共{self.units}{self.unit}"
        return (
            f"{span}，每{self.unit}{_yuan(self.yuan_each)}元，"
            f"共{self.units}{self.unit}，计{_yuan(self.amount)}元"
        )


@dataclass(frozen=True, slots=True)
class FeeResult:
    """A priced application: the amount, and the bands that make it up, for the notice."""

    method: FeeMethod
    units: int
    bands: tuple[BandCharge, ...]
    exempt_reason: str | None = None

    @property
    def yuan(self) -> Decimal:
        if self.exempt_reason is not None:
            return Decimal(0)
        return sum((band.amount for band in self.bands), Decimal(0))

    @property
    def is_free(self) -> bool:
        return self.yuan == 0

    @property
    def basis(self) -> str:
        return law.FEE_ARTICLE

    def describe(self) -> list[str]:
        """The notice's lines: one per band, then the total (or why nothing is charged)."""
        lines = [band.describe() for band in self.bands]
        if self.exempt_reason is not None:
            lines.append(f"{self.exempt_reason}，不收取信息处理费")
        else:
            lines.append(f"{self.method.label}，合计{_yuan(self.yuan)}元")
        return lines


def fee_for_requests(
    count: int,
    already_this_month: int = 0,
    *,
    applicant_type: str | None = None,
    policy: law.FeePolicy = law.DEFAULT_FEE_POLICY,
) -> FeeResult:
    """Price ``count`` requests of one applicant made after ``already_this_month`` others.

    The month's requests are numbered from 1 across all of the applicant's applications, and
    each request costs the rate of the band its number falls in ([FEE] Art 4), so this prices
    numbers ``already_this_month + 1`` to ``already_this_month + count``.
    """
    _check_count(count, "本次申请的件数", MAX_REQUESTS_PER_MONTH)
    _check_count(already_this_month, "本月此前已申请的件数", MAX_REQUESTS_PER_MONTH)
    if count + already_this_month > MAX_REQUESTS_PER_MONTH:
        raise GongkaiError(
            f"同一申请人本月累计件数为 {count + already_this_month} 件"
            f"（此前 {already_this_month} 件，本次 {count} 件），"
            f"超过可计算的上限 {MAX_REQUESTS_PER_MONTH} 件，请核对输入"
        )
    bands = _charges(_per_request_bands(), already_this_month + 1, already_this_month + count, "件")
    return FeeResult(FeeMethod.PER_REQUEST, count, bands, _exemption(applicant_type, policy))


def fee_for_pages(
    pages: int,
    *,
    electronic: bool = False,
    applicant_type: str | None = None,
    policy: law.FeePolicy = law.DEFAULT_FEE_POLICY,
) -> FeeResult:
    """Price the ``pages`` of one application ([FEE] Art 5); pages never accumulate over a month.

    ``electronic`` says the pages are copied electronic data rather than paper; whether those
    count as pages is UNVERIFIED and decided by ``policy.electronic_pages_count_as_pages``.
    When a deployment says they do not, pricing them by page is refused rather than guessed.
    """
    _check_count(pages, "信息的页数", MAX_PAGES_PER_APPLICATION)
    if electronic and not policy.electronic_pages_count_as_pages:
        raise GongkaiError(
            "本单位的收费设置不把电子数据计为页数，无法对电子数据按量计收信息处理费；"
            "请改为按件计收，或修改收费设置"
        )
    bands = _charges(iter(law.PER_PAGE_BANDS), 1, pages, "页")
    return FeeResult(FeeMethod.PER_PAGE, pages, bands, _exemption(applicant_type, policy))


def _per_request_bands() -> Iterator[law.FeeBand]:
    """The 按件 bands in order, endless: free, the first paid band, then bands of 10 (Art 4)."""
    yield law.FeeBand(1, law.PER_REQUEST_FREE, Decimal(0))
    band = law.PER_REQUEST_FIRST_PAID_BAND
    yield band
    assert band.last is not None
    first, rate = band.last + 1, band.yuan
    while True:
        rate += law.PER_REQUEST_STEP_YUAN
        yield law.FeeBand(first, first + law.PER_REQUEST_STEP_SIZE - 1, rate)
        first += law.PER_REQUEST_STEP_SIZE


def _charges(
    bands: Iterator[law.FeeBand], first: int, last: int, unit: str
) -> tuple[BandCharge, ...]:
    """The parts of consecutive ``bands`` that units ``first..last`` fall into."""
    charges: list[BandCharge] = []
    if last < first:
        return ()
    for band in bands:
        band_last = last if band.last is None else band.last
        lo, hi = max(first, band.first), min(last, band_last)
        if lo <= hi:
            charges.append(BandCharge(lo, hi, band.yuan, unit))
        if band.last is None or band.last >= last:
            break
    return tuple(charges)


def _check_count(value: object, what: str, maximum: int) -> None:
    # bool is an int subclass; True pages is a bug in the caller, not one page.
    if isinstance(value, bool) or not isinstance(value, int):
        raise GongkaiError(f"{what}必须是整数，收到的是 {value!r}")
    if value < 0:
        raise GongkaiError(f"{what}不能为负数，收到的是 {value}")
    if value > maximum:
        raise GongkaiError(f"{what}为 {value}，超过可计算的上限 {maximum}，请核对输入")


def _exemption(applicant_type: str | None, policy: law.FeePolicy) -> str | None:
    if applicant_type is not None and applicant_type in policy.exempt_applicant_types:
        return f"申请人类型“{applicant_type}”按本单位收费设置免收"
    return None


def _yuan(amount: Decimal) -> str:
    """Whole yuan without a trailing ``.00``; fractional amounts (none today) kept as given."""
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,}"
