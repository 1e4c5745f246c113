"""Every listed finding has its own number, 1… N in list order, even when two are equal in every
field; each footnote in the tables links to an entry that exists, and names that cell.

Equal findings come from garbage input: 5,000 characters of 「并且」 give doubled words whose
quoted surroundings are the same, and so findings equal in every field. They used to share one
number (「1, 2, 2, 3」) and one anchor, so an entry had no number of its own. The cases here are
that text, and a real published report (``shared/reports/017.html``) with a finding repeated.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from gongkai.core.audit import audit_parsed
from gongkai.core.audit_result import AuditResult
from gongkai.core.findings import Category, Finding, Severity, sort_findings
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.render.audit_html import render_page
from gongkai.core.render.tables_html import FINDING_ANCHOR, number_findings
from tests.render.htmltree import Element, parse

SEED_TEXT = (Path(__file__).resolve().parents[2] / "examples" / "quangang-2021.txt").read_text(
    encoding="utf-8"
)


def doubled_words_text() -> str:
    """The seed with 5,000 characters of 「并且」 after section 一's first sentence."""
    start = SEED_TEXT.index("一、总体情况")
    cut = SEED_TEXT.index("。", start) + 1
    return SEED_TEXT[:cut] + "并且" * 2500 + "。" + SEED_TEXT[cut:]


def audit_bytes(name: str, data: bytes, kind: str) -> AuditResult:
    return audit_parsed(name, kind, parse_document(data, name=name))


def repeated(findings: list[Finding]) -> Counter[Finding]:
    """The findings listed more than once, with how often."""
    return Counter({f: n for f, n in Counter(findings).items() if n > 1})


def listed(doc: Element) -> list[Element]:
    """The entries of the list of findings."""
    ol = doc.find("ol", class_="findings")
    return [c for c in ol.children if isinstance(c, Element) and c.tag == "li"]


def footnotes(element: Element) -> list[int]:
    """The finding numbers an element's footnote marks link to."""
    return [
        int(a.attrs["href"].removeprefix(f"#{FINDING_ANCHOR}"))
        for sup in element.find_all("sup", class_="fn")
        for a in sup.find_all("a")
    ]


def assert_numbered(doc: Element, count: int, shown_number: str) -> None:
    """The page lists ``count`` findings numbered 1… N, each with its own anchor; every
    in-page link leads to an element that exists; every footnote of a table cell leads to an
    entry, and every cell an entry links to carries that entry's footnote (a finding the
    workspace's evaluator dismissed too: struck through, but still there).

    ``shown_number`` is the tag printing an entry's number (「N.」) on this page.
    """
    ids = [e.attrs["id"] for e in doc.iter() if "id" in e.attrs]
    assert not [i for i, n in Counter(ids).items() if n > 1], "duplicate ids"
    entries = listed(doc)
    assert len(entries) == count
    assert [e.attrs["id"] for e in entries] == [f"{FINDING_ANCHOR}{n}" for n in range(1, count + 1)]
    assert [e.find(shown_number).text() for e in entries] == [f"{n}." for n in range(1, count + 1)]
    targets = [a.attrs["href"][1:] for a in doc.find_all("a") if a.attrs.get("href", "")[:1] == "#"]
    assert set(targets) <= set(ids)
    marked = [n for e in doc.iter() if e.tag in ("td", "th") for n in footnotes(e)]
    assert set(marked) <= set(range(1, count + 1))
    for number, entry in enumerate(entries, 1):
        for link in entry.find_all("a", class_="cell-link"):
            cell = doc.by_id(link.attrs["href"][1:])
            assert number in footnotes(cell), (number, cell.attrs["id"])


def test_numbers_are_positions_and_equal_findings_keep_each_of_theirs() -> None:
    def finding(message: str) -> Finding:
        return Finding(
            rule="wording.doubled_word",
            severity=Severity.WARNING,
            category=Category.NARRATIVE,
            message=message,
        )

    first, second = finding("「并且并且」"), finding("「的的」")
    again = finding("「并且并且」")
    assert again == first and again is not first

    assert number_findings([first, again, second]) == {first: (1, 2), second: (3,)}
    assert number_findings([]) == {}


def test_the_doubled_words_of_garbage_each_get_a_number_and_an_anchor() -> None:
    result = audit_bytes("damaged.txt", doubled_words_text().encode("utf-8"), "text")
    # The case itself: findings equal in every field, which the list must not merge.
    assert repeated(list(result.findings))

    doc = parse(render_page(result))

    assert_numbered(doc, len(result.findings), "span")
    assert f"问题清单（{len(result.findings)} 项）" in doc.find("h2", id="findings").text()


def test_equal_findings_on_a_real_report_each_have_an_entry_and_mark_their_cell(
    shared_dir: Path,
) -> None:
    real = audit_bytes("017.html", (shared_dir / "reports" / "017.html").read_bytes(), "html")
    named = next(f for f in real.findings if f.cells and f.is_error)
    result = real.model_copy(update={"findings": [*real.findings, named]})
    ordered = sort_findings(list(result.findings))
    numbers = [n for n, f in enumerate(ordered, 1) if f == named]
    assert len(numbers) == 2

    doc = parse(render_page(result))

    assert_numbered(doc, len(ordered), "span")
    # The cell both name shows both numbers: each entry is reachable from the cell it names.
    ref = named.cells[0]
    cell = doc.find("td", **{"data-cell": f"{ref.table}/{ref.row}/{ref.column}"})
    assert set(numbers) <= set(footnotes(cell))
    assert cell.attrs["data-findings"].split() == [str(n) for n in footnotes(cell)]
    assert "".join(f"[{n}]" for n in numbers) + " " in cell.attrs["title"]
    # The list under each table names each entry once, with its own number.
    under = [
        [a.attrs["href"] for a in ul.find_all("a")]
        for ul in doc.find_all("ul", class_="table-findings")
    ]
    assert all(len(set(hrefs)) == len(hrefs) for hrefs in under)
    assert {f"#{FINDING_ANCHOR}{n}" for n in numbers} <= {h for hrefs in under for h in hrefs}
