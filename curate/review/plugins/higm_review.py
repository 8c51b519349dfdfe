"""The curators' review application, as a Datasette plugin over the working database.

Sign-in sets the app's own signed session cookie, read back by `actor_from_request` and
checked against the account; permissions go through `permission_allowed`; Datasette's CSRF
middleware (asgi-csrf) guards every POST; writes go through Datasette's single write
thread, one transaction per decision. Datasette's own pages of the working database are
closed to everyone: curators work through the review API.
"""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlencode

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from curate import accounts, agreement, decisions
from curate.datasette_errors import answer, replace_default_handler
from curate.records import SPECIES, STUDIES
from curate.review import queue
from curate.vocab_keys import therapy_keys
from harvest.panel import DISEASE_KEYS, OUTCOMES, SUBJECT_GENES

replace_default_handler()  # its traceback printing turned 404s into 500s (datasette_errors)

# Datasette's own pages of the working database (tables, rows, SQL, CSV, the download) are
# closed to everyone: it holds the curators' password hashes, and in blind two-person review
# the decisions table would show the other reviewer's decision. No review page needs them;
# curators work through the review API.
DENIED = {"view-instance", "view-database", "view-table", "view-row", "view-query",
          "execute-sql", "view-database-download"}


def _db(datasette):
    return datasette.get_database()  # the working database: the one file this app serves


def _forbidden(message="your session has ended: sign in again"):
    return Response.json({"ok": False, "error": message, "login": "/review/login"}, status=403)


SESSION_SECONDS = 12 * 3600
# wrong passwords allowed per name, and per client address, within the window before 429
THROTTLE_WINDOW = 300.0
THROTTLE_LIMITS = {"name": 5, "client": 20}
_failures: dict[str, deque] = {}
_failures_lock = threading.Lock()


def _throttled(keys: list[str]) -> bool:
    cutoff = time.monotonic() - THROTTLE_WINDOW
    with _failures_lock:
        for key in keys:
            times = _failures.get(key)
            while times and times[0] < cutoff:
                times.popleft()
            if times and len(times) >= THROTTLE_LIMITS[key.split(":", 1)[0]]:
                return True
    return False


def _record_failure(keys: list[str]) -> None:
    with _failures_lock:
        for key in keys:
            _failures.setdefault(key, deque(maxlen=max(THROTTLE_LIMITS.values()))).append(
                time.monotonic())


# the review app's own session cookie: Datasette's default `ds_actor` reader would hand any
# validly signed cookie to every plugin, whether or not its session has ended since
SESSION_COOKIE = "higm_session"


@hookimpl
def actor_from_request(datasette, request):
    """The signed-in curator: a signed, unexpired session cookie whose account identity and
    session generation are still the account's (logout, a password reset, deactivation and
    removal change them). Every handler and permission check reads `request.actor`."""
    if not _ours(datasette) or SESSION_COOKIE not in request.cookies:
        return None
    try:
        decoded = datasette.unsign(request.cookies[SESSION_COOKIE], "higm-session")
    except BadSignature:
        return None
    if not isinstance(decoded, dict) or decoded.get("e", 0) < time.time():
        return None
    claimed = decoded.get("a") or {}
    if not (isinstance(claimed, dict) and claimed.get("id") and "g" in claimed):
        return None

    async def verified():
        def check(conn):
            return accounts.get(sqlite_utils.Database(conn), claimed["id"], claimed["g"],
                                claimed.get("acct"))
        curator = await _db(datasette).execute_fn(check)
        return {**curator, "g": claimed["g"], "acct": claimed.get("acct")} if curator else None
    return verified()


