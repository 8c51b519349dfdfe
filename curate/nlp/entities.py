"""Entity recognition for the four kinds (GENE, DISEASE, PHENOTYPE, THERAPY), normalised.

A phrase index over the vocabularies (case-sensitive for gene symbols, lower-case for
the rest; curate/phrase_index.py), abbreviations resolved within the abstract, ambiguous
gene names kept only in a supporting context, and quantity findings ("low IgG and IgA")
turned into HPO terms. The component saves its patterns itself (nlp.to_disk); a process
loads the built index from the cache its first build wrote.
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from curate.nlp.abbreviations import find_definitions
from curate.nlp.ambiguity import is_biomarker, resolve_ambiguous
from curate.nlp.composition import (adverb_after_copula, coordinated, coordinated_before_head,
                                    infections_by_organism, named_pathogen_infections,
                                    qualifier_over_a_word, shared_modifier, shared_of_heads,
                                    site_infections, susceptibility, susceptibility_tails)
from curate.nlp.immunology import (body_fluid_sites, cell_functions, chronic_infections,
                                   coordinated_analytes, in_body_fluid, infections_in_patients,
                                   listed_isotypes, lymphocyte_death, stated_normal)
from curate.nlp.phrase_index import PhraseIndex, build_index, load_cached, save_cached
from curate.nlp.quantities import ABSENCE_NAME, absence_stated, quantities
from curate.nlp.sentences import doc_text, take_token_texts
from curate.nlp.unordered import build_unordered, unordered_matches
from curate.nlp.variants import COPULAS
from curate.nlp.vocab import Pattern

RECURRENT_INFECTIONS = "HP:0002719"  # CLAIMS.md: infections of patients, "recurrent" unstated
CHRONIC_INFECTION = "HP:0031035"
KINDS = ("GENE", "DISEASE", "PHENOTYPE", "THERAPY")
KIND_ORDER = {"IGNORE": 0, "GENE": 1, "PHENOTYPE": 2, "THERAPY": 3, "DISEASE": 4, "CUE": 5,
              "ANALYTE": 6, "ORGANISM": 7, "ORGANISM_INFECTION": 8}


class MatchKey(NamedTuple):
    """What a phrase-matcher rule means: its kind, the normalised ID, and whether the name
    is ambiguous (kept only with support in the abstract)."""
    kind: str
    norm_id: str
    ambiguous: bool
NEGEX_SPANS = "higm_ents"  # the entities again, as a span group for NegEx
if not Doc.has_extension("definitions"):
    Doc.set_extension("definitions", default=None)
if not Span.has_extension("subject_ok"):
    Span.set_extension("subject_ok", default=True)
if not Span.has_extension("biomarker"):
    Span.set_extension("biomarker", default=False)
if not Span.has_extension("quantity"):
    Span.set_extension("quantity", default=False)
# a finding read from a requirement ("AID is required for CSR"): the cue's token range, for
# the gene named right beside it
if not Span.has_extension("needs_named_gene"):
    Span.set_extension("needs_named_gene", default=False)


@Language.factory(
    "higm_entities", default_config={"unordered": False},
    assigns=["doc.ents", "doc.spans", "doc._.definitions", "span._.subject_ok",
             "span._.biomarker", "span._.quantity", "span._.needs_named_gene"],
    requires=["token.is_sent_start"])
def make_entities(nlp: Language, name: str, unordered: bool):
    """Genes, disease names, phenotypes and therapies from the project's lexicons; the
    patterns are loaded by `initialize` (or with the pipeline's saved data). `unordered`
    adds HPO names found with their words in another order (curate/nlp/unordered.py): it
    raises HPO recognition on clinical-genetics text (GSC+) and lowers claim precision on
    HIGM abstracts (docs/benchmarks.md), so the claim pipeline leaves it off."""
    return EntityRecognizer(nlp, unordered)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@lru_cache(maxsize=200_000)
def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if folded.isascii():
        return folded
    # accents off ("café-au-lait", "Sjögren", "naïve"), as HPO's names are mostly written
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)))


def plain(text: str) -> str:
    """A token's text with compatibility forms folded (full-width letters, ligatures),
    accents dropped and invisible characters (soft hyphen, zero-width space) removed; ASCII
    as it is. Patterns are folded the same way, so either spelling finds the other."""
    return text if text.isascii() else _plain(text)


# words that may stand before a noun phrase: "the NK cells were absent", "and IgE was low"
_BEFORE_PHRASE = {"the", "a", "an", "and", "or", "his", "her", "their", "its", "whose", "that",
                  "in", "of", "with", "both", "all", "but", "whereas", "while", "although",
                  "serum", "circulating", "peripheral", "blood", "also", "however", "which"}


_ORGANISATION_WORDS = {"consortium", "foundation", "society", "network", "registry", "group",
                       "association", "institute", "center", "centre", "clinic", "program",
                       "programme", "working", "unit", "department", "hospital"}


def in_organisation_name(span: Span, orths: list[str]) -> bool:
    """'the Primary Immune Deficiency Treatment Consortium', 'the Immune Deficiency
    Foundation': a capitalised finding inside an organisation's name names no finding."""
    if span.label_ != "PHENOTYPE" or not all(orths[i][:1].isupper()
                                             for i in range(span.start, span.end)):
        return False
    for i in range(span.end, min(len(orths), span.end + 4)):
        if orths[i].lower() in _ORGANISATION_WORDS and orths[i][:1].isupper():
            return True
        if not orths[i][:1].isupper() and orths[i] not in ("for", "of", "and"):
            return False
    return False


def cut_noun_phrase(span: Span, lowers: list[str]) -> bool:
    """A state put after its noun ('B cells were absent', curate/variants.py) matched inside
    a longer noun phrase ('CD27+ memory B cells were absent'): the phrase is another one."""
    if span.label_ != "PHENOTYPE" or not any(lowers[i] in COPULAS for i in range(span.start, span.end)):
        return False
    if span.start == 0 or lowers[span.start] in COPULAS:
        return False  # "mice are growth retarded": the copula opens the phrase, no noun to cut
    before = lowers[span.start - 1]
    return before not in _BEFORE_PHRASE and any(c.isalnum() for c in before)


class EntityRecognizer:
    def __init__(self, nlp: Language, unordered: bool = False):
        self.nlp = nlp
        self.use_unordered = unordered
        self.data: dict = {}
        self.index: PhraseIndex | None = None

    # -- building and serialising -------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp: Language | None = None, vocabulary=None) -> None:
        """Load the patterns from the lexicons (curate.nlp.vocab), as spaCy's `nlp.initialize`:
        from the cache an earlier build wrote when the lexicons and code are unchanged."""
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)
            return
        from curate.nlp.vocab import data_fingerprint, load_vocabulary
        fingerprint = data_fingerprint()
        cached = load_cached(fingerprint)
        if cached is not None:
            self.data, self.index = cached
            self._derive()
            return
        self.set_vocabulary(load_vocabulary())
        save_cached(fingerprint, self.data, self.index)

    def set_vocabulary(self, vocab) -> None:
        """Load patterns from a curate.nlp.vocab.Vocabulary."""
        self.data = {
            # columns, not one list per pattern: 130,000 patterns serialise compactly
            "patterns": {"text": [p.text for p in vocab.patterns],
                         "kind": [p.kind for p in vocab.patterns],
                         "norm_id": [p.norm_id for p in vocab.patterns],
                         "case_sensitive": [p.case_sensitive for p in vocab.patterns],
                         "ambiguous": [p.ambiguous for p in vocab.patterns]},
            "diseases": {k: [d.key, d.gene, d.implies] for k, d in vocab.diseases.items()},
            "quantity": vocab.quantity,
            # findings whose HPO name is itself an absence or a decrease ("Absence of lymph
            # node germinal center"): "germinal centers were absent" states, not negates, them
            "absence_terms": sorted(hpo_id for hpo_id, name in vocab.hpo_names.items()
                                    if ABSENCE_NAME.match(name)),
            "biomarker_cues": vocab.biomarker_cues,
            "organisms": vocab.organisms,
            "fingerprint": vocab.fingerprint,
            "releases": {"hpo": vocab.hpo_release, "hgnc": vocab.hgnc_release},
        }
        self._build()

    def patterns(self) -> list[Pattern]:
        """The component's patterns as typed records."""
        columns = self.data["patterns"]
        return [Pattern(*row) for row in zip(columns["text"], columns["kind"], columns["norm_id"],
                                             columns["case_sensitive"], columns["ambiguous"])]

    def _derive(self) -> None:
        """Lookups the composition rules use, from the patterns."""
        # lower-cased phenotype phrases, for coordinated modifiers ("otic and renal anomalies")
        columns = self.data["patterns"]
        self.phenotype_ids = {plain(text).lower(): norm for text, kind, norm, case in zip(
            columns["text"], columns["kind"], columns["norm_id"], columns["case_sensitive"])
            if kind == "PHENOTYPE" and not case}
        self.susceptibility_tails = susceptibility_tails(self.phenotype_ids)
        self.unordered = build_unordered(self.phenotype_ids) if self.use_unordered else None
        self.absence_terms = frozenset(self.data.get("absence_terms", ()))
        # analyte names -> label, for the items of a list before a cell analyte
        self.analyte_names = {plain(name).lower(): label for label, info in
                              self.data["quantity"]["analytes"].items() for name in info["names"]}
        self.immunology = self.data["quantity"].get("immunology", {})
        self.body_fluid = body_fluid_sites(self.data["quantity"].get("body_fluid"))

    def _build(self) -> None:
        self._derive()
        groups: dict[tuple[MatchKey, bool], list[str]] = {}
        patterns = self.patterns()
        for p in patterns:
            groups.setdefault((MatchKey(p.kind, p.norm_id, p.ambiguous), p.case_sensitive),
                              []).append(p.text)
        q = self.data["quantity"]
        for cue_kind in ("decrease", "increase"):
            groups.setdefault((MatchKey("CUE", cue_kind, False), False),
                              []).extend(q[f"{cue_kind}_cues"])
        for analyte, info in q["analytes"].items():
            groups.setdefault((MatchKey("ANALYTE", analyte, False), False),
                              []).extend(info["names"])
        # A copy of the tokenizer reads the patterns: 115,000 phrases through the pipeline's
        # own tokenizer leave its cache in a state that made every later abstract tokenize
        # ten times slower (measured: 6,000 -> 550 GSC+ texts/s; docs/decisions.md).
        tokenizer = Tokenizer(self.nlp.vocab).from_bytes(self.nlp.tokenizer.to_bytes())
        # for one span matched as two kinds, the earlier kind wins ("CSR deficiency" is the
        # finding before it is a disease name), as it did with spaCy's PhraseMatcher
        order = sorted(groups.items(), key=lambda item: KIND_ORDER.get(item[0][0].kind, 9))
        self.index = build_index(
            (key, case, [[plain(t.text) for t in doc] for doc in tokenizer.pipe(dict.fromkeys(texts))])
            for (key, case), texts in order)

    def to_disk(self, path, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "entities.json").write_text(json.dumps(self.data, ensure_ascii=False))

    def from_disk(self, path, exclude=tuple()) -> "EntityRecognizer":
        self.data = json.loads((Path(path) / "entities.json").read_text(encoding="utf-8"))
        self._build()
        return self

    def to_bytes(self, exclude=tuple()) -> bytes:
        return json.dumps(self.data, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, exclude=tuple()) -> "EntityRecognizer":
        self.data = json.loads(data.decode("utf-8"))
        self._build()
        return self

    # -- recognition ----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        candidates: list[Span] = []
        cues: list[Span] = []
        analytes: list[Span] = []
        organisms: list[Span] = []
        if self.index is None:
            raise ValueError("higm_entities has no patterns: run nlp.initialize() first")
        # look-alikes read as the letters they stand for ("ＣＤ40L", "AI\u00adCDA"); tokens and
        # offsets stay as written
        written = take_token_texts(doc)
        orths = written if doc_text(doc).isascii() else [plain(t) for t in written]
        lowers = [t.lower() for t in orths]
        for (kind, norm, ambiguous), start, end in self.index.matches(orths, lowers):
            if kind == "CUE":
                cues.append(Span(doc, start, end, label=norm))
                continue
            if kind == "ANALYTE":
                analytes.append(Span(doc, start, end, label=norm))
                continue
            if kind in ("ORGANISM", "ORGANISM_INFECTION"):
                organisms.append(Span(doc, start, end, label=kind, kb_id=norm))
                continue
            span = Span(doc, start, end, label=kind, kb_id=norm)
            span._.subject_ok = not ambiguous  # ambiguous names need support, decided below
            candidates.append(span)
        definitions = find_definitions(doc, written)
        # plain offsets, so docs stay serialisable for nlp.pipe(n_process=2)
        doc._.definitions = [(d.short.start_char, d.short.end_char, d.long.start_char,
                              d.long.end_char) for d in definitions]
        candidates += self._from_abbreviations(doc, candidates, definitions, orths)
        candidates = resolve_ambiguous(doc, candidates, definitions)
        candidates = [c for c in candidates if not cut_noun_phrase(c, lowers)
                      and not in_organisation_name(c, orths)]
        named = {i for c in candidates if c.label_ in ("GENE", "DISEASE")
                 for i in range(c.start, c.end)}
        analytes += coordinated_analytes(doc, analytes, lowers, self.analyte_names)
        candidates += quantities(doc, cues, analytes, lowers, self.data["quantity"], named)
        candidates += listed_isotypes(doc, analytes, lowers, self.data["quantity"])
        candidates += stated_normal(doc, analytes, lowers, self.data["quantity"]["analytes"])
        candidates += cell_functions(doc, lowers, self.immunology)
        candidates += lymphocyte_death(doc, lowers, self.immunology)
        candidates += infections_in_patients(doc, lowers, RECURRENT_INFECTIONS)
        covered = {i for c in candidates if c.label_ == "PHENOTYPE" for i in range(c.start, c.end)}
        candidates += chronic_infections(doc, lowers, covered, CHRONIC_INFECTION)
        candidates += coordinated(doc, candidates, lowers, self.phenotype_ids)
        candidates += coordinated_before_head(doc, candidates, lowers, self.phenotype_ids)
        candidates += shared_modifier(doc, candidates, lowers, self.phenotype_ids)
        candidates += qualifier_over_a_word(doc, candidates, lowers, self.phenotype_ids)
        candidates += site_infections(doc, lowers, self.phenotype_ids)
        candidates += adverb_after_copula(doc, lowers, self.phenotype_ids)
        candidates += shared_of_heads(doc, candidates, lowers, self.phenotype_ids)
        candidates += susceptibility(doc, lowers, self.phenotype_ids, self.susceptibility_tails)
        candidates += infections_by_organism(doc, lowers, self.phenotype_ids)
        candidates += named_pathogen_infections(doc, organisms, lowers, self.phenotype_ids,
                                                self.data.get("organisms", {}))
        if self.unordered is not None:
            # last: a name in another order only where no other rule found anything
            taken = {i for c in candidates for i in range(c.start, c.end)}
            candidates += unordered_matches(doc, lowers, self.unordered, taken)
        spans = in_body_fluid(filter_spans(candidates), lowers, self.body_fluid)
        for span in spans:
            if (span.label_ == "PHENOTYPE" and span.kb_id_ in self.absence_terms
                    and absence_stated(span, lowers)):
                span._.quantity = True  # the absence is the finding: no negation
            if span.label_ == "GENE" and is_biomarker(doc, span, self.data["biomarker_cues"]):
                span._.subject_ok = False
                span._.biomarker = True
        ents = [s for s in spans if s.label_ in KINDS]
        doc.ents = ents
        doc.spans[NEGEX_SPANS] = ents
        doc.spans["cues"] = cues
        return doc

    def _from_abbreviations(self, doc, candidates, definitions, orths: list[str]) -> list[Span]:
        by_short: dict[str, Span] = {}
        for definition in definitions:
            long = definition.long
            inside = [c for c in candidates if c.start >= long.start and c.end == long.end]
            if inside:
                best = max(inside, key=len)
                by_short[definition.short.text] = best
        extra = []
        if not by_short:
            return extra
        for i, word in enumerate(orths):
            entity = by_short.get(word)
            if entity is not None:
                extra.append(Span(doc, i, i + 1, label=entity.label_, kb_id=entity.kb_id_))
        return extra

