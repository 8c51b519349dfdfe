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

from spacy.language import Language
from spacy.tokens import Doc, Span

from curate.cue_words import HEDGE
from curate.nlp import claim_rules, context
from curate.nlp.outcomes import outcome_of
from curate.nlp.attributes import attributes_for
from curate.records import Claim, claim_key
from curate.nlp.sentences import doc_text, sentence_of, sentence_spans, sentence_starts
from harvest.panel import GENELESS_KEYS

INCREASED_IGM = "HP:0003496"
CONTROL = re.compile(r"\b(healthy (controls?|donors?|subjects?)|control (group|subjects|individuals))\b", re.I)
# wild-type animals as the sentence's own subject, not as a comparison ("than wild-type mice")
WILD_TYPE = re.compile(r"(?<!than )(?<!to )(?<!with )(?<!versus )(?<!vs )(?<!vs\. )"
                       r"\bwild[- ]type (mice|animals|littermates|controls|rats)\b", re.I)
CAUSE = re.compile(r"mutat|defect|deficien|caus|due to|responsible|underl|result(s|ing)? (from|in)", re.I)
FORM_OF_DISEASE = re.compile(r"\b(X-linked|autosomal[- ](recessive|dominant)|recessive|dominant)"
                             r" forms?\b(?! of (?!the (disease|syndrome)))", re.I)
HYPER_IGM_TEXT = re.compile(r"hyper[- ]?(igm|immunoglobulin m)|higm|\bhim\b", re.I)
# people who have what the sentence names ("a girl with hyper-IgM syndrome")
PERSONS = re.compile(r"\b(patients?|child|children|boys?|girls?|infants?|man|woman|men|women|"
                     r"siblings?|brothers?|sisters?|famil(y|ies)|kindreds?|probands?|cases?)\b", re.I)

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


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


@Language.factory("higm_claims", default_config={"exclusions": claim_rules.DEFAULT_EXCLUSIONS},
                  assigns=["doc._.claims"],
                  requires=["doc.ents", "span._.subject_ok", "span._.biomarker"])
def make_claims(nlp: Language, name: str, exclusions: list[str]):
    """Claims from the entities of each sentence; the disease table (which disease key
    stands for which gene and names which phenotype) is loaded by `initialize`.
    `exclusions` names the exclusion rules of `claim_rules` that run, in order."""
    unknown = [n for n in exclusions if n not in claim_rules.EXCLUSIONS]
    if unknown:
        raise ValueError(f"higm_claims: unknown exclusion rules {unknown}; "
                         f"known: {', '.join(claim_rules.EXCLUSIONS)}")
    return ClaimBuilder(nlp, list(exclusions))


class _Article:
    """What the claim rules read of the whole abstract, computed once per document."""
    def __init__(self, full_text: str, subject_at: dict, verdict_at: dict,
                 deficient: set, subjects: list[str], named_anywhere: set, one_gene: str | None):
        self.full_text = full_text
        self.subject_at, self.verdict_at, self.deficient = subject_at, verdict_at, deficient
        self.subjects, self.named_anywhere = subjects, named_anywhere
        self.one_gene = one_gene  # the gene whose "hyper-IgM syndrome" the abstract's is

    def text_of(self, sent: Span) -> str:
        return self.full_text[sent.start_char:sent.end_char]


