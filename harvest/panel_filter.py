"""Which PubMed records mention the panel: gene symbols, previous symbols and aliases, gene
names, disease names and keys, in the title, abstract, MeSH headings or keywords.

One Aho-Corasick automaton (pyahocorasick) over a record's fields, folded, instead of a
regular expression per name: names and longer symbols match case-folded with hyphens read
as spaces ("X-linked hyper-IgM" = "x linked hyper igm"); a symbol of three letters or fewer
must stand as written ("AID" the gene, not "first aid"); a match counts only as a whole
word. The one-process import (`higm harvest
--from-xml --only-panel`) and the workflow's shard jobs both ask `element_mentions_panel`,
so both keep the same records (`PanelFilter.mentions_panel` reads a built article the same
way; a test holds the two equal).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import ahocorasick
from lxml import etree

from harvest.panel import DISEASE_KEYS, SUBJECT_GENES, gene_lexicon, panel_config
from harvest.records import Article

# hyphens, dashes, underscores, slashes and white space read as one kind of space
_SPACES = str.maketrans({c: " " for c in "-‐‑‒–—_/\t\n\r"})


def fold(text: str) -> str:
    """Lower case, with hyphens and other separators as spaces: how names are compared
    (a translate table, not a regular expression: it runs over every record of a file).
    `str.lower` keeps the text's length for the scripts PubMed uses, so a match's offsets
    point into the original text too."""
    return text.lower().translate(_SPACES)


class PanelFilter:
    def __init__(self, genes: Iterable[str] = SUBJECT_GENES):
        lexicon = gene_lexicon()["genes"]
        symbols, names = [], []
        for symbol in genes:
            record = lexicon.get(symbol, {})
            symbols += [symbol, *record.get("prev_symbols", []), *record.get("aliases", [])]
            if record.get("name"):
                names.append(record["name"])
            names += panel_config()["diseases"].get(symbol, [])
            names += panel_config().get("filter_names", {}).get(symbol, [])
        symbols += list(DISEASE_KEYS)
        names += [key.name for key in DISEASE_KEYS.values()]
        names += ["hyper IgM", "hyper immunoglobulin M", "HIGM"]
        # One automaton over the folded text. Names and symbols over three letters match
        # folded ("cd40l"); a symbol of three letters or fewer, often also a word ("AID",
        # "SAP"), must stand in the original text as written (its value says how).
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, str | None] = {}
        for word in [fold(n) for n in names] + [fold(s) for s in symbols if len(s) > 3]:
            entries[word] = None
        for symbol in (s for s in symbols if 2 <= len(s) <= 3):
            entries.setdefault(fold(symbol), symbol)
        for word, exact in entries.items():
            if word.strip():
                self.automaton.add_word(word, (len(word), exact))
        self.automaton.make_automaton()

    def mentions(self, text: str) -> bool:
        """A whole-word mention of the panel anywhere in `text`."""
        if not text:
            return False
        folded = fold(text)
        if len(folded) != len(text):  # a character whose lower case is longer: compare folded
            text = folded
        for end, (length, exact) in self.automaton.iter(folded):
            start = end - length + 1
            before = folded[start - 1] if start > 0 else " "
            after = folded[end + 1] if end + 1 < len(folded) else " "
            if before.isalnum() or after.isalnum():
                continue
            if exact is None or text[start:end + 1] == exact:
                return True
        return False

    def mentions_panel(self, article: Article) -> bool:
        fields = [article.title, article.abstract,
                  *(m.descriptor_name for m in article.mesh),
                  *(k[0] for k in article.keywords)]
        return any(self.mentions(f) for f in fields if f)


@lru_cache(maxsize=1)
def panel_filter() -> PanelFilter:
    return PanelFilter()


# the fields of a PubmedArticle element the filter reads, as compiled XPath (evaluated in
# C: a Python walk over each record's elements cost more than parsing the file)
_PROSE = etree.XPath("MedlineCitation/Article/ArticleTitle//text()"
                     " | MedlineCitation/Article/Abstract/AbstractText//text()")
_HEADINGS = etree.XPath("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName/text()"
                        " | MedlineCitation/KeywordList/Keyword//text()")


def element_mentions_panel(record) -> bool:
    """`parse(..., keep=element_mentions_panel)`: decides on the XML element, before the
    article is built (a module-level function, so parsing workers get it by name). Both the
    one-process import and the workflow's shard jobs keep exactly what this keeps."""
    # title and abstract as the reader sees them (inline markup joined), headings a line each
    text = "".join(_PROSE(record)) + "\n" + "\n".join(_HEADINGS(record))
    return panel_filter().mentions(text)
