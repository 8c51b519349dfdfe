"""Phenotypes composed from the words around a matched phrase, by generated rules rather
than phrase lists: coordinated modifiers sharing a head ('otic and renal anomalies'), a
finding with a list of sites ('infections involved the upper respiratory tract, skin ...'),
a shared 'X of the' head over a list of organs ('tumors of the pancreas, liver ...'), and
susceptibility phrasing. Each looks its composed phrase up among the phenotype names."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from curate.nlp.sentences import sentence_bounds, sentence_starts
from curate.nlp.variants import ADJECTIVE_COPULAS, DEFECT_WORDS

SITE_LINKS = {"involved", "involving", "of", "in", "affecting", "affected", "at"}
RECURRENT = {"recurrent", "frequent", "repeated", "chronic", "recurring"}
_MOSTLY = {"mainly", "mostly", "predominantly", "particularly", "especially", "chiefly",
           "primarily", "largely", "usually", "often", "frequently"}
# head nouns a phrase may use for the same HPO head ('tumors of the liver' is 'Neoplasm of
# the liver'); the generated lookups try each
HEAD_SYNONYMS = {w: ("neoplasm",) for w in ("tumor", "tumors", "tumour", "tumours", "cancer",
                                            "cancers", "malignancy", "malignancies", "neoplasms")}
HEAD_SYNONYMS.update({w: ("abnormality",) for w in ("abnormalities", "anomalies", "anomaly",
                                                     "malformations", "malformation")})



def coordinated(doc: Doc, candidates: list[Span], lowers: list[str],
                phenotype_ids: dict[str, str]) -> list[Span]:
    """'branchial, otic and renal anomalies': the head of the matched 'renal anomalies'
    is shared by the modifiers before it, each of which makes a phrase of its own."""
    phenotypes = [c for c in candidates if c.label_ == "PHENOTYPE" and len(c) >= 2]
    if not phenotypes:
        return []
    starts = sentence_starts(doc)
    extra = []
    for span in phenotypes:
        head = " ".join(lowers[span.start + 1:span.end])
        sent_start = sentence_bounds(doc, starts, span.start).start
        for i in _listed_before(lowers, span.start, sent_start, joined=False):
            hpo_id = phenotype_ids.get(f"{lowers[i]} {head}")
            if hpo_id is None:
                break
            extra.append(Span(doc, i, i + 1, label="PHENOTYPE", kb_id=hpo_id))
    return extra


def _listed_before(lowers: list[str], end: int, stop: int, joined: bool):
    """The one-word items of a list that ends before `end` ('branchial, otic and'), nearest
    first, back to `stop`; `joined`: whether the word at `end - 1` is already an item."""
    j = end - 1
    while j >= stop:
        if lowers[j] in (",", "and", "or", "/"):  # "sinopulmonary and/or gastrointestinal"
            joined, j = True, j - 1
            continue
        if not joined:
            return
        yield j
        joined, j = False, j - 1


_DEFECT_HEADS = frozenset(DEFECT_WORDS)
_HEADS_AND_JOINS = _DEFECT_HEADS | {"and", "or"}


def coordinated_before_head(doc: Doc, candidates: list[Span], lowers: list[str],
                            phenotype_ids: dict[str, str]) -> list[Span]:
    """'ophthalmic, orofacial, articular, and auditory manifestations', 'oral and perianal
    ulcers': a list of one-word modifiers before a head (a defect word, or any word right
    after the list's last item) whose last item makes no name of its own; each earlier item
    that makes a name with the head is one."""
    # one membership test per token (this runs on every abstract), then the heads from it
    marks = [i for i, word in enumerate(lowers) if word in _HEADS_AND_JOINS]
    heads = sorted({i for i in marks if i >= 3 and lowers[i] in _DEFECT_HEADS}
                   | {i + 2 for i in marks if i >= 1 and lowers[i] in ("and", "or")
                      and i + 2 < len(lowers) and lowers[i + 2].isalpha()})
    if not heads:
        return []
    covered = {i for c in candidates for i in range(c.start, c.end)}
    starts = sentence_starts(doc)
    extra = []
    for i in heads:
        head = lowers[i]
        if i in covered:
            continue
        sent_start = sentence_bounds(doc, starts, i).start
        for j in _listed_before(lowers, i, sent_start, joined=True):
            if not lowers[j].isalpha():
                break
            hpo_id = phenotype_ids.get(f"{lowers[j]} {head}")
            if hpo_id and j < i - 1:  # the item next to the head names nothing by itself
                extra.append(Span(doc, j, j + 1, label="PHENOTYPE", kb_id=hpo_id))
    return extra


# not "severe": "severe bacterial infections" says more as bacterial infections than as severe ones
_QUALIFIERS = RECURRENT | {"persistent", "intermittent", "progressive"}
_NOT_A_MODIFIER = {"and", "or", "of", "with", "in", "to", "the", "a", "an", "no", "not", "but"}


def qualifier_over_a_word(doc: Doc, candidates: list[Span], lowers: list[str],
                          phenotype_ids: dict[str, str]) -> list[Span]:
    """'chronic watery diarrhea', 'recurrent bacterial pneumonia': a qualifier that makes a
    name with the finding after the next word ('chronic diarrhea', 'recurrent pneumonia')
    names that more specific finding; the word between only qualifies it further."""
    extra = []
    # a word between that belongs to a finding of its own stays there: "recurrent skin
    # abscesses" keeps Cutaneous abscess
    taken = {i for c in candidates if c.label_ == "PHENOTYPE" for i in range(c.start, c.end)}
    for span in candidates:
        start = span.start
        if span.label_ != "PHENOTYPE" or start < 2 or start - 1 in taken:
            continue
        qualifier, between = lowers[start - 2], lowers[start - 1]
        if qualifier not in _QUALIFIERS or not between.isalpha() or between in _NOT_A_MODIFIER:
            continue
        hpo_id = phenotype_ids.get(f"{qualifier} {' '.join(lowers[start:span.end])}")
        if hpo_id is not None and hpo_id != span.kb_id_:
            extra.append(Span(doc, start - 2, span.end, label="PHENOTYPE", kb_id=hpo_id))
    return extra


def shared_modifier(doc: Doc, candidates: list[Span], lowers: list[str],
                    phenotype_ids: dict[str, str]) -> list[Span]:
    """'enlarged tonsils and lymph nodes', 'recurrent otitis and sinusitis': the first word
    of the matched 'enlarged tonsils' is shared by the nouns coordinated after it, each
    looked up as '<modifier> <noun>' among the phenotype names."""
    starts = sentence_starts(doc)
    extra = []
    for span in candidates:
        if span.label_ != "PHENOTYPE" or len(span) < 2:
            continue
        modifier = lowers[span.start]
        sent_end = sentence_bounds(doc, starts, span.start).end
        i = span.end
        while i < sent_end and lowers[i] in (",", "and", "or"):
            j = i
            while j < sent_end and lowers[j] in (",", "and", "or"):
                j += 1
            # the longest noun phrase of one to three words that makes a name with the modifier
            match = next(((k, phenotype_ids[f"{modifier} {' '.join(lowers[j:k])}"])
                          for k in range(min(j + 3, sent_end), j, -1)
                          if f"{modifier} {' '.join(lowers[j:k])}" in phenotype_ids), None)
            if match is None or (match[0] < sent_end and lowers[match[0]] == "of"):
                break  # "renal hypoplasia or malformations of the kidney": its own complement
            end, hpo_id = match
            extra.append(Span(doc, j, end, label="PHENOTYPE", kb_id=hpo_id))
            i = end
    return extra


def site_infections(doc: Doc, lowers: list[str], phenotype_ids: dict[str, str]) -> list[Span]:
    """'infections involved the upper respiratory tract (75%), skin (28%) and central
    nervous system': a finding composed with each site of a list, looked up as
    '<site> infections' (or its recurrent form) among the phenotype names."""
    starts = sentence_starts(doc)
    found: list[Span] = []
    for i, word in enumerate(lowers):
        if word not in ("infections", "infection") or i + 2 >= len(lowers):
            continue
        j = i + 1
        # "infections, mainly of the respiratory tract", "infections were mostly in the lungs"
        if lowers[j] in (",", "were", "was") and j + 2 < len(lowers) and lowers[j + 1] in _MOSTLY:
            j += 2
        if lowers[j] not in SITE_LINKS:
            continue
        recurrent = i > 0 and (lowers[i - 1] in RECURRENT or
                               (i > 1 and lowers[i - 2] in RECURRENT))
        sent = sentence_bounds(doc, starts, i)
        j += 1
        if j < sent.end and lowers[j] == "the":
            j += 1
        unmatched = None
        while j < sent.end:
            # one site: up to four words, then skip "(75%)" and the list's joiners
            k = j
            while k < sent.end and k - j < 4 and lowers[k].isalpha() and lowers[k] not in (
                    "and", "or"):
                k += 1
            if k == j:
                break
            sites = [(j, k, " ".join(lowers[j:k]))]
            if unmatched is not None and k - j >= 2:
                # "the upper and lower respiratory tract": the earlier one-word item shares
                # this item's tail
                sites.append((unmatched, unmatched + 1,
                              f"{lowers[unmatched]} {' '.join(lowers[j + 1:k])}"))
            unmatched = None
            for start, end, site in sites:
                hpo_id = _site_infection(site, recurrent, phenotype_ids)
                # the site may end before the four words do ("infections of the respiratory
                # tract were common"): the longest head of it that names a site
                shorter = end - 1
                while hpo_id is None and start == j and shorter > start:
                    end, site = shorter, " ".join(lowers[start:shorter])
                    hpo_id = _site_infection(site, recurrent, phenotype_ids)
                    shorter -= 1
                if hpo_id:
                    found.append(Span(doc, start, end, label="PHENOTYPE", kb_id=hpo_id))
                elif end - start == 1 and start == j:
                    unmatched = j
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


def _site_infection(site: str, recurrent: bool, phenotype_ids: dict[str, str]) -> str | None:
    if site.endswith(" tracts"):
        site = site[:-1]  # "the respiratory and gastrointestinal tracts": one tract each
    forms = [f"{site} infections", f"{site} infection", f"infection of the {site}"]
    recurrent_forms = [f"recurrent {f}" for f in forms] + [f"recurrent infection of the {site}"]
    for form in (recurrent_forms + forms) if recurrent else (forms + recurrent_forms):
        if form in phenotype_ids:
            return phenotype_ids[form]
    return None


def _list_items(lowers: list[str], j: int, end: int, max_words: int = 4):
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


def shared_of_heads(doc: Doc, candidates: list[Span], lowers: list[str],
                    phenotype_ids: dict[str, str]) -> list[Span]:
    """'tumors of the pancreas, liver, and biliary tree': the matched 'tumors of the
    pancreas' shares its head with the sites listed after it."""
    starts = sentence_starts(doc)
    found = []
    for span in candidates:
        if span.label_ != "PHENOTYPE":
            continue
        words = lowers[span.start:span.end]
        sent = sentence_bounds(doc, starts, span.start)
        if "of" in words[:-1] and len(words) >= 3:
            # 'tumors of the pancreas, liver, ...': the list follows the matched phrase,
            # whose head is what comes before "of"
            heads = [" ".join(words[:words.index("of")])]
            k = span.end
            if k >= sent.end or lowers[k] not in (",", "and", "or"):
                continue
        elif span.end + 1 < sent.end and lowers[span.end] == "of":
            # 'tumors of the pancreas, liver and biliary tree': only the head matched
            heads = [" ".join(words)]
            k = span.end + 1
        else:
            continue
        heads += [h for w in heads for h in HEAD_SYNONYMS.get(w, ())]
        while k < sent.end and lowers[k] in (",", "and", "or", "the"):
            k += 1
        for a, b in _list_items(lowers, k, sent.end):
            item = " ".join(lowers[a:b])
            hpo_id = _of_name(phenotype_ids, heads, item)
            if hpo_id:
                found.append(Span(doc, a, b, label="PHENOTYPE", kb_id=hpo_id))
    return found


