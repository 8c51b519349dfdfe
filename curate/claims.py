"""The claim builder: pairs subjects (genes, disease keys) with phenotypes and therapies.

Rules (docs/claims.md): a sentence's own subjects take its findings; a sentence with findings
but no subject (a cohort or review sentence) gives them to the abstract's subject, named
in the title or most often in the text; a gene named beside "hyper-IgM" or a disease name
that states a phenotype ("X-linked hyper-IgM", "ectodermal dysplasia with
immunodeficiency") claims that phenotype; negation and hedging come from cues.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from curate import context
from curate.attributes import attributes_for
from curate.store import claim_key
from curate.sentences import doc_text, sentence_of, sentence_spans, sentence_starts
from harvest.panel import GENELESS_KEYS

INCREASED_IGM = "HP:0003496"
HEDGE = re.compile(r"\b(may|might|could|possibly|possible|probably|likely|suggests?|suggested|"
                   r"suggesting|speculate|hypothes\w+|putative|presumably|potential(ly)?|"
                   r"appears? to|seems? to)\b", re.I)
# an effect word after "without", "no" or "not" states its absence ("treated without
# success", "no improvement"), which the ineffective cues read
_NOT_EFFECTIVE = r"(?<!without )(?<!\bno )(?<!\bnot )"
OUTCOME_CUES = {
    "effective": re.compile(_NOT_EFFECTIVE + r"\b(success\w*|cur(ed|ative|e)|resolv\w+|improv\w+|effective|"
                            r"remission|recover\w*|surviv\w+|alive|well|normali[sz]\w+|"
                            r"reconstitut\w+|restor\w+|benefi\w+|good outcome|favourable|favorable|"
                            r"correct(ed|s)|prevent(ed|s)|cleared|eradicat\w+)\b", re.I),
    "ineffective": re.compile(r"\b(fail\w*|ineffective|no (clinical )?(improvement|response|benefit)|"
                              r"refractory|unsuccessful|did not respond|relaps\w+|persist\w+|"
                              r"without (success|improvement|response|benefit|effect)|"
                              r"not (effective|successful|improve\w*))\b", re.I),
    "adverse": re.compile(r"\b(died|death|deaths|fatal|mortality|toxicit\w+|adverse|"
                          r"complication\w*|graft[- ]versus[- ]host|GVHD|rejection)\b", re.I),
}
CONTROL = re.compile(r"\b(healthy (controls?|donors?|subjects?)|control (group|subjects|individuals))\b", re.I)
# wild-type animals as the sentence's own subject, not as a comparison ("than wild-type mice")
WILD_TYPE = re.compile(r"(?<!than )(?<!to )(?<!with )(?<!versus )(?<!vs )(?<!vs\. )"
                       r"\bwild[- ]type (mice|animals|littermates|controls|rats)\b", re.I)
CAUSE = re.compile(r"mutat|defect|deficien|caus|due to|responsible|underl|result(s|ing)? (from|in)", re.I)
HYPER_IGM_TEXT = re.compile(r"hyper[- ]?(igm|immunoglobulin m)|higm|\bhim\b", re.I)

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


@dataclass
class Claim:
    claim_key: str
    type: str
    subject: str
    object: str
    negated: bool
    hedged: bool
    outcome: str | None
    sentence: str
    sent_start: int
    sent_end: int
    evidence: list[tuple[int, int]]  # character offsets of the entity mentions
    score: float
    support: int = 1
    rule: str | None = None            # in plain words, for the review card
    species: str | None = None         # human, mouse, other_animal, in_vitro
    study: str | None = None           # case_report, case_series, review, animal_model, ...
    patients: int | None = None
    model_version: str | None = None   # the claim model that scored it, if any
    proposed: bool = True              # False: below the model's threshold


def _entities_by_sentence(doc: Doc, ents: list[Span]):
    """(sentence, its entities) for sentences with entities, in one pass over both."""
    if not ents:
        return
    i = 0
    for sent in sentence_spans(doc):
        found = []
        while i < len(ents) and ents[i].start < sent.end:
            if ents[i].start >= sent.start:
                found.append(ents[i])
            i += 1
        if found:
            yield sent, found
        if i >= len(ents):
            return


@Language.factory("higm_claims", default_config={}, assigns=["doc._.claims"],
                  requires=["doc.ents", "span._.subject_ok", "span._.biomarker"])
def make_claims(nlp: Language, name: str):
    """Claims from the entities of each sentence; the disease table (which disease key
    stands for which gene and names which phenotype) is loaded by `initialize`."""
    return ClaimBuilder(nlp)


class ClaimBuilder:
    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.diseases: dict[str, list] = {}

    def initialize(self, get_examples=None, *, nlp: Language | None = None, vocabulary=None) -> None:
        from curate.vocab import load_diseases
        diseases = vocabulary.diseases if vocabulary is not None else load_diseases()
        self.diseases = {k: [d.key, d.gene, d.implies] for k, d in diseases.items()}

    def to_bytes(self, exclude=tuple()) -> bytes:
        import json
        return json.dumps({"diseases": self.diseases}).encode("utf-8")

    def from_bytes(self, data: bytes, exclude=tuple()) -> "ClaimBuilder":
        import json
        self.diseases = json.loads(data.decode("utf-8"))["diseases"]
        return self

    def to_disk(self, path, exclude=tuple()) -> None:
        from pathlib import Path
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "claims.json").write_bytes(self.to_bytes())

    def from_disk(self, path, exclude=tuple()) -> "ClaimBuilder":
        from pathlib import Path
        return self.from_bytes((Path(path) / "claims.json").read_bytes())

    def _diseases(self) -> dict:
        return self.diseases

    def _genes_of(self, key: str) -> set[str]:
        """The genes of a general disease key's numbered forms (HIGM: HIGM1-5; APDS: APDS1-2)."""
        return {gene for entry_key, gene, _ in self.diseases.values()
                if gene and entry_key != key and entry_key.startswith(key)}

    def _subject(self, span: Span) -> str | None:
        # genes the abstract measures as a biomarker (set per doc in __call__)
        if span.label_ == "GENE" and (
                span.kb_id_ in span.doc.user_data.get("biomarker_genes", ())
                or span.kb_id_ in span.doc.user_data.get("never_deficient", ())):
            return None
        if span.label_ == "GENE":
            # "no mutations in CD40" or "soluble CD40L": not a claim about the gene
            if not span._.subject_ok or getattr(span._, "negex", False):
                return None
            return span.kb_id_
        if span.label_ == "DISEASE":
            key, gene, _ = self._diseases()[span.kb_id_]
            return gene or key
        return None

    def _document_subjects(self, doc: Doc, ents: list[Span], deficient: set[str],
                           subject_at: dict[int, str | None]) -> list[str]:
        """What the abstract is about: the subjects of its title, else the one it names most,
        if the abstract states it deficient somewhere (a gene named in passing, in a
        lymphoma genomics or vitamin D study, is not what its cohort sentences are about)."""
        starts = sentence_starts(doc)
        first = sentence_of(doc, starts, 0) if starts else None
        counts: Counter = Counter()
        title: list[str] = []
        stated: set[str] = set()
        for ent in ents:
            subject = subject_at[ent.start]
            if subject is None:
                continue
            counts[subject] += 1
            if ent.label_ == "DISEASE" or ent.kb_id_ in deficient:
                stated.add(subject)
            if first is not None and ent.start < first.end and subject not in title:
                title.append(subject)
        genes = {s for s in counts if s not in GENELESS_KEYS}
        # a title gene counts only if the abstract states it deficient or names its disease
        # ("BTK inhibition with ibrutinib in CLL" is about a drug target)
        title = [s for s in title if s in stated or s in GENELESS_KEYS]
        # a review of a disease with several genes ("APDS ... PIK3CD or PIK3R1") or a general
        # hyper-IgM article naming several genes is about the disease key, not one gene
        geneless_title = [s for s in title if s in GENELESS_KEYS]
        if geneless_title and not [s for s in title if s not in GENELESS_KEYS] and len(genes) >= 2:
            return geneless_title[:1]
        # "Activated PI3K-delta syndrome caused by PIK3CD mutations": a general disease and one
        # of its genes in the title make an article about that gene's form
        title_genes = [s for s in title if s not in GENELESS_KEYS]
        if geneless_title and len(title_genes) == 1 and all(
                title_genes[0] in self._genes_of(key) for key in geneless_title):
            return title_genes
        # "Rituximab for cytopenias in APDS" over an abstract about APDS1 (PIK3CD) patients:
        # the one gene of the general disease that the abstract states is its form
        if geneless_title and not title_genes and len(genes) == 1:
            only = next(iter(genes))
            if only in stated and all(only in self._genes_of(key) for key in geneless_title):
                return [only]
        specific_title = [s for s in title if s != "HIGM"]
        if specific_title:
            return specific_title
        specific = Counter({s: c for s, c in counts.items() if s != "HIGM" and s in stated})
        if specific:
            best = specific.most_common(1)[0][1]
            top = [s for s, c in specific.items() if c == best]
            # a general hyper-IgM article that names several genes is about HIGM, not about
            # whichever gene it names most
            general = counts.get("HIGM", 0) >= best and len(specific) >= 2
            # two genes named once each, with nothing in the title: no topic of the abstract
            # ("BCG complications in infants with PID ... CD40L deficiency ... NEMO deficiency")
            tie = len(top) == 2 and best == 1
            if len(top) <= 2 and (best >= 2 or not counts.get("HIGM")) and not general and not tie:
                return top
        if counts.get("HIGM") or title:
            return ["HIGM"]
        return []

    def __call__(self, doc: Doc) -> Doc:
        pmid = doc.user_data.get("pmid", "")
        # An abstract that mostly measures a protein as a biomarker ("soluble CD40L in
        # coronary disease") makes no claim about that gene anywhere (docs/claims.md).
        flagged: Counter = Counter()
        plain: Counter = Counter()
        ents = list(doc.ents)  # doc.ents walks every token: read it once
        for ent in ents:
            if ent.label_ == "GENE":
                (flagged if ent._.biomarker else plain)[ent.kb_id_] += 1
        doc.user_data["biomarker_genes"] = sorted(g for g, n in flagged.items() if n >= plain.get(g, 0))
        diseases = self._diseases()
        # Span.text and Doc.text rebuild the string token by token: slice one copy instead
        full_text = doc_text(doc)
        # the context test over the abstract: genes described only as expressed, given or
        # measured (never deficient) are no subject anywhere in it
        starts = sentence_starts(doc)
        verdicts: dict[str, set] = {}
        verdict_at: dict[int, bool | None] = {}  # per gene mention, read again per sentence
        for ent in ents:
            if ent.label_ == "GENE":
                sent = sentence_of(doc, starts, ent.start)
                text = full_text[sent.start_char:sent.end_char]
                verdict_at[ent.start] = context.gene_is_deficient(
                    text, ent.start_char - sent.start_char, ent.end_char - sent.start_char)
                verdicts.setdefault(ent.kb_id_, set()).add(verdict_at[ent.start])
        deficient = {g for g, v in verdicts.items() if True in v}
        # a gene named deficient once but more often as a drug target or an expressed protein
        # ("Btk-null B cells" in a study of Btk inhibitors) is no topic of the abstract
        said: Counter = Counter((ent.kb_id_, verdict_at[ent.start]) for ent in ents if ent.label_ == "GENE")
        topical = {g for g in deficient if said[(g, True)] >= said[(g, False)]}
        # lists, not sets: docs cross process boundaries (nlp.pipe(n_process=2)) as msgpack
        doc.user_data["never_deficient"] = sorted(g for g, v in verdicts.items()
                                                  if False in v and True not in v)
        # each entity's subject, once: it is read again per sentence and per rule
        subject_at = {ent.start: self._subject(ent) for ent in ents}
        if not any(subject_at.values()):
            doc._.claims = []  # no gene or disease the claims could be about (most of PubMed)
            return doc
        doc_subjects = self._document_subjects(doc, ents, topical, subject_at)
        named_anywhere = set(subject_at.values())
        abstract_text = full_text

        def text_of(sent: Span) -> str:
            return full_text[sent.start_char:sent.end_char]
        found: dict[str, Claim] = {}

        def add(type_, subject, obj, sent, mentions, negated, hedged, outcome, score, rule=None):
            key = claim_key(pmid, type_, subject, obj)
            claim = found.get(key)
            if claim is None:
                found[key] = Claim(key, type_, subject, obj, negated, hedged, outcome,
                                   text_of(sent).strip(), sent.start_char, sent.end_char,
                                   [(m.start_char, m.end_char) for m in mentions], score,
                                   rule=rule)
                return
            claim.support += 1
            claim.negated = claim.negated and negated
            claim.hedged = claim.hedged and hedged
            if outcome and outcome != "not_stated" and claim.outcome in (None, "not_stated"):
                claim.outcome = outcome
            elif outcome and claim.outcome not in (None, "not_stated", outcome) and outcome != "not_stated":
                claim.outcome = "mixed"
            if score > claim.score:
                claim.score, claim.sentence = score, text_of(sent).strip()
                claim.sent_start, claim.sent_end = sent.start_char, sent.end_char
                claim.evidence = [(m.start_char, m.end_char) for m in mentions]

        for sent, sent_ents in _entities_by_sentence(doc, ents):
            sent_text = text_of(sent)

            def usable(e) -> bool:
                if subject_at[e.start] is None:
                    return False
                start, end = e.start_char - sent.start_char, e.end_char - sent.start_char
                if context.misdiagnosed_as(sent_text, start) or context.comparator(sent_text, start):
                    return False
                if e.label_ != "GENE":
                    return True
                if verdict_at[e.start] is False:
                    return False  # expressed, given or measured here, not deficient
                if context.in_pathway_phrase(sent_text, start, end):
                    return e.kb_id_ in deficient  # only the partner deficient in the study
                return True
            subject_spans = [e for e in sent_ents if usable(e)]
            subjects = list(dict.fromkeys(subject_at[e.start] for e in subject_spans))
            hedged = bool(HEDGE.search(sent_text))
            therapy_here = [e for e in sent_ents if e.label_ == "THERAPY"]
            # disease names that state a phenotype, and gene + "hyper-IgM" in one sentence
            # a catalogue of subtypes ("defects in CD40 ligand in HIGM1, AID in HIGM2, CD40 in
            # HIGM3 and UNG in HIGM5") classifies the diseases; it states nothing of patients
            catalogue = len(subjects) >= 3
            for span in subject_spans:
                if (span.label_ == "DISEASE" and not catalogue and not (therapy_here and context.treated_disease(
                        sent_text, span.start_char - sent.start_char))):
                    # "HSCT for hyper-IgM syndrome due to CD40L defects" names the disease a
                    # treatment is for, not patients who have it ("a boy with XHIGM" does)
                    key, gene, implies = diseases[span.kb_id_]
                    for hpo_id in implies:
                        # a disease with no known gene (HIGM4) carries its name's phenotype
                        # itself; the general HIGM names imply none (docs/claims.md)
                        add("gene_phenotype", gene or key, hpo_id, sent, [span], False, hedged,
                            None, 0.9, "from the disease name")
            higm_mentions = [e for e in subject_spans if e.label_ == "DISEASE"
                             and diseases[e.kb_id_][0] == "HIGM" and HYPER_IGM_TEXT.search(e.text)]
            genes_here = [subject_at[e.start] for e in subject_spans
                          if e.label_ == "GENE" or diseases[e.kb_id_][1]]
            # only genes the sentence states as a cause of the syndrome (mutations, defects,
            # deficiency, "caused by"), not genes merely named beside it
            if higm_mentions and CAUSE.search(sent_text):
                for gene in dict.fromkeys(genes_here):
                    add("gene_phenotype", gene, INCREASED_IGM, sent, higm_mentions, False,
                        hedged, None, 0.8, "gene named as a cause of hyper-IgM")
            findings = [e for e in sent_ents if e.label_ in ("PHENOTYPE", "THERAPY")]
            if not findings:
                continue
            def choose(spans: list[Span]):
                topic = spans[0] if spans else None
                named = list(dict.fromkeys(subject_at[e.start] for e in spans))
                # "Rituximab for cytopenias in APDS" in an article about APDS1: the general
                # disease named here is the abstract's one form of it
                # "A patient with hyper-IgM syndrome and Hodgkin lymphoma: PMS2 deficiency?":
                # in a title, the patient's hyper-IgM is the article's gene's
                if len(doc_subjects) == 1 and doc_subjects[0] not in GENELESS_KEYS:
                    gene = doc_subjects[0]
                    named = [gene if s in GENELESS_KEYS and (
                                 (s != "HIGM" and self._genes_of(s) & named_anywhere == {gene})
                                 or (s == "HIGM" and sent.start == 0
                                     and self._genes_of(s) & named_anywhere <= {gene}))
                             else s for s in named]
                    named = list(dict.fromkeys(named))
                genes = [s for s in named if s != "HIGM"]
                specific = [e for e in spans if e.label_ == "DISEASE" and diseases[e.kb_id_][1]]
                if len(specific) >= 2 and len(specific) == len(spans) and len(genes) >= 2:
                    # "in 42% of XHIGM and 11% of XLA patients": each named disease's gene
                    return genes, 0.85, "the sentence names the disease"
                if topic is not None and topic.label_ == "DISEASE" and (
                        diseases[topic.kb_id_][1] or len(genes) != 1):
                    # A sentence opening with a disease is about that disease: "APDS, a primary
                    # immunodeficiency caused by PIK3CD or PIK3R1 variants". One named gene
                    # instead makes the disease that gene's ("hyper-IgM due to CD40L defects").
                    return [subject_at[topic.start]], 0.85, "the sentence names the disease"
                if genes:
                    return genes, 0.85, "the sentence names the gene"
                if named:
                    return named, 0.75, "the sentence names the subject"
                return None
            chosen = choose(subject_spans)
            if chosen:
                targets, score, rule = chosen
            elif not doc_subjects:
                continue  # no subject here and none for the abstract: nothing to give findings to
            elif context.another_gene_deficient(sent_text):
                continue  # about another gene's deficiency ("DNA-PKcs-deficient mice ...")
            elif any(e.label_ == "GENE" and e.kb_id_ in doc_subjects and context.drug_or_target(
                    sent_text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                    for e in sent_ents):
                # "ATM kinase inhibitors are tested in solid tumors": the sentence speaks of the
                # article's own gene as a drug or a drug target, not of its patients
                continue
            elif WILD_TYPE.search(sent_text):
                continue  # a sentence about the wild-type animals names no finding of the mutants
            else:
                targets, score, rule = doc_subjects, 0.6, "a cohort or review sentence about the article's subject"
            # a sentence contrasting subjects gives each clause's findings to its own subjects
            clause_targets = {}

            def same_clause(span: Span, at: int) -> bool:
                here = span.start_char - sent.start_char
                return not clause_targets or any(lo <= here < hi and lo <= at < hi
                                                 for lo, hi in clause_targets)
            if len(subjects) >= 2:
                for lo, hi in context.contrast_clauses(sent_text):
                    inside = [e for e in subject_spans
                              if lo <= e.start_char - sent.start_char < hi]
                    if inside:
                        clause_targets[(lo, hi)] = choose(inside)
            if not targets or CONTROL.search(sent_text):
                continue
            outcome = self._outcome(sent_text)
            therapy_starts = [t.start_char - sent.start_char for t in therapy_here]
            therapy_ends = [t.end_char - sent.start_char for t in therapy_here]
            not_patients = context.not_the_patients(sent_text)
            ent_offsets = [(e.start_char - sent.start_char, e.end_char - sent.start_char)
                           for e in sent_ents]
            for finding in findings:
                if any(s.start <= finding.start < s.end for s in subject_spans):
                    continue
                at = finding.start_char - sent.start_char
                if finding.label_ == "PHENOTYPE" and (
                        context.caused_by_therapy(sent_text, therapy_starts, at, ent_offsets)
                        or context.subgroup_without(sent_text, at)
                        or context.therapy_causes(sent_text, therapy_ends, at)
                        or not_patients or context.family_history(sent_text, at)
                        or context.expressed_in(sent_text, at)
                        or context.caused_by_expression(sent_text, at)
                        or context.watched_for(sent_text, at, finding.end_char - sent.start_char)
                        or context.misdiagnosed_as(sent_text, at)
                        or context.model_of(sent_text, at)
                        or context.developed_after_treatment(sent_text, at)
                        or (not finding._.quantity and context.stated_normal(sent_text, at))
                        # with no named therapy the treatment is the experiment (a blocking
                        # antibody); a named one treated the patients' own finding
                        or (not therapy_here and not finding._.quantity
                            and context.lessened_by_treatment(sent_text, at))
                        or any(self._peers(s, finding, sent_text, sent.start_char, ent_offsets)
                               for s in subject_spans if same_clause(s, at))):
                    continue  # not a finding of the subject's patients (context.py says why)
                if (finding.label_ == "THERAPY" and finding.kb_id_ != "hsct"
                        and context.part_of_transplant(sent_text)):
                    continue  # "for GVHD prophylaxis, cyclosporine": the transplant's own drugs
                if finding.label_ == "THERAPY" and context.in_vitro(sent_text, at):
                    continue  # "addition of recombinant CD40L in vitro": an experiment
                negated = bool(getattr(finding._, "negex", False)) and not finding._.quantity
                finding_targets, finding_score, finding_rule = next(
                    (found_in for (lo, hi), found_in in clause_targets.items() if lo <= at < hi),
                    (targets, score, rule))
                if finding._.needs_named_gene:
                    # "AID is required for CSR", "germinal centers depend on CD40 but not on
                    # CD154": only the gene right beside the requirement loses the finding
                    cue_start, cue_end = finding._.needs_named_gene
                    beside = [subject_at[e.start] for e in subject_spans
                              if e.end in (cue_start - 1, cue_start) or e.start in (cue_end, cue_end + 1)]
                    if not beside:
                        continue
                    finding_targets, finding_score, finding_rule = (
                        beside, 0.8, "the gene is named as required for the finding")
                for subject in finding_targets:
                    if finding.label_ == "PHENOTYPE":
                        add("gene_phenotype", subject, finding.kb_id_, sent, [finding],
                            negated, hedged, None, finding_score, finding_rule)
                    else:
                        add("gene_therapy", subject, finding.kb_id_, sent, [finding],
                            negated, hedged, outcome, finding_score, finding_rule)
        claims = list(found.values())
        for claim in claims:
            claim.score = round(min(0.99, claim.score + 0.03 * (claim.support - 1)), 3)
            if claim.type == "gene_therapy" and claim.outcome is None:
                claim.outcome = "not_stated"
            if claim.negated and claim.rule:
                claim.rule += "; negated in the sentence"
            found_attributes = attributes_for(claim.sentence, abstract_text)
            claim.species, claim.study = found_attributes.species, found_attributes.study
            claim.patients = found_attributes.patients
        # plain dicts, so docs stay serialisable for nlp.pipe(n_process=2)
        doc._.claims = [dict(vars(c)) for c in claims]
        return doc

    @staticmethod
    def _peers(subject: Span, finding: Span, sent_text: str, base: int,
               ent_offsets: list[tuple[int, int]]) -> bool:
        """The subject and the finding are items of one list ('diseases including hyper-IgM
        syndrome, multiple myeloma and Burkitt lymphoma'); offsets are within the sentence,
        which starts at `base`."""
        first, second = (subject, finding) if subject.start < finding.start else (finding, subject)
        return context.listed_beside(sent_text, first.end_char - base, second.start_char - base,
                                     second.end_char - base, ent_offsets)

    @staticmethod
    def _outcome(text: str) -> str:
        hits = [name for name, pattern in OUTCOME_CUES.items() if pattern.search(text)]
        if not hits:
            return "not_stated"
        if "effective" in hits and len(hits) > 1:
            return "mixed"
        return hits[0]
