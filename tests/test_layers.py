"""The layout's rules: imports flow one way (harvest <- curate <- db), the review server
never needs spaCy, and data files are read as package resources."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"harvest": 0, "curate": 1, "db": 2}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in LAYERS}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in LAYERS and top != package:
                    graph[package].add(top)
    return graph


def _has_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return path + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return None
    for start in graph:
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_cycle_finder_finds_cycles():
    assert _has_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _has_cycle({"a": {"b"}, "b": set()}) is None


def test_no_package_level_import_cycle_and_imports_flow_down():
    graph = _package_graph()
    assert _has_cycle(graph) is None, graph
    for package, uses in graph.items():
        for used in uses:
            assert LAYERS[used] < LAYERS[package], f"{package} imports {used}, a layer above it"


def test_the_review_server_and_the_claim_store_never_import_spacy():
    light = [ROOT / "curate" / n for n in ("store.py", "decisions.py", "ledger.py",
                                           "accounts.py", "vocab_keys.py", "hpo.py")]
    light += list((ROOT / "curate" / "review").rglob("*.py"))
    for path in light:
        heavy = {n for n in _imports(path) if n.split(".")[0] in ("spacy", "negspacy")
                 or n in ("curate.pipeline", "curate.claims", "curate.entities", "curate.vocab",
                          "curate.extract")}
        assert not heavy, f"{path.relative_to(ROOT)} imports {heavy}"


def test_no_path_arithmetic_to_other_packages():
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "parent.parent" not in text and "parents[1]" not in text, path