# how HPO names a site that abstracts write otherwise ("abnormalities of the teeth" is
# "Abnormality of the dentition")
_SITE_NAMES = {"teeth": "dentition", "tooth": "dentition"}


def _of_name(phenotype_ids: dict[str, str], heads: list[str], item: str) -> str | None:
    """The term named '<head> of (the) <site>' for any head and any form of the site."""
    for head in heads:
        for form in _site_forms(item):
            hpo_id = (phenotype_ids.get(f"{head} of the {form}")
                      or phenotype_ids.get(f"{head} of {form}"))
            if hpo_id:
                return hpo_id
    return None


def _site_forms(item: str) -> list[str]:
    """A listed site as written, in HPO's word for it, and in the singular ('eyes',
    'nails' -> 'eye', 'nail'), the form HPO's names use."""
    forms = [item]
    if item in _SITE_NAMES:
        forms.append(_SITE_NAMES[item])
    if item.endswith("s") and not item.endswith("ss") and len(item) > 3:
        forms.append(item[:-1])
    return forms


def susceptibility_tails(phenotype_ids: dict[str, str]) -> dict[str, str]:
    """'leishmaniasis susceptibility' -> the term named 'Tegumentary leishmaniasis
    susceptibility': susceptibility names without their first modifier, where that is
    not a name of its own."""
    tails: dict[str, str] = {}
    for name, hpo_id in phenotype_ids.items():
        if "susceptibility" in name and " " in name:
            tail = name.split(" ", 1)[1]
            if tail not in phenotype_ids and "susceptibility" in tail:
                tails.setdefault(tail, hpo_id)
    return tails


