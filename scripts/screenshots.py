"""Screenshots for docs/curating.md and docs/publishing.md, from the real applications.

    .venv/bin/python scripts/screenshots.py

Builds the demo database from the bundled snapshot in a temporary folder, signs a
curator into `higm review` in headless Chromium (Debian's, as the tests use), and shoots
the queue, the abstract, the edit form, the help and the disagreements list; then
publishes, serves and shoots the home page and a gene page. Writes docs/img/*.png.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, Server, add_curator, run_higm  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run_higm("demo", "--workdir", tmp, "--no-serve")
        work = Path(tmp) / "work.db"
        add_curator(work, "alice")
        add_curator(work, "bob")
        add_curator(work, "erin", role="editor")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"])
            review = Server("review", "--db", str(work), path="/review/login")
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(review.url + "/review")
                page.screenshot(path=str(OUT / "review-login.png"))
                page.fill("input[name=name]", "alice")
                page.fill("input[name=password]", "correct horse")
                page.click("input[type=submit]")
                page.wait_for_selector("#card:not([hidden])")
                page.goto(review.url + "/review?gene=CD40LG&type=gene_phenotype")
                page.wait_for_selector("#card:not([hidden])")
                page.screenshot(path=str(OUT / "review-queue.png"), full_page=True)
                page.keyboard.press("b")
                page.screenshot(path=str(OUT / "review-abstract.png"), full_page=True)
                page.keyboard.press("b")
                page.keyboard.press("r")
                page.screenshot(path=str(OUT / "review-reasons.png"), full_page=True)
                page.keyboard.press("Escape")
                page.keyboard.press("e")
                page.keyboard.type("elevated IgM")
                page.wait_for_selector("#hpo-results li.active")
                page.screenshot(path=str(OUT / "review-edit.png"), full_page=True)
                page.keyboard.press("Escape")
                page.keyboard.press("?")
                page.screenshot(path=str(OUT / "review-help.png"), full_page=True)
                # a disagreement: bob decides a claim alice had open, then alice decides it too
                key = page.get_attribute("#card", "data-key")
                bob = browser.new_page()
                bob.goto(review.url + "/review")
                bob.fill("input[name=name]", "bob")
                bob.fill("input[name=password]", "correct horse")
                bob.click("input[type=submit]")
                bob.wait_for_selector("#card:not([hidden])")
                bob.goto(review.url + "/review?gene=CD40LG&type=gene_phenotype#" + key)  # the claim's link
                bob.wait_for_function("k => document.querySelector('#card').dataset.key === k", arg=key)
                bob.keyboard.press("r")
                bob.keyboard.press("2")
                bob.wait_for_selector("#message:not(:empty)")
                page.keyboard.press("Escape")
                page.keyboard.press("a")
                page.wait_for_selector("#message:not(:empty)")
                page.screenshot(path=str(OUT / "review-conflict.png"), full_page=True)
                editor = browser.new_page(viewport={"width": 1200, "height": 800})
                editor.goto(review.url + "/review/login")
                editor.fill("input[name=name]", "erin")
                editor.fill("input[name=password]", "correct horse")
                editor.click("input[type=submit]")
                editor.wait_for_selector("#card:not([hidden])")
                editor.goto(review.url + "/review/disagreements")
                editor.screenshot(path=str(OUT / "review-disagreements.png"), full_page=True)
                editor.goto(review.url + "/review/agreement")
                editor.screenshot(path=str(OUT / "review-agreement.png"), full_page=True)
            finally:
                review.stop()
            published = Path(tmp) / "higm.db"
            run_higm("publish", "--db", str(work), "--out", str(published))
            site = Server("serve", str(published))
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(site.url + "/")
                page.screenshot(path=str(OUT / "site-home.png"), full_page=True)
                page.goto(site.url + "/gene/CD40LG?unreviewed=1")
                page.screenshot(path=str(OUT / "site-gene.png"), full_page=True)
                page.goto(site.url + "/disease/HIGM3?unreviewed=1")
                page.screenshot(path=str(OUT / "site-disease.png"), full_page=True)
                page.goto(site.url + "/higm/phenotypes_for_gene")
                page.screenshot(path=str(OUT / "site-query-form.png"), full_page=True)
                page.goto(site.url + "/about")
                page.screenshot(path=str(OUT / "site-about.png"), full_page=True)
                page.goto(site.url + "/higm/unreviewed_claims?_facet=subject&_facet=hpo_id")
                page.screenshot(path=str(OUT / "site-claims.png"))
            finally:
                site.stop()
            browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
