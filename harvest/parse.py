"""Stream MEDLINE/PubMed XML (efetch output, baseline and update files) into records.

lxml's ``iterparse`` with each record cleared once read keeps memory flat whatever the
file size (STACK_NOTES: ``Bio.Entrez.read`` holds the whole file, and ``Bio.Entrez.parse``
refuses PubmedArticleSet). DTDs are never loaded, so no DOCTYPE can send the parser to
the network.
"""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path
from typing import IO, Iterator, Union

from lxml import etree

from harvest.records import Article, Author, Deletion, MeshHeading, SkippedRecord

Record = Union[Article, Deletion, SkippedRecord]
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_SET_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_SPACE = re.compile(r"\s+")


class PubMedXMLError(ValueError):
    """The input is not well-formed PubMed XML; the message names the source and line."""


def text_of(element: etree._Element | None) -> str:
    """All text inside an element, inline markup (<i>, <sub>, MathML) reduced to its text."""
    if element is None:
        return ""
    text = element.text or "" if not len(element) else "".join(element.itertext())
    return " ".join(text.split())


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _month(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return _MONTHS.get(value[:3].lower())


def _pub_date(article: etree._Element) -> tuple[str | None, int | None]:
    pub = article.find("Journal/JournalIssue/PubDate")
    if pub is None:
        return None, None
    year = pub.findtext("Year")
    if year is None:
        medline = pub.findtext("MedlineDate") or ""
        found = re.search(r"(1[89]|20)\d\d", medline)
        return (medline or None), (int(found.group(0)) if found else None)
    month = _month(pub.findtext("Month"))
    day = pub.findtext("Day")
    parts = [year] + ([f"{month:02d}"] if month else []) + (
        [f"{int(day):02d}"] if month and day and day.isdigit() else [])
    return "-".join(parts), int(year) if year.isdigit() else None


def _authors(article: etree._Element) -> list[Author]:
    authors = []
    for node in article.findall("AuthorList/Author"):
        orcid = None
        for ident in node.findall("Identifier"):
            if (ident.get("Source") or "").upper() == "ORCID":
                orcid = (ident.text or "").strip() or None
        authors.append(Author(
            last_name=node.findtext("LastName"), fore_name=node.findtext("ForeName"),
            initials=node.findtext("Initials"),
            collective_name=text_of(node.find("CollectiveName")) or None,
            affiliations=[text_of(a) for a in node.findall("AffiliationInfo/Affiliation")],
            orcid=orcid))
    return authors


def _article(record: etree._Element) -> Article:
    citation = record.find("MedlineCitation")
    if citation is None:
        raise ValueError("PubmedArticle without MedlineCitation")
    pmid_node = citation.find("PMID")
    pmid = (pmid_node.text or "").strip() if pmid_node is not None else ""
    if not pmid:
        raise ValueError("PubmedArticle without PMID")
    article = citation.find("Article")
    if article is None:
        article = etree.Element("Article")
    sections = []
    for node in article.findall("Abstract/AbstractText"):
        body = text_of(node)
        if body:
            sections.append((node.get("Label") or None, body))
    pub_date, year = _pub_date(article)
    if year is None:
        for date in (article.find("ArticleDate"), citation.find("DateCompleted")):
            if date is not None and (date.findtext("Year") or "").isdigit():
                year = int(date.findtext("Year"))
                break
    ids = {}
    for node in record.findall("PubmedData/ArticleIdList/ArticleId"):
        ids.setdefault(node.get("IdType"), (node.text or "").strip())
    doi = ids.get("doi")
    if not doi:
        for loc in article.findall("ELocationID"):
            if loc.get("EIdType") == "doi":
                doi = (loc.text or "").strip()
    mesh = []
    for heading in citation.findall("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        if descriptor is None:
            continue
        mesh.append(MeshHeading(
            descriptor_ui=descriptor.get("UI"), descriptor_name=text_of(descriptor),
            major_topic=descriptor.get("MajorTopicYN") == "Y",
            qualifiers=[{"ui": q.get("UI"), "name": text_of(q),
                         "major_topic": q.get("MajorTopicYN") == "Y"}
                        for q in heading.findall("QualifierName")]))
    version = pmid_node.get("Version") if pmid_node is not None else None
    return Article(
        pmid=pmid, version=int(version) if version and version.isdigit() else 1,
        title=text_of(article.find("ArticleTitle")) or text_of(article.find("VernacularTitle")),
        abstract_sections=sections,
        journal=text_of(article.find("Journal/Title")) or None,
        iso_abbreviation=text_of(article.find("Journal/ISOAbbreviation")) or None,
        pub_date=pub_date, year=year,
        language=article.findtext("Language"),
        doi=doi or None, pmcid=ids.get("pmc") or None, status=citation.get("Status"),
        authors=_authors(article), mesh=mesh,
        keywords=[(text_of(k), k.get("MajorTopicYN") == "Y")
                  for k in citation.findall("KeywordList/Keyword") if text_of(k)],
        publication_types=[(p.get("UI"), text_of(p))
                           for p in article.findall("PublicationTypeList/PublicationType")],
        chemicals=[(c.find("NameOfSubstance").get("UI"), text_of(c.find("NameOfSubstance")),
                    c.findtext("RegistryNumber"))
                   for c in citation.findall("ChemicalList/Chemical")
                   if c.find("NameOfSubstance") is not None],
    )


def _open(source: Union[str, Path, IO[bytes]]) -> IO[bytes]:
    if hasattr(source, "read"):
        return source  # type: ignore[return-value]
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def parse(source: Union[str, Path, IO[bytes]], name: str | None = None) -> Iterator[Record]:
    """Yield an Article, Deletion or SkippedRecord for each record, in file order.

    Raises PubMedXMLError naming the source and line when the XML is malformed,
    truncated, or not a PubmedArticleSet.
    """
    label = name or str(source if not hasattr(source, "read") else getattr(source, "name", "<stream>"))
    handle = _open(source)
    # Only record elements (and the set's root) raise events: far cheaper than a full walk.
    context = etree.iterparse(handle, events=("start", "end"),
                              tag=_RECORD_TAGS + ("MedlineCitation",) + _SET_TAGS,
                              load_dtd=False, resolve_entities=False, no_network=True,
                              huge_tree=True, remove_comments=True)
    root_seen = False
    try:
        for event, element in context:
            tag = element.tag
            if event == "start":
                if tag in _SET_TAGS:
                    root_seen = True
                continue
            if tag in _SET_TAGS:
                continue
            parent = element.getparent()
            if parent is None or parent.tag not in _SET_TAGS:
                continue  # a MedlineCitation inside a PubmedArticle
            if not root_seen:
                break
            try:
                if tag == "PubmedArticle":
                    article = _article(element)
                    # the record's own bytes are the cheapest faithful digest of its content
                    article.source_digest = hashlib.blake2b(
                        etree.tostring(element), digest_size=16).hexdigest()
                    yield article
                elif tag == "MedlineCitation":  # MEDLINE-style sets without a wrapper
                    wrapper = etree.Element("PubmedArticle")
                    wrapper.append(element)
                    yield _article(wrapper)
                    parent = None
                elif tag == "DeleteCitation":
                    yield Deletion([(p.text or "").strip() for p in element.findall("PMID")])
                else:
                    yield SkippedRecord("PubmedBookArticle",
                                        element.findtext("BookDocument/PMID"))
            except ValueError as exc:
                raise PubMedXMLError(f"{label}: line {element.sourceline}: {exc}") from None
            element.clear(keep_tail=False)
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        if not root_seen:
            raise PubMedXMLError(f"{label}: expected <PubmedArticleSet>: not PubMed XML "
                                 "(an error page from NCBI?)")
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise PubMedXMLError(f"{label}: line {line}: malformed or truncated XML ({exc.msg})") from None
    except (OSError, EOFError) as exc:
        raise PubMedXMLError(f"{label}: cannot read: {exc}") from None
    finally:
        if not hasattr(source, "read"):
            handle.close()
