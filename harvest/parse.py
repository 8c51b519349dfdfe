"""Stream MEDLINE/PubMed XML (efetch output, baseline and update files) into records.

lxml's ``iterparse`` with each record cleared once read keeps memory flat whatever the
file size (docs/benchmarks.md: ``Bio.Entrez.read`` holds the whole file, and ``Bio.Entrez.parse``
refuses PubmedArticleSet). DTDs are never loaded, so no DOCTYPE can send the parser to
the network.
"""
from __future__ import annotations

import gzip
import hashlib
import itertools
import multiprocessing
import os
import re
import sys
from collections import deque
from pathlib import Path
from typing import Callable, IO, Iterator, Union

from lxml import etree

from harvest.records import Article, Author, Deletion, MeshHeading, OffPanel, SkippedRecord

Record = Union[Article, Deletion, SkippedRecord]
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_SET_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_SPACE = re.compile(r"\s+")
# both parsing paths: never load a DTD or reach the network; libxml2's default limits stay
# on (huge_tree off), so a text node over 10 MB (a 300 MB "abstract" in a 1 MB gzip) is an
# error naming the line rather than gigabytes of memory
_PARSER_OPTIONS = dict(load_dtd=False, resolve_entities=False, no_network=True,
                       huge_tree=False, remove_comments=True)


# Worker processes: fork on Linux (cheapest, and safe: workers only parse bytes); spawn
# elsewhere (Windows has no fork, and macOS makes spawn its default because forking a
# process with threads is unsafe there). _parse_chunk is a module-level function, so it
# reaches spawned workers by import.
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"


class PubMedXMLError(ValueError):
    """The input is not well-formed PubMed XML; the message names the source and line."""


def text_of(element: etree._Element | None) -> str:
    """All text inside an element, inline markup (<i>, <sub>, MathML) reduced to its text."""
    if element is None:
        return ""
    if not len(element):
        text = element.text or ""
    else:
        # an undeclared entity (&foo;, its DTD never loaded) is dropped, not kept as text
        text = "".join(_texts(element))
    return " ".join(text.split())


def _texts(element: etree._Element):
    if element.text:
        yield element.text
    for child in element:
        if not isinstance(child, etree._Entity):
            yield from _texts(child)
        if child.tail:
            yield child.tail


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
    author_list = article.find("AuthorList")
    if author_list is None:
        return authors
    # one pass over each author's children: ElementPath lookups per field cost 3x more
    for node in author_list.iterchildren("Author"):
        author = Author()
        for child in node.iterchildren():
            tag = child.tag
            if tag == "LastName":
                author.last_name = child.text
            elif tag == "ForeName":
                author.fore_name = child.text
            elif tag == "Initials":
                author.initials = child.text
            elif tag == "CollectiveName":
                author.collective_name = text_of(child) or None
            elif tag == "AffiliationInfo":
                for affiliation in child.iterchildren("Affiliation"):
                    author.affiliations.append(text_of(affiliation))
            elif tag == "Identifier" and (child.get("Source") or "").upper() == "ORCID":
                author.orcid = (child.text or "").strip() or None
        authors.append(author)
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


def _record(element: etree._Element, keep: Callable | None = None) -> Record:
    tag = element.tag
    if tag == "PubmedArticle" and keep is not None:
        # decided on the element, before the record is built: most of a baseline file is
        # off-topic, and building its records cost more than reading the XML
        pmid = element.findtext("MedlineCitation/PMID")
        if not (pmid or "").strip():
            raise ValueError("a record without a PMID")
        if not keep(element):
            return OffPanel(pmid.strip())
    if tag == "PubmedArticle":
        article = _article(element)
        # the record's own bytes are the cheapest faithful digest of its content
        article.source_digest = hashlib.blake2b(
            etree.tostring(element, with_tail=False), digest_size=16).hexdigest()
        return article
    if tag == "DeleteCitation":
        return Deletion([(p.text or "").strip() for p in element.findall("PMID")])
    return SkippedRecord("PubmedBookArticle", element.findtext("BookDocument/PMID"))


def _open(source: Union[str, Path, IO[bytes]]) -> IO[bytes]:
    if hasattr(source, "read"):
        return source  # type: ignore[return-value]
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def parse(source: Union[str, Path, IO[bytes]], name: str | None = None,
          workers: int | None = None, keep: Callable | None = None) -> Iterator[Record]:
    """Yield an Article, Deletion or SkippedRecord for each record, in file order.

    Files over PARALLEL_BYTES are parsed by `workers` processes (default: one per core,
    or HIGM_PARSE_WORKERS), in chunks cut at record boundaries; streams and small files
    in this process. Raises PubMedXMLError naming the source and line when the XML is
    malformed, truncated, or not a PubmedArticleSet.
    """
    label = name or str(source if not hasattr(source, "read") else getattr(source, "name", "<stream>"))
    if workers is None:
        workers = int(os.environ.get("HIGM_PARSE_WORKERS") or os.cpu_count() or 1)
    if (workers > 1 and not hasattr(source, "read") and Path(source).is_file()
            and Path(source).stat().st_size > PARALLEL_BYTES):
        yield from _parse_in_chunks(Path(source), label, workers, keep)
    else:
        yield from _parse_serial(source, label, keep)


