"""Datasette plugin for the published site: the gene panel on the home page and a page per
gene with its summary, top phenotypes and papers per year as charts."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
import weakref
from urllib.parse import parse_qs, parse_qsl, unquote_plus, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from curate.datasette_errors import answer, replace_default_handler

replace_default_handler()


def _database(datasette):
    names = [n for n in datasette.databases if n != "_internal"]
    return datasette.get_database(names[0]), names[0]


async def _rows(db, sql, params=None):
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


def _bars(rows, label, value, width=420):
    top = max([r[value] or 0 for r in rows] + [1])
    return [{**r, "bar": round(width * (r[value] or 0) / top), "label": r[label]} for r in rows]


def _show_unreviewed(request) -> bool:
    return request.args.get("unreviewed") in ("1", "yes", "true", "on")


async def _phenotypes(db, subjects: list[str], unreviewed: bool) -> tuple[list, list]:
    """Affirmed phenotypes (accepted ones, or all with unreviewed) and negative findings."""
    marks = ", ".join(f":s{i}" for i in range(len(subjects)))
    params = {f"s{i}": s for i, s in enumerate(subjects)}
    count = "s.papers" if unreviewed else "s.accepted_papers"
    rows = await _rows(db, f"""select s.*, p.name, p.category_name, {count} as shown_papers
        from gene_phenotype_summary s
        left join phenotypes p on p.hpo_id = s.hpo_id where s.subject in ({marks})
          and {count} > 0
        order by s.evidence_score desc, {count} desc, s.claims desc limit 40""", params)
    # evidence in place: up to five sentences per phenotype, best first; one indexed
    # top-5 lookup per phenotype and table (a single query over the union sorted every claim
    # of the gene: half a second at a million claims)
    tables = ["claims", "unreviewed_claims"] if unreviewed else ["claims"]
    for r in rows:
        found: list = []
        for table in tables:
            if len(found) >= 5:
                break
            found += await _rows(db, f"""select pmid, year, evidence, species, study, patients,
                    frequency, hedged, curated_by, decided_at, review_status, pubmed_url from {table}
                where subject = :s and hpo_id = :h and negated = 0
                order by score desc limit {5 - len(found)}""",
                {"s": r["subject"], "h": r["hpo_id"]})
        r["evidence_rows"] = found
    negative = await _rows(db, f"""select s.subject, s.hpo_id, p.name, s.negated_claims
        from gene_phenotype_summary s left join phenotypes p on p.hpo_id = s.hpo_id
        where s.subject in ({marks}) and s.negated_claims > 0 order by s.negated_claims desc""",
        params)
    return rows, negative


def _all_years(rows: list[dict]) -> list[dict]:
    """Every year from the first to the last, zero where no paper: gaps stay visible."""
    known = {r["year"]: r for r in rows if r["year"]}
    if not known:
        return []
    return [known.get(y, {"year": y, "papers": 0, "accepted_papers": 0})
            for y in range(min(known), max(known) + 1)]


async def gene_page(datasette, request):
    db, name = _database(datasette)
    symbol = request.url_vars["symbol"].upper()
    genes = await _rows(db, "select * from genes where symbol = :s", {"s": symbol})
    if not genes:
        raise NotFound(f"No gene or disease key {symbol!r} in this database")
    unreviewed = _show_unreviewed(request)
    phenotypes, negative = await _phenotypes(db, [symbol], unreviewed)
    if request.args.get("group"):  # roll phenotypes up by organ system
        phenotypes.sort(key=lambda p: (p["category_name"] or "~", -(p["evidence_score"] or 0)))
    therapies = await _rows(db, """select s.*, t.name from gene_therapy_summary s
        left join therapies t on t.key = s.therapy where s.subject = :s
        order by s.accepted_papers desc, s.papers desc""", {"s": symbol})
    if not unreviewed:
        therapies = [t for t in therapies if t["accepted_papers"]]
    years = _all_years(await _rows(db, "select year, papers, accepted_papers from papers_per_year "
                                   "where subject = :s order by year", {"s": symbol}))
    gene = genes[0]
    counts = {"accepted": gene["accepted_claims"], "unreviewed": gene["unreviewed_claims"],
              "papers": gene["papers"],
              # an empty answer says out of how much it is empty
              "articles": (await _rows(db, "select count(*) as n from articles"))[0]["n"],
              "naming": gene["abstracts"] or 0}
    from harvest.panel import DISEASE_KEYS
    diseases = [d for d in DISEASE_KEYS.values() if d.gene == symbol or d.key == symbol]
    return Response.html(await datasette.render_template("gene.html", {
        "gene": gene, "database": name, "counts": counts, "unreviewed": unreviewed,
        "grouped": bool(request.args.get("group")),
        "phenotypes": _bars(phenotypes, "name", "shown_papers"), "negative": negative,
        "therapies": _bars(therapies, "name", "papers"), "diseases": diseases,
        "years": _bars(years, "year", "papers", width=160),
    }, request=request))


async def disease_page(datasette, request):
    """A HIGM disease entity: its gene, OMIM entry, inheritance, phenotypes and therapies."""
    from harvest.panel import DISEASE_KEYS
    key = request.url_vars["key"].upper()
    disease = DISEASE_KEYS.get(key)
    if disease is None:
        raise NotFound(f"No disease key {key!r}; known: {', '.join(DISEASE_KEYS)}")
    db, name = _database(datasette)
    subjects = [disease.gene] if disease.gene else [key]
    unreviewed = _show_unreviewed(request)
    phenotypes, negative = await _phenotypes(db, subjects, unreviewed)
    if request.args.get("group"):
        phenotypes.sort(key=lambda p: (p["category_name"] or "~", -(p["evidence_score"] or 0)))
    therapies = await _rows(db, """select s.*, t.name from gene_therapy_summary s
        left join therapies t on t.key = s.therapy where s.subject = :s
        order by s.accepted_papers desc, s.papers desc""", {"s": subjects[0]})
    if not unreviewed:
        therapies = [t for t in therapies if t["accepted_papers"]]
    return Response.html(await datasette.render_template("disease.html", {
        "disease": disease, "database": name, "unreviewed": unreviewed,
        "grouped": bool(request.args.get("group")),
        "phenotypes": _bars(phenotypes, "name", "shown_papers"), "negative": negative,
        "therapies": therapies}, request=request))


async def about_page(datasette, request):
    """How the database is built, with this release's own figures."""
    from db.publish import LEVELS, STUDY_WEIGHTS
    db, name = _database(datasette)
    releases = await _rows(db, "select * from releases")
    coverage = await _rows(db, """select symbol, kind, abstracts, papers, accepted_claims,
        unreviewed_claims from genes order by kind, abstracts desc, symbol""")
    articles = (await _rows(db, "select count(*) as n from articles"))[0]["n"]
    return Response.html(await datasette.render_template("about.html", {
        "database": name, "release": await _release(datasette), "releases": releases,
        "coverage": coverage, "articles": articles,
        "weights": STUDY_WEIGHTS, "levels": LEVELS}, request=request))


