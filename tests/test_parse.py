"""The PubMed XML parser on real NCBI responses and the corpus."""
from __future__ import annotations

import gzip

import pytest

from harvest.parse import PubMedXMLError, parse
from harvest.records import Article, Deletion, SkippedRecord
from tests.conftest import DATA, SNAPSHOT

ENTREZ = DATA / "entrez"


def one(path, pmid) -> Article:
    return next(r for r in parse(path) if isinstance(r, Article) and r.pmid == pmid)


def test_record_without_abstract_is_kept_with_its_fields():
    records = list(parse(ENTREZ / "current" / "pubmed1.xml"))
    assert [r.pmid for r in records] == ["12091962", "9997"]
    review = records[0]
    assert review.abstract == "" and review.abstract_sections == []
    assert review.title == "The treatment of AIDS behind the walls of correctional facilities."
    assert ("D016454", "Review") in review.publication_types
    plain = records[1]
    assert plain.abstract.startswith("Electron paramagnetic resonance")
    assert plain.doi == "10.1016/0005-2795(76)90109-4"
    assert plain.year == 1976 and plain.pub_date == "1976-09-28"
    assert [c[1] for c in plain.chemicals][:1] == ["Cytochrome c Group"]
    assert len(plain.chemicals) == 4


def test_html_in_title_and_structured_abstract():
    article = one(ENTREZ / "current" / "pubmed4.xml", "27797938")
    assert "TERT" in article.title and "<i>" not in article.title
    labels = [label for label, _ in article.abstract_sections]
    assert labels == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert article.abstract.startswith("Objective: Telomere shortening")
    assert article.pmcid == "PMC5442267"
    assert article.authors[0].last_name and article.authors[0].affiliations
    assert any(m.descriptor_ui and m.major_topic for m in article.mesh) or article.mesh


def test_sub_sup_and_escaped_angle_brackets_keep_their_text():
    article = one(ENTREZ / "current" / "pubmed5.xml", "28775130")
    text = article.abstract
    assert "<sub>" not in text and "<u>" not in text
    assert "<" in text or ">" in text  # the escaped &lt; / &gt; survive as characters


def test_mathml_is_reduced_to_text_not_dropped():
    article = one(ENTREZ / "current" / "pubmed6.xml", "30108519")
    assert "mml" not in article.abstract and "<" not in article.title
    assert "MLSS" in article.abstract
    heavy = one(ENTREZ / "current" / "pubmed7.xml", "29963580")
    assert len(heavy.abstract) > 500 and "mprescripts" not in heavy.abstract


def test_older_dtd_layout_parses_to_the_same_pmids():
    old = [r.pmid for r in parse(ENTREZ / "pre2026" / "pubmed2.xml")]
    new = [r.pmid for r in parse(ENTREZ / "current" / "pubmed2.xml")]
    assert old == new == ["11748933", "11700088"]


def test_snapshot_has_63_records_with_fields():
    records = list(parse(SNAPSHOT))
    assert len(records) == 63 and all(isinstance(r, Article) for r in records)
    first = records[0]
    assert first.pmid == "14514918" and first.year == 2003
    assert first.journal == "Molecular Pathology" and first.doi == "10.1136/mp.56.5.256"
    assert first.abstract.splitlines()[0].startswith("Background: X linked hyper-IgM (XHIM)")
    assert first.authors[0].last_name == "Gilmour"


def test_html_error_page_is_a_clear_error():
    with pytest.raises(PubMedXMLError, match="pubmed3.html"):
        list(parse(ENTREZ / "current" / "pubmed3.html"))