def susceptibility(doc: Doc, lowers: list[str], phenotype_ids: dict[str, str],
                   tails: dict[str, str]) -> list[Span]:
    """'susceptibility to herpesvirus infections' / 'leishmaniasis susceptibility': an
    organism or infection named as a susceptibility, looked up as its recurrent or
    plain infection term; `tails` are the narrower names (susceptibility_tails)."""
    found = []
    for i, word in enumerate(lowers):
        if word not in ("susceptibility", "susceptible"):
            continue
        after = i + 2 if i + 2 < len(lowers) and lowers[i + 1] == "to" else None
        before = [(i - n, i) for n in (2, 1) if word == "susceptibility" and i - n >= 0
                  and all(w.isalpha() for w in lowers[i - n:i])]
        matched = _susceptible_to(doc, lowers, after, phenotype_ids, tails) if after else None
        named_after = matched is not None
        while matched is not None:
            found.append(matched)
            # "susceptible to pyogenic bacteria and mycobacteria": each item of the list
            k = matched.end
            if k + 1 < len(lowers) and lowers[k] in (",", "and", "or"):
                k += 2 if lowers[k + 1] in ("and", "or") and k + 2 < len(lowers) else 1
                matched = _susceptible_to(doc, lowers, k, phenotype_ids, tails)
            else:
                matched = None
        if not named_after:  # "leishmaniasis susceptibility": the name before the word
            for a, b in before:
                span = _susceptibility_span(doc, lowers, a, b, phenotype_ids, tails)
                if span is not None:
                    found.append(span)
                    break
    return found


