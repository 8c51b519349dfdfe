"""Build the spaCy pipeline: spacy.blank("en") with the project's tokenizer rules and
configured components, initialised from the lexicons (`nlp.initialize`).

It is built once per process. The entity component's phrase index is cached on disk by
the data fingerprint (curate/phrase_index.py): the first build after a lexicon or code
change takes about 10 s here, later processes load in about 1.3 s. `nlp.to_disk` /
`nlp.to_bytes` still round-trip the pipeline.
"""
from __future__ import annotations

import gc
import logging

import spacy
from negspacy.termsets import termset
from spacy.language import Language

import curate.nlp.claims  # noqa: F401  (registers "higm_claims")
import curate.nlp.entities  # noqa: F401  (registers "higm_entities")
import curate.nlp.negation  # noqa: F401  (registers "higm_negex", negspacy's NegEx indexed by clause)
import curate.nlp.sentences  # noqa: F401  (registers "higm_sentences")
from curate.nlp.tokenizer import customise
from curate.nlp.vocab import data_fingerprint

log = logging.getLogger("higm.extract")
PIPELINE_VERSION = "1"
NEGEX_SPANS = curate.nlp.entities.NEGEX_SPANS

# Trailing and extra negations NegEx's clinical set lacks (docs/benchmarks.md: "Neutropenia was absent").
EXTRA_NEGATIONS = {
    "following_negations": ["was absent", "were absent", "is absent", "are absent",
                            "was not observed", "were not observed", "was not found",
                            "were not found", "was not detected", "were not detected",
                            "did not occur", "was not seen", "were not seen", "was excluded",
                            "were excluded", "was ruled out", "were ruled out"],
    "preceding_negations": ["none of the", "none of", "none had", "none of the patients had", "none developed",
                            "did not develop", "do not develop", "does not develop",
                            "did not have", "do not have", "without any", "free of",
                            "no evidence of", "no patient had", "no patients had",
                            "lack of", "absence of", "excluded", "ruled out"],
    "termination": ["but", "whereas", "while", "although", "however", "except"],
    # a subgroup defined by the absence of a finding ("72% of those without liver disease")
    # is no negation, and must not negate the findings after it in the sentence
    "pseudo_negations": ["those without", "patients without", "children without",
                         "subjects without", "individuals without", "cases without",
                         "ones without", "those who did not have", "patients who did not have"],
}


def build(unordered: bool = False) -> Language:
    """A fresh pipeline from the vocabularies (about 1.3 s with the phrase index cached,
    about 10 s to build it after a lexicon or code change). `unordered` also finds HPO
    names with their words in another order: better HPO recognition on clinical-genetics
    text, worse claim precision on HIGM abstracts, so `load` (the claim pipeline) omits it."""
    nlp = spacy.blank("en")
    customise(nlp)
    nlp.add_pipe("higm_sentences")
    nlp.add_pipe("higm_entities", config={"unordered": unordered})
    terms = termset("en_clinical")
    terms.add_patterns(EXTRA_NEGATIONS)
    # "lack of" / "absence of" also act as quantity cues ("absence of IgA"): those spans skip NegEx.
    # NegEx reads the entities from a span group: its default, Span.ents per clause,
    # rebuilds doc.ents token by token for every clause and cost more than all else
    nlp.add_pipe("higm_negex", config={"neg_termset": terms.get_patterns(),
                                  "ent_types": ["PHENOTYPE", "THERAPY", "GENE"], "chunk_prefix": [],
                                  "span_keys": [NEGEX_SPANS]})
    nlp.add_pipe("higm_claims")
    logging.getLogger("spacy").setLevel(logging.WARNING)  # "Finished initializing" is noise here
    nlp.initialize()  # each component loads its lexicons in its own initialize
    nlp.meta["name"] = "higm_extractor"
    nlp.meta["version"] = f"{PIPELINE_VERSION}.0.0"
    nlp.meta["higm_fingerprint"] = data_fingerprint()
    nlp.meta["releases"] = dict(nlp.get_pipe("higm_entities").data["releases"])
    return nlp


def extractor_version() -> str:
    """Rules, lexicons and the claim model in use: a change to any re-extracts."""
    from curate.nlp import claim_model
    model = claim_model.load()
    suffix = f"+{claim_model.version_of(model)}" if model is not None else ""
    return f"higm-extract-{PIPELINE_VERSION}+{data_fingerprint()}{suffix}"


_LOADED: dict[str, Language] = {}


def load(rebuild: bool = False) -> Language:
    """The pipeline, built once per process (a second call reuses it)."""
    fingerprint = data_fingerprint()
    if fingerprint not in _LOADED or rebuild:
        _LOADED.clear()
        _LOADED[fingerprint] = build()
        # The phrase index holds about 600,000 small Python containers that live as long as
        # the process; left to the cyclic garbage collector, every full collection walks
        # them all (extraction ran 10-25 % slower). Frozen, the collector skips them.
        gc.collect()
        gc.freeze()
    return _LOADED[fingerprint]


def text_of(title: str | None, abstract: str | None) -> str:
    """The text the pipeline reads for an article; mention offsets point into it."""
    return f"{title or ''}\n{abstract or ''}".strip("\n") if abstract else (title or "")