def test_truncated_file_names_file_and_line(tmp_path):
    data = (ENTREZ / "current" / "pubmed2.xml").read_bytes()
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(data[: len(data) // 2]))
    with pytest.raises(PubMedXMLError, match=r"cut\.xml\.gz: line \d+"):
        list(parse(path))


def test_delete_citation_and_book_records(tmp_path):
    article = (ENTREZ / "current" / "pubmed2.xml").read_text().split("<PubmedArticleSet>")[1]
    article = article.split("</PubmedArticleSet>")[0]
    path = tmp_path / "update.xml"
    path.write_text(
        "<PubmedArticleSet>" + article +
        "<PubmedBookArticle><BookDocument><PMID Version='1'>20301295</PMID></BookDocument>"
        "</PubmedBookArticle>"
        "<DeleteCitation><PMID Version='1'>11748933</PMID><PMID>1</PMID></DeleteCitation>"
        "</PubmedArticleSet>")
    records = list(parse(path))
    assert [type(r) for r in records] == [Article, Article, SkippedRecord, Deletion]
    assert records[2].identifier == "20301295"
    assert records[3].pmids == ["11748933", "1"]


def test_odd_unicode_and_unknown_elements_are_stored(tmp_path):
    path = tmp_path / "odd.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>42</PMID><Article>"
        "<ArticleTitle>IgM\u00a0levels in \u03b1-thal<b>ass</b>emia Cafe\u0301</ArticleTitle>"
        "<FutureElement>x</FutureElement></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>", encoding="utf-8")
    (article,) = parse(path)
    assert article.title == "IgM levels in \u03b1-thalassemia Cafe\u0301"
    assert article.abstract == "" and article.year is None


@pytest.fixture
def chunked(monkeypatch):
    """Make every file take the parallel, chunked path, in chunks of a few records."""
    import harvest.parse as module
    monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(module, "_CHUNK_BYTES", 20_000)
    return module


def _sources():
    return [ENTREZ / "current" / f"pubmed{i}.xml" for i in (1, 2, 4, 5, 6, 7)] + [SNAPSHOT]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_chunked_parse_gives_the_same_records_as_serial(chunked, path):
    serial = list(parse(path, workers=1))
    parallel = list(parse(path, workers=2))
    assert parallel == serial and len(serial) > 0
    assert [a.source_digest for a in parallel] == [a.source_digest for a in serial]


def test_chunked_parse_names_the_line_of_a_broken_record(chunked, tmp_path):
    lines = gzip.decompress(SNAPSHOT.read_bytes()).decode("utf-8").splitlines(keepends=True)
    titles = [i for i, line in enumerate(lines) if "<ArticleTitle>" in line]
    broken_at = titles[len(titles) * 2 // 3]  # in a later chunk, so chunk offsets count
    lines[broken_at] = lines[broken_at].replace("<ArticleTitle>", "<ArticleTitle><b>")
    path = tmp_path / "broken.xml"
    path.write_text("".join(lines))
    with pytest.raises(PubMedXMLError) as raised:
        list(parse(path, workers=2))
    message = str(raised.value)
    assert message.startswith(f"{path}: line ")
    line = int(message.split("line ")[1].split(":")[0])
    assert broken_at + 1 <= line <= broken_at + 3  # libxml2 notices at the mismatched end tag


def test_chunked_parse_of_a_truncated_file_is_an_error(chunked, tmp_path):
    data = (ENTREZ / "current" / "pubmed2.xml").read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: int(len(data) * 0.7)])
    with pytest.raises(PubMedXMLError, match=r"cut\.xml: line \d+: malformed or truncated"):
        list(parse(path, workers=2))
    html = ENTREZ / "current" / "pubmed3.html"
    with pytest.raises(PubMedXMLError, match="pubmed3.html"):
        list(parse(html, workers=2))


def test_undeclared_entities_are_dropped_and_huge_text_is_refused():
    import io
    from harvest.parse import PubMedXMLError
    doc = (b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet PUBLIC "x" "y.dtd"><PubmedArticleSet>'
           b'<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>A &foo; <i>big'
           b'</i> title</ArticleTitle><Abstract><AbstractText>TEXT</AbstractText></Abstract>'
           b'</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
    [article] = list(parse(io.BytesIO(doc.replace(b"TEXT", b"Text &bar; here.")), name="t.xml"))
    assert (article.title, article.abstract) == ("A big title", "Text here.")
    with pytest.raises(PubMedXMLError, match="huge.xml: line 1"):
        list(parse(io.BytesIO(doc.replace(b"TEXT", b"x" * 12_000_000)), name="huge.xml"))


def test_chunked_parsing_works_with_spawned_workers(tmp_path, monkeypatch):
    """The start method other platforms use (spawn) gives the same records as fork."""
    import harvest.parse as parse_module
    big = tmp_path / "big.xml"
    records = (ENTREZ / "current" / "pubmed2.xml").read_text().split("<PubmedArticleSet>")[1]
    body = records.split("</PubmedArticleSet>")[0]
    big.write_text('<?xml version="1.0"?>\n<PubmedArticleSet>' + body * 400 + "</PubmedArticleSet>\n")
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(parse_module, "_CHUNK_BYTES", 200_000)  # several chunks
    monkeypatch.setattr(parse_module, "START_METHOD", "spawn")
    spawned = [r.pmid for r in parse_module.parse(big, workers=2)]
    serial = [r.pmid for r in parse_module.parse(big, workers=1)]
    assert spawned == serial and len(serial) == 800