async def search_page(datasette, request):
    """One search box. A gene symbol or alias, or a disease key, is one place: it goes
    there. Anything else lists what it names (diseases by any of their names, genes, HPO
    terms by name or synonym, therapies by any of their terms) and the articles that say
    it or any name of the diseases it names, each with its accepted claims."""
    from db.site.search import (COUNT_BOUND, MAX_ARTICLES, fold, fts_query, matching_diseases,
                                matching_therapies)
    from harvest.panel import DISEASE_KEYS
    query = " ".join((request.args.get("q") or "").split())[:200]
    db, name = _database(datasette)
    if not any(c.isalnum() for c in query):  # no word to find ('"' alone was "Invalid SQL")
        return Response.redirect(datasette.urls.instance())
    upper = query.upper()
    if upper in DISEASE_KEYS:
        return Response.redirect(datasette.urls.path(f"/disease/{upper}"))
    genes = await _rows(db, "select symbol, name, aliases, higm_subtype, kind, accepted_claims, "
                            "unreviewed_claims from genes")
    for g in genes:
        aliases = [a.strip().upper() for a in (g["aliases"] or "").split(",")]
        if upper == g["symbol"] or upper in aliases:
            return Response.redirect(datasette.urls.path(f"/gene/{g['symbol']}"))
    wanted = fold(query)
    diseases = matching_diseases(query)
    disease_genes = {d.gene for d in diseases if d.gene}
    gene_hits = [g for g in genes if g["kind"] == "gene" and (
        g["symbol"] in disease_genes or (len(wanted) >= 5 and wanted in fold(g["name"] or "")))]
    match = fts_query([query])
    phenotypes = await _rows(db, """select p.hpo_id, p.name, p.synonyms,
            (select sum(s.accepted_papers) from gene_phenotype_summary s where s.hpo_id = p.hpo_id)
              as accepted_papers
        from phenotypes p join (select rowid, rank from phenotypes_fts
                                where phenotypes_fts match :q order by rank limit 20) f
          on p.rowid = f.rowid order by f.rank""", {"q": match})
    known_therapies = {r["key"] for r in await _rows(db, "select key from therapies")}
    therapy_hits = [(k, n) for k, n in matching_therapies(query) if k in known_therapies]
    # the articles: the words as typed, or any name of a disease they name
    # short names ("HIM", "A-T", "IP") are English words once FTS folds their case: only
    # longer names widen the search
    phrases = ([query] + [n for d in diseases for n in d.names if len(fold(n)) > 3]
               + [n for p in phenotypes[:3] for n in [p["name"], *(p["synonyms"] or "").split(" | ")] if n]
               + [n for _, n in therapy_hits])
    article_match = fts_query(phrases)
    # counted up to a bound: on a large database "hyper-IgM" is most of it, and a full count
    # and a ranking of every match cost more than the page may (docs/benchmarks.md)
    total = (await _rows(db, f"""select count(*) as n from (select 1 from articles_fts
        where articles_fts match :q limit {COUNT_BOUND + 1})""", {"q": article_match}))[0]["n"]
    order = "order by rank" if total <= COUNT_BOUND else "order by rowid desc"
    articles = await _rows(db, f"""select a.pmid, a.title, a.year, a.journal, a.pubmed_url
        from articles a join (select rowid from articles_fts where articles_fts match :q
                              {order} limit {MAX_ARTICLES}) f on a.rowid = f.rowid""",
                           {"q": article_match})
    if articles:
        marks = ", ".join(f":p{i}" for i in range(len(articles)))
        claims = await _rows(db, f"""select c.pmid, c.subject, c.type, c.hpo_id, c.therapy,
                c.negated, coalesce(p.name, t.name) as object_name
            from claims c left join phenotypes p on p.hpo_id = c.hpo_id
            left join therapies t on t.key = c.therapy where c.pmid in ({marks})
            order by c.subject, object_name""", {f"p{i}": a["pmid"] for i, a in enumerate(articles)})
        for a in articles:
            a["claims"] = [c for c in claims if c["pmid"] == a["pmid"]]
    counts = (await _rows(db, "select count(*) as n from articles"))[0]["n"]
    return Response.html(await datasette.render_template("search.html", {
        "database": name, "query": query, "diseases": diseases, "genes": gene_hits,
        "phenotypes": phenotypes, "therapies": therapy_hits, "articles": articles,
        "article_total": total, "article_bound": COUNT_BOUND, "article_count": counts,
        "expanded": [n for n in dict.fromkeys(d.name for d in diseases)]}, request=request))


