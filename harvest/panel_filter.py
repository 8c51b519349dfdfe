"""Which PubMed records mention the panel: gene symbols, previous symbols and aliases, gene
names, disease names and keys, in the title, abstract, MeSH headings or keywords.

One Aho-Corasick pass (pyahocorasick) per field instead of a regular expression per name:
symbols and aliases match as written (case matters: "AID" the gene, not "first aid"),
names match case-folded with hyphens read as spaces ("X-linked hyper-IgM" = "x linked
hyper igm"); a match counts only as a whole word. The one-process import (`higm harvest
--from-xml --only-panel`) and the workflow's shard jobs both ask `mentions_panel`, so both
keep the same records.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import ahocorasick

from harvest.panel import DISEASE_KEYS, SUBJECT_GENES, gene_lexicon, panel_config
from harvest.records import Article

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/]+")


def fold(text: str) -> str:
    """Lower case, hyphens and runs of spaces as one space: how names are compared."""
    return _SEPARATORS.sub(" ", text.casefold())


def _automaton(words: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in set(words):
        if word:
            automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


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
        # a symbol of three letters or fewer that is also a common word in lower case
        # matches only as written; longer symbols also when folded ("cd40l")
        self.exact = _automaton(s for s in symbols if len(s) >= 2)
        self.folded = _automaton(fold(n) for n in names + [s for s in symbols if len(s) > 3])

    @staticmethod
    def _whole_word(text: str, automaton: ahocorasick.Automaton) -> bool:
        for end, length in automaton.iter(text):
            start = end - length + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                return True
        return False

    def mentions(self, text: str) -> bool:
        return bool(text) and (self._whole_word(text, self.exact)
                               or self._whole_word(fold(text), self.folded))

    def mentions_panel(self, article: Article) -> bool:
        fields = [article.title, article.abstract,
                  *(m.descriptor_name for m in article.mesh),
                  *(k[0] for k in article.keywords)]
        return any(self.mentions(f) for f in fields if f)


@lru_cache(maxsize=1)
def panel_filter() -> PanelFilter:
    return PanelFilter()
