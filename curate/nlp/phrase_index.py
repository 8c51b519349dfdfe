"""The entity component's phrase index: every lexicon pattern as a token sequence in two
Aho-Corasick automata (pyahocorasick), one on exact token text for case-sensitive names
(gene symbols), one on lower-cased tokens for the rest.

Why not spaCy's PhraseMatcher: it cannot be saved, so every process re-tokenized the
133,000 patterns and re-added them (about 12 s here, three times FastHPOCR's index load).
The automata pickle: a process loads them from a cache keyed by the extractor's data
fingerprint in about half a second, and matching a whole abstract is one C-level scan.
A match must start and end on token boundaries, as a PhraseMatcher's does.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Iterable

import ahocorasick

log = logging.getLogger("higm.extract")
SEP = "\x1f"  # joins tokens; a unit separator never occurs inside a real token
INDEX_VERSION = "1"


@dataclass
class PhraseIndex:
    exact: ahocorasick.Automaton
    lower: ahocorasick.Automaton

    def matches(self, orths: list[str], lowers: list[str]) -> list[tuple]:
        """(key, start, end) for every pattern occurrence in a doc's token texts and their
        lower-cased forms: the case-sensitive ones, then the
        others, each by start and end, and for one span in the order the keys were built
        (which decides ties between equally long entities downstream); `key` is what the
        pattern was added with."""
        result = []
        for automaton, words in ((self.exact, orths), (self.lower, lowers)):
            found = []
            if not len(automaton):
                continue
            # the separator before token i sits at boundary[i]
            boundary: dict[int, int] = {}
            position = 0
            for i, word in enumerate(words):
                boundary[position] = i
                position += len(word) + 1
            boundary[position] = len(words)
            text = SEP + SEP.join(words) + SEP
            for end, values in automaton.iter(text):
                for key, length, n_tokens in values:
                    start = boundary.get(end - length + 1)
                    if start is not None and boundary.get(end) == start + n_tokens:
                        found.append((start, start + n_tokens, key))
            found.sort(key=lambda m: (m[0], m[1]))  # stable: build order within a span
            result += [(key, start, end) for start, end, key in found]
        return result


def build_index(groups: Iterable[tuple[object, bool, list[list[str]]]]) -> PhraseIndex:
    """`groups`: (key, case_sensitive, token lists of its patterns)."""
    exact, lower = ahocorasick.Automaton(), ahocorasick.Automaton()
    for key, case_sensitive, token_lists in groups:
        automaton = exact if case_sensitive else lower
        for words in token_lists:
            if not words or any(SEP in w for w in words):
                continue
            text = SEP + SEP.join(words if case_sensitive else [w.lower() for w in words]) + SEP
            entry = (key, len(text), len(words))
            values = automaton.get(text, None)
            if values is None:
                automaton.add_word(text, [entry])
            elif entry not in values:
                values.append(entry)
    for automaton in (exact, lower):
        if len(automaton):
            automaton.make_automaton()
    return PhraseIndex(exact, lower)


def cache_dir() -> Path:
    base = os.environ.get("HIGM_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or \
        Path.home() / ".cache"
    return Path(base) / "higm-evidence"


def cache_path(fingerprint: str) -> Path:
    # the automata's layout depends on these libraries' versions, not only on our data
    stamp = f"{fingerprint}|{INDEX_VERSION}|{version('pyahocorasick')}|{version('spacy')}"
    return cache_dir() / f"entities-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.pickle"


def load_cached(fingerprint: str) -> tuple[dict, PhraseIndex] | None:
    """The component's data and index saved by an earlier process, if any. The file is
    this user's own cache (written by `save_cached`), so unpickling it trusts nothing new."""
    path = cache_path(fingerprint)
    try:
        with path.open("rb") as handle:
            data, exact, lower = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file: rebuild, never fail on it
        log.warning("ignoring the unreadable pipeline cache %s (%s)", path, error)
        return None
    return data, PhraseIndex(exact, lower)


def save_cached(fingerprint: str, data: dict, index: PhraseIndex) -> None:
    """Write atomically; a cache that cannot be written (read-only home) only costs time."""
    path = cache_path(fingerprint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump((data, index.exact, index.lower), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as error:
        log.warning("could not write the pipeline cache %s (%s)", path, error)
