"""Cell populations written in CD-marker notation ("CD27+IgD- B cells", "CD19+ cells",
"CD4+CD25+FOXP3+ T cells"), as spellings of the populations HPO names ("class-switched
memory B cells", "B cells", "CD4+CD25+ regulatory T cells").

The notations are data (lexicons/cell_markers.tsv); this module writes each the ways
abstracts do: markers in any order, joined or spaced, three minus signs, and the cell
nouns. A few hundred names in all.
"""
from __future__ import annotations

import re
from importlib.resources import files
from itertools import permutations
from pathlib import Path

MARKER_FILE = Path(str(files("curate") / "lexicons" / "cell_markers.tsv"))
_MARKER = re.compile(r"(?:CD\d+(?:R[ABO]|[a-z])?|Ig[ADGEM]|FOXP3|TCR(?:γδ|gammadelta))(?:\+\+|\+|-|high|hi|low|lo)",
                     re.I)
_MINUS = ("-", "−", "–")
# markers that name a lineage by themselves: only these are read before a bare "cells"
# ("CD19+ cells" are B cells; "CD27+ cells" or "CD45RA+ cells" may be T or B cells)
_LINEAGE = re.compile(r"^(?:CD19|CD20|CD3|CD4|CD8|CD56|CD16|CD24|IgD|IgM|FOXP3|TCR)", re.I)


class MarkerFileError(ValueError):
    """A line of the marker table that is not a population and its notations."""


def read_markers(path: Path = MARKER_FILE) -> dict[str, list[list[str]]]:
    """population -> its notations, each split into markers ("CD27+IgD-" -> [CD27+, IgD-])."""
    table: dict[str, list[list[str]]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#") or line.startswith("population\t"):
            continue
        populations, _, notations = line.partition("\t")
        parsed = []
        for notation in notations.split(","):
            markers = _MARKER.findall(notation.strip())
            if not markers or "".join(markers) != notation.strip():
                raise MarkerFileError(f"{path.name}: line {number}: {notation.strip()!r} is no "
                                      "marker notation (CD27+IgD-, CD24hiCD38hi)")
            parsed.append(markers)
        for population in populations.split("|"):
            table.setdefault(population.strip().lower(), []).extend(parsed)
    return table


def notation_forms(markers: list[str]) -> list[str]:
    """Every order of the markers, joined and spaced, with each minus sign, and with the
    signs in parentheses as PubMed's plain text writes superscripts ("CD27(+)IgD(-)")."""
    forms = []
    for order in permutations(markers):
        for sign in _MINUS + ("(-)", "(−)"):
            plus = "(+)" if sign.startswith("(") else "+"
            written = [m[:-1] + sign if m.endswith("-") else
                       m[:-1] + plus if m.endswith("+") and not m.endswith("++") else m
                       for m in order]
            for joiner in ("", " "):
                forms.append(joiner.join(written))
    return list(dict.fromkeys(forms))


def marker_names(population: str, table: dict[str, list[list[str]]]) -> list[str]:
    """The population's names in marker notation, lower case, with the cell nouns abstracts
    put after them ("cd27+igd- b cells", "cd27+igd- cells")."""
    population = population.lower()
    if population not in table:
        return []
    # the population's cell noun ("b cells" is its own); a population named with its markers
    # ("cd4+cd25+ regulatory t cells") also keeps the words after them
    noun = " ".join(population.split()[-2:]) if (" " + population).endswith(
        (" t cells", " b cells", " nk cells")) else ""
    first, _, rest = population.partition(" ")
    named_by_markers = rest if rest and "".join(_MARKER.findall(first)) == first else ""
    own = [h for h in (named_by_markers, noun, noun.replace(" cells", "-cells"),
                       noun.replace(" cells", " lymphocytes")) if h]
    names = []
    for markers in table[population]:
        heads = own + (["cells", "lymphocytes"] if any(_LINEAGE.match(m) for m in markers) else [])
        for written in notation_forms(markers):
            names += [f"{written.lower()} {head}" for head in dict.fromkeys(heads)]
    return list(dict.fromkeys(names))


def add_marker_names(analytes: dict, table: dict[str, list[list[str]]] | None = None) -> None:
    """Give every cell-count analyte whose name is a population of the table its marker
    names too (in place); a function ("B cell proliferation") gets none."""
    table = read_markers() if table is None else table
    taken = {n.lower() for info in analytes.values() for n in info["names"]}
    for info in analytes.values():
        if info.get("functional"):
            continue
        extra = [m for name in info["names"] for m in marker_names(name, table)
                 if m not in taken]
        if extra:
            info["names"] = list(info["names"]) + list(dict.fromkeys(extra))
            taken.update(extra)
