"""The curators' review application as a `Datasette` object over the working database."""
from __future__ import annotations

import json
import os
from importlib.resources import as_file, files
from pathlib import Path

from datasette.app import Datasette

SETTINGS = {"sql_time_limit_ms": 2000, "allow_download": False}


def review_folder() -> Path:
    with as_file(files("curate") / "review") as folder:
        return Path(folder)


def build_review(db_path: str | Path, secret: str | None = None) -> Datasette:
    """Datasette with the review plugin, its templates and static files. Sessions are signed
    with `secret` (default: DATASETTE_SECRET, else a new random one per start)."""
    folder = review_folder()
    ds = Datasette(files=[str(db_path)],
                   metadata=json.loads((folder / "metadata.json").read_text(encoding="utf-8")),
                   settings=SETTINGS, template_dir=str(folder / "templates"),
                   plugins_dir=str(folder / "plugins"),
                   static_mounts=[("review-static", str(folder / "static"))],
                   secret=secret or os.environ.get("DATASETTE_SECRET") or None)
    return ds
