"""How often a finding was seen, where the evidence sentence states it: "14 of 20 patients",
"7/10", "(70%)", "in 71% of patients". Read near the finding's own mention, so a sentence
listing several findings with their own figures gives each its own; a figure is taken only
where it is the mention's (the nearest in its stretch of the sentence) or the sentence's
only one. Plain text functions, shared by publishing and the exports (no spaCy)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "all": None}
_NUMBER = r"(\d{1,5}|" + "|".join(w for w in _WORDS if w != "all") + r")"
# "14 of 20", "14 out of 20", "14 of the 20", "14/20" (not a date, a marker list "CD3+/CD4-"
# or a unit "U/ml": both sides plain numbers)
FRACTION = re.compile(r"(?<![\w./+-])" + _NUMBER + r"\s*(?:(?:out )?of (?:the |all |these )?|/)\s*"
                      + _NUMBER + r"(?![\w./%+-]|\s*%)", re.I)
PERCENT = re.compile(r"(?<![\w.])(\d{1,3}(?:[.·]\d+)?)\s?%")
REACH = 80  # characters: a figure farther from the mention is another finding's
# and words: "infections involved the upper respiratory tract (75%)" is the tract's figure,
# "neutropenia was found in 14 of 20" the finding's (its own word counts: 1 + 3)
MAX_WORDS_BETWEEN = 5


_CLAUSE_BREAK = re.compile(r";|\b(while|whereas|but|although|compared|than)\b", re.I)


def _words(text: str) -> int:
    """Words between a mention and a figure; a clause break puts the figure out of reach
    ("autoimmunity, while malignancy (7.5%)")."""
    if _CLAUSE_BREAK.search(text):
        return MAX_WORDS_BETWEEN + 1
    return len(re.findall(r"[A-Za-z]{2,}", text))


@dataclass(frozen=True)
class Frequency:
    n: int | None      # with the finding ("14"), where stated as a count
    m: int | None      # of how many ("20")
    percent: float | None

    def __str__(self) -> str:
        if self.n is not None and self.m:
            return f"{self.n}/{self.m}"
        return f"{self.percent:g}%" if self.percent is not None else ""


def _value(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _WORDS.get(word)


def figures(sentence: str) -> list[tuple[int, int, Frequency]]:
    """Every frequency the sentence states, with its character span."""
    found = []
    taken: list[range] = []
    for m in FRACTION.finditer(sentence):
        n, of = _value(m.group(1)), _value(m.group(2))
        if n is None or not of or n > of or (1900 <= n <= 2100 and 1900 <= of <= 2100):
            continue  # no fraction: "2014/2015" is two years
        found.append((m.start(), m.end(), Frequency(n, of, round(100 * n / of, 1))))
        taken.append(range(m.start(), m.end()))
    for m in PERCENT.finditer(sentence):
        if any(m.start() in r for r in taken):
            continue
        value = float(m.group(1).replace("·", "."))
        if value <= 100:
            found.append((m.start(), m.end(), Frequency(None, None, value)))
    return sorted(found, key=lambda f: f[0])


def frequency_for(sentence: str | None, at: int | None = None) -> Frequency | None:
    """The frequency stated for the finding mentioned at character `at` of the sentence:
    the nearest figure within REACH characters (one after the mention first: "neutropenia
    (14 of 20)"), or the sentence's only figure when the mention's place is unknown."""
    if not sentence:
        return None
    found = figures(sentence)
    if not found:
        return None
    if at is None or not 0 <= at <= len(sentence):
        return found[0][2] if len(found) == 1 else None
    after = [f for f in found if f[0] >= at and f[0] - at <= REACH
             and _words(sentence[at:f[0]]) <= MAX_WORDS_BETWEEN]
    before = [f for f in found if f[1] <= at and at - f[1] <= REACH
              and _words(sentence[f[1]:at]) <= MAX_WORDS_BETWEEN]
    if after:
        return after[0][2]
    if before:
        return before[-1][2]
    return None


def combined(frequencies: list[Frequency]) -> str:
    """Several papers' figures for one finding: counts summed ("23/40") where every figure
    is a count; one percentage alone as it is; otherwise nothing (percentages of different
    cohorts do not add up)."""
    counts = [f for f in frequencies if f.n is not None and f.m]
    if counts and len(counts) == len(frequencies):
        return f"{sum(f.n for f in counts)}/{sum(f.m for f in counts)}"
    if len(frequencies) == 1:
        return str(frequencies[0])
    return ""


def parse_frequency(text: str | None) -> Frequency | None:
    """A frequency as `str(Frequency)` wrote it ("14/20", "70%"), read back."""
    if not text:
        return None
    m = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if m and int(m.group(2)):
        n, of = int(m.group(1)), int(m.group(2))
        return Frequency(n, of, round(100 * n / of, 1))
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", text.strip())
    return Frequency(None, None, float(m.group(1))) if m else None


def claim_frequency(claim: dict) -> Frequency | None:
    """The frequency a stored claim's sentence states for its finding, read at the finding's
    mention (`evidence`: its offsets in the abstract text; `sent_start`: the sentence's)."""
    at = None
    try:
        spans = json.loads(claim.get("evidence") or "[]")
        if spans and claim.get("sent_start") is not None:
            at = int(spans[0][0]) - int(claim["sent_start"])
    except (ValueError, TypeError, IndexError, KeyError):
        at = None  # a curator-added claim has no mention: the sentence's only figure, if one
    return frequency_for(claim.get("sentence"), at)
