"""Errors of the project's Datasette apps, answered as Datasette answers them but logged
once, through `logging`.

Datasette's default handler prints every exception's traceback with its locals when `rich`
is installed (the project's progress bars need it): 14-22 KB of log per 404, and for a path
no route matches it fails itself (rich refuses to print outside an `except` block) and the
reader gets a 500. Every `handle_exception` result is awaited, so answering first does not
stop it: `replace_default_handler` unregisters it, and `answer` (called by both apps'
`handle_exception` hooks) takes its place for our apps.
"""
from __future__ import annotations

import logging

from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

log = logging.getLogger("higm.web")


def replace_default_handler() -> None:
    from datasette.plugins import pm
    default = pm.get_plugin("datasette.handle_exception")
    if default is not None:
        pm.unregister(default)


def answer(datasette, request, exception):
    """The error page or JSON for any exception: expected client errors (404, 403, 400)
    quietly, anything else as a 500 with one logged traceback."""
    title = None
    if isinstance(exception, Base400):
        status, message = exception.status, str(exception.args[0] if exception.args else "")
    elif isinstance(exception, DatasetteError):
        status, title, message = exception.status, exception.title, exception.message
    else:
        status, message = 500, "Internal error: it is logged on the server."
        log.error("%s %s failed", request.method, request.path, exc_info=exception)

    async def inner():
        info = {"ok": False, "error": message, "status": status, "title": title}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        return Response.html(await template.render_async(
            {**info, "urls": datasette.urls, "app_css_hash": datasette.app_css_hash(),
             "menu_links": lambda: []}), status=status)
    return inner()