def curator_required(page: bool = False, editor: bool = False):
    """Handlers for signed-in curators only (permission `higm-review`, or `higm-resolve` for
    editors): an API answers 403 with where to sign in, a page redirects to the sign-in."""
    def wrap(handler):
        # not functools.wraps: Datasette reads the route function's signature, and
        # `__wrapped__` would show it the handler's (with `curator`)
        async def checked(datasette, request):
            if not await datasette.permission_allowed(request.actor, "higm-review", default=False):
                if page:
                    target = request.path + (f"?{request.query_string}" if request.query_string else "")
                    return Response.redirect(datasette.urls.path("/review/login") + "?"
                                             + urlencode({"next": target}))
                return _forbidden()
            if editor and not await datasette.permission_allowed(request.actor, "higm-resolve",
                                                                 default=False):
                return Response.html("Only editors see the agreement figures.", status=403)
            return await handler(datasette, request, request.actor)
        checked.__name__, checked.__doc__ = handler.__name__, handler.__doc__
        return checked
    return wrap


async def _json_body(request) -> dict:
    """A JSON object body, or form fields through Datasette's own `post_vars`."""
    if "json" in request.headers.get("content-type", ""):
        try:
            data = json.loads(await request.post_body() or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            return {}  # the handler then names the missing field: a 400, not a 500
        return data if isinstance(data, dict) else {}
    return await request.post_vars()


async def login(datasette, request):
    if request.method == "POST":
        form = await _json_body(request)
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        # login CSRF: a cross-site form carries no cookie token, so require both to agree
        token = request.cookies.get("ds_csrftoken")
        if not token or form.get("csrftoken") != token:
            return Response.html(await datasette.render_template(
                "review_login.html", {"error": "The sign-in form expired; please try again."},
                request=request), status=403)
        client = request.scope.get("client") or ("?",)
        forwarded = os.environ.get("HIGM_CLIENT_IP_HEADER")
        if forwarded:
            # behind the reverse proxy the docs require, every request comes from the proxy:
            # the address it forwards is the client's (opt-in: a header anyone can send
            # means nothing without a proxy that sets it)
            sent = request.headers.get(forwarded.lower(), "").split(",")[0].strip()
            client = (sent or client[0],)
        # the name as accounts compare it: look-alikes share one budget
        keys = [f"name:{accounts.fold_name(name)}", f"client:{client[0]}"]
        if _throttled(keys):
            return Response.html(await datasette.render_template(
                "review_login.html", {"error": "Too many wrong passwords; wait a few minutes."},
                request=request), status=429)

        def fetch(conn):
            try:
                return accounts.stored_hash(sqlite_utils.Database(conn),
                                            accounts.normalise_name(name))
            except accounts.AccountError:
                return None
        record = await _db(datasette).execute_fn(fetch)
        # argon2 is CPU-heavy: keep it off the threads that serve pages
        actor = await asyncio.get_running_loop().run_in_executor(
            None, accounts.check_password, record, password)
        if actor:
            target = form.get("next") or ""
            if not (isinstance(target, str) and target.startswith("/review")
                    and not target.startswith("//")):
                target = "/review"
            response = Response.redirect(datasette.urls.path(target))
            expires = int(time.time()) + SESSION_SECONDS
            response.set_cookie(SESSION_COOKIE, datasette.sign(
                {"a": actor, "e": expires}, "higm-session"),
                httponly=True, samesite="lax", max_age=SESSION_SECONDS)
            return response
        _record_failure(keys)
        return Response.html(await datasette.render_template(
            "review_login.html", {"error": "Wrong name or password.", "next": form.get("next")},
        request=request), status=403)
    return Response.html(await datasette.render_template(
        "review_login.html", {"error": None, "next": request.args.get("next") or ""},
        request=request))


async def logout(datasette, request):
    if request.method != "POST":
        return Response.text("POST to sign out", status=405)
    curator = request.actor
    if curator is not None:  # every copy of the cookie stops working, not only this one
        await _db(datasette).execute_write_fn(
            lambda conn: accounts.end_sessions(sqlite_utils.Database(conn), curator["id"]),
            block=True)
    response = Response.redirect(datasette.urls.path("/review/login"))
    response.set_cookie(SESSION_COOKIE, "", expires=0, max_age=0)
    return response


async def home(datasette, request):
    """The working database's own index is closed: its root is the review queue."""
    return Response.redirect(datasette.urls.path("/review"))


@curator_required(page=True)
async def page(datasette, request, curator):
    return Response.html(await datasette.render_template("review.html", {
        "curator": curator, "subjects": list(SUBJECT_GENES) + list(DISEASE_KEYS),
        "therapies": sorted(therapy_keys()), "outcomes": OUTCOMES,
        "reasons": decisions.REJECT_REASONS, "orders": queue.ORDERS,
        "species": SPECIES, "studies": STUDIES,
        "filters": dict(request.args),
    }, request=request))


async def _blind(datasette) -> bool:
    return await _db(datasette).execute_fn(
        lambda conn: agreement.reviews_per_claim(sqlite_utils.Database(conn)) > 1)


@curator_required()
async def next_claim(datasette, request, curator):
    args = {k: request.args.get(k) for k in ("gene", "type", "status", "year", "curator", "exclude",
                                             "low", "order", "pmid", "after")}
    args.update(me=curator["id"], now=agreement._stamp(), blind=await _blind(datasette))
    try:
        result = await _db(datasette).execute_fn(lambda conn: queue.next_claim(conn, args))
    except ValueError as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    if result["claim_key"]:
        key = result["claim_key"]
        await _db(datasette).execute_write_fn(
            lambda conn: agreement.take_lease(sqlite_utils.Database(conn), key, curator["id"]),
            block=True)
    return Response.json({"ok": True, **result})


@curator_required()
async def claim(datasette, request, curator):
    key = request.url_vars["key"]
    blind = await _blind(datasette)
    detail = await _db(datasette).execute_fn(
        lambda conn: queue.claim_detail(conn, key, curator["id"], blind))
    if detail is None:
        return Response.json({"ok": False, "error": f"no claim {key}"}, status=404)
    return Response.json({"ok": True, **detail})


@curator_required()
async def hpo_search(datasette, request, curator):
    return Response.json({"ok": True, "terms": queue.search_hpo(request.args.get("q", ""))})


async def _write(datasette, request, action):
    curator = request.actor
    if request.method != "POST":
        return Response.json({"ok": False, "error": "use POST"}, status=405)
    data = await _json_body(request)

    def run(conn):
        return action(sqlite_utils.Database(conn), curator, data)
    try:
        result = await _db(datasette).execute_write_fn(run, block=True)
    except decisions.ClaimExists as exc:
        # the claim is there (perhaps under the model's threshold): its key opens it
        return Response.json({"ok": False, "error": str(exc), "claim_key": exc.claim_key},
                             status=409)
    except (decisions.DecisionError, ValueError, TypeError) as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    if isinstance(result, decisions.Outcome):
        body = {"ok": not result.conflict, "decision_id": result.decision_id,
                "status": result.status, "conflict": result.conflict}
        if result.conflict:
            current = result.current or {}
            body["error"] = (f"{current.get('curator')} decided this claim "
                             f"({current.get('decision')}); your decision is logged as a "
                             f"disagreement for an editor, and {current.get('curator')} is told.")
            return Response.json(body, status=409)
        return Response.json(body)
    return Response.json({"ok": True, **result})


def _base(data):
    value = data.get("base_decision_id")
    if value in (None, "", "null"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise decisions.DecisionError("base_decision_id must be a decision number") from None


@curator_required()
async def decide(datasette, request, curator):
    def action(db, curator, data):
        changes = data.get("changes") or None
        if isinstance(changes, str):
            try:
                changes = json.loads(changes)
            except json.JSONDecodeError:
                raise decisions.DecisionError("changes must be a JSON object") from None
        if "claim_keys" in data:
            # a group: one key decides every card one sentence gave, in one transaction
            outcomes = decisions.decide_group(
                db, data.get("claim_keys"), data.get("decision", ""), curator["id"],
                data.get("base_decision_ids") or {}, changes, data.get("note") or None,
                role=curator["role"], reason=data.get("reason") or None)
            return {"outcomes": [{"claim_key": key, "decision_id": o.decision_id,
                                  "status": o.status}
                                 for key, o in zip(data["claim_keys"], outcomes)]}
        return decisions.decide(db, data.get("claim_key", ""), data.get("decision", ""),
                                curator["id"], _base(data), changes, data.get("note") or None,
                                role=curator["role"], reason=data.get("reason") or None)
    return await _write(datasette, request, action)


@curator_required()
async def undo(datasette, request, curator):
    def action(db, curator, data):
        return decisions.undo(db, data.get("claim_key", ""), curator["id"])
    return await _write(datasette, request, action)


@curator_required()
async def add(datasette, request, curator):
    def action(db, curator, data):
        key = decisions.add_claim(db, curator["id"], data.get("pmid", ""), data.get("type", ""),
                                  str(data.get("subject") or "").upper(), data.get("object", ""),
                                  data.get("sentence", ""), data.get("negated") or False,
                                  data.get("hedged") or False, data.get("outcome") or None,
                                  data.get("note") or None)
        return {"claim_key": key}
    return await _write(datasette, request, action)


@curator_required(page=True, editor=True)
async def agreement_page(datasette, request, curator):
    rows = await _db(datasette).execute_fn(
        lambda conn: agreement.pairwise(sqlite_utils.Database(conn)))
    return Response.html(await datasette.render_template(
        "review_agreement.html", {"curator": curator, "rows": rows}, request=request))


@curator_required(page=True)
async def disagreements_page(datasette, request, curator):
    who, gene = request.args.get("curator") or None, request.args.get("gene") or None
    rows = await _db(datasette).execute_fn(
        lambda conn: decisions.disagreements(sqlite_utils.Database(conn), who, gene))
    return Response.html(await datasette.render_template(
        "review_disagreements.html", {"curator": curator, "rows": rows,
                                      "filters": {"curator": who or "", "gene": gene or ""},
                                      "outcomes": OUTCOMES}, request=request))


def _ours(datasette) -> bool:
    # plugins register process-wide: act only on the app whose plugins folder this is (the
    # folder is known from Datasette's constructor on; routes are read before it returns)
    return Path(datasette.plugins_dir or "").resolve() == Path(__file__).resolve().parent


@hookimpl
def register_routes(datasette):
    if not _ours(datasette):
        return []
    return [
        (r"^/$", home),
        (r"^/review$", page),
        (r"^/review/login$", login),
        (r"^/review/logout$", logout),
        (r"^/review/disagreements$", disagreements_page),
        (r"^/review/agreement$", agreement_page),
        (r"^/review/api/next$", next_claim),
        (r"^/review/api/claim/(?P<key>[0-9a-f]{1,64})$", claim),
        (r"^/review/api/hpo$", hpo_search),
        (r"^/review/api/decide$", decide),
        (r"^/review/api/undo$", undo),
        (r"^/review/api/add$", add),
    ]


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if not _ours(datasette):
        return None
    if action == "higm-review":
        return bool(actor and actor.get("id") and actor.get("role"))
    if action == "higm-resolve":
        return bool(actor and actor.get("role") == "editor")
    if action in DENIED:
        return False
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    if not _ours(datasette):
        return None
    return answer(datasette, request, exception)


@hookimpl
def menu_links(datasette, actor):
    if not _ours(datasette):
        return None
    if actor:
        return [{"href": datasette.urls.path("/review"), "label": "Review queue"},
                {"href": datasette.urls.path("/review/disagreements"), "label": "Disagreements"}]
    return [{"href": datasette.urls.path("/review/login"), "label": "Curator sign-in"}]
