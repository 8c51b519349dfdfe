"""A built wheel carries every file the code reads at run time, and an installed copy (not
the working tree) serves the published site and the review app."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("higm_evidence-*.whl"))


def test_the_wheel_carries_every_runtime_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = ["harvest/panel.json", "harvest/genes.json", "harvest/snapshot/higm_snapshot.xml.gz",
              "curate/review/metadata.json", "curate/review/plugins/higm_review.py",
              "curate/review/static/review.js", "curate/review/templates/review.html",
              "db/site/metadata.json", "db/site/plugins/higm_site.py",
              "db/site/templates/gene.html", "db/site/templates/index.html"]
    needed += [f"curate/lexicons/{p.name}" for p in (ROOT / "curate" / "lexicons").iterdir()]
    missing = [n for n in needed if n not in names]
    assert not missing, missing


def test_an_installed_copy_serves_the_site_and_the_review_app(wheel, tmp_path):
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)], check=True, timeout=300)
    script = textwrap.dedent("""
        import asyncio, sys
        import db, curate
        assert db.__file__.startswith(sys.argv[1]), db.__file__
        from db.flow import build_demo
        from db.site.app import build_site
        from curate.review.app import build_review
        summary = build_demo(sys.argv[2])
        async def main():
            site = build_site(summary.published.path)
            gene = await site.client.get("/gene/CD40LG")
            review = build_review(sys.argv[2] + "/work.db")
            login = await review.client.get("/review/login")
            print(gene.status_code, login.status_code, "Curator sign-in" in login.text)
        asyncio.run(main())
    """)
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", script, str(target), str(tmp_path / "demo")],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["200", "200", "True"]
