"""Reliability and security probes that once failed, against the real servers and CLI."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.conftest import SNAPSHOT, Server, _copy_db, add_curator, run_higm, sign_in


@pytest.fixture(scope="module")
def work_db(tmp_path_factory) -> Path:
    """One harvested and extracted working database for the module (copied per test)."""
    path = tmp_path_factory.mktemp("security") / "work.db"
    run_higm("harvest", "--db", str(path), "--from-xml", str(SNAPSHOT))
    run_higm("extract", "--db", str(path))
    add_curator(path, "alice")
    add_curator(path, "erin", role="editor")
    return path


@pytest.fixture(scope="module")
def review(work_db):
    server = Server("review", "--db", str(work_db), path="/review/login")
    yield server, work_db
    server.stop()


@pytest.fixture(scope="module")
def site(work_db):
    published = work_db.with_name("higm.db")
    run_higm("publish", "--db", str(work_db), "--out", str(published))
    server = Server("serve", str(published))
    yield server, published
    server.stop()


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_no_curator_reads_password_hashes(review):
    """H3: SQL and _where on the working database are closed to everyone."""
    server, db = review
    client = sign_in(server.url, "alice")
    name = db.stem
    for url, params in [(f"/{name}.json", {"sql": "select name, password_hash from curators"}),
                        (f"/{name}/claims.json", {"_where": "1=(select count(*) from curators "
                                                  "where password_hash like '$argon2%')"}),
                        (f"/{name}.db", {})]:
        response = client.get(url, params=params)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "$argon2" not in response.text
    assert client.get("/review/api/next").status_code == 200  # the review API still works


def test_value_size_is_bounded_and_the_site_stays_up(site):
    """H4: one anonymous GET must not take the published site down."""
    server, published = site
    probes = ["select zeroblob(900000000)", "select zeroblob(60000000)",
              "with recursive r(x) as (select 'x' union all select x || x || x || x from r "
              "where length(x) < 100000000) select max(length(x)) from r",
              "select length(replace(hex(randomblob(1000)), 'A', hex(randomblob(500000))))",
              "select length(fts3_tokenizer('simple', x'00'))"]
    for sql in probes:
        response = httpx.get(server.url + f"/{published.stem}.json", params={"sql": sql},
                             timeout=30)
        assert 400 <= response.status_code < 500, (sql, response.status_code)
    # printf and format loop inside one C call for a huge width (no time limit reaches
    # them: 45 s per request): refused before they run
    for sql in ("select printf('%.*c', 2147483647, 'x') as v", "select format('%.*c', 60000000, 'x')"):
        padded = httpx.get(server.url + f"/{published.stem}.json", timeout=30, params={"sql": sql})
        assert padded.status_code == 400 and padded.elapsed.total_seconds() < 5, sql
    assert httpx.get(server.url + "/gene/CD40LG", timeout=10).status_code == 200
    assert _rss_kb(server.proc.pid) < 1_000_000  # under 1 GB after every probe


def test_the_database_page_works_and_internals_stay_hidden(site):
    server, published = site
    name = published.stem
    for path in (f"/{name}", f"/{name}.json"):
        page = httpx.get(server.url + path, timeout=10)
        assert page.status_code == 200, path
        assert str(published) not in page.text  # the server's file path stays private
    for path in ("/-/threads.json", "/-/versions.json", "/-/plugins.json", "/-/databases.json",
                 "/-/versions"):
        assert httpx.get(server.url + path, timeout=10).status_code == 404, path
    bad = {f"/{name}.json": {"sql": "select * from pragma_database_list()"},
           f"/{name}/claims.json": {"_sort": "pmid", "_sort_desc": "pmid"}}
    for path, params in bad.items():
        assert httpx.get(server.url + path, params=params, timeout=10).status_code == 400
    for through in ("{}", '{"table": 1}', "not json"):
        answer = httpx.get(server.url + f"/{name}/claims.json", params={"_through": through},
                           timeout=10)
        assert answer.status_code == 400 and "_through" in answer.text


def test_outputs_never_overwrite_the_working_database(work_db, tmp_path):
    """H5: same file, symlink or hard link: refused, nothing lost."""
    db = tmp_path / "w.db"
    _copy_db(work_db, db)
    link = tmp_path / "link.db"
    link.symlink_to(db)
    hard = tmp_path / "hard.db"
    hard.hardlink_to(db)
    before = db.read_bytes()
    for args in (["publish", "--db", str(db), "--out", str(db)],
                 ["publish", "--db", str(db), "--out", str(link)],
                 ["publish", "--db", str(db), "--out", str(hard)],
                 ["decisions", "export", str(db), "--db", str(db)],
                 ["export", "claims", "--db", str(db), "--out", str(hard)]):
        result = run_higm(*args, check=False)
        assert result.returncode == 1 and "is the input" in result.stderr, args
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_sessions_end_on_logout_reset_and_deactivation(review):
    """M1: a replayed cookie stops working after logout, a password reset or deactivation."""
    server, db = review
    add_curator(db, "dora")
    client = sign_in(server.url, "dora")
    cookie = client.cookies["higm_session"]
    replay = httpx.Client(base_url=server.url, cookies={"higm_session": cookie})
    assert replay.get("/review/api/next").status_code == 200
    client.post("/review/logout")
    assert replay.get("/review/api/next").status_code == 403
    client = sign_in(server.url, "dora")
    replay = httpx.Client(base_url=server.url, cookies={"higm_session": client.cookies["higm_session"]})
    run_higm("curators", "add", "dora", "--db", str(db), "--reset", "--password-stdin",
             input="correct horse\n")
    assert replay.get("/review/api/next").status_code == 403
    client = sign_in(server.url, "dora")
    replay = httpx.Client(base_url=server.url, cookies={"higm_session": client.cookies["higm_session"]})
    run_higm("curators", "deactivate", "dora", "--db", str(db))
    assert replay.get("/review/api/next").status_code == 403
    listing = run_higm("curators", "list", "--db", str(db)).stdout
    assert re.search(r"dora\tcurator\tdeactivated", listing)


def test_a_removed_curator_added_again_is_another_account(review):
    """Round 2: the session generation restarted at 0 and the old cookie opened the new
    account; sessions are bound to the account's identity now."""
    server, db = review
    add_curator(db, "frank")
    client = sign_in(server.url, "frank")
    replay = httpx.Client(base_url=server.url, cookies={"higm_session": client.cookies["higm_session"]})
    client.post("/review/logout")
    run_higm("curators", "remove", "frank", "--db", str(db))
    add_curator(db, "frank", role="editor")
    for path in ("/review/api/next", "/review/agreement"):
        assert replay.get(path).status_code in (302, 403), path
    fresh = sign_in(server.url, "frank")
    assert fresh.get("/review/api/next").status_code == 200


