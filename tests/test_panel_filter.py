"""The panel filter of PubMed files: which records mention the panel."""
from __future__ import annotations

import gzip

import pytest
from lxml import etree

from harvest.panel_filter import element_mentions_panel, panel_filter
from harvest.parse import parse
from tests.conftest import SNAPSHOT


@pytest.mark.parametrize("text, expected", [
    ("X-linked hyper-IgM syndrome in a boy", True),
    ("x linked hyper igm", True),
    ("CD40L-deficient patients", True),
    ("AID deficiency with lymphoid hyperplasia", True),
    ("first aid for burns", False),          # a short symbol counts only as written
    ("Lung cancer screening", False),        # UNG inside a word is no mention
    ("The UNG gene", True),
    ("activation-induced cytidine deaminase", True),
    ("Soil nitrogen cycling in temperate forests", False),
])
def test_what_counts_as_a_mention(text, expected):
    assert panel_filter().mentions(text) is expected


def test_the_element_and_the_built_article_decide_alike_on_every_snapshot_record():
    with gzip.open(SNAPSHOT, "rb") as handle:
        elements = {e.findtext("MedlineCitation/PMID"): e
                    for e in etree.parse(handle).getroot() if e.tag == "PubmedArticle"}
    decisions = {a.pmid: panel_filter().mentions_panel(a) for a in parse(SNAPSHOT)}
    assert {p: element_mentions_panel(e) for p, e in elements.items()} == decisions
    assert 40 < sum(decisions.values()) < len(decisions)  # most, not all, name the panel


def test_a_mention_in_mesh_or_keywords_alone_counts():
    record = etree.fromstring(
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Case report"
        "</ArticleTitle></Article><MeshHeadingList><MeshHeading><DescriptorName>"
        "Hyper-IgM Immunodeficiency Syndrome</DescriptorName></MeshHeading></MeshHeadingList>"
        "</MedlineCitation></PubmedArticle>")
    assert element_mentions_panel(record)
    record.find("MedlineCitation/MeshHeadingList").getparent().remove(
        record.find("MedlineCitation/MeshHeadingList"))
    assert not element_mentions_panel(record)
