"""Entity recognition for the four kinds (GENE, DISEASE, PHENOTYPE, THERAPY), normalised.

Phrase matchers over the vocabularies (case-sensitive for gene symbols, lower-case for
the rest), abbreviations resolved within the abstract, ambiguous gene names kept only in
a supporting context, and quantity findings ("low IgG and IgA") turned into HPO terms.
The component saves its patterns itself: a PhraseMatcher inside a component does not
survive nlp.to_disk otherwise (measured; docs/benchmarks.md).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from curate.abbreviations import find_definitions
from curate.sentences import doc_text, sentence_of, sentence_starts

KINDS = ("GENE", "DISEASE", "PHENOTYPE", "THERAPY")
NEGEX_SPANS = "higm_ents"  # the entities again, as a span group for NegEx
IMMUNE_CONTEXT = re.compile(
    r"immun|class[- ]switch|\bCSR\b|hyper[- ]?IgM|\bIg[GAME]\b|antibod|B[- ]cell|lymphocyt|"
    r"germinal|somatic hypermutation|\bSHM\b|deaminase|ectodermal|NF-?(kappa|κ)B|"
    r"X-linked|patients?", re.I)

# head nouns a phrase may use for the same HPO head ('tumors of the liver' is 'Neoplasm of
# the liver'); the generated lookups try each
_HEAD_SYNONYMS = {w: ("neoplasm",) for w in ("tumor", "tumors", "tumour", "tumours", "cancer",
                                            "cancers", "malignancy", "malignancies", "neoplasms")}
_HEAD_SYNONYMS.update({w: ("abnormality",) for w in ("abnormalities", "anomalies", "anomaly",
                                                     "malformations", "malformation")})

if not Doc.has_extension("definitions"):
    Doc.set_extension("definitions", default=None)
if not Span.has_extension("subject_ok"):
    Span.set_extension("subject_ok", default=True)
if not Span.has_extension("biomarker"):
    Span.set_extension("biomarker", default=False)
if not Span.has_extension("quantity"):
    Span.set_extension("quantity", default=False)


@Language.factory(
    "higm_entities", default_config={},
    assigns=["doc.ents", f"doc.spans", "doc._.definitions", "span._.subject_ok",
             "span._.biomarker", "span._.quantity"],
    requires=["token.is_sent_start"])
def make_entities(nlp: Language, name: str):
    """Genes, disease names, phenotypes and therapies from the project's lexicons; the
    patterns are loaded by `initialize` (or with the pipeline's saved data)."""
    return EntityRecognizer(nlp)


class EntityRecognizer:
    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.data: dict = {}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")

    # -- building and serialising -------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp: Language | None = None, vocabulary=None) -> None:
        """Load the patterns from the lexicons (curate.vocab), as spaCy's `nlp.initialize`."""
        if vocabulary is None:
            from curate.vocab import load_vocabulary
            vocabulary = load_vocabulary()
        self.set_vocabulary(vocabulary)

    def set_vocabulary(self, vocab) -> None:
        """Load patterns from a curate.vocab.Vocabulary."""
        self.data = {
            "patterns": [[p.text, p.kind, p.norm_id, p.case_sensitive, p.ambiguous]
                         for p in vocab.patterns],
            "diseases": {k: [d.key, d.gene, d.implies] for k, d in vocab.diseases.items()},
            "quantity": vocab.quantity,
            "biomarker_cues": vocab.biomarker_cues,
            "fingerprint": vocab.fingerprint,
            "releases": {"hpo": vocab.hpo_release, "hgnc": vocab.hgnc_release},
        }
        self._build()

    def _build(self) -> None:
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        groups: dict[tuple[str, bool], list[str]] = {}
        for text, kind, norm, case, amb in self.data["patterns"]:
            groups.setdefault((f"{kind}|{norm}|{int(amb)}", case), []).append(text)
        q = self.data["quantity"]
        for cue_kind in ("decrease", "increase"):
            groups.setdefault((f"CUE|{cue_kind}|0", False), []).extend(q[f"{cue_kind}_cues"])
        for analyte, info in q["analytes"].items():
            groups.setdefault((f"ANALYTE|{analyte}|0", False), []).extend(info["names"])
        # lower-cased phenotype phrases, for coordinated modifiers ("otic and renal anomalies")
        self.phenotype_ids = {text.lower(): norm for text, kind, norm, case, _ in
                              self.data["patterns"] if kind == "PHENOTYPE" and not case}
        tokenizer = self.nlp.tokenizer
        for (key, case), texts in groups.items():
            docs = list(tokenizer.pipe(dict.fromkeys(texts)))
            (self.exact if case else self.lower).add(key, docs)

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
        strings = self.nlp.vocab.strings
        candidates: list[Span] = []
        cues: list[Span] = []
        analytes: list[Span] = []
        for match_id, start, end in list(self.exact(doc)) + list(self.lower(doc)):
            kind, norm, amb = strings[match_id].split("|")
            if kind == "CUE":
                cues.append(Span(doc, start, end, label=norm))
                continue
            if kind == "ANALYTE":
                analytes.append(Span(doc, start, end, label=norm))
                continue
            span = Span(doc, start, end, label=kind, kb_id=norm)
            span._.subject_ok = amb == "0"  # ambiguous names need support, decided below
            candidates.append(span)
        definitions = find_definitions(doc)
        # plain offsets, so docs stay serialisable for nlp.pipe(n_process=2)
        doc._.definitions = [(d.short.start_char, d.short.end_char, d.long.start_char,
                              d.long.end_char) for d in definitions]
        candidates += self._from_abbreviations(doc, candidates, definitions)
        candidates = self._resolve_ambiguous(doc, candidates, definitions)
        lowers = [strings[x] for x in doc.to_array("LOWER").tolist()]
        candidates += self._quantities(doc, cues, analytes, lowers)
        candidates += self._coordinated(doc, candidates, lowers)
        candidates += self._site_infections(doc, lowers)
        candidates += self._shared_of_heads(doc, candidates, lowers)
        candidates += self._susceptibility(doc, lowers)
        spans = filter_spans(candidates)
        for span in spans:
            if span.label_ == "GENE" and self._is_biomarker(doc, span):
                span._.subject_ok = False
                span._.biomarker = True
        ents = [s for s in spans if s.label_ in KINDS]
        doc.ents = ents
        doc.spans[NEGEX_SPANS] = ents
        doc.spans["cues"] = cues
        return doc

    def _from_abbreviations(self, doc, candidates, definitions) -> list[Span]:
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
        strings = doc.vocab.strings
        for i, orth in enumerate(doc.to_array("ORTH").tolist()):
            entity = by_short.get(strings[orth])
            if entity is not None:
                extra.append(Span(doc, i, i + 1, label=entity.label_, kb_id=entity.kb_id_))
        return extra

    def _coordinated(self, doc, candidates, lowers: list[str]) -> list[Span]:
        """'branchial, otic and renal anomalies': the head of the matched 'renal anomalies'
        is shared by the modifiers before it, each of which makes a phrase of its own."""
        phenotypes = [c for c in candidates if c.label_ == "PHENOTYPE" and len(c) >= 2]
        if not phenotypes:
            return []
        starts = sentence_starts(doc)
        extra = []
        for span in phenotypes:
            head = " ".join(lowers[span.start + 1:span.end])
            sent_start = sentence_of(doc, starts, span.start).start
            i, joined = span.start - 1, False
            while i >= sent_start:
                word = lowers[i]
                if word in (",", "and", "or"):
                    joined, i = True, i - 1
                    continue
                hpo_id = self.phenotype_ids.get(f"{word} {head}") if joined else None
                if hpo_id is None:
                    break
                extra.append(Span(doc, i, i + 1, label="PHENOTYPE", kb_id=hpo_id))
                joined, i = False, i - 1
        return extra

    _SITE_LINKS = {"involved", "involving", "of", "in", "affecting", "affected", "at"}
    _RECURRENT = {"recurrent", "frequent", "repeated", "chronic", "recurring"}

    def _site_infections(self, doc, lowers: list[str]) -> list[Span]:
        """'infections involved the upper respiratory tract (75%), skin (28%) and central
        nervous system': a finding composed with each site of a list, looked up as
        '<site> infections' (or its recurrent form) among the phenotype names."""
        starts = sentence_starts(doc)
        found: list[Span] = []
        for i, word in enumerate(lowers):
            if word not in ("infections", "infection") or i + 2 >= len(lowers):
                continue
            j = i + 1
            if lowers[j] not in self._SITE_LINKS:
                continue
            recurrent = i > 0 and (lowers[i - 1] in self._RECURRENT or
                                   (i > 1 and lowers[i - 2] in self._RECURRENT))
            sent = sentence_of(doc, starts, i)
            j += 1
            if j < sent.end and lowers[j] == "the":
                j += 1
            while j < sent.end:
                # one site: up to four words, then skip "(75%)" and the list's joiners
                k = j
                while k < sent.end and k - j < 4 and lowers[k].isalpha() and lowers[k] not in (
                        "and", "or"):
                    k += 1
                if k == j:
                    break
                site = " ".join(lowers[j:k])
                forms = [f"{site} infections", f"{site} infection", f"infection of the {site}"]
                recurrent_forms = [f"recurrent {f}" for f in forms] + [
                    f"recurrent infection of the {site}"]
                for form in (recurrent_forms + forms) if recurrent else (forms + recurrent_forms):
                    hpo_id = self.phenotype_ids.get(form)
                    if hpo_id:
                        found.append(Span(doc, j, k, label="PHENOTYPE", kb_id=hpo_id))
                        break
                if k < sent.end and lowers[k] == "(":
                    while k < sent.end and lowers[k] != ")":
                        k += 1
                    k += 1
                while k < sent.end and lowers[k] in (",", "and", "or", "the"):
                    k += 1
                if k == j or (k < sent.end and not lowers[k].isalpha()):
                    break
                j = k
        return found

    def _list_items(self, lowers: list[str], j: int, end: int, max_words: int = 4):
        """(start, end) of each item of a list that starts at token j: 'A (75%), B, and C D'."""
        while j < end:
            k = j
            while k < end and k - j < max_words and lowers[k].isalpha() and lowers[k] not in (
                    "and", "or"):
                k += 1
            if k == j:
                return
            yield j, k
            if k < end and lowers[k] == "(":
                while k < end and lowers[k] != ")":
                    k += 1
                k += 1
            if k >= end or lowers[k] not in (",", "and", "or"):
                return
            while k < end and lowers[k] in (",", "and", "or", "the"):
                k += 1
            j = k

    def _shared_of_heads(self, doc, candidates, lowers: list[str]) -> list[Span]:
        """'tumors of the pancreas, liver, and biliary tree': the matched 'tumors of the
        pancreas' shares its head with the sites listed after it."""
        starts = sentence_starts(doc)
        found = []
        for span in candidates:
            if span.label_ != "PHENOTYPE":
                continue
            words = lowers[span.start:span.end]
            sent = sentence_of(doc, starts, span.start)
            if "of" in words[:-1] and len(words) >= 3:
                # 'tumors of the pancreas, liver, ...': the list follows the matched phrase
                cut = words.index("of") + 1
                if cut < len(words) - 1 and words[cut] == "the":
                    cut += 1
                heads = [" ".join(words[:cut - (words[cut - 1] == "the")])]
                k = span.end
                if k >= sent.end or lowers[k] not in (",", "and", "or"):
                    continue
            elif span.end + 1 < sent.end and lowers[span.end] == "of":
                # 'tumors of the pancreas, liver and biliary tree': only the head matched
                heads = [" ".join(words)]
                k = span.end + 1
            else:
                continue
            heads += [h for w in heads for h in _HEAD_SYNONYMS.get(w, ())]
            while k < sent.end and lowers[k] in (",", "and", "or", "the"):
                k += 1
            for a, b in self._list_items(lowers, k, sent.end):
                item = " ".join(lowers[a:b])
                for head in heads:
                    hpo_id = (self.phenotype_ids.get(f"{head} of the {item}")
                              or self.phenotype_ids.get(f"{head} of {item}"))
                    if hpo_id:
                        found.append(Span(doc, a, b, label="PHENOTYPE", kb_id=hpo_id))
                        break
        return found

    def _susceptibility(self, doc, lowers: list[str]) -> list[Span]:
        """'susceptibility to herpesvirus infections' / 'leishmaniasis susceptibility': an
        organism or infection named as a susceptibility, looked up as its recurrent or
        plain infection term."""
        found = []
        for i, word in enumerate(lowers):
            if word != "susceptibility":
                continue
            spans = []
            if i + 2 < len(lowers) and lowers[i + 1] == "to":
                for n in (3, 2, 1):
                    if i + 2 + n <= len(lowers) and all(w.isalpha() for w in lowers[i + 2:i + 2 + n]):
                        spans.append((i + 2, i + 2 + n))
            for n in (2, 1):
                if i - n >= 0 and all(w.isalpha() for w in lowers[i - n:i]):
                    spans.append((i - n, i))
            for a, b in spans:
                phrase = " ".join(lowers[a:b])
                base = phrase[:-1] if phrase.endswith("es") and not phrase.endswith("ses") else phrase
                for form in (f"recurrent {phrase}", f"recurrent {base}", f"{phrase}",
                             f"recurrent {base} infections", f"{base} infection",
                             f"increased susceptibility to {phrase}"):
                    hpo_id = self.phenotype_ids.get(form)
                    if hpo_id:
                        found.append(Span(doc, a, b, label="PHENOTYPE", kb_id=hpo_id))
                        break
                else:
                    continue
                break
        return found

    def _resolve_ambiguous(self, doc, candidates, definitions) -> list[Span]:
        starts = sentence_starts(doc)
        defined_as = {d.short.text: d.long for d in definitions}
        certain_genes = {c.kb_id_ for c in candidates if c.label_ == "GENE" and c._.subject_ok}
        kept = []
        for span in candidates:
            if span.label_ != "GENE" or span._.subject_ok:
                kept.append(span)
                continue
            long = defined_as.get(span.text)
            if long is not None:
                # defined in this abstract: keep only if the definition names the same gene
                if any(c.label_ == "GENE" and c.kb_id_ == span.kb_id_ and c._.subject_ok
                       and c.start >= long.start and c.end <= long.end for c in candidates):
                    span._.subject_ok = True
                    kept.append(span)
                continue
            sent = sentence_of(doc, starts, span.start)
            if span.kb_id_ in certain_genes or IMMUNE_CONTEXT.search(
                    doc_text(doc)[sent.start_char:sent.end_char]):
                span._.subject_ok = True
                kept.append(span)
        return kept

    def _quantities(self, doc, cues, analytes, lowers: list[str]) -> list[Span]:
        """'low IgG, IgA and IgM', 'IgM levels were normal or raised' -> HPO spans."""
        if not analytes or not cues:
            return []
        starts = sentence_starts(doc)
        cues = filter_spans(cues)
        analytes = filter_spans(analytes)
        info = self.data["quantity"]["analytes"]
        stops = {"with", "but", "whereas", "while", "although", ";", "than", "compared"}
        out = []
        isotypes = set(self.data["quantity"].get("isotype_analytes", []))
        response_words = set(self.data["quantity"].get("response_words", []))
        cue_ending = {c.end - 1: c for c in cues}
        cue_starting = {c.start: c for c in cues}
        analyte_at = {a.start: a for a in analytes}
        for analyte in analytes:
            sent = sentence_of(doc, starts, analyte.start)
            label = analyte.label_
            if label in isotypes:
                # "IgG, IgA and IgE responses" are specific antibody responses, not levels
                j = analyte.end
                while j < sent.end:
                    if lowers[j] in (",", "and", "or", "/"):
                        j += 1
                        continue
                    following = analyte_at.get(j)
                    if following is None:
                        break
                    if following.label_ == "spec_ab":
                        label = "spec_ab"
                        break
                    j = following.end
                if j < sent.end and lowers[j] in response_words:
                    label = "spec_ab"
            direction = None
            # look left through coordinated analytes and short modifiers
            i = analyte.start - 1
            while i >= max(sent.start, analyte.start - 7):
                if lowers[i] in stops:
                    break
                if i in cue_ending:
                    direction = cue_ending[i].label_
                    break
                i -= 1
            if direction is None:
                j = analyte.end
                while j < min(sent.end, analyte.end + 6):
                    if lowers[j] in stops or j in analyte_at:
                        break
                    if j in cue_starting:
                        direction = cue_starting[j].label_
                        break
                    j += 1
            hpo_id = info[label].get(direction) if direction else None
            if hpo_id:
                span = Span(doc, analyte.start, analyte.end, label="PHENOTYPE", kb_id=hpo_id)
                span._.quantity = True
                out.append(span)
        return out

    def _is_biomarker(self, doc, span) -> bool:
        cues = {c.lower() for c in self.data["biomarker_cues"]}
        if span.text.lower() in cues:
            return True
        window = doc[max(sentence_of(doc, sentence_starts(doc), span.start).start,
                         span.start - 2): span.start]
        return any(t.lower_ in cues for t in window)