def _susceptible_to(doc: Doc, lowers: list[str], start: int, phenotype_ids: dict[str, str],
                    tails: dict[str, str]) -> Span | None:
    """The longest phrase of one to three words at `start` that names an infection."""
    for n in (3, 2, 1):
        if start + n <= len(lowers) and all(w.isalpha() for w in lowers[start:start + n]):
            span = _susceptibility_span(doc, lowers, start, start + n, phenotype_ids, tails)
            if span is not None:
                return span
    return None


def _susceptibility_span(doc: Doc, lowers: list[str], a: int, b: int,
                         phenotype_ids: dict[str, str], tails: dict[str, str]) -> Span | None:
    phrase = " ".join(lowers[a:b])
    base = phrase[:-1] if phrase.endswith("es") and not phrase.endswith("ses") else phrase
    # "susceptibility to (pyogenic) bacteria": the class adjective of HPO's infection names
    kind = ORGANISM_CLASSES.get(phrase) or ORGANISM_CLASSES.get(lowers[b - 1])
    by_class = (f"recurrent {kind} infections", f"{kind} infections") if kind else ()
    for form in (f"recurrent {phrase}", f"recurrent {base}", f"{phrase}",
                 f"recurrent {base} infections", f"{base} infection",
                 f"increased susceptibility to {phrase}", f"{phrase} susceptibility",
                 f"susceptibility to {phrase}") + by_class:
        # HPO also names narrower forms ("Tegumentary leishmaniasis susceptibility")
        hpo_id = phenotype_ids.get(form) or tails.get(form)
        if hpo_id:
            return Span(doc, a, b, label="PHENOTYPE", kb_id=hpo_id)
    return None


