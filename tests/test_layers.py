"""The layout's rules: imports flow one way (harvest <- curate <- db), curate/ has two
rooms (the spaCy pipeline in curate/nlp/, which writes no rows, and the curation workflow,
which never loads spaCy), one module writes claims and decisions, and data files are read
as package resources."""
from __future__ import annotations

import ast
import re
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


# The two rooms of curate/: the extraction pipeline (curate/nlp/) and the curation workflow
# (every other module and review/). Vocabularies, the claim record and the bridges that use
# both rooms (extract, training, evaluate) are named here; everything else is workflow.
PIPELINE_ROOM = ROOT / "curate" / "nlp"
BRIDGES = {"extract.py", "training.py"}
WORKFLOW_ONLY = {"curate.store", "curate.decisions", "curate.ledger", "curate.accounts",
                 "curate.agreement", "curate.schema", "curate.review", "curate.extract",
                 "curate.training", "sqlite_utils", "sqlite3"}


def _room_modules(room: str) -> list[Path]:
    curate = ROOT / "curate"
    if room == "pipeline":
        return sorted(PIPELINE_ROOM.rglob("*.py"))
    return sorted(p for p in curate.rglob("*.py")
                  if PIPELINE_ROOM not in p.parents and p.name not in BRIDGES)


def test_only_the_pipeline_room_imports_spacy():
    for path in _room_modules("workflow"):
        heavy = {n for n in _imports(path) if n.split(".")[0] in ("spacy", "negspacy")
                 or n == "curate.nlp" or n.startswith("curate.nlp.")}
        assert not heavy, f"{path.relative_to(ROOT)} imports {heavy}"


def test_the_pipeline_room_reads_text_and_writes_no_rows():
    for path in _room_modules("pipeline"):
        used = {n for n in _imports(path)
                if any(n == w or n.startswith(w + ".") for w in WORKFLOW_ONLY)}
        assert not used, f"{path.relative_to(ROOT)} imports {used}"


WRITES = re.compile(
    r"""(insert\s+(or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+\[?(claims|decisions)\b"""
    r"""|\[["'](claims|decisions)["']\]\s*\.\s*(insert|upsert|update|delete)""", re.I)


def test_the_writer_finder_finds_writes():
    assert WRITES.search('db.execute("update claims set status = 1")')
    assert WRITES.search("db['decisions'].insert(row)")
    assert WRITES.search('"insert or replace into claims (a) values (?)"')
    assert not WRITES.search('db.execute("select * from claims")')


def test_only_the_store_and_migrations_write_claims_and_decisions():
    allowed = {ROOT / "curate" / "store.py", ROOT / "curate" / "schema.py"}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if path in allowed:
                continue
            found = WRITES.search(path.read_text(encoding="utf-8"))
            assert not found, f"{path.relative_to(ROOT)} writes rows itself: {found.group(0)!r}"


def test_no_path_arithmetic_to_other_packages():
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "parent.parent" not in text and "parents[1]" not in text, path