def _ours(datasette) -> bool:
    # plugins register process-wide: act only on the app whose plugins folder this is (the
    # folder is known from Datasette's constructor on; routes are read before it returns)
    return Path(datasette.plugins_dir or "").resolve() == Path(__file__).resolve().parent


@hookimpl
def register_routes(datasette):
    if not _ours(datasette):
        return []
    return [(r"^/gene/(?P<symbol>[A-Za-z0-9_-]+)$", gene_page),
            (r"^/disease/(?P<key>[A-Za-z0-9_-]+)$", disease_page),
            (r"^/search$", search_page),
            (r"^/about$", about_page)]


PARAM_LABELS = {"gene": "Gene symbol or disease key", "hpo_id": "HPO term ID",
                "since": "Published since (year or date)"}
PARAM_EXAMPLES = {"gene": "CD40LG, AICDA, HIGM", "hpo_id": "HP:0003496", "since": "2020"}


async def _release(datasette) -> dict | None:
    db, _ = _database(datasette)
    try:
        rows = await _rows(db, "select * from release order by published desc limit 1")
    except Exception:  # a database published before releases were recorded
        return None
    return rows[0] if rows else None


@hookimpl
def extra_template_vars(template, datasette):
    if not _ours(datasette):
        return {}

    async def variables():
        found = {"higm_release": await _release(datasette),
                 "higm_param_labels": PARAM_LABELS, "higm_param_examples": PARAM_EXAMPLES}
        if template != "index.html":
            return found
        db, name = _database(datasette)
        genes = await _rows(db, """select symbol, name, higm_subtype, kind, panel, papers,
            accepted_claims as accepted, unreviewed_claims as unreviewed
            from genes order by panel desc, papers desc, symbol""")
        totals = (await _rows(db, """select (select count(*) from articles) as articles,
            (select count(*) from claims) as accepted,
            (select count(*) from unreviewed_claims) as unreviewed""")) [0]
        return {**found, "higm_genes": genes, "higm_db": name, "higm_totals": totals}
    return variables


# Nothing a researcher reads is longer than this; a query that builds a larger value (a
# zeroblob, a padded printf, a replace() amplification) fails at once with "string or blob
# too big" instead of filling the server's memory.
MAX_VALUE_BYTES = 2**20
# functions a reader never needs; fts3_tokenizer(name) with one argument stays usable
# printf/format: a huge width or precision ('%.*c' with 2^31) loops inside one C call, where
# no progress handler (Datasette's time limit) can interrupt it: 45 s per request
_DENIED_FUNCTIONS = {"zeroblob", "randomblob", "load_extension", "readfile", "writefile",
                     "edit", "fts3_tokenizer", "printf", "format"}