def _parse_serial(source: Union[str, Path, IO[bytes]], label: str,
                  keep: Callable | None = None) -> Iterator[Record]:
    handle = _open(source)
    # Only record elements (and the set's root) raise events: far cheaper than a full walk.
    context = etree.iterparse(handle, events=("start", "end"),
                              tag=_RECORD_TAGS + ("MedlineCitation",) + _SET_TAGS,
                              **_PARSER_OPTIONS)
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
                if tag in _RECORD_TAGS:
                    yield _record(element, keep)
                elif tag == "MedlineCitation":  # MEDLINE-style sets without a wrapper
                    wrapper = etree.Element("PubmedArticle")
                    wrapper.append(element)
                    yield _article(wrapper)
                    parent = None
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


# --- parallel parsing of large files -------------------------------------------------
# libxml2 builds each record's tree at about 5,000 records/s on one core, which bounds a
# single-process parse; large baseline files are cut into chunks at record boundaries
# (a closing record tag cannot occur unescaped inside PubMed text) and parsed by worker
# processes, in file order, with a bounded number of chunks in flight so memory stays flat.

PARALLEL_BYTES = 8 * 2**20
_CHUNK_BYTES = 2 * 2**20
_CLOSERS = (b"</PubmedArticle>", b"</PubmedBookArticle>", b"</DeleteCitation>")
_SET_OPEN = re.compile(rb"<(PubmedArticleSet|PubmedBookArticleSet)(\s[^>]*)?>")
_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)")


class _NotChunkable(Exception):
    """The file does not start like a UTF-8 PubmedArticleSet: parse it serially."""


def _chunks(handle: IO[bytes], label: str) -> Iterator[tuple[bytes, int]]:
    """(bytes holding whole records, the file line they start on), then a check of the end."""
    buf = handle.read(_CHUNK_BYTES)
    head = _SET_OPEN.search(buf)
    declared = _ENCODING.search(buf[:200])
    if head is None or (declared and declared.group(1).lower() not in (b"utf-8", b"utf8")):
        raise _NotChunkable
    line = 1 + buf.count(b"\n", 0, head.end())
    closing = b"</" + head.group(1) + b">"
    buf = buf[head.end():]
    while True:
        data = handle.read(_CHUNK_BYTES)
        cut = max(buf.rfind(c) + len(c) if c in buf else -1 for c in _CLOSERS)
        if cut > 0 and (len(buf) >= _CHUNK_BYTES or not data):
            yield buf[:cut], line
            line += buf.count(b"\n", 0, cut)
            buf = buf[cut:]
        if not data:
            break
        buf += data
    if buf.strip() != closing:
        last = line + buf.rstrip().count(b"\n")
        raise PubMedXMLError(f"{label}: line {last}: malformed or truncated XML "
                             f"(the file does not end with {closing.decode()})")


def _parse_chunk(chunk: bytes, line: int, label: str, keep: Callable | None = None) -> list[Record]:
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(b"<PubmedArticleSet>" + chunk + b"</PubmedArticleSet>", parser)
    except etree.XMLSyntaxError as exc:
        where = line + exc.position[0] - 1 if exc.position else "?"
        raise PubMedXMLError(f"{label}: line {where}: malformed or truncated XML ({exc.msg})") from None
    records = []
    for element in root:
        if element.tag in _RECORD_TAGS:
            try:
                records.append(_record(element, keep))
            except ValueError as exc:
                raise PubMedXMLError(f"{label}: line {line + element.sourceline - 1}: {exc}") from None
    return records


def _parse_in_chunks(path: Path, label: str, workers: int,
                     keep: Callable | None = None) -> Iterator[Record]:
    handle = _open(path)
    try:
        chunks = _chunks(handle, label)
        try:
            first = next(chunks, None)
        except _NotChunkable:
            handle.close()
            yield from _parse_serial(path, label, keep)
            return
        except (OSError, EOFError) as exc:
            raise PubMedXMLError(f"{label}: cannot read: {exc}") from None
        with multiprocessing.get_context(START_METHOD).Pool(workers) as pool:
            pending: deque = deque()
            failure: PubMedXMLError | None = None
            try:
                for chunk, line in itertools.chain([first] if first else [], chunks):
                    pending.append(pool.apply_async(_parse_chunk, (chunk, line, label, keep)))
                    if len(pending) > 2 * workers:
                        yield from pending.popleft().get()
            except PubMedXMLError as exc:
                failure = exc  # an earlier chunk's own error, if any, is reported first
            except (OSError, EOFError) as exc:
                failure = PubMedXMLError(f"{label}: cannot read: {exc}")
            while pending:
                yield from pending.popleft().get()
            if failure is not None:
                raise failure
    finally:
        handle.close()