class _Found:
    """The claims of one abstract by key: a claim found again gains support, keeps the
    sentence its best rule found, and collects the names of every rule that proposed it."""
    def __init__(self, pmid: str, full_text: str):
        self.pmid, self.full_text = pmid, full_text
        self.claims: dict[str, Claim] = {}

    def add(self, type_: str, subject: str, obj: str, sent: Span, mentions: list[Span],
            negated: bool, hedged: bool, outcome: str | None, rule: str,
            subject_words: str, finding_words: str) -> None:
        score = claim_rules.PROPOSALS[rule].score
        key = claim_key(self.pmid, type_, subject, obj)
        claim = self.claims.get(key)
        # the sentence and the curator's words only where they are kept: a claim found again
        # keeps its best sentence's
        if claim is None:
            self.claims[key] = Claim(key, type_, subject, obj, negated, hedged, outcome,
                                     self.full_text[sent.start_char:sent.end_char].strip(),
                                     sent.start_char, sent.end_char,
                                     [(m.start_char, m.end_char) for m in mentions], score,
                                     rule=claim_rules.describe(rule, subject_words, finding_words),
                                     rules=[rule])
            return
        claim.support += 1
        if rule not in claim.rules:
            claim.rules.append(rule)
        claim.negated = claim.negated and negated
        claim.hedged = claim.hedged and hedged
        if outcome and outcome != "not_stated" and claim.outcome in (None, "not_stated"):
            claim.outcome = outcome
        elif outcome and claim.outcome not in (None, "not_stated", outcome) and outcome != "not_stated":
            claim.outcome = "mixed"
        if score > claim.score:
            claim.score = score
            claim.sentence = self.full_text[sent.start_char:sent.end_char].strip()
            claim.rule = claim_rules.describe(rule, subject_words, finding_words)
            claim.sent_start, claim.sent_end = sent.start_char, sent.end_char
            claim.evidence = [(m.start_char, m.end_char) for m in mentions]

    def finish(self) -> list[Claim]:
        claims = list(self.claims.values())
        for claim in claims:
            claim.score = round(min(0.99, claim.score + 0.03 * (claim.support - 1)), 3)
            if claim.type == "gene_therapy" and claim.outcome is None:
                claim.outcome = "not_stated"
            if claim.negated and claim.rule:
                claim.rule += "; negated in the sentence"
        return claims


_BETWEEN_GENE_AND_CUE = {"is", "are", "was", "were", "be", "also", "thus", "therefore"}


def _copula_between(doc: Doc, start: int, end: int) -> bool:
    """Only a copula and adverbs between a gene and its requirement ("AID is critically
    required for", "CD40L is thus essential for"); "not" is none of them."""
    return end - start <= 3 and all(t.lower_ in _BETWEEN_GENE_AND_CUE or (
        t.lower_.endswith("ly") and t.is_alpha) for t in doc[start:end])