def _authorizer(action, arg1, arg2, db_name, source):
    if action == sqlite3.SQLITE_FUNCTION and arg2 and arg2.lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_ATTACH:
        return sqlite3.SQLITE_DENY
    # PRAGMA database_list stays allowed: Datasette's own database page runs it (denying it
    # answered /higm with 500); a reader's SQL naming it is refused before it runs
    # (asgi_wrapper), since it names the file's path on the server
    return sqlite3.SQLITE_OK


# A whole answer is bounded too: 1,000 rows of 1 MB values built a 1 GB JSON answer and a
# 5.8 GB server. Each row is counted as it is fetched (Datasette fetches through the
# connection's row factory), and the query fails past the bound, so a request holds at
# most this much of the database in memory before its JSON is built.
MAX_ANSWER_BYTES = 16 * 2**20
_ANSWERED: "weakref.WeakKeyDictionary[sqlite3.Cursor, int]" = weakref.WeakKeyDictionary()


class AnswerTooLarge(sqlite3.OperationalError):
    pass


def _bounded_row(cursor, row):
    size = sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in row)
    total = _ANSWERED.get(cursor, 0) + size
    if total > MAX_ANSWER_BYTES:
        raise AnswerTooLarge(f"answer too large: over {MAX_ANSWER_BYTES // 2**20} MB; ask for "
                             "fewer rows or columns (_size=, LIMIT) or download the database")
    _ANSWERED[cursor] = total
    return sqlite3.Row(cursor, row)


@hookimpl
def prepare_connection(conn, datasette):
    if not _ours(datasette):
        return
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, 200)
    conn.set_authorizer(_authorizer)
    conn.row_factory = _bounded_row


# The published site is read-only: anything but reading answers 405 before Datasette routes
# it (some write paths otherwise end in a 500). The server's file path is nobody's business.
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# the server's internals (file paths, threads, versions and plugins) are nobody's business
_HIDDEN_PATHS = {f"/-/{name}{suffix}" for name in ("databases", "threads", "versions", "plugins")
                 for suffix in ("", ".json")}
# what no reader's SQL or parameter may name: the pragma that lists file paths
_REFUSED_WORDS = ("database_list",)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and _ours(datasette):
                if scope["method"] not in _READ_METHODS:
                    return await _plain(send, 405, b"This database is read-only.")
                if scope["path"] in _HIDDEN_PATHS:
                    return await _plain(send, 404, b"Not found.")
                problem = _bad_arguments(scope.get("query_string", b"").decode("latin-1"))
                if problem:
                    return await _plain(send, 400, problem.encode("utf-8"))
                scope = _plain_search(scope)
            await app(scope, receive, send)
        return read_only
    return wrap


def _bad_arguments(query_string: str) -> str | None:
    """A reader's mistake in the query string, found before Datasette runs it (Datasette
    would answer 500 and log a traceback)."""
    query = unquote_plus(query_string)
    if any(word in query.lower() for word in _REFUSED_WORDS):
        return "That query names the server's files; it is not allowed here."
    args = parse_qs(query_string)
    if "_sort" in args and "_sort_desc" in args:
        return "Use _sort or _sort_desc, not both."
    for value in args.get("_through", []):
        try:
            through = json.loads(value)
        except ValueError:
            through = None
        if not (isinstance(through, dict) and {"table", "column", "value"} <= set(through)):
            return '_through takes {"table": ..., "column": ..., "value": ...}'
    return None


def _plain_search(scope: dict) -> dict:
    """A `_search=` with no word in it ('"' alone) is left out: Datasette turned it into an
    empty full-text match, answered as "Invalid SQL"."""
    raw = scope.get("query_string", b"")
    if b"_search" not in raw:
        return scope
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not k.startswith("_search") or any(c.isalnum() for c in v)]
    if len(kept) == len(pairs):
        return scope
    return {**scope, "query_string": urlencode(kept).encode("latin-1")}


async def _plain(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"allow", b"GET, HEAD, OPTIONS")]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def handle_exception(datasette, request, exception):
    """A bad `_sort` or `_facet` is the reader's mistake: a 400 with the reason, no traceback."""
    if not _ours(datasette):
        return None
    message = str(exception)
    if message.startswith(("Cannot sort", "Cannot facet", "Invalid _sort")):
        return Response.text(message, status=400)
    return answer(datasette, request, exception)
