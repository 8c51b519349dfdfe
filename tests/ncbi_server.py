"""A local stand-in for NCBI E-utilities: replays real responses and injects faults.

The esearch/epost envelopes are the real files in tests/data/entrez (their Count,
IdList and WebEnv swapped for this test's), and efetch answers with the real
PubmedArticle records of the Entrez files and the bundled snapshot, as NCBI would.
"""
from __future__ import annotations

import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parent / "data"
ENTREZ = DATA / "entrez" / "current"
SNAPSHOT = Path(__file__).resolve().parents[1] / "harvest" / "snapshot" / "higm_snapshot.xml.gz"


def real_records() -> dict[str, bytes]:
    """PMID -> serialised <PubmedArticle> from the real efetch files and the corpus."""
    records: dict[str, bytes] = {}
    files = sorted(ENTREZ.glob("pubmed*.xml")) + [SNAPSHOT]
    for path in files:
        tree = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))
        for article in tree.getroot().iter("PubmedArticle"):
            records[article.findtext("MedlineCitation/PMID").strip()] = etree.tostring(article)
    return records


@dataclass
class Fault:
    utility: str
    kind: str  # "429", "500", "truncate", "drop", "slow", "html", "drip", "short"
    retry_after: float | None = None


@dataclass
class FakeNCBI:
    records: dict[str, bytes]
    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0  # added to every efetch, to give a kill a window
    requests: list[tuple[str, dict]] = field(default_factory=list)
    search_ids: list[str] | None = None
    huge_before: str | None = None  # ranges that start before this date report 20,000 hits
    webenvs: dict[str, list[str]] = field(default_factory=dict)
    esearch_fail_after: int | None = None  # ID-listing esearches after this many answer 500
    omit_once: set[str] = field(default_factory=set)  # PMIDs left out of the next efetch
    entry_dates: dict[str, str] | None = None  # PMID -> YYYY/MM/DD: esearch filters by range
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self, utility: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.utility == utility:
                    self.faults.remove(fault)
                    return fault
        return None

    def esearch(self, params: dict) -> bytes:
        ids = self.search_ids if self.search_ids is not None else sorted(self.records)
        mindate = params.get("mindate", "")
        if self.entry_dates is not None:
            low, high = mindate or "0000/00/00", params.get("maxdate") or "9999/99/99"
            ids = [i for i in ids if low <= self.entry_dates.get(i, "") <= high]
        count = len(ids)
        if self.huge_before and mindate and mindate < self.huge_before and \
                params.get("maxdate", "9999") >= self.huge_before:
            count = 20000
        retmax = int(params.get("retmax", 20))
        template = (ENTREZ / "esearch2.xml").read_bytes()
        root = etree.fromstring(template, etree.XMLParser(load_dtd=False, no_network=True))
        root.find("Count").text = str(count)
        root.find("RetMax").text = str(min(retmax, count))
        id_list = root.find("IdList")
        for child in list(id_list):
            id_list.remove(child)
        for pmid in ids[:retmax] if count == len(ids) else []:
            etree.SubElement(id_list, "Id").text = pmid
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def epost(self, params: dict) -> bytes:
        ids = [i for i in params.get("id", "").split(",") if i]
        with self.lock:
            webenv = f"MCID_test{len(self.webenvs)}"
            self.webenvs[webenv] = ids
        template = (ENTREZ / "epost1.xml").read_text()
        return template.replace("MCID_692851c130aec64bed0a8c2a", webenv).encode()

    def efetch(self, params: dict) -> bytes:
        ids = self.webenvs.get(params.get("WebEnv", ""), []) or params.get("id", "").split(",")
        with self.lock:
            omitted, self.omit_once = self.omit_once & set(ids), self.omit_once - set(ids)
        body = b"".join(self.records[i] for i in ids if i in self.records and i not in omitted)
        return (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
                b'PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/'
                b'out/pubmed_250101.dtd">\n<PubmedArticleSet>' + body + b"</PubmedArticleSet>")


def _handler(state: FakeNCBI):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def _params(self) -> dict:
            url = urllib.parse.urlparse(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            if self.command == "POST":
                length = int(self.headers.get("Content-Length", 0))
                params.update(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            return params

        def _serve(self):
            utility = Path(urllib.parse.urlparse(self.path).path).stem
            params = self._params()
            state.requests.append((utility, params))
            fault = state.take_fault(utility)
            if fault and fault.kind == "short" and params.get("retmax") == "0":
                with state.lock:  # a count-only search lists no IDs: keep it for the listing
                    state.faults.insert(0, fault)
                fault = None
            if utility == "esearch" and state.esearch_fail_after is not None:
                if sum(1 for u, p in state.requests if u == "esearch"
                       and p.get("retmax") != "0") > state.esearch_fail_after:
                    fault = Fault("esearch", "500")
            if fault and fault.kind in ("429", "500"):
                self.send_response(int(fault.kind))
                if fault.retry_after is not None:
                    self.send_header("Retry-After", str(fault.retry_after))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if fault and fault.kind == "drop":
                self.connection.close()
                return
            if fault and fault.kind == "slow":
                time.sleep(3)
            if utility == "efetch" and state.delay:
                time.sleep(state.delay)
            body = getattr(state, utility)(params)
            if fault and fault.kind == "truncate":
                body = body[: len(body) // 2]
            if fault and fault.kind == "html":
                body = (ENTREZ / "pubmed3.html").read_bytes()
            if fault and fault.kind == "short":  # an IdList one ID shorter than its Count
                root = etree.fromstring(body, etree.XMLParser(load_dtd=False, no_network=True))
                ids = root.find("IdList")
                if len(ids):
                    ids.remove(ids[-1])
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if fault and fault.kind == "drip":  # one byte every 0.2 s: no socket timeout fires
                try:
                    for i in range(len(body)):
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            self.wfile.write(body)

        do_GET = _serve
        do_POST = _serve
    return Handler


class Server:
    def __init__(self, state: FakeNCBI):
        self.state = state
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/entrez/eutils"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