# the class nouns abstracts name after "infections caused by ...", as HPO's adjectives
ORGANISM_CLASSES = {"bacteria": "bacterial", "bacterium": "bacterial", "virus": "viral",
                    "viruses": "viral", "fungi": "fungal", "fungus": "fungal",
                    "parasites": "parasitic", "protozoa": "protozoan",
                    "mycobacteria": "mycobacterial", "enteroviruses": "enteroviral",
                    "staphylococci": "staphylococcal", "streptococci": "streptococcal"}
CAUSAL_LINKS = (("caused", "by"), ("due", "to"), ("with",), ("by",), ("from",))


def infections_by_organism(doc: Doc, lowers: list[str], phenotype_ids: dict[str, str]) -> list[Span]:
    """'infections caused by pyogenic bacteria', 'infections with fungi': an infection
    composed with the class of its organism, looked up as HPO's '<class> infections'."""
    starts = sentence_starts(doc)
    found = []
    for i, word in enumerate(lowers):
        if word not in ("infections", "infection"):
            continue
        sent_end = sentence_bounds(doc, starts, i).end
        j = i + 1
        link = next((l for l in CAUSAL_LINKS if tuple(lowers[j:j + len(l)]) == l), None)
        if link is None:
            continue
        j += len(link)
        # up to two modifiers, then the class noun ('encapsulated bacteria', 'pyogenic bacteria')
        for k in range(j, min(j + 3, sent_end)):
            adjective = ORGANISM_CLASSES.get(lowers[k])
            if adjective is None:
                continue
            modifiers = " ".join(lowers[j:k])
            phrase = " ".join(lowers[j:k + 1])
            forms = [f"infection due to {phrase}"]
            if modifiers:
                forms += [f"{modifiers} {adjective} infections", f"{modifiers} infections"]
            forms += [f"{adjective} infections", f"recurrent {adjective} infections"]
            hpo_id = next((phenotype_ids[f] for f in forms if f in phenotype_ids), None)
            if hpo_id:
                found.append(Span(doc, i, k + 1, label="PHENOTYPE", kb_id=hpo_id))
            break
    return found


# words that make an infection severe in HPO's sense ("Severe EBV infection")
SEVERITY_WORDS = {"severe", "invasive", "disseminated", "fatal", "life-threatening", "fulminant",
                  "overwhelming"}
_INFECTION_WORDS = ("infection", "infections")


