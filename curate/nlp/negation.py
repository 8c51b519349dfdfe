"""NegEx from negspacy, with the entities of each clause found by position.

negspacy's `Negex.negex` walks every span of the span group for every clause boundary, so a
100,000-character abstract (about 4,000 clauses, 900 entities) took 19 s in it. This
subclass keeps its termsets, matching and negation rule (`_apply_negation`) and only looks
the spans and negation cues of a clause up by bisection: the same result, in linear time.
"""
from __future__ import annotations

from bisect import bisect_left

from negspacy.negation import Negex
from negspacy.termsets import termset
from spacy.language import Language
from spacy.tokens import Doc


class ClauseIndexedNegex(Negex):
    def negex(self, doc: Doc) -> Doc:
        preceding, following, terminating = self.process_negations(doc)
        boundaries = self.termination_boundaries(doc, terminating)
        spans = sorted((span for key in self.span_keys for span in doc.spans.get(key, [])),
                       key=lambda span: span.start)
        span_starts = [span.start for span in spans]
        preceding = sorted(preceding, key=lambda match: match[1])
        following = sorted(following, key=lambda match: match[1])
        preceding_at = [match[1] for match in preceding]
        following_at = [match[1] for match in following]
        for start, end in boundaries:
            sub_preceding = preceding[bisect_left(preceding_at, start):bisect_left(preceding_at, end)]
            sub_following = following[bisect_left(following_at, start):bisect_left(following_at, end)]
            for span in spans[bisect_left(span_starts, start):bisect_left(span_starts, end)]:
                if span.end <= end:
                    self._apply_negation(span, sub_preceding, sub_following)
        return doc


@Language.factory(
    "higm_negex",
    default_config={"neg_termset": termset("en_clinical").get_patterns(), "ent_types": None,
                    "extension_name": "negex", "chunk_prefix": None, "span_keys": None},
    assigns=["span._.negex"],
    requires=["doc.spans"],
)
def make_negex(nlp: Language, name: str, neg_termset: dict, ent_types: list | None,
               extension_name: str, chunk_prefix: list | None,
               span_keys: list | None) -> ClauseIndexedNegex:
    if not span_keys:
        raise ValueError("higm_negex reads the entities from span groups: give span_keys")
    return ClauseIndexedNegex(nlp, name, neg_termset, ent_types, extension_name, chunk_prefix,
                              span_keys)
