"""Build (once) FastHPOCR's index of the same hp.obo our pipeline uses, outside the repository.

    .venv/bin/pip install fasthpocr pronto
    .venv/bin/python -m benchmarks.fasthpocr_index      # about 9 minutes here
"""
from __future__ import annotations

import time
from pathlib import Path

from curate.hpo import obo_path
import os

INDEX_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "higm-evidence" / "fasthpocr-index"


def index_file() -> Path | None:
    found = sorted(INDEX_DIR.glob("*.json")) + sorted(INDEX_DIR.glob("*"))
    return next((p for p in found if p.is_file()), None)


def main() -> None:
    from FastHPOCR.IndexHPO import IndexHPO
    INDEX_DIR.mkdir(parents=True, exist_ok=True)
    start = time.time()
    IndexHPO(str(obo_path()), str(INDEX_DIR), indexConfig={
        "rootConcepts": ["HP:0000118"], "allow3LetterAcronyms": False}).index()
    print(f"indexed in {time.time() - start:.0f} s: {index_file()}")


if __name__ == "__main__":
    main()
