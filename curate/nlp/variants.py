"""Written variants of HPO names: plurals, British spellings, and the everyday forms of
HPO's "Abnormality of the X" / "Abnormal X morphology" names, and the unqualified
"X infections" of its "Recurrent X infections" classes.

HPO lists one form of each name ("Retinal hamartoma", "Abnormality of the ear") while
abstracts say "retinal hamartomas", "ear anomalies". The rules are general morphology,
not a list of phrases; spelling pairs are data, in lexicons/spelling_variants.tsv.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

SPELLING_FILE = Path(str(files("curate") / "lexicons" / "spelling_variants.tsv"))
ADJECTIVES_FILE = Path(str(files("curate") / "lexicons" / "anatomy_adjectives.tsv"))
_WORD_END = re.compile(r"([A-Za-z]+)$")
_ABNORMALITY_OF = re.compile(r"^abnormality of (?:the )?(.+)$", re.I)
_NEOPLASM_HEADS = ("tumor", "tumour", "cancer", "neoplasm", "malignancy")
_NEOPLASM_OF = re.compile(r"^neoplasm of (?:the )?(.+)$", re.I)
_ABNORMAL_MORPHOLOGY = re.compile(r"^abnormal (.+) morphology$", re.I)
# HPO names its infection classes "Recurrent X infections"; abstracts say "X infections"
_RECURRENT_INFECTIONS = re.compile(r"^(?:recurrent|frequent|repeated) ((?:\S+ )+infections?)$", re.I)
_TRACT_INFECTION = re.compile(r"\b(gastrointestinal|respiratory|urinary|genitourinary|genital|"
                              r"biliary|digestive) (tract )?(?=infections?$)", re.I)
_X_OF_Y = re.compile(r"^([a-z-]+(?: [a-z-]+)?) of (?:the )?([a-z-]+(?: [a-z-]+){0,2})$", re.I)
# HPO's leading adjectives and the words abstracts use for them
_LEADS = {"increased": ("elevated", "raised", "high"),
          # "poor inflammatory responses", "impaired inflammatory response"
          "decreased": ("reduced", "low", "poor", "impaired", "diminished"),
          "reduced": ("decreased", "low"), "numerous": ("multiple",), "multiple": ("numerous",)}
# "Dysplastic patella" is also "patellar dysplasia"; "Hypoplastic tonsils", "tonsil hypoplasia"
_STATE_NOUNS = {"dysplastic": "dysplasia", "hypoplastic": "hypoplasia", "aplastic": "aplasia",
                "hypertrophic": "hypertrophy", "atrophic": "atrophy", "sclerotic": "sclerosis",
                "enlarged": "enlargement", "stenotic": "stenosis", "fused": "fusion"}
# prefixes abstracts also write with a hyphen ("pre-auricular", "peri-orbital")
_PREFIXED = re.compile(r"\b(pre|post|peri|para|intra|inter|supra|infra|hyper|hypo|micro|macro|"
                       r"poly|multi|non|sub|anti)(?!-)(?!bod|gen)([a-z]{4,})", re.I)
_STATE_ADJECTIVES = {noun: adjective for adjective, noun in _STATE_NOUNS.items()}
# regular Latin-English relational adjectives of body parts: patella -> patellar,
# clavicle -> clavicular, mandible -> mandibular, tibia -> tibial, vertebra -> vertebral
_RELATIONAL = ((r"cle$", "cular"), (r"ble$", "bular"), (r"la$", "lar"), (r"ia$", "ial"),
               (r"ra$", "ral"), (r"na$", "nal"), (r"x$", "geal"))
# HPO's leading state adjectives, which abstracts also put after the noun with a copula
# ("the CD4/CD8 ratio was inverted", "NK cells were absent"), and the words used for them
_STATES = {"increased": ("increased", "elevated", "raised", "high"),
           "elevated": ("elevated", "increased", "raised", "high"),
           "decreased": ("decreased", "reduced", "low"), "reduced": ("reduced", "decreased", "low"),
           "low": ("low", "reduced", "decreased"), "high": ("high", "elevated", "increased"),
           "absent": ("absent", "undetectable", "missing", "lacking"),
           "enlarged": ("enlarged",), "hypoplastic": ("hypoplastic",), "inverted": ("inverted",),
           "impaired": ("impaired", "defective"), "defective": ("defective", "impaired"),
           "delayed": ("delayed",), "prolonged": ("prolonged",), "thickened": ("thickened",),
           "dilated": ("dilated",), "diminished": ("diminished",)}
COPULAS = ("is", "are", "was", "were")
# the verbs a finding's adjective follows ("were neutropenic", "remained neutropenic")
ADJECTIVE_COPULAS = COPULAS + ("became", "become", "remained")
_NO_SITE = {"cell", "cells"}
DEFECT_WORDS = ("abnormality", "abnormalities", "anomaly", "anomalies", "malformation",
                 "malformations", "defect", "defects",
                 # clinical wordings of organ involvement ("neurological manifestations")
                 "manifestations", "involvement", "disorders", "complications", "signs", "disease",
                 "diseases")


@lru_cache(maxsize=1)
def spelling_pairs() -> list[tuple[str, str]]:
    pairs = []
    for line in SPELLING_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "american\t")):
            american, british = line.split("\t")[:2]
            pairs.append((american.strip(), british.strip()))
    return pairs


@lru_cache(maxsize=1)
def anatomy_adjectives() -> dict[str, list[str]]:
    table = {}
    for line in ADJECTIVES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "noun\t")):
            noun, adjectives = line.split("\t")[:2]
            table[noun.strip().lower()] = [a.strip() for a in adjectives.split(",") if a.strip()]
    return table


def relational(noun: str) -> str | None:
    """The relational adjective of a body-part noun by the regular Latin endings, if any."""
    for ending, replacement in _RELATIONAL:
        if re.search(ending, noun.lower()) and len(noun) > 4:
            return re.sub(ending, replacement, noun.lower())
    return None


def state_nouns(name: str) -> list[str]:
    """'patellar dysplasia' and 'patella dysplasia' for 'Dysplastic patella' (the state as a
    noun after a one- or two-word body part), and 'hypoplastic thumb' for 'Thumb hypoplasia'."""
    words = name.split()
    if len(words) == 2 and words[1].lower() in _STATE_ADJECTIVES:
        # "Thumb hypoplasia" -> "hypoplastic thumb"; "Renal hypoplasia" -> "hypoplastic kidney"
        state = _STATE_ADJECTIVES[words[1].lower()]
        nouns = [n for n, adjectives in anatomy_adjectives().items()
                 if words[0].lower() in adjectives and " " not in n]
        if nouns:
            return [f"{state} {noun}" for noun in nouns]
        return [f"{state} {words[0]}"] if not words[0].lower().endswith(("al", "ar", "ic")) else []
    first, _, rest = name.partition(" ")
    noun = _STATE_NOUNS.get(first.lower())
    if not noun or not rest or len(rest.split()) > 2:
        return []
    forms = [f"{rest} {noun}"]
    words = rest.split()
    adjective = relational(words[-1])
    if adjective:
        forms.append(" ".join(words[:-1] + [adjective, noun]))
    return forms


def plural(word: str) -> str | None:
    """The plural of a noun, by regular English and Latin/Greek medical endings."""
    lower = word.lower()
    if len(lower) == 3 and lower.isalpha() and lower[-1] not in "sxy":
        return word + "s"               # pit -> pits, toe -> toes
    if len(lower) < 4 or not lower.isalpha():
        return None
    if lower.endswith(("ula", "bra")):
        return word + "e"               # fistula -> fistulae, vertebra -> vertebrae
    if lower.endswith("us"):
        return word[:-2] + "i"          # nevus -> nevi
    if lower.endswith("is"):
        return word[:-2] + "es"         # exostosis -> exostoses
    if lower.endswith("oma"):
        return word + "s"               # hamartoma -> hamartomas
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("ss", "x", "ch", "sh")) and len(lower) > 5:
        return word + "es"              # abscess -> abscesses, reflex -> reflexes
    if lower.endswith(("s", "x", "ch", "sh")):
        return None                     # already plural
    return word + "s"


def singular(word: str) -> str | None:
    lower = word.lower()
    if len(lower) < 4 or not lower.isalpha() or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return None
    if lower.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


_CELLS = re.compile(r"\b(cells?|lymphocytes?|neutrophils?|monocytes?|macrophages?|platelets?)$", re.I)


def variants(name: str) -> list[str]:
    """Other written forms of an HPO name or synonym (the name itself not included)."""
    forms = {name}
    match = _ABNORMALITY_OF.match(name) or _ABNORMAL_MORPHOLOGY.match(name)
    # "Abnormal cell morphology": "cell defects" is the tail of "B-cell defects", no site
    if match and len(match.group(1).split()) <= 3 and match.group(1).lower() not in _NO_SITE:
        part = match.group(1)
        forms.add(f"abnormal {part}")
        if _ABNORMALITY_OF.match(name) and part.lower() not in anatomy_adjectives() \
                and not _CELLS.search(part):
            # a process's abnormality, not an organ's or a cell's: "defective DNA repair", "DNA
            # repair was impaired"; "impaired T cells" would read the start of "impaired T cell
            # help" or "impaired B cell differentiation" as the cells' morphology
            forms.update([f"defective {part}", f"impaired {part}"])
        for qualifier in [part] + anatomy_adjectives().get(part.lower(), []):
            forms.update(f"{qualifier} {word}" for word in DEFECT_WORDS)
        if _ABNORMAL_MORPHOLOGY.match(name):
            # "abnormal clavicular shape", "abnormally shaped clavicle"
            forms.update([f"abnormal {part} shape", f"abnormally shaped {part}"])
            words = part.split()
            adjective = relational(words[-1]) if len(words) == 1 else None
            if adjective:
                forms.add(f"abnormal {adjective} shape")
    neoplasm = _NEOPLASM_OF.match(name)
    if neoplasm and len(neoplasm.group(1).split()) <= 3:
        # "tumors of the pancreas", "gastrointestinal cancers" for HPO's "Neoplasm of the X"
        part = neoplasm.group(1)
        adjectives = anatomy_adjectives().get(part.lower(), [])
        for head in _NEOPLASM_HEADS:
            forms.update([f"{head} of the {part}", f"{part} {head}"])
            forms.update(f"{adjective} {head}" for adjective in adjectives)
    elif name.lower().endswith(" neoplasm") and len(name.split()) <= 3:
        # "hematological malignancies" for HPO's "Hematological neoplasm"
        forms.update(f"{name[:-len(' neoplasm')]} {head}" for head in _NEOPLASM_HEADS)
    # "calcification of the falx cerebri" for HPO's "Calcification of falx cerebri", and back
    if " of the " in name.lower():
        forms.add(re.sub(" of the ", " of ", name, count=1, flags=re.I))
    elif " of " in name.lower() and not re.search(r" of (a|an|[A-Z0-9])", name):
        forms.add(re.sub(" of ", " of the ", name, count=1, flags=re.I))
    recurrent = _RECURRENT_INFECTIONS.match(name)
    if recurrent:
        forms.add(recurrent.group(1))                             # "viral infections"
    for form in list(forms):
        # "gastrointestinal tract infections" for "gastrointestinal infections", and back
        tract = _TRACT_INFECTION.search(form)
        if tract:
            forms.add(form[:tract.end(1)] + (" " if tract.group(2) else " tract ")
                      + form[tract.end():])
    inverted = _X_OF_Y.match(name)
    if inverted and not _ABNORMALITY_OF.match(name):
        forms.add(f"{inverted.group(2)} {inverted.group(1)}")   # "skin hypopigmentation"
    words = name.split()
    if len(words) == 2 and not _ABNORMALITY_OF.match(name):
        # "fibrosis of the liver" for "Hepatic fibrosis": an organ adjective as "of the" noun
        for noun in _ORGAN_NOUNS.get(words[0].lower(), ()):
            forms.update([f"{words[1]} of the {noun}", f"{words[1]} of {noun}"])
    first, _, rest = name.partition(" ")
    for lead in _LEADS.get(first.lower(), ()) if rest else ():
        forms.add(f"{lead} {rest}")                               # "elevated serum IgE"
    for form in list(forms):
        # "cafe au lait macules" for "cafe-au-lait macules", "pre-auricular" for "preauricular"
        if "-" in form:
            forms.add(form.replace("-", " "))
        hyphened = _PREFIXED.sub(r"\1-\2", form)
        if hyphened != form:
            forms.add(hyphened)
    for form in list(forms):
        # the head noun: the last word, or the word before "of" ("Calcifications of ...")
        head, of, tail = form.partition(" of ")
        last = _WORD_END.search(head)
        if last:
            for other in (plural(last.group(1)), singular(last.group(1))):
                if other:
                    forms.add(head[: last.start()] + other + of + tail)
    for form in list(forms):
        lower = form.lower()
        for american, british in spelling_pairs():
            if american in lower:
                forms.add(lower.replace(american, british))
    forms.update(p for form in list(forms) for p in state_nouns(form))
    forms.update(p for form in list(forms) for p in postposed(form))
    forms.discard(name)
    return sorted(forms)


_PERSONS = ("patients", "patient", "children", "child", "boys", "boy", "girls", "girl",
            "infants", "infant", "mice", "adults", "subjects")
_ADJECTIVE_ENDINGS = (("ility", "ile"), ("ivity", "ive"), ("osis", "otic"), ("penia", "penic"),
                      ("emia", "emic"), ("aemia", "aemic"), ("oxia", "oxic"), ("axia", "axic"),
                      ("retardation", "retarded"))


def finding_adjective(name: str) -> list[str]:
    """'neutropenic patients', 'mice were infertile', 'growth retarded' for HPO's
    'Neutropenia', 'Infertility', 'Growth retardation': the finding as an adjective of the
    persons who have it, or after a copula (one- or two-word names, regular endings)."""
    words = name.lower().split()
    if not 1 <= len(words) <= 2 or not words[-1].isalpha():
        return []
    last = words[-1]
    adjective = next((last[:-len(end)] + repl for end, repl in _ADJECTIVE_ENDINGS
                      if last.endswith(end) and (len(last) - len(end) >= 2 or end == last)), None)
    if adjective is None:
        return []
    phrase = " ".join(words[:-1] + [adjective])
    return ([f"{phrase} {person}" for person in _PERSONS]
            + [f"{copula} {phrase}" for copula in ADJECTIVE_COPULAS])


def carcinoma_as_cancer(name: str) -> list[str]:
    """'endometrial cancer' for HPO's 'Endometrial carcinoma': a looser form, added after
    every other, so 'gastrointestinal cancer' stays HPO's neoplasm of that site."""
    if not name.lower().endswith(" carcinoma") or len(name.split()) > 3:
        return []
    base = name[:-len(" carcinoma")]
    return [f"{base} cancer", f"{base} cancers"]


