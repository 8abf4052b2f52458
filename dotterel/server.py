"""The HTTP API and the web explorer: ``dotterel serve``.

``create_app(db)`` builds a FastAPI app over a store opened read-only;
the explorer (``dotterel/web/``: plain HTML, JS and a vendored Chart.js, no
CDN) is served by the same process at ``/``; the OpenAPI spec is at
``/openapi.json``.

Endpoints (all JSON):

- ``POST /api/code``            code ``{"text", "story_date"?}`` -> ``{"events": [...]}``
- ``GET  /api/events``          filtered, paged events
- ``GET  /api/events/{id}``     one event with all its mentions
- ``GET  /api/articles/{id}``   an article's text with its events
- ``GET  /api/dyads``           country pairs: counts by quad class, mean score
- ``GET  /api/timeline``        counts per day/week/month by quad class or type
- ``GET  /api/actors``          most frequent actors/recipients
- ``GET  /api/stats``           store counts

Hardening: the store is opened read-only, per request (so that a
``dotterel run`` can write between requests; a request arriving while a
batch is written waits for it, and answers 503 only if the store stays
locked longer than ``DOTTEREL_LOCK_WAIT`` seconds, default 5); the server binds 127.0.0.1
unless told otherwise; request bodies over ``max_body`` bytes get 413
(checked on Content-Length and while reading); bad parameters get 422 with
a message; ``/api/code`` runs the coder in one worker thread and answers
504 after ``code_timeout`` seconds (the worker finishes that document in
the background: Python threads cannot be killed); CORS is off unless
origins are given; every response carries a strict Content-Security-Policy
(scripts only from this origin, no inline script), so data that reached a
page as markup still could not run.  Values from requests reach DuckDB
only as bound parameters (``query.py``); no path is built from them.
"""
from __future__ import annotations

import concurrent.futures
import json
import re
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from . import query as Q
from .store import Store, StoreBusy, date_range, lock_wait

__all__ = ["create_app", "cli_serve", "DEFAULT_CODE_TIMEOUT", "DEFAULT_MAX_BODY"]

DEFAULT_CODE_TIMEOUT = 20.0
DEFAULT_MAX_BODY = 1_000_000
MAX_PAGE = 500
WEB_DIR = Path(__file__).resolve().parent / "web"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")

_COUNTRY = r"^[A-Za-z]{3}$"
_ID = r"^[A-Za-z0-9_.:-]{1,128}$"


