"""Datasette plugin for the published site: the gene panel on the home page and a page per
gene with its summary, top phenotypes and papers per year as charts."""
from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response


def _database(datasette):
    names = [n for n in datasette.databases if n != "_internal"]
    return datasette.get_database(names[0]), names[0]


async def _rows(db, sql, params=None):
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


def _bars(rows, label, value, width=420):
    top = max([r[value] or 0 for r in rows] + [1])
    return [{**r, "bar": round(width * (r[value] or 0) / top), "label": r[label]} for r in rows]


async def gene_page(datasette, request):
    db, name = _database(datasette)
    symbol = request.url_vars["symbol"].upper()
    genes = await _rows(db, "select * from genes where symbol = :s", {"s": symbol})
    if not genes:
        raise NotFound(f"No gene or disease key {symbol!r} in this database")
    phenotypes = await _rows(db, """select s.*, p.name from gene_phenotype_summary s
        left join phenotypes p on p.hpo_id = s.hpo_id where s.subject = :s
        order by s.papers desc, s.claims desc limit 20""", {"s": symbol})
    therapies = await _rows(db, """select s.*, t.name from gene_therapy_summary s
        left join therapies t on t.key = s.therapy where s.subject = :s
        order by s.papers desc""", {"s": symbol})
    years = await _rows(db, "select year, papers, accepted_papers from papers_per_year "
                            "where subject = :s order by year", {"s": symbol})
    gene = genes[0]
    counts = {"accepted": gene["accepted_claims"], "unreviewed": gene["unreviewed_claims"],
              "papers": gene["papers"]}
    return Response.html(await datasette.render_template("gene.html", {
        "gene": gene, "database": name, "counts": counts,
        "phenotypes": _bars(phenotypes, "name", "papers"),
        "therapies": _bars(therapies, "name", "papers"),
        "years": _bars(years, "year", "papers", width=160),
    }, request=request))


def _ours(datasette) -> bool:
    # plugins register process-wide; act only on the published site (db/site/app.py)
    return getattr(datasette, "higm_app", "site") == "site"


@hookimpl
def register_routes(datasette):
    if not _ours(datasette):
        return []
    return [(r"^/gene/(?P<symbol>[A-Za-z0-9_-]+)$", gene_page)]


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
        found = {"higm_release": await _release(datasette)}
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
_DENIED_FUNCTIONS = {"zeroblob", "randomblob", "load_extension", "readfile", "writefile",
                     "edit", "fts3_tokenizer"}


def _authorizer(action, arg1, arg2, db_name, source):
    import sqlite3
    if action == sqlite3.SQLITE_FUNCTION and arg2 and arg2.lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_ATTACH:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, datasette):
    import sqlite3
    if not _ours(datasette):
        return
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000)
    conn.set_authorizer(_authorizer)
