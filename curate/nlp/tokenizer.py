"""Tokenizer rules for biomedical abstracts, applied to a blank English tokenizer.

Kept: HGVS variants (c.123A>G, p.Arg123*) as one token. Split: isotype lists (IgM/IgG),
hyphenated modifiers (CD40L-deficient), so lexicon terms match inside them. Dropped: the
English special cases (see customise).
"""
from __future__ import annotations

import re

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

# HGVS-style variant names and similar codes stay whole.
_TOKEN_MATCH = re.compile(r"^(?:[cgmnrp]\.[A-Za-z0-9_*>+\-?]+[A-Za-z0-9*>?]|IVS\d+[+-]\d+[A-Z]>[A-Z])$")


def customise(nlp: Language) -> None:
    """Add the project's infix and token-match rules to nlp.tokenizer (they serialise with it)."""
    infixes = list(nlp.Defaults.infixes) + [
        r"(?<=[A-Za-z0-9])/(?=[A-Za-z0-9])",      # IgM/IgG, TMP/SMX
        r"(?<=[0-9A-Za-z])-(?=[a-z]{3,})",        # CD40L-deficient, AID-deficient
        r"(?<=[a-z])-(?=[A-Z])",                  # hyper-IgM
        r"(?<=[A-Za-z]),(?=[A-Za-z])",            # IgG,IgA
        r"(?<=\))(?=[A-Za-z])",
        # words PubMed glued where an italic name began ("a severeAspergillus infection",
        # "a defective btk orCD40-L gene"): a lower-case word, then a capitalised one; "IgM",
        # "mRNA", "JavaScript" and text run together without spaces stay whole
        "(?:" + "|".join(f"(?<=^[a-z]{{{n}}})" for n in range(4, 15)) + ")(?=[A-Z][a-z]{3})",
        r"(?<=^(?:or|of|in))(?=[A-Z]{2})", r"(?<=^(?:and))(?=[A-Z]{2})",
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # A sentence-final period after an upper-case letter or digit ("IgG.", "CD40L.") is
    # punctuation; the default rules keep it for abbreviations like "U.S.". Single-letter
    # initials ("K.") stay whole.
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[A-Za-z0-9]{2})\.",
                                               # genotypes: "Aicda-/-", "Ung(-/-)", "Msh2+/-"
                                               r"(?<=[A-Za-z0-9])\(?[-−–+]/[-−–+]\)?"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.token_match = _TOKEN_MATCH.match
    # English's 1,300 special cases (contractions, "e.g.", emoticons) are dropped but one:
    # spaCy 3.8 stops caching every later chunk of a text once one special case matched in
    # it (explosion/spaCy#13950), which made the tokenizer 25 times slower on abstracts.
    # Without them only "e.g."/"i.e." split off their last period (the sentence splitter
    # knows them) and "and/or" splits at the slash, as IgM/IgG does.
    nlp.tokenizer.rules = {"cannot": [{ORTH: "can"}, {ORTH: "not"}]}