# ------------------------------------------------------------------ middleware
class BodyLimit:
    """ASGI middleware: 413 for a request body over ``limit`` bytes, whether
    announced by Content-Length or found while reading a chunked body."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    n = int(value)
                except ValueError:
                    return await self._reject(send, 400, "bad Content-Length")
                if n > self.limit:
                    return await self._reject(send, 413, self._msg())
        chunks: list[bytes] = []
        size = 0
        more = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await self._reject(send, 413, self._msg())
            chunks.append(body)
            more = msg.get("more_body", False)
        whole = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    def _msg(self) -> str:
        return f"request body over the limit of {self.limit} bytes"

    @staticmethod
    async def _reject(send, status: int, detail: str):
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware adding CSP and friends to every response."""

    HEADERS = [(b"content-security-policy", CSP.encode()),
               (b"x-content-type-options", b"nosniff"),
               (b"x-frame-options", b"DENY"),
               (b"referrer-policy", b"no-referrer"),
               (b"cross-origin-opener-policy", b"same-origin")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with(msg):
            if msg["type"] == "http.response.start":
                msg = dict(msg)
                msg["headers"] = list(msg.get("headers", [])) + self.HEADERS
            await send(msg)

        return await self.app(scope, receive, send_with)


# ------------------------------------------------------------------ models
class CodeRequest(BaseModel):
    text: str = Field(..., description="article text (plain text)")
    story_date: Optional[str] = Field(
        None, description="publication date YYYY-MM-DD, resolves relative dates",
        pattern=r"^\d{4}-\d{2}-\d{2}$")


def _fail(msg: str) -> HTTPException:
    return HTTPException(status_code=422, detail=msg)


def _check_date(name: str, value: Optional[str]) -> Optional[str]:
    if value is not None and date_range(value)[0] is None:
        raise _fail(f"{name}: not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")
    return value


def _check_type(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    if value.strip().upper() not in Q.plover():
        raise _fail(f"type: unknown PLOVER event type {value!r} "
                    f"(one of {', '.join(Q.plover())})")
    return value


def _check_dyad(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    parts = [p.strip().upper() for p in re.split(r"[,\-–]", value)]
    if len(parts) != 2 or not all(re.fullmatch(r"[A-Z]{3}", p) for p in parts):
        raise _fail(f"dyad: two ISO3 codes as AAA,BBB or AAA-BBB, got {value!r}")
    return parts


# ------------------------------------------------------------------ app
def create_app(db: str | Path, *, code_timeout: float = DEFAULT_CODE_TIMEOUT,
               max_body: int = DEFAULT_MAX_BODY, read_only: bool = True,
               cors_origins: Optional[list[str]] = None, warm: bool = False) -> FastAPI:
    """The API + explorer over the store ``db`` (opened read-only by default)."""
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the store is opened per request (below), so a `dotterel run` can
        # write between requests; here only to check it and read its schema
        with Store(db, read_only=read_only) as st:
            state["merged"] = Q.has_merged_events(st.con)
        # one worker: the spaCy pipeline is shared, and calls queue in order
        state["pool"] = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="dotterel-code")
        if warm:
            from .pipeline import code_text
            state["pool"].submit(code_text, "The president met the minister.").result()
        try:
            yield
        finally:
            state["pool"].shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="Dotterel", version="1", lifespan=lifespan,
                  docs_url=None, redoc_url=None,   # their pages load scripts from a CDN
                  description="PLOVER events coded from news articles, with evidence.")
    app.state.dotterel = state     # the store and the coder's worker, for inspection

    def open_store() -> Store:
        """The store, opened for one request: DuckDB lets one process hold a
        file while a writer has it, so a connection kept open would keep
        `dotterel run` out (and a run's batch would keep a kept connection
        from opening).  While a batch is being written the open retries
        with backoff, up to ``lock_wait()`` seconds, then answers 503."""
        try:
            return Store(db, read_only=read_only)
        except StoreBusy as exc:
            raise HTTPException(
                status_code=503, headers={"Retry-After": "1"},
                detail=f"the store is being written by another process and stayed "
                       f"locked for {lock_wait():g} s; try again ({exc})")

    state["open"] = open_store

    def con():
        """A connection to the store, opened for this request only."""
        st = open_store()
        try:
            yield st.con
        finally:
            st.close()

    @app.exception_handler(ValueError)
    async def _value_error(request: Request, exc: ValueError):
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        msgs = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path"))
            msgs.append(f"{loc or 'request'}: {err.get('msg')}")
        return JSONResponse(status_code=422, content={"detail": "; ".join(msgs),
                                                      "errors": json.loads(json.dumps(
                                                          exc.errors(), default=str))})

    # ---------------------------------------------------------- API
    @app.post("/api/code", summary="Code a text into PLOVER events")
    def api_code(req: CodeRequest) -> dict[str, Any]:
        from .pipeline import code_text
        if req.story_date and date_range(req.story_date)[0] is None:
            raise _fail(f"story_date: not a valid date: {req.story_date!r}")
        fut = state["pool"].submit(code_text, req.text, req.story_date)
        try:
            events = fut.result(timeout=code_timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise HTTPException(status_code=504,
                                detail=f"coding took longer than {code_timeout:g} s")
        return {"events": [e.to_dict() for e in events]}

    @app.get("/api/events", summary="Stored events, most recent first")
    def api_events(
        type: Optional[str] = Query(None, description="PLOVER event type"),
        mode: Optional[str] = Query(None, max_length=32),
        country: Optional[str] = Query(None, pattern=_COUNTRY,
                                       description="ISO3 among actors or recipients"),
        actor_country: Optional[str] = Query(None, pattern=_COUNTRY),
        recipient_country: Optional[str] = Query(None, pattern=_COUNTRY),
        dyad: Optional[str] = Query(None, description="AAA,BBB: both take part"),
        sector: Optional[str] = Query(None, pattern=r"^[A-Za-z]{2,5}$"),
        since: Optional[str] = Query(None), until: Optional[str] = Query(None),
        context: Optional[str] = Query(None, max_length=64),
        q: Optional[str] = Query(None, max_length=200,
                                 description="text in the evidence or the article"),
        limit: int = Query(50, ge=0, le=MAX_PAGE),
        offset: int = Query(0, ge=0, le=10_000_000),
        c=Depends(con),
    ) -> dict[str, Any]:
        total, rows = Q.search_events(
            c, event_type=_check_type(type), mode=mode, country=country,
            actor_country=actor_country, recipient_country=recipient_country,
            dyad=_check_dyad(dyad), sector=sector, since=_check_date("since", since),
            until=_check_date("until", until), context=context, q=q,
            limit=limit, offset=offset, merged=state["merged"] if read_only else None)
        return {"total": total, "limit": limit, "offset": offset, "events": rows}

    @app.get("/api/events/{event_id}", summary="One event with all its mentions")
    def api_event(event_id: str = PathParam(..., pattern=_ID), c=Depends(con)):
        d = Q.event_detail(c, event_id, merged=state["merged"] if read_only else None)
        if d is None:
            raise HTTPException(status_code=404, detail=f"no event {event_id!r}")
        return d

    @app.get("/api/articles/{article_id}", summary="An article's text with its events")
    def api_article(article_id: str = PathParam(..., pattern=_ID), c=Depends(con)):
        d = Q.article_detail(c, article_id)
        if d is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        return d

    @app.get("/api/dyads", summary="Country pairs: counts by quad class, mean PLOVER score")
    def api_dyads(since: Optional[str] = None, until: Optional[str] = None,
                  country: Optional[str] = Query(None, pattern=_COUNTRY),
                  type: Optional[str] = None,
                  limit: int = Query(50, ge=1, le=MAX_PAGE), c=Depends(con)):
        return {"dyads": Q.dyads(c, since=_check_date("since", since),
                                 until=_check_date("until", until), country=country,
                                 event_type=_check_type(type), limit=limit)}

    @app.get("/api/timeline", summary="Counts per period by quad class or event type")
    def api_timeline(by: str = Query("month", pattern=r"^(day|week|month|year)$"),
                     group: str = Query("quad", pattern=r"^(quad|type)$"),
                     country: Optional[str] = Query(None, pattern=_COUNTRY),
                     dyad: Optional[str] = None, type: Optional[str] = None,
                     since: Optional[str] = None, until: Optional[str] = None,
                     c=Depends(con)):
        return Q.timeline(c, by=by, group=group, country=country, dyad=_check_dyad(dyad),
                          event_type=_check_type(type), since=_check_date("since", since),
                          until=_check_date("until", until))

    @app.get("/api/actors", summary="Most frequent actors and recipients")
    def api_actors(country: Optional[str] = Query(None, pattern=_COUNTRY),
                   since: Optional[str] = None, until: Optional[str] = None,
                   limit: int = Query(20, ge=1, le=MAX_PAGE), c=Depends(con)):
        return {"actors": Q.actors(c, country=country, since=_check_date("since", since),
                                   until=_check_date("until", until), limit=limit)}

    @app.get("/api/stats", summary="What the store holds")
    def api_stats(c=Depends(con)):
        return {"articles": c.execute("SELECT count(*) FROM articles").fetchone()[0],
                "mentions": c.execute("SELECT count(*) FROM mentions").fetchone()[0],
                "merged_events": Q.has_merged_events(c),
                "plover": Q.plover()}

    # ---------------------------------------------------------- explorer
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    # outermost first: headers on every answer, the body limit before parsing
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["content-type"])
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    return app


def cli_serve(args) -> int:
    """``dotterel serve [--db FILE] [--host 127.0.0.1] [--port 8000]``."""
    import uvicorn
    if not Path(args.db).exists():
        print(f"dotterel serve: no database at {args.db} (create it with `dotterel run`)",
              file=sys.stderr)
        return 1
    try:   # fail here with one line rather than inside the server's startup
        Store(args.db, read_only=True).close()
    except Exception as exc:
        print(f"dotterel serve: cannot open {args.db}: {exc}", file=sys.stderr)
        return 1
    app = create_app(args.db, code_timeout=args.code_timeout, max_body=args.max_body,
                     cors_origins=args.cors_origin or None, warm=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"dotterel serve: listening on {args.host}: reachable from other machines",
              file=sys.stderr)
    print(f"dotterel serve: http://{args.host}:{args.port}/ (store {args.db}, read-only)",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