def named_pathogen_infections(doc: Doc, organisms: list[Span], lowers: list[str],
                              phenotype_ids: dict[str, str], pathogens: dict[str, dict]) -> list[Span]:
    """'CMV infection', 'infection with Toxoplasma gondii', 'toxoplasmosis', 'a severe
    Aspergillus infection', 'Mycobacterium kansasii infection': an infection by a named
    pathogen (lexicons/organisms.json; for a genus, any species of it) takes HPO's own term
    for it ('Severe EBV infection' when the abstract says severe, 'Recurrent Aspergillus
    infections', 'Recurrent staphylococcal infections'), else its class's nearest term,
    'Unusual <class> infection' or 'Recurrent <class> infections' (CLAIMS.md, Infections)."""
    if not organisms:
        return []
    found = []
    starts = sentence_starts(doc)
    for organism in organisms:
        sent = sentence_bounds(doc, starts, organism.start)
        start, end = organism.start, organism.end
        pathogen = pathogens.get(organism.kb_id_, {})
        if (pathogen.get("genus") and organism.label_ == "ORGANISM" and end + 1 < sent.end
                and doc[end].is_alpha and doc[end].is_lower and lowers[end + 1] in _INFECTION_WORDS):
            end += 1                                      # "Mycobacterium kansasii infection"
        name = " ".join(lowers[start:end])
        if organism.label_ == "ORGANISM":
            if end < sent.end and lowers[end] in _INFECTION_WORDS:
                end += 1                                  # "CMV infection"
            else:
                link = _infection_before(lowers, start, sent.start)
                if link is None:
                    continue                              # a pathogen named, no infection
                start = link                              # "infection with Toxoplasma gondii"
        key = organism.kb_id_.lower()
        kind, infection_word = pathogen.get("class", ""), pathogen.get("infection", "")
        adjective = pathogen.get("adjective", "")
        severe = start > sent.start and lowers[start - 1] in SEVERITY_WORDS
        if severe:
            start -= 1
            forms = [f"severe {name} infection", f"severe {name}", f"severe {key} infection"]
        else:
            forms = [f"{name} infections", f"recurrent {name} infections", f"{name} infection",
                     f"recurrent {key} infections"]
            if infection_word:
                forms.append(infection_word)              # "Histoplasma infection": histoplasmosis
        if adjective:
            forms += [f"{adjective} infections", f"recurrent {adjective} infections"]
        forms += [f"unusual {kind} infection", f"recurrent {kind} infections"] if kind else []
        hpo_id = next((phenotype_ids[f] for f in forms if f in phenotype_ids), None)
        if hpo_id:
            found.append(Span(doc, start, end, label="PHENOTYPE", kb_id=hpo_id))
    return found


def _infection_before(lowers: list[str], start: int, sent_start: int) -> int | None:
    """Where 'infection(s) with / caused by / due to' stands right before a pathogen's name."""
    for link in CAUSAL_LINKS:
        at = start - len(link) - 1
        if at >= sent_start and tuple(lowers[at + 1:start]) == link and lowers[at] in _INFECTION_WORDS:
            return at
    return None


_COPULA_FORMS = frozenset(ADJECTIVE_COPULAS)  # the copulas finding_adjective writes names with
# adverbs between a copula and the finding's adjective that leave the finding as it is
_ADVERB_WORDS = {"also", "still", "all", "both", "often", "always", "again"}


_BEFORE_NOUN_PHRASE = {"the", "their", "his", "her", "its", "all", "both", "and", "or", "but",
                       "whereas", "while", "in", "of", "with", "that", "which", "whose", "when"}


def adverb_after_copula(doc: Doc, lowers: list[str], phenotype_ids: dict[str, str]) -> list[Span]:
    """'were persistently neutropenic', 'was severely hypogammaglobulinemic', 'were all
    lymphopenic', 'neutrophil counts were persistently low': the copula-and-adjective names
    ('were neutropenic') and postposed names ('neutrophil counts were low') with an adverb
    between.
    After 'not' the finding is the adjective alone, so NegEx reads the 'not' before it
    ('were not neutropenic' is the negated finding)."""
    extra = []
    for i in range(len(lowers) - 2):
        if lowers[i] not in _COPULA_FORMS:
            continue
        adverb = lowers[i + 1]
        negated = adverb == "not"
        if not (negated or adverb in _ADVERB_WORDS or (adverb.endswith("ly") and len(adverb) > 4
                                                       and adverb.isalpha())):
            continue
        hpo_id = phenotype_ids.get(f"{lowers[i]} {lowers[i + 2]}")
        if hpo_id is not None:
            extra.append(Span(doc, i + 2 if negated else i, i + 3, label="PHENOTYPE", kb_id=hpo_id))
            continue
        if negated:
            continue
        # a state after its noun phrase ("neutrophil counts were persistently low"): the
        # postposed name with the adverb left out, the longest noun phrase first
        for n in range(min(4, i), 0, -1):
            hpo_id = phenotype_ids.get(" ".join(lowers[i - n:i + 1] + [lowers[i + 2]]))
            # the whole noun phrase: "switched memory B cells were nearly absent" is not
            # "B cells were absent"
            if hpo_id is not None and (i - n == 0 or lowers[i - n - 1] in _BEFORE_NOUN_PHRASE
                                       or not lowers[i - n - 1].isalpha()):
                extra.append(Span(doc, i - n, i + 3, label="PHENOTYPE", kb_id=hpo_id))
                break
    return extra