def postposed(name: str) -> list[str]:
    """'CD4/CD8 ratio was inverted' for HPO's 'Inverted CD4/CD8 ratio': the state after the
    noun phrase with a copula (the phrase has at most four words and no 'of')."""
    first, _, rest = name.partition(" ")
    states = _STATES.get(first.lower())
    if not states or not rest or len(rest.split()) > 4 or " of " in f" {rest} ":
        return []
    return [f"{rest} {copula} {state}" for state in states for copula in COPULAS]


def attributive(name: str) -> list[str]:
    """'chronic pulmonary disease' for HPO's 'Chronic lung disease', and 'liver fibrosis'
    for 'Hepatic fibrosis': an organ noun used before another word and its adjective
    (lexicons/anatomy_adjectives.tsv, one-word pairs) stand for each other."""
    words = name.split()
    out = []
    for i, word in enumerate(words[:-1]):
        lower = word.lower()
        for other in _ORGAN_WORDS.get(lower, ()):
            out.append(" ".join(words[:i] + [other] + words[i + 1:]))
    return out


def _organ_words() -> dict[str, tuple[str, ...]]:
    pairs: dict[str, set[str]] = {}
    for noun, adjectives in anatomy_adjectives().items():
        if " " in noun:
            continue
        for adjective in adjectives:
            if adjective != noun and " " not in adjective:
                pairs.setdefault(noun, set()).add(adjective)
                pairs.setdefault(adjective, set()).add(noun)
    return {word: tuple(sorted(others)) for word, others in pairs.items()}


_ORGAN_WORDS = _organ_words()


_ORGAN_NOUNS = {adjective: tuple(sorted(n for n, adjs in anatomy_adjectives().items()
                                        if adjective in adjs and " " not in n))
                for adjectives in anatomy_adjectives().values() for adjective in adjectives}
