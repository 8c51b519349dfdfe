"""Records that cross module lines: what the parser yields and the loader stores."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    affiliations: list[str] = field(default_factory=list)
    orcid: str | None = None


@dataclass
class MeshHeading:
    descriptor_ui: str | None
    descriptor_name: str
    major_topic: bool
    qualifiers: list[dict] = field(default_factory=list)


@dataclass
class Article:
    pmid: str
    version: int = 1
    title: str = ""
    abstract_sections: list[tuple[str | None, str]] = field(default_factory=list)
    journal: str | None = None
    iso_abbreviation: str | None = None
    pub_date: str | None = None
    year: int | None = None
    language: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    status: str | None = None
    authors: list[Author] = field(default_factory=list)
    mesh: list[MeshHeading] = field(default_factory=list)
    keywords: list[tuple[str, bool]] = field(default_factory=list)
    publication_types: list[tuple[str | None, str]] = field(default_factory=list)
    chemicals: list[tuple[str | None, str, str | None]] = field(default_factory=list)
    source_digest: str | None = field(default=None, compare=False, repr=False)

    @property
    def abstract(self) -> str:
        """The abstract as text, one paragraph per section, labels kept as 'Label: text'."""
        parts = []
        for label, text in self.abstract_sections:
            parts.append(f"{label.capitalize() if label and label.isupper() else label}: {text}"
                         if label else text)
        return "\n".join(parts)

    def content_hash(self) -> str:
        """A digest of everything stored, so a re-import can tell 'updated' from 'unchanged'."""
        if self.source_digest:
            return self.source_digest
        cached = self.__dict__.get("_hash")
        if cached is None:
            data = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
            cached = self.__dict__["_hash"] = hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]
        return cached


@dataclass
class Deletion:
    """A DeleteCitation entry of a PubMed update file."""
    pmids: list[str]


@dataclass
class SkippedRecord:
    """A record the database does not store (a PubmedBookArticle), counted in the summary."""
    kind: str
    identifier: str | None


@dataclass
class OffPanel:
    """An article the panel filter left out (`parse(..., keep=...)`), counted, not stored."""
    pmid: str | None