def test_names_are_compared_case_folded_everywhere(review):
    """Round 2: 'ＥRIN' kept trying after 'erin' was throttled; 'ALICE' was a second alice."""
    server, db = review
    clash = run_higm("curators", "add", "ALICE", "--db", str(db), "--password-stdin",
                     input="another horse\n", check=False)
    assert clash.returncode == 1 and "exists" in clash.stderr
    assert sign_in(server.url, "ＡＬＩＣＥ").get("/review/api/next").status_code == 200
    add_curator(db, "gina")
    anonymous = httpx.Client(base_url=server.url)
    page = anonymous.get("/review/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    statuses = []
    for name in ("gina", "GINA", "ｇｉｎａ", "Gina", "gina ", "gInA"):
        statuses.append(anonymous.post("/review/login", data={
            "csrftoken": token, "name": name, "password": "wrong password"}).status_code)
    assert statuses[:5] == [403] * 5 and statuses[5] == 429
    right = anonymous.post("/review/login", data={"csrftoken": token, "name": "ＧＩＮＡ",
                                                  "password": "correct horse"})
    assert right.status_code == 429  # the look-alike shares the throttled name's budget


def test_login_is_throttled_and_needs_its_csrf_token(review):
    """M5 and login CSRF."""
    server, db = review
    forged = httpx.post(server.url + "/review/login",
                        data={"name": "alice", "password": "correct horse"})
    assert forged.status_code == 403 and "higm_session" not in forged.cookies
    add_curator(db, "mallory")
    client = httpx.Client(base_url=server.url)
    token = re.search(r'name="csrftoken" value="([^"]+)"',
                      client.get("/review/login").text).group(1)
    codes = [client.post("/review/login", data={"csrftoken": token, "name": "mallory",
                                                "password": f"wrong {i}"}).status_code
             for i in range(7)]
    assert codes[:5] == [403] * 5 and codes[-1] == 429
    right = client.post("/review/login", data={"csrftoken": token, "name": "mallory",
                                               "password": "correct horse"})
    assert right.status_code == 429  # still throttled, even with the right password


def test_curator_reset_keeps_the_role_and_needs_an_account(work_db, tmp_path):
    """M8, and look-alike names and blank passwords."""
    db = tmp_path / "w.db"
    _copy_db(work_db, db)
    run_higm("curators", "add", "erin", "--db", str(db), "--reset", "--password-stdin",
             input="new password\n")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select role from curators where name = 'erin'").fetchone()[0] == "editor"
    unknown = run_higm("curators", "add", "nobody", "--db", str(db), "--reset",
                       "--password-stdin", input="a password\n", check=False)
    assert unknown.returncode == 1 and "no curator" in unknown.stderr
    lookalike = run_higm("curators", "add", "\u0430lice", "--db", str(db), "--password-stdin",
                         input="a password\n", check=False)
    assert lookalike.returncode == 1
    spaces = run_higm("curators", "add", "zed", "--db", str(db), "--password-stdin",
                      input="          \n", check=False)
    assert spaces.returncode == 1 and "other than spaces" in spaces.stderr


@pytest.mark.parametrize("body", [
    {"claim_key": "x", "decision": "accept", "base_decision_id": "abc"},
    {"claim_key": "x", "decision": "edit", "changes": "not json"},
    {"claim_key": "x", "decision": "edit", "changes": ["a"]},
    {"claim_key": "f" * 65, "decision": "accept"},
])
def test_malformed_review_requests_answer_400(review, body):
    server, db = review
    client = sign_in(server.url, "alice")
    assert client.post("/review/api/decide", json=body).status_code == 400


def test_cli_errors_are_one_line(tmp_path):
    """Low: a file that is not SQLite, a missing directory, a newer schema."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    for args in (["extract", "--db", str(junk)], ["publish", "--db", str(junk), "--out",
                                                   str(tmp_path / "o.db")],
                 ["harvest", "--db", str(tmp_path / "no" / "dir.db"), "--from-xml",
                  str(SNAPSHOT)]):
        result = run_higm(*args, check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr, (args, result.stderr)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute("pragma user_version = 999")
    result = run_higm("extract", "--db", str(newer), check=False)
    assert result.returncode == 1 and "newer than this program" in result.stderr


def test_behind_a_proxy_each_forwarded_client_has_its_own_budget(work_db, monkeypatch):
    monkeypatch.setenv("HIGM_CLIENT_IP_HEADER", "X-Forwarded-For")
    server = Server("review", "--db", str(work_db), path="/review/login")
    try:
        client = httpx.Client(base_url=server.url)
        token = re.search(r'name="csrftoken" value="([^"]+)"',
                          client.get("/review/login").text).group(1)

        def attempt(address, name, password):
            return client.post("/review/login", headers={"X-Forwarded-For": address},
                               data={"csrftoken": token, "name": name, "password": password})
        for i in range(20):  # twenty names, one address: the address budget is spent
            assert attempt("10.0.0.1", f"nobody{i}", "wrong password").status_code == 403
        assert attempt("10.0.0.1", "erin", "correct horse").status_code == 429
        assert attempt("10.0.0.2, 10.9.9.9", "erin", "correct horse").status_code == 302
    finally:
        server.stop()


def test_tables_stay_closed_to_old_cookies_and_blind_review(review):
    """Round 2: /work/decisions.csv showed the other reviewer's decision; signed-out
    cookies still read claims as a table."""
    server, db = review
    name = db.stem
    client = sign_in(server.url, "alice")
    key = client.get("/review/api/next").json()["claim_key"]
    for table in ("decisions", "claim_leases", "curators", "review_settings"):
        for suffix in (".json", ".csv", ""):
            answer = client.get(f"/{name}/{table}{suffix}", params={"claim_key": key})
            assert answer.status_code in (403, 404), (table, suffix, answer.status_code)
    assert client.get(f"/{name}/claims.json").status_code == 403  # no page needs it
    replay = httpx.Client(base_url=server.url, cookies={"higm_session": client.cookies["higm_session"]})
    client.post("/review/logout")
    for path in (f"/{name}/claims.json", f"/{name}/claims.csv", f"/{name}/articles.json", f"/{name}"):
        assert replay.get(path).status_code == 403, path


def test_whole_answers_are_bounded_four_at_once(site):
    """Round 2: a recursive query of 1,000 rows x 1 MB built a 1 GB answer (5.8 GB server)."""
    from concurrent.futures import ThreadPoolExecutor
    server, published = site
    name = published.stem
    huge = ("with recursive r(n, x) as (select 1, (select group_concat(abstract) from articles) "
            "union all select n + 1, x from r where n < 1000) select n, x, x, x, x, x, x, x, x from r")
    wide = ("with recursive r(n, x) as (select 1, substr("
            "(select group_concat(abstract || abstract || abstract) from articles), 1, 1000000) "
            "union all select n + 1, x from r where n < 1000) select x from r")

    def probe(sql):
        return httpx.get(server.url + f"/{name}.json", params={"sql": sql}, timeout=60)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(probe, [huge, huge, wide, huge]))
    for answer in answers:
        assert answer.status_code == 400 and "answer too large" in answer.text, answer.text[:200]
    assert httpx.get(server.url + "/gene/CD40LG", timeout=10).status_code == 200
    assert _rss_kb(server.proc.pid) < 400_000  # under 400 MB with four such answers at once
    # an ordinary large answer still comes whole
    rows = httpx.get(server.url + f"/{name}/articles.json", params={"_size": "max"}, timeout=30)
    assert rows.status_code == 200 and len(rows.json()["rows"]) > 50
