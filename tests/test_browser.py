"""The review UI and the published gene page in a real headless Chromium."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from tests.conftest import ARTIFACTS, Server, add_curator, run_higm

pytestmark = pytest.mark.browser


@contextmanager
def _signed_in(browser, db, path: str, name: str = "alice"):
    """A real `higm review` and a Chromium page signed in as `name` through the login form,
    showing a card of `path`, and the page errors seen; both closed on the way out, also
    when the sign-in itself fails."""
    add_curator(db, name)
    server = Server("review", "--db", str(db), path="/review/login")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url + path)
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", "correct horse")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card:not([hidden])")
        yield server, page, errors
    finally:
        page.close()
        server.stop()


def test_curator_decides_by_keyboard_edits_undoes_and_reload_keeps_everything(browser, extracted_db):
    """Keyboard only after sign-in: accept, reject with a reason, accept, undo, an HPO edit
    through the picker (type, Enter picks, Enter saves); a reload keeps the session."""
    with _signed_in(browser, extracted_db, "/review") as (server, page, errors):
        decided = []
        for keys in (["a"], ["r", "3"], ["a"]):
            claim_key = page.get_attribute("#card", "data-key")
            for key in keys:
                page.keyboard.press(key)
            page.wait_for_function("k => document.querySelector('#card').dataset.key !== k",
                                   arg=claim_key)
            decided.append(claim_key)
        assert page.is_visible("#claim-rule") and page.inner_text("#claim-species")
        # undo the last accept: the claim comes back
        page.keyboard.press("u")
        page.wait_for_function("k => document.querySelector('#card').dataset.key === k",
                               arg=decided[-1])
        page.wait_for_selector("#claim-status:text('pending')")
        # a phenotype claim, its HPO term replaced from the keyboard
        page.goto(server.url + "/review?type=gene_phenotype")
        page.wait_for_selector("#card:not([hidden])")
        page.wait_for_function("document.querySelector('#claim-type').textContent.includes('phenotype')")
        edited = page.get_attribute("#card", "data-key")
        current = page.inner_text("#claim-object").split()[0]
        target = "HP:0001875" if current != "HP:0001875" else "HP:0002090"
        page.keyboard.press("e")
        page.keyboard.type("neutropenia" if target == "HP:0001875" else "pneumonia")
        page.wait_for_selector(f"#hpo-results li.active[data-id='{target}']")
        page.keyboard.press("Enter")  # picks the highlighted term
        page.wait_for_selector(f"#hpo-chosen:text('{target}')")
        page.keyboard.press("Enter")  # saves
        page.wait_for_function("k => document.querySelector('#card').dataset.key !== k", arg=edited)
        page.reload()
        page.wait_for_selector("#card:not([hidden])")
        page.wait_for_selector("#progress:text('3 decided this session')")
        page.keyboard.press("?")
        assert page.is_visible("#help")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
    assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        status = dict(conn.execute("select claim_key, status from claims"))
        log = conn.execute("select claim_key, decision, reason from decisions order by id").fetchall()
        hpo = conn.execute("select hpo from claims where claim_key = ?", [edited]).fetchone()[0]
    assert [d for _, d, _ in log] == ["accept", "reject", "accept", "undo", "edit"]
    assert log[1][2] == "not_deficient"
    assert status[decided[0]] == "accepted" and status[decided[1]] == "rejected"
    # the undone claim is pending again, unless it was the phenotype claim edited next
    assert status[decided[2]] == ("accepted" if edited == decided[2] else "pending")
    assert status[edited] == "accepted"
    assert hpo == target


def test_researcher_finds_a_disease_and_its_evidence_in_two_steps(browser, extracted_db, tmp_path):
    from tests.test_publish import accept_ledger
    ledger = tmp_path / "ledger.jsonl"
    accept_ledger(extracted_db, ledger, count=60)
    run_higm("decisions", "import", str(ledger), "--db", str(extracted_db))
    published = tmp_path / "higm.db"
    run_higm("publish", "--db", str(extracted_db), "--out", str(published), "--version", "t")
    server = Server("serve", str(published))
    page = browser.new_page()
    try:
        page.goto(server.url + "/")
        page.fill("#q", "X-linked hyper-IgM")
        page.keyboard.press("Enter")  # one step: the search lists the disease and its gene
        page.wait_for_url("**/search?q=*")
        page.click(".search-genes a:text-is('CD40LG')")  # two
        page.wait_for_url("**/gene/CD40LG")
        assert page.inner_text(".gene-symbol") == "CD40LG"
        assert "CD40 ligand" in page.inner_text(".gene-name")
        accepted = page.locator("#phenotype-chart rect.bar.accepted").count()
        assert accepted > 3
        assert page.locator(".level").count() > 3 and page.is_visible("#release")
        page.click("text=Include unreviewed machine claims")  # second step
        page.wait_for_url("**/gene/CD40LG?unreviewed=1")
        assert page.locator("#phenotype-chart rect.bar.accepted").count() >= accepted
        assert page.locator("#years-chart rect.bar").count() >= 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "gene-CD40LG.png"), full_page=True)
        page.goto(server.url + "/disease/HIGM3")
        assert "606843" in page.inner_text(".disease-name")
        page.goto(server.url + "/")
        assert page.locator("table.higm-genes a", has_text="AICDA").count() == 1
        page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    finally:
        page.close()
        server.stop()


def test_a_scripted_curator_makes_50_decisions_by_keyboard_only(browser, extracted_db):
    """The curator's target: 50 decisions with 5 HPO edits through the picker, 3 reasoned
    rejections, 2 added claims and 1 undo, with no mouse event at all."""
    add_curator(extracted_db, "alice")
    server = Server("review", "--db", str(extracted_db), path="/review/login")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    made: list[tuple[str, str]] = []  # (claim key, decision) as the curator made them
    try:
        page.goto(server.url + "/review?type=gene_phenotype")  # login form, name focused
        # autofocus lands after the first paint: on a loaded machine, typing at once went nowhere
        page.wait_for_function("document.activeElement && document.activeElement.name === 'name'")
        page.keyboard.type("alice")
        page.keyboard.press("Tab")
        page.keyboard.type("correct horse")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card:not([hidden])")

        def current() -> str:
            return page.get_attribute("#card", "data-key")

        def moved_from(key: str) -> None:
            page.wait_for_function("k => document.querySelector('#card').dataset.key !== k",
                                   arg=key)

        edits, rejects, adds = 0, 0, 0
        while len([d for d in made if d[1] != "undo"]) < 50:
            key = current()
            step = len(made)
            if step % 9 == 4 and edits < 5:
                now = page.inner_text("#claim-object").split()[0]
                word, target = (("pneumonia", "HP:0002090") if now == "HP:0001875"
                                else ("neutropenia", "HP:0001875"))
                page.keyboard.press("e")
                page.keyboard.type(word)
                page.wait_for_selector(f"#hpo-results li.active[data-id='{target}']")
                page.keyboard.press("Enter")
                page.wait_for_selector(f"#hpo-chosen:text('{target}')")
                page.keyboard.press("Enter")
                moved_from(key)
                made.append((key, "edit"))
                edits += 1
            elif step % 13 == 6 and rejects < 3:
                page.keyboard.press("r")
                page.keyboard.press(str(rejects + 1))
                moved_from(key)
                made.append((key, "reject"))
                rejects += 1
            elif step % 17 == 8 and adds < 2:
                page.keyboard.press("n")  # the form opens in its HPO picker
                page.keyboard.type(("jaundice", "fever")[adds])
                page.wait_for_selector("#add-results li.active")
                page.keyboard.press("Enter")  # picks the term
                page.wait_for_selector("#add-chosen:not(:empty)")
                page.keyboard.press("Tab")  # -> the evidence sentence, the card's own chosen
                page.keyboard.press("ArrowDown")  # ... or the next sentence of the abstract
                page.keyboard.press("Tab")  # -> Add
                page.keyboard.press("Enter")
                page.wait_for_selector("#message:text('Added:')")  # named by subject and term
                assert "(accepted)" in page.inner_text("#message")
                with sqlite3.connect(extracted_db) as conn:
                    added = conn.execute("select claim_key from decisions where decision = 'add' "
                                         "order by id desc limit 1").fetchone()[0]
                made.append((added, "add"))
                adds += 1
            elif step == 20:
                page.keyboard.press("a")
                moved_from(key)
                page.keyboard.press("u")
                page.wait_for_function("k => document.querySelector('#card').dataset.key === k",
                                       arg=key)
                made += [(key, "accept"), (key, "undo")]
            else:
                page.keyboard.press("a")
                moved_from(key)
                made.append((key, "accept"))
        assert (edits, rejects, adds) == (5, 3, 2)
    finally:
        page.close()
        server.stop()
    assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        log = conn.execute("select claim_key, decision, reason from decisions order by id").fetchall()
    assert [(k, d) for k, d, _ in log] == made
    assert [r for _, d, r in log if d == "reject"] == ["wrong_gene", "wrong_phenotype", "not_deficient"]


def test_a_researchers_four_questions_in_two_steps_each(browser, extracted_db, tmp_path):
    """Each answered from the home page in at most two steps (a click or a typed search)."""
    from tests.test_publish import accept_ledger
    with sqlite3.connect(extracted_db) as conn:
        keys = [r[0] for r in conn.execute(
            "select claim_key from claims where active = 1 and subject in ('AICDA', 'CD40', "
            "'CD40LG') or type = 'gene_therapy'")]
    ledger = tmp_path / "ledger.jsonl"
    accept_ledger(extracted_db, ledger, count=80)
    extra = "".join('{"claim_key": "%s", "decision": "accept", "curator": "bob", '
                    '"decided_at": "2026-02-01T00:00:%02d+00:00", "status_after": "accepted"}\n'
                    % (k, i % 60) for i, k in enumerate(keys))
    ledger.write_text(ledger.read_text() + extra)
    run_higm("decisions", "import", str(ledger), "--db", str(extracted_db))
    published = tmp_path / "higm.db"
    run_higm("publish", "--db", str(extracted_db), "--out", str(published))
    server = Server("serve", str(published))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        # 1. phenotypes for CD40 deficiency, with paper counts and evidence strength
        page.goto(server.url + "/")
        page.fill("#q", "CD40 deficiency")
        page.keyboard.press("Enter")
        page.click(".search-genes a:text-is('CD40')")
        page.wait_for_url("**/gene/CD40")
        assert page.locator("table.evidence-table .level").count() >= 1
        # 2. therapies for a disease, with outcomes (the snapshot has none for AID deficiency:
        # its page says so; X-linked hyper-IgM has several)
        page.goto(server.url + "/")
        page.fill("#q", "AID deficiency")
        page.keyboard.press("Enter")
        page.click(".search-genes a:text-is('AICDA')")
        page.wait_for_url("**/gene/AICDA")
        assert "No accepted therapy claims yet" in page.inner_text("body")
        page.goto(server.url + "/")
        page.fill("#q", "XHIGM")
        page.keyboard.press("Enter")  # the disease it names first, then its gene
        page.click(".search-diseases a:text-is('HIGM1')")
        page.wait_for_url("**/disease/HIGM1")
        therapies = page.locator("h2:text('Therapies') + table").inner_text()
        assert "Effective" in therapies and "Haematopoietic" in therapies
        # 2b. 'hyper immunoglobulin M': the Blood 2005 cohort among the articles, in one step
        page.goto(server.url + "/")
        page.fill("#q", "hyper immunoglobulin M")
        page.keyboard.press("Enter")
        page.wait_for_selector(".search-articles")
        assert page.locator(".search-articles a[href$='/15358621/']").count() == 1 or \
            "PMID 15358621" in page.inner_text(".search-articles")
        # 3. reported since 2020: no earlier or undated row
        page.goto(server.url + "/")
        page.click("text=What has been reported since a date?")
        page.fill("input[name=since]", "2020")
        page.keyboard.press("Enter")
        page.wait_for_selector("table.rows-and-columns")
        dates = page.locator("td.col-pub_date").all_inner_texts()
        assert dates and all(d.strip() >= "2020" for d in dates)
        # 5. which CD40LG phenotypes rest on more than one human cohort (one step: the
        # symbol goes straight to the gene page, whose table counts accepted human cohorts)
        with sqlite3.connect(published) as conn:
            expected = {r[0] for r in conn.execute(
                "select p.name from gene_phenotype_summary s join phenotypes p using (hpo_id) "
                "where s.subject = 'CD40LG' and s.accepted_human_cohorts > 1")}
            frequency = conn.execute(
                "select accepted_frequency from gene_phenotype_summary where subject = 'CD40LG' "
                "and hpo_id = 'HP:0001875'").fetchone()
        page.goto(server.url + "/")
        page.fill("#q", "CD40LG")
        page.keyboard.press("Enter")
        page.wait_for_url("**/gene/CD40LG")
        rows = page.locator("table.evidence-table tbody tr:not(.evidence-row):not(.group-row)")
        shown = {}
        for i in range(rows.count()):
            cells = rows.nth(i).locator("td")
            name = cells.nth(0).locator("a").inner_text()
            shown[name] = (int(cells.nth(4).inner_text() or 0), cells.nth(6).inner_text().strip())
        assert expected and {n for n, (c, _) in shown.items() if c > 1} == expected
        # 6. what fraction of CD40LG patients had neutropenia, where stated: the same row
        assert frequency and frequency[0]
        assert shown["Neutropenia"][1].startswith(frequency[0])
        # 4. accepted associations HPO does not annotate at any level
        page.goto(server.url + "/")
        page.click("text=Which associations does HPO not annotate at any level?")
        page.wait_for_selector("table.rows-and-columns")
        assert page.locator("td.col-subject").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "missing-from-hpo.png"), full_page=True)
    finally:
        page.close()
        server.stop()


def test_a_curator_corrects_the_evidence_sentence_and_attributes_by_keyboard(browser, extracted_db):
    """Review round 2: patients, species, study and the evidence sentence are editable in
    the edit form (Tab between fields, Enter saves) and stored on the claim."""
    with _signed_in(browser, extracted_db, "/review?type=gene_therapy") as (server, page, errors):
        page.wait_for_function("document.querySelector('#claim-type').textContent.includes('therapy')")
        key = page.get_attribute("#card", "data-key")
        page.keyboard.press("e")
        page.wait_for_selector("#edit:not([hidden])")
        options = page.eval_on_selector_all("#edit-sentence option", "os => os.map(o => o.value)")
        assert len(options) >= 2  # the current sentence and the article's others
        page.focus("#edit select[name=sentence]")
        page.select_option("#edit select[name=sentence]", options[1])
        page.focus("#edit input[name=patients]")
        page.keyboard.press("Control+A")
        page.keyboard.type("14")
        page.select_option("#edit select[name=species]", "human")
        page.select_option("#edit select[name=study]", "review")
        page.focus("#edit input[name=note]")
        page.keyboard.press("Enter")
        page.wait_for_function("k => document.querySelector('#card').dataset.key !== k", arg=key)
        assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        row = conn.execute("select sentence, patients, study, status from claims where claim_key = ?",
                           [key]).fetchone()
        changes = conn.execute("select changes from decisions where claim_key = ? and decision = 'edit'",
                               [key]).fetchone()[0]
    assert row[1:] == (14, "review", "accepted")
    assert " ".join(row[0].split()) == " ".join(options[1].split())
    assert '"patients"' in changes and '"sentence"' in changes


def test_flags_flip_with_one_key_and_the_trigger_words_are_marked(browser, extracted_db):
    with _signed_in(browser, extracted_db, "/review?type=gene_phenotype") as (server, page, errors):
        page.wait_for_function("document.querySelector('#claim-type').textContent.includes('phenotype')")
        assert page.inner_text("#claim-rule").startswith("Why proposed:")
        assert page.locator("#sentence mark.trigger").count() >= 1  # the quoted words
        assert "claim-model-" not in page.inner_text("#claim-model")  # the version only on hover
        key = page.get_attribute("#card", "data-key")
        page.keyboard.press("x")
        page.wait_for_function("k => document.querySelector('#card').dataset.key !== k", arg=key)
        assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        negated, status = conn.execute("select negated, status from claims where claim_key = ?",
                                       [key]).fetchone()
        changes = conn.execute("select changes from decisions where claim_key = ?", [key]).fetchone()[0]
    assert (negated, status) == (1, "accepted") and '"negated"' in changes


def test_one_key_decides_the_cards_of_one_sentence_and_undo_takes_them_back(browser, extracted_db):
    with sqlite3.connect(extracted_db) as conn:
        keys = conn.execute(
            "select group_concat(claim_key) from claims where active = 1 and status = 'pending' "
            "group by pmid, subject, sent_start having count(*) >= 3 limit 1").fetchone()[0].split(",")
    with _signed_in(browser, extracted_db, "/review") as (server, page, errors):
        page.goto(server.url + f"/review?order=gene#{keys[0]}")  # a card's link opens it
        page.wait_for_function("k => document.querySelector('#card').dataset.key === k", arg=keys[0])
        page.wait_for_selector("#group:not([hidden])")
        assert f"{len(keys) - 1} more cards" in page.inner_text("#group")
        page.keyboard.press("Shift+A")
        page.wait_for_function("k => document.querySelector('#card').dataset.key !== k", arg=keys[0])
        with sqlite3.connect(extracted_db) as conn:
            statuses = {r[0] for r in conn.execute(
                f"select status from claims where claim_key in ({','.join('?' * len(keys))})", keys)}
        assert statuses == {"accepted"}
        page.keyboard.press("u")
        page.wait_for_function("k => document.querySelector('#card').dataset.key === k", arg=keys[0])
        page.wait_for_selector("#claim-status:text('pending')")
        assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        statuses = {r[0] for r in conn.execute(
            f"select status from claims where claim_key in ({','.join('?' * len(keys))})", keys)}
    assert statuses == {"pending"}


def test_the_review_page_fits_1280_px_and_no_form_control_covers_another(browser, extracted_db):
    with _signed_in(browser, extracted_db, "/review?type=gene_phenotype") as (server, page, errors):
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.keyboard.press("n")
        page.wait_for_selector("#add:not([hidden])")
        page.keyboard.type("neutropenia")
        page.wait_for_selector("#add-results li.active")
        page.keyboard.press("Enter")
        page.wait_for_selector("#add-chosen:text('HP:')")

        def overlap(a, b):
            return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                        or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
        boxes = {name: page.locator(selector).bounding_box() for name, selector in {
            "sentence": "#add-sentence", "add": "#add button[type=submit]",
            "cancel": "#add-cancel", "picker": "#add-search", "chosen": "#add-chosen"}.items()}
        assert not overlap(boxes["sentence"], boxes["add"]) and not overlap(boxes["sentence"], boxes["cancel"])
        assert not overlap(boxes["picker"], boxes["chosen"])
        # a search with no match says so
        page.fill("#add-search", "zzzzqqq")
        page.wait_for_selector("#add-results li.no-match")
        assert not errors, errors


def test_a_reversal_is_a_disagreement_and_an_existing_claim_opens_from_the_add_form(
        browser, extracted_db):
    """Review round 2 by keyboard: bob rejecting what alice accepted is logged as a
    disagreement, the status stays; adding a claim that exists opens it; both in the DB."""
    from curate import decisions
    from db.schema import connect
    with sqlite3.connect(extracted_db) as conn:
        key, pmid, subject, hpo = conn.execute(
            "select claim_key, pmid, subject, object from claims where active = 1 and "
            "type = 'gene_phenotype' and status = 'pending' order by claim_key limit 1").fetchone()
        existing = conn.execute(
            "select claim_key, object from claims where active = 1 and type = 'gene_phenotype' "
            "and pmid = ? and subject = ? and claim_key != ? limit 1", [pmid, subject, key]).fetchone()
    decisions.decide(connect(extracted_db), key, "accept", "alice", None)
    with _signed_in(browser, extracted_db, "/review", name="bob") as (server, page, errors):
        page.goto(server.url + f"/review?status=accepted#{key}")
        page.wait_for_function("k => document.querySelector('#card').dataset.key === k", arg=key)
        page.keyboard.press("r")
        page.keyboard.press("Enter")  # reject without a reason
        page.wait_for_selector("#message.error:text('disagreement')")
        assert "alice" in page.inner_text("#message")
        if existing:
            page.keyboard.press("Escape")
            page.keyboard.press("n")
            page.keyboard.type(existing[1])  # the HPO ID finds its term
            page.wait_for_selector(f"#add-results li.active[data-id='{existing[1]}']")
            page.keyboard.press("Enter")
            page.wait_for_selector("#add-chosen:not(:empty)")
            page.click("#add button[type=submit]")
            page.wait_for_function("k => document.querySelector('#card').dataset.key === k",
                                   arg=existing[0])
            assert "exists already" in page.inner_text("#message")
        assert not errors, errors
    with sqlite3.connect(extracted_db) as conn:
        status = conn.execute("select status from claims where claim_key = ?", [key]).fetchone()[0]
        log = conn.execute("select curator, decision, conflict from decisions where claim_key = ? "
                           "order by id", [key]).fetchall()
    assert status == "accepted" and log == [("alice", "accept", 0), ("bob", "reject", 1)]
