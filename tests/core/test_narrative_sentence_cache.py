"""The prose's sentences are cut once per report, and no report sees another's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gongkai.core.audit import audit_file
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import _numbers, claims, sentences
from gongkai.core.narrative.claims import extract_claims, sentence_claims
from gongkai.core.narrative.sentences import forget_sentences, split_sentences
from tests.parse.synth import render


def test_a_second_cut_of_the_same_text_is_the_same_sentences() -> None:
    forget_sentences()
    text = "本年收到申请 12 件。办结 11 件！\n结转 1 件"
    first = list(split_sentences(text, text))
    assert [s.text for s in first] == ["本年收到申请 12 件", "办结 11 件", "结转 1 件"]
    assert list(split_sentences(text, text)) == first
    other = text.replace("12", "13")
    assert next(s.text for s in split_sentences(other, other)) == "本年收到申请 13 件"


def test_the_cache_stays_small_whatever_is_cut() -> None:
    forget_sentences()
    for index in range(200):
        list(split_sentences(f"第{index}句。", f"第{index}句。"))
    assert len(sentences._CUT) <= sentences._CUT_LIMIT


def test_the_auditor_forgets_a_reports_sentences(tmp_path: Path, fixtures_dir: Path) -> None:
    seed = (fixtures_dir / "reports" / "seed_quangang_2021.json").read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text(render(AnnualReport.from_json(seed), sep="\t"), encoding="utf-8")
    result = audit_file(path)
    assert result.readable and result.findings  # the prose was read and checked
    assert sentences._CUT == {}


def test_a_sentence_read_alone_first_gives_the_whole_reading_the_same_claims() -> None:
    """The rules read single sentences before the prose check reads them all: the claims kept
    from the first read are the claims a fresh read gives, and a breakdown's group numbers
    still count from the start of the whole prose."""
    forget_sentences()
    breakdown = "主动公开政府信息 30 条，其中机构职能类信息 10 条，规范性文件类信息 20 条。"
    prose = {
        "overview": "本年新收政府信息公开申请 12 件，予以公开 5 件，占 41.7%。" + breakdown * 2,
    }
    fresh = extract_claims(prose)
    forget_sentences()
    for sentence in split_sentences(prose["overview"], prose["overview"]):
        extract_claims({"overview": sentence.text})
    assert claims._READ  # the first read was kept
    assert extract_claims(prose) == fresh
    assert sorted({c.group for c in fresh if c.group is not None}) == [1, 2]
    forget_sentences()
    assert claims._READ == {}


def test_a_cut_sentence_read_alone_gives_its_own_reading_quoting_the_report() -> None:
    """What the rules on shares and rates read: the claims of the sentence read as a narrative
    of its own, but quoting the sentence as printed (full-width digits, full stop), and kept so
    that the whole reading then finds the same claims."""
    forget_sentences()
    original = "本年新收政府信息公开申请１２件，予以公开５件，占41.7%。没有数字。收取信息处理费0元"
    normal = _numbers.normalise(original)
    cut = list(split_sentences(normal, original))
    for sentence in cut:
        alone = extract_claims({"overview": sentence.text})
        forget_sentences()
        read = list(sentence_claims(sentence, "overview"))
        assert [replace(c, sentence=sentence.excerpt) for c in alone] == read
    first = sentence_claims(cut[0], "overview")
    assert len(first) == 2
    assert {c.sentence for c in first} == {original[: original.index("。") + 1]}
    assert sentence_claims(cut[1], "overview") == ()
    whole = extract_claims({"overview": original})
    assert whole and [c.sentence for c in whole] == [
        c.sentence for s in cut for c in sentence_claims(s, "overview")
    ]


def test_a_section_normalised_twice_is_normalised_alike_and_the_cache_stays_small() -> None:
    forget_sentences()
    long = "本年收到申请１２件，⺠生类信息" * 40
    first = _numbers.normalise(long)
    assert "12件" in first and "民生" in first and "１" not in first
    assert _numbers.normalise(long) == first
    assert _numbers.normalise(long.replace("１２", "１３")) != first  # keyed on the text
    for index in range(200):
        _numbers.normalise(f"第{index}句" * 100)
    assert len(_numbers._NORMAL) <= _numbers._NORMAL_LIMIT
    forget_sentences()
    assert _numbers._NORMAL == {}