class ClaimBuilder:
    def __init__(self, nlp: Language, exclusions: list[str] | None = None):
        self.nlp = nlp
        self.diseases: dict[str, list] = {}
        self.exclusions = exclusions if exclusions is not None else claim_rules.DEFAULT_EXCLUSIONS

    def initialize(self, get_examples=None, *, nlp: Language | None = None, vocabulary=None) -> None:
        from curate.nlp.vocab import load_diseases
        diseases = vocabulary.diseases if vocabulary is not None else load_diseases()
        self.diseases = {k: [d.key, d.gene, d.implies] for k, d in diseases.items()}
        self.shared = {k: list(d.shared_with) for k, d in diseases.items() if d.shared_with}

    def to_bytes(self, exclude=tuple()) -> bytes:
        import json
        return json.dumps({"diseases": self.diseases, "shared": self.shared}).encode("utf-8")

    def from_bytes(self, data: bytes, exclude=tuple()) -> "ClaimBuilder":
        import json
        saved = json.loads(data.decode("utf-8"))
        self.diseases, self.shared = saved["diseases"], saved.get("shared", {})
        return self

    def _shared_names(self, ents: list[Span], subject_at: dict, topical: set[str]) -> None:
        """A disease name two genes' patients share ("EDA-ID": IKBKG's X-linked form,
        NFKBIA's dominant one) is the other gene's where the abstract states that gene
        deficient and names it more than the entry's own ("a heterozygous NFKBIA mutation in
        a child with anhidrotic ectodermal dysplasia with immunodeficiency"); in place."""
        named = Counter(subject_at[e.start] for e in ents if e.label_ == "GENE")
        for ent in ents:
            others = self.shared.get(ent.kb_id_) if ent.label_ == "DISEASE" else None
            if not others or subject_at.get(ent.start) is None:
                continue
            own = subject_at[ent.start]
            better = [g for g in others if g in topical and named[g] > named[own]]
            if len(better) == 1:
                subject_at[ent.start] = better[0]

    def to_disk(self, path, exclude=tuple()) -> None:
        from pathlib import Path
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "claims.json").write_bytes(self.to_bytes())

    def from_disk(self, path, exclude=tuple()) -> "ClaimBuilder":
        from pathlib import Path
        return self.from_bytes((Path(path) / "claims.json").read_bytes())

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
            key, gene, _ = self.diseases[span.kb_id_]
            return gene or key
        return None

    def _document_subjects(self, doc: Doc, ents: list[Span], deficient: set[str],
                           subject_at: dict[int, str | None],
                           verdict_at: dict[int, bool | None]) -> list[str]:
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
            # "Hyper-IgM syndrome with normal CD40L expression": a gene the title says is
            # expressed is what the patients do not lack
            if first is not None and ent.start < first.end and subject not in title \
                    and verdict_at.get(ent.start) is not False:
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
        # under a general disease's title, a gene the patients were found not to carry ("no
        # mutation in CD40LG") is not their form, however often the background names it
        # ("most cases are caused by CD40L mutations")
        ruled_out = {e.kb_id_ for e in ents if e.label_ == "GENE" and getattr(e._, "negex", False)} \
            if geneless_title else set()
        if geneless_title and not title_genes and len(genes) == 1:
            only = next(iter(genes))
            if only in stated and only not in ruled_out and all(
                    only in self._genes_of(key) for key in geneless_title):
                return [only]
        specific_title = [s for s in title if s != "HIGM"]
        if specific_title:
            return specific_title
        specific = Counter({s: c for s, c in counts.items()
                            if s != "HIGM" and s in stated and s not in ruled_out})
        if specific:
            best = specific.most_common(1)[0][1]
            top = [s for s, c in specific.items() if c == best]
            # a general hyper-IgM article that names several genes is about HIGM, not about
            # whichever gene it names most
            general = counts.get("HIGM", 0) >= best and len(specific) >= 2
            # two genes named once each, with nothing in the title: no topic of the abstract
            # ("BCG complications in infants with PID ... CD40L deficiency ... NEMO deficiency")
            tie = len(top) == 2 and best == 1
            # a review or cohort that states three or more genes deficient and names none
            # more than twice ("caused by mutations in CD40L, CD40, AID, UNG or PMS2") is
            # about their group: the two it happens to name twice are no topic
            group = len(specific) >= 3 and best <= 2 and len(top) >= 2
            if len(top) <= 2 and (best >= 2 or not counts.get("HIGM")) and not general and not tie \
                    and not group:
                return top
        if counts.get("HIGM") or title:
            return ["HIGM"]
        return []

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)  # doc.ents walks every token: read it once
        self._mark_biomarker_genes(doc, ents)
        # Span.text and Doc.text rebuild the string token by token: slice one copy instead
        full_text = doc_text(doc)
        verdict_at, deficient, topical = self._gene_verdicts(doc, ents, full_text)
        # each entity's subject, once: it is read again per sentence and per rule
        subject_at = {ent.start: self._subject(ent) for ent in ents}
        if self.shared:
            self._shared_names(ents, subject_at, topical)
        if not any(subject_at.values()):
            doc._.claims = []  # no gene or disease the claims could be about (most of PubMed)
            return doc
        subjects = self._document_subjects(doc, ents, topical, subject_at, verdict_at)
        named_anywhere = set(subject_at.values())
        article = _Article(full_text, subject_at, verdict_at, deficient, subjects, named_anywhere,
                           self._the_one_gene(subjects, named_anywhere))
        found = _Found(doc.user_data.get("pmid", ""), full_text)
        for sent, sent_ents in _entities_by_sentence(doc, ents):
            self._sentence_claims(article, found, sent, sent_ents)
        claims = found.finish()
        for claim in claims:
            found_attributes = attributes_for(
                claim.sentence, full_text, tuple(doc.user_data.get("publication_types", ())))
            claim.species, claim.study = found_attributes.species, found_attributes.study
            claim.patients = found_attributes.patients
        # plain dicts, so docs stay serialisable for nlp.pipe(n_process=2)
        doc._.claims = [c.to_dict() for c in claims]
        return doc

    @staticmethod
    def _mark_biomarker_genes(doc: Doc, ents: list[Span]) -> None:
        """An abstract that mostly measures a protein as a biomarker ("soluble CD40L in
        coronary disease") makes no claim about that gene anywhere (docs/claims.md)."""
        flagged: Counter = Counter()
        plain: Counter = Counter()
        for ent in ents:
            if ent.label_ == "GENE":
                (flagged if ent._.biomarker else plain)[ent.kb_id_] += 1
        doc.user_data["biomarker_genes"] = sorted(g for g, n in flagged.items() if n >= plain.get(g, 0))

    @staticmethod
    def _gene_verdicts(doc: Doc, ents: list[Span], full_text: str):
        """The context test over the abstract, per gene mention: deficient here (True),
        expressed, given or measured (False), or not said (None). Genes never said deficient
        are no subject anywhere in it."""
        starts = sentence_starts(doc)
        verdicts: dict[str, set] = {}
        verdict_at: dict[int, bool | None] = {}
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
        return verdict_at, deficient, topical

    def _usable_subjects(self, article: "_Article", sent: Span, sent_text: str,
                         sent_ents: list[Span]) -> list[Span]:
        """The sentence's subject mentions that the context test lets make claims."""
        def usable(e) -> bool:
            if article.subject_at[e.start] is None:
                return False
            start, end = e.start_char - sent.start_char, e.end_char - sent.start_char
            if (context.misdiagnosed_as(sent_text, start) or context.comparator(sent_text, start)
                    or context.named_in_passing(sent_text, start, end)):
                return False
            if e.label_ != "GENE":
                return True
            if article.verdict_at[e.start] is False:
                return False  # expressed, given or measured here, not deficient
            if context.in_pathway_phrase(sent_text, start, end):
                return e.kb_id_ in article.deficient  # only the partner deficient in the study
            return True
        return [e for e in sent_ents if usable(e)]

    def _name_claims(self, article: "_Article", found: "_Found", sent: Span, sent_text: str,
                     subject_spans: list[Span], subjects: list[str], therapy_here: list[Span],
                     hedged: bool) -> None:
        """Claims a sentence makes by naming: a disease name that states a phenotype, and a
        gene named as a cause of hyper-IgM."""
        diseases = self.diseases
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
                    found.add("gene_phenotype", article.subject_at[span.start] or gene or key,
                              hpo_id, sent, [span], False, hedged, None, "disease_name_states",
                              span.text, span.text)
        higm_mentions = [e for e in subject_spans if e.label_ == "DISEASE"
                         and diseases[e.kb_id_][0] == "HIGM" and HYPER_IGM_TEXT.search(e.text)]
        # only genes the sentence states as a cause of the syndrome (mutations, defects,
        # deficiency, "caused by"), not genes merely named beside it
        form = None
        if not higm_mentions and CAUSE.search(sent_text) and HYPER_IGM_TEXT.search(
                article.full_text, 0, sent.start_char):
            # "Mutations in CD40LG cause the X-linked form, while mutations in CD40, AICDA
            # and UNG cause autosomal recessive forms": the forms are of the hyper-IgM
            # syndrome the abstract named before
            form = FORM_OF_DISEASE.search(sent_text)
        if form is not None:
            span = sent.doc.char_span(sent.start_char + form.start(), sent.start_char + form.end(),
                                      alignment_mode="expand")
            if span is not None:
                higm_mentions = [span]
        named: dict[str, str] = {}
        if higm_mentions and CAUSE.search(sent_text):
            for e in subject_spans:
                if e.label_ == "GENE" or diseases[e.kb_id_][1]:
                    named.setdefault(article.subject_at[e.start], e.text)
            for gene, words in named.items():
                found.add("gene_phenotype", gene, INCREASED_IGM, sent, higm_mentions, False,
                          hedged, None, "gene_causes_hyper_igm", words, higm_mentions[0].text)
        # "A girl with hyper-IgM syndrome presented with otitis ... a homozygous mutation in
        # the gene encoding AID": the one gene of the abstract underlies its patients'
        # hyper-IgM syndrome, which carries increased IgM (CLAIMS.md), whichever sentence
        # names the gene
        gene = article.one_gene
        # patients' hyper-IgM only: "the crystal structure of CD40L and its relevance to the
        # hyper-IgM syndrome" names no one who has it
        if gene is not None and gene not in named and not catalogue and PERSONS.search(sent_text):
            for span in higm_mentions:
                if not getattr(span._, "negex", False) and not (therapy_here and context.treated_disease(
                        sent_text, span.start_char - sent.start_char)):
                    found.add("gene_phenotype", gene, INCREASED_IGM, sent, [span], False, hedged,
                              None, "patients_hyper_igm", gene, span.text)
                    break

    def _the_one_gene(self, subjects: list[str], named_anywhere: set) -> str | None:
        """The gene an abstract is about when it names no other hyper-IgM gene: the one
        its "hyper-IgM syndrome" is the form of."""
        if len(subjects) != 1 or subjects[0] in GENELESS_KEYS:
            return None
        gene = subjects[0]
        return gene if self._genes_of("HIGM") & named_anywhere <= {gene} else None

    def _choose(self, article: "_Article", sent: Span, spans: list[Span]):
        """The subjects a sentence's findings go to, when it names any: (subjects, the rule
        that chose them, the words naming each subject)."""
        diseases = self.diseases
        subject_at = article.subject_at
        topic = spans[0] if spans else None
        words: dict[str, str] = {}
        for e in spans:
            words.setdefault(subject_at[e.start], e.text)
        named = list(words)
        # "Rituximab for cytopenias in APDS" in an article about APDS1: the general
        # disease named here is the abstract's one form of it
        # "A patient with hyper-IgM syndrome and Hodgkin lymphoma: PMS2 deficiency?": in an
        # abstract about one gene that names no other hyper-IgM gene, the patients'
        # hyper-IgM syndrome is that gene's, in the title or any later sentence ("a boy with
        # hyper-IgM syndrome presented with PJP ... his T cells failed to express CD40L")
        if len(article.subjects) == 1 and article.subjects[0] not in GENELESS_KEYS:
            gene = article.subjects[0]
            replaced = []
            for s in named:
                if s in GENELESS_KEYS and (
                        (s != "HIGM" and self._genes_of(s) & article.named_anywhere == {gene})
                        or (s == "HIGM" and article.one_gene == gene)):
                    words.setdefault(gene, words[s])
                    replaced.append(gene)
                else:
                    replaced.append(s)
            named = list(dict.fromkeys(replaced))
        genes = [s for s in named if s != "HIGM"]
        specific = [e for e in spans if e.label_ == "DISEASE" and diseases[e.kb_id_][1]]
        if len(specific) >= 2 and len(specific) == len(spans) and len(genes) >= 2:
            # "in 42% of XHIGM and 11% of XLA patients": each named disease's gene
            return genes, "sentence_names_disease", words
        if topic is not None and topic.label_ == "DISEASE" and (
                diseases[topic.kb_id_][1] or len(genes) != 1):
            # A sentence opening with a disease is about that disease: "APDS, a primary
            # immunodeficiency caused by PIK3CD or PIK3R1 variants". One named gene
            # instead makes the disease that gene's ("hyper-IgM due to CD40L defects").
            return [subject_at[topic.start]], "sentence_names_disease", words
        if genes:
            return genes, "sentence_names_gene", words
        if named:
            return named, "sentence_names_subject", words
        return None

    def _sentence_claims(self, article: "_Article", found: "_Found", sent: Span,
                         sent_ents: list[Span]) -> None:
        sent_text = article.text_of(sent)
        subject_at = article.subject_at
        subject_spans = self._usable_subjects(article, sent, sent_text, sent_ents)
        subjects = list(dict.fromkeys(subject_at[e.start] for e in subject_spans))
        hedged = bool(HEDGE.search(sent_text))
        therapy_here = [e for e in sent_ents if e.label_ == "THERAPY"]
        self._name_claims(article, found, sent, sent_text, subject_spans, subjects,
                          therapy_here, hedged)
        findings = [e for e in sent_ents if e.label_ in ("PHENOTYPE", "THERAPY")]
        if not findings:
            return
        chosen = self._choose(article, sent, subject_spans)
        if chosen:
            targets, rule, words = chosen
        elif not article.subjects:
            return  # no subject here and none for the abstract: nothing to give findings to
        elif context.another_gene_deficient(sent_text):
            return  # about another gene's deficiency ("DNA-PKcs-deficient mice ...")
        elif any(e.label_ == "GENE" and e.kb_id_ in article.subjects and context.drug_or_target(
                sent_text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                for e in sent_ents):
            # "ATM kinase inhibitors are tested in solid tumors": the sentence speaks of the
            # article's own gene as a drug or a drug target, not of its patients
            return
        elif WILD_TYPE.search(sent_text):
            return  # a sentence about the wild-type animals names no finding of the mutants
        elif (defined := context.defined_class(sent_text)) is not None and \
                not context.member_of_defined_class(defined, article.full_text):
            # "Ig-CSR deficiencies are rare primary immunodeficiencies characterized by ...":
            # a class's definition passes to the article's subject only when the abstract
            # calls its patients members ("a new form of CSR deficiency"; CLAIMS.md)
            return
        else:
            targets, rule, words = article.subjects, "article_subject", {}
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
                    clause_targets[(lo, hi)] = self._choose(article, sent, inside)
        if not targets or CONTROL.search(sent_text):
            return
        therapy_offsets = [(t.start_char - sent.start_char, t.end_char - sent.start_char)
                           for t in therapy_here]
        therapy_starts = [t.start_char - sent.start_char for t in therapy_here]
        therapy_ends = [t.end_char - sent.start_char for t in therapy_here]
        not_patients = context.not_the_patients(sent_text)
        ent_offsets = [(e.start_char - sent.start_char, e.end_char - sent.start_char)
                       for e in sent_ents]
        for finding in findings:
            if any(s.start <= finding.start < s.end for s in subject_spans):
                continue
            at = finding.start_char - sent.start_char
            if finding.label_ == "PHENOTYPE":
                facts = claim_rules.FindingContext(
                    sent_text, at, finding.end_char - sent.start_char, therapy_starts,
                    therapy_ends, ent_offsets, bool(therapy_here), bool(finding._.quantity),
                    not_patients,
                    lambda: any(self._peers(s, finding, sent_text, sent.start_char, ent_offsets)
                                for s in subject_spans if same_clause(s, at)),
                    finding.kb_id_)
                if claim_rules.first_exclusion(self.exclusions, facts):
                    continue  # not a finding of the subject's patients (claim_rules says why)
            if (finding.label_ == "THERAPY" and finding.kb_id_ != "hsct"
                    and context.part_of_transplant(sent_text)):
                continue  # "for GVHD prophylaxis, cyclosporine": the transplant's own drugs
            if finding.label_ == "THERAPY" and context.in_vitro(sent_text, at):
                continue  # "addition of recombinant CD40L in vitro": an experiment
            if finding.label_ == "THERAPY" and context.not_a_treatment(
                    sent_text, at, finding.end_char - sent.start_char, finding.kb_id_):
                continue  # "lead to immunosuppression", "transplanted mice": no treatment
            negated = ((bool(getattr(finding._, "negex", False)) and not finding._.quantity
                        and not context.not_cured(sent_text, at)
                        and not context.negation_of_a_cause(sent_text, at))
                       or bool(getattr(finding._, "stated_normal", False)))
            if negated and (context.subset_negated(sent_text, at) or context.denied_with_exception(
                    sent_text, finding.end_char - sent.start_char)):
                continue  # "two of them did not have ...", "... with the exception of one"
            finding_targets, finding_rule, finding_words = next(
                (found_in for (lo, hi), found_in in clause_targets.items() if lo <= at < hi),
                (targets, rule, words))
            if finding._.needs_named_gene:
                # "AID is required for CSR", "germinal centers depend on CD40 but not on
                # CD154": only the gene right beside the requirement loses the finding
                cue_start, cue_end = finding._.needs_named_gene
                beside = {subject_at[e.start]: e.text for e in subject_spans
                          if e.end in (cue_start - 1, cue_start) or e.start in (cue_end, cue_end + 1)
                          or (e.end < cue_start and _copula_between(sent.doc, e.end, cue_start))}
                if not beside:
                    continue
                finding_targets, finding_rule, finding_words = (
                    list(beside), "gene_required_for_finding", beside)
            type_ = "gene_phenotype" if finding.label_ == "PHENOTYPE" else "gene_therapy"
            outcome = None
            if type_ == "gene_therapy":
                outcome = outcome_of(sent_text, at, finding.end_char - sent.start_char,
                                     therapy_offsets)
            for subject in finding_targets:
                found.add(type_, subject, finding.kb_id_, sent, [finding], negated, hedged,
                          outcome, finding_rule, finding_words.get(subject, subject), finding.text)

    @staticmethod
    def _peers(subject: Span, finding: Span, sent_text: str, base: int,
               ent_offsets: list[tuple[int, int]]) -> bool:
        """The subject and the finding are items of one list ('diseases including hyper-IgM
        syndrome, multiple myeloma and Burkitt lymphoma'); offsets are within the sentence,
        which starts at `base`."""
        first, second = (subject, finding) if subject.start < finding.start else (finding, subject)
        return context.listed_beside(sent_text, first.end_char - base, second.start_char - base,
                                     second.end_char - base, ent_offsets)
