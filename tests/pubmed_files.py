"""Baseline- and update-shaped PubMed files for the workflow tests, written from the
bundled snapshot's real records (no network): a baseline file of the snapshot's records
mixed with off-topic copies (new PMIDs, a title and abstract about something else, no
MeSH or keywords), and an update file with one revision and one DeleteCitation."""
from __future__ import annotations

import copy
import gzip
from pathlib import Path

from lxml import etree

from tests.conftest import SNAPSHOT

OFF_TOPIC = ("Soil nitrogen cycling in temperate forests",
             "We measured nitrate leaching in twelve forest plots over three seasons. "
             "Leaching rose after thinning and fell as the canopy closed.")


def _records() -> list[etree._Element]:
    with gzip.open(SNAPSHOT, "rb") as handle:
        root = etree.parse(handle).getroot()
    return [r for r in root if r.tag == "PubmedArticle"]


def _off_topic(record: etree._Element, pmid: str) -> etree._Element:
    copy_ = copy.deepcopy(record)
    for element in copy_.iter("PMID"):
        element.text = pmid
    for path in (".//MeshHeadingList", ".//KeywordList", ".//ChemicalList", ".//ArticleIdList"):
        for element in copy_.findall(path):
            element.getparent().remove(element)
    copy_.find(".//ArticleTitle").text = OFF_TOPIC[0]
    abstract = copy_.find(".//Abstract")
    if abstract is not None:
        for child in list(abstract):
            abstract.remove(child)
        etree.SubElement(abstract, "AbstractText").text = OFF_TOPIC[1]
    return copy_


def _write(path: Path, elements: list[etree._Element]) -> None:
    root = etree.Element("PubmedArticleSet")
    root.extend(elements)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)


def write_files(folder: Path, off_topic_per_record: int = 3) -> dict:
    """The files and what a correct import keeps: {"files", "revised", "deleted", "off_topic"}."""
    folder.mkdir(parents=True, exist_ok=True)
    records = _records()
    baseline, off = [], []
    for i, record in enumerate(records):
        baseline.append(record)
        for j in range(off_topic_per_record):
            pmid = str(990_000_000 + i * 10 + j)
            off.append(pmid)
            baseline.append(_off_topic(record, pmid))
    revised = copy.deepcopy(records[0])
    pmid_revised = revised.findtext(".//PMID")
    text = revised.find(".//AbstractText")
    text.text = (text.text or "") + " Revised: neutropenia was seen in two further patients."
    deleted = records[1].findtext(".//PMID")
    delete = etree.Element("DeleteCitation")
    etree.SubElement(delete, "PMID", Version="1").text = deleted
    first, second = folder / "pubmed26n0001.xml.gz", folder / "pubmed26n0002.xml"
    _write(first, baseline)
    _write(second, [revised, delete])
    return {"files": [first, second], "revised": pmid_revised, "deleted": deleted,
            "off_topic": off}
