"""Store: coded articles and their events in an embedded DuckDB file.

Only this module knows SQL.  Every value from a user or an article reaches
DuckDB as a bound parameter or through a registered Arrow table, never
formatted into a statement.

Tables (schema version 2):

- ``articles``: one row per coded article, keyed by ``Article.id`` (the
  content hash), so the same text read twice is stored once.
- ``mentions``: one row per coded event as one article states it, keyed by
  ``Event.id``; the entity lists and the location are kept whole as JSON,
  and flattened into ``actor_countries`` / ``recipient_countries`` /
  ``actor_names`` / ``location_country`` for filtering.  ``date`` is the
  ISO date as coded (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``);
  ``date_start`` / ``date_end`` are the first and last day it covers.
- ``events`` (version 2): mentions of one act merged across articles
  (``dedup.merge_mentions``: same type, same actor and recipient country
  sets, compatible names, dates within ``window_days``), with mention /
  article / source counts, first and last seen dates, PLOVER quad class
  and score; ``mentions.event_id`` links each mention to its event.  The
  events of a merge key are recomputed from all its mentions whenever one
  is added, so they depend only on what is stored, not on arrival order.
- ``articles`` also keeps (version 2) ``seq`` (arrival order), ``minhash``
  (the MinHash signature) and ``dup_root`` (the id of the first article of
  its near-duplicate group), so a later run rebuilds the LSH index.
- ``mention_dyads`` / ``mention_counts`` (version 3): read-side tables
  written in the same transaction as the mentions they derive from: one
  row per unordered pair ``a < b`` of distinct countries taking part in a
  mention (``dotterel.query``'s dyads), and mention counts per event type
  and date range (its overview timeline).  Mentions are never rewritten,
  so merging does not touch them.
- ``schema_version``: the versions applied (``_MIGRATIONS``).

API::

    with Store("dotterel.duckdb") as st:
        if not st.has_article(article.id):
            st.add(article, events)             # one transaction
        st.add_batch([(article, events), ...])  # one transaction per batch
        st.query_events(event_type="CONSULT", country="AZE",
                        since="2025-01-01", until="2025-12-31", limit=200)
        st.counts()                             # {"articles": n, "mentions": n}
        st.query_merged(country="AZE")          # merged events, same filters
        st.get_event("me_...")                  # one merged event + its mentions

``cli_run`` and ``cli_events`` are the ``dotterel run`` / ``dotterel
events`` commands.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import contextlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .dedup import (WINDOW_DAYS, DuplicateIndex, merge_key, merge_mentions, sig_from_bytes,
                    sig_to_bytes, signature, summarise_event)
from .model import Article, Event

try:
    import fcntl
except ImportError:   # not POSIX: no gate, DuckDB's own lock still refuses conflicts
    fcntl = None  # type: ignore[assignment]

__all__ = ["Store", "StoreBusy", "SCHEMA_VERSION", "date_range", "run_lock", "lock_wait",
           "cli_run", "cli_events"]

# Each entry takes the schema from version i to i + 1; append, never edit.
# An entry is SQL statements, or a callable taking the Store (data backfill).
_MIGRATIONS: list[list[Any]] = [
    [
        """CREATE TABLE articles (
            id           VARCHAR PRIMARY KEY,
            doc          VARCHAR,
            story_date   VARCHAR,
            source       VARCHAR,
            language     VARCHAR,
            headline     VARCHAR,
            url          VARCHAR,
            duplicate_of VARCHAR,
            text         VARCHAR,
            coded_at     TIMESTAMP
        )""",
        """CREATE TABLE mentions (
            id                  VARCHAR PRIMARY KEY,
            article_id          VARCHAR NOT NULL,
            doc                 VARCHAR,
            event_type          VARCHAR NOT NULL,
            mode                VARCHAR,
            actor               JSON,
            recipient           JSON,
            actor_countries     VARCHAR[],
            recipient_countries VARCHAR[],
            actor_names         VARCHAR[],
            date                VARCHAR,
            date_start          DATE,
            date_end            DATE,
            location            JSON,
            location_country    VARCHAR,
            contexts            VARCHAR[],
            salience            VARCHAR,
            evidence            VARCHAR,
            evidence_start      INTEGER,
            evidence_end        INTEGER
        )""",
    ],
    # 2: near-duplicates (signatures, arrival order, group root) and merged
    # events linked from their mentions; a store at version 1 is backfilled
    [
        "ALTER TABLE articles ADD COLUMN seq BIGINT",
        "ALTER TABLE articles ADD COLUMN dup_root VARCHAR",
        "ALTER TABLE articles ADD COLUMN minhash BLOB",
        "ALTER TABLE mentions ADD COLUMN merge_key VARCHAR",
        "ALTER TABLE mentions ADD COLUMN recipient_names VARCHAR[]",
        "ALTER TABLE mentions ADD COLUMN event_id VARCHAR",
        """CREATE TABLE events (
            id                  VARCHAR PRIMARY KEY,
            merge_key           VARCHAR NOT NULL,
            event_type          VARCHAR NOT NULL,
            mode                VARCHAR,
            actor               JSON,
            recipient           JSON,
            actor_countries     VARCHAR[],
            recipient_countries VARCHAR[],
            actor_names         VARCHAR[],
            date                VARCHAR,
            date_start          DATE,
            date_end            DATE,
            first_seen          DATE,
            last_seen           DATE,
            location            JSON,
            location_country    VARCHAR,
            contexts            VARCHAR[],
            mention_count       INTEGER,
            article_count       INTEGER,
            source_count        INTEGER,
            quad_class          VARCHAR,
            score               DOUBLE
        )""",
        lambda st: st._backfill_v2(),
    ],
    # 3: read-side tables kept at write time (``dotterel.query``'s dyad and
    # timeline questions without scanning every mention's country lists):
    # one row per unordered pair of distinct countries taking part in a
    # mention, and mention counts per (type, first day, last day)
    [
        """CREATE TABLE mention_dyads (
            mention_id VARCHAR NOT NULL,
            a          VARCHAR NOT NULL,
            b          VARCHAR NOT NULL,
            event_type VARCHAR NOT NULL,
            date_start DATE,
            date_end   DATE
        )""",
        """CREATE TABLE mention_counts (
            event_type VARCHAR NOT NULL,
            date_start DATE,
            date_end   DATE,
            n          BIGINT NOT NULL
        )""",
        lambda st: st.rebuild_derived(),
    ],
]
SCHEMA_VERSION = len(_MIGRATIONS)

_ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("doc", pa.string()), ("story_date", pa.string()),
    ("source", pa.string()), ("language", pa.string()), ("headline", pa.string()),
    ("url", pa.string()), ("duplicate_of", pa.string()), ("text", pa.string()),
    ("coded_at", pa.timestamp("us")),
    ("seq", pa.int64()), ("dup_root", pa.string()), ("minhash", pa.binary()),
])
_MENTION_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("doc", pa.string()),
    ("event_type", pa.string()), ("mode", pa.string()),
    ("actor", pa.string()), ("recipient", pa.string()),
    ("actor_countries", pa.list_(pa.string())),
    ("recipient_countries", pa.list_(pa.string())),
    ("actor_names", pa.list_(pa.string())),
    ("date", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("location", pa.string()), ("location_country", pa.string()),
    ("contexts", pa.list_(pa.string())), ("salience", pa.string()),
    ("evidence", pa.string()), ("evidence_start", pa.int32()), ("evidence_end", pa.int32()),
    ("merge_key", pa.string()), ("recipient_names", pa.list_(pa.string())),
])
_EVENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("merge_key", pa.string()), ("event_type", pa.string()),
    ("mode", pa.string()), ("actor", pa.string()), ("recipient", pa.string()),
    ("actor_countries", pa.list_(pa.string())),
    ("recipient_countries", pa.list_(pa.string())),
    ("actor_names", pa.list_(pa.string())),
    ("date", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("first_seen", pa.date32()), ("last_seen", pa.date32()),
    ("location", pa.string()), ("location_country", pa.string()),
    ("contexts", pa.list_(pa.string())), ("mention_count", pa.int32()),
    ("article_count", pa.int32()), ("source_count", pa.int32()),
    ("quad_class", pa.string()), ("score", pa.float64()),
])
# columns stored as JSON arrive as text and are cast on insert
_JSON_COLS = {"actor", "recipient", "location"}

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_range(value: Optional[str]) -> tuple[Optional[_dt.date], Optional[_dt.date]]:
    """First and last day an ISO date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``)
    covers; ``(None, None)`` for None or anything else."""
    if not value:
        return None, None
    m = _DATE_RE.match(value.strip())
    if not m:
        return None, None
    y = int(m.group(1))
    try:
        if m.group(3):
            d = _dt.date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            return _dt.date(y, mo, 1), _dt.date(y, mo, calendar.monthrange(y, mo)[1])
        return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    except ValueError:
        return None, None


def _countries(ents) -> list[str]:
    seen: list[str] = []
    for e in ents:
        if e.country and e.country not in seen:
            seen.append(e.country)
    return seen


def _insert_sql(table: str, schema: pa.Schema, source: str, ignore: bool) -> str:
    # identifiers here are this module's constants, never user input
    cols = ", ".join(schema.names)
    sel = ", ".join(f"CAST({c} AS JSON)" if c in _JSON_COLS else c for c in schema.names)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return f"{verb} INTO {table} ({cols}) SELECT {sel} FROM {source}"


def _dyad_rows_sql(source: str, order: bool = False) -> str:
    """INSERT of ``mention_dyads`` rows for the mentions in ``source`` (a
    mentions-shaped table): each unordered pair ``a < b`` of distinct
    countries among a mention's actor and recipient countries."""
    return ("INSERT INTO mention_dyads (mention_id, a, b, event_type, date_start, date_end) "
            "SELECT p.id, t1.a, t2.b, p.event_type, p.date_start, p.date_end FROM ("
            "SELECT id, event_type, date_start, date_end, list_distinct(list_concat("
            "coalesce(actor_countries, []), coalesce(recipient_countries, []))) AS cs "
            f"FROM {source}) p, unnest(p.cs) AS t1(a), unnest(p.cs) AS t2(b) "
            "WHERE t1.a < t2.b" + (" ORDER BY t1.a, t2.b, p.date_start" if order else ""))


def _add_counts(con, source: str) -> None:
    """Add the mentions in ``source`` to ``mention_counts`` (one row per
    type and date range: existing rows grow, new ones are appended)."""
    agg = (f"SELECT event_type, date_start, date_end, count(*) AS n FROM {source} "
           "GROUP BY event_type, date_start, date_end")
    same = ("c.event_type = d.event_type AND c.date_start IS NOT DISTINCT FROM d.date_start "
            "AND c.date_end IS NOT DISTINCT FROM d.date_end")
    con.execute(f"UPDATE mention_counts c SET n = c.n + d.n FROM ({agg}) d WHERE {same}")
    con.execute(f"INSERT INTO mention_counts SELECT d.* FROM ({agg}) d "
                f"WHERE NOT EXISTS (SELECT 1 FROM mention_counts c WHERE {same})")


def _filters(event_type, country, since, until) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if event_type:
        where.append("event_type = ?")
        params.append(event_type.strip().upper())
    if country:
        where.append("(list_contains(actor_countries, ?) OR list_contains(recipient_countries, ?))")
        code = country.strip().upper()
        params += [code, code]
    period_filters(since, until, where, params)
    return where, params


def period_filters(since: Optional[str], until: Optional[str], where: list[str],
                   params: list[Any], prefix: str = "") -> None:
    """Conditions keeping rows whose date range overlaps [since, until]
    (ISO dates, possibly partial); ``prefix`` qualifies the columns ("m.")."""
    for name, value, col, op in (("since", since, "date_end", ">="),
                                 ("until", until, "date_start", "<=")):
        if not value:
            continue
        first, last = date_range(value)
        bound = first if name == "since" else last
        if bound is None:
            raise ValueError(f"{name}: not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")
        where.append(f"{prefix}{col} {op} ?")
        params.append(bound)


def _dicts(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _event_row(d: dict[str, Any]) -> dict[str, Any]:
    """A merged events row as plain JSON-able values."""
    for col in _JSON_COLS:
        if col in d:
            d[col] = json.loads(d[col]) if d[col] is not None else None
    for col in ("date_start", "date_end", "first_seen", "last_seen"):
        if isinstance(d.get(col), _dt.date):
            d[col] = d[col].isoformat()
    for col in ("contexts", "actor_countries", "recipient_countries", "actor_names", "mentions"):
        if col in d:
            d[col] = list(d[col] or [])
    d.pop("merge_key", None)
    return d


# ---------------------------------------------------------------- locking
# DuckDB lets one process open a file while a writer has it (its lock keeps
# other processes' readers out too), and fails at once rather than waits.
# So writers keep the file open briefly (``dotterel run``: one batch), and
# every open retries with a short backoff while the file is locked.  A gate
# file (``<db>.gate``) keeps a writer from starving behind overlapping
# readers: a writer holds it exclusively while it waits and writes, and a
# reader passes through it (takes and drops it) before opening, so new
# readers queue behind a waiting writer instead of keeping the file busy.
# ``run_lock`` (``<db>.lock``) keeps a second ``dotterel run`` out of a
# database a run is writing, for the whole run.

class StoreBusy(RuntimeError):
    """The database stayed locked by another process for the whole wait."""


def lock_wait() -> float:
    """Seconds an open retries while another process holds the database
    (``DOTTEREL_LOCK_WAIT``, default 5)."""
    try:
        return max(0.0, float(os.environ.get("DOTTEREL_LOCK_WAIT", "5")))
    except ValueError:
        return 5.0


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(exc)
    return "Conflicting lock" in msg or "Could not set lock" in msg


def _try_flock(fd: int, exclusive: bool = True) -> bool:
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        return True
    except (BlockingIOError, PermissionError):
        return False


def _connect(st: "Store", wait: float) -> "duckdb.DuckDBPyConnection":
    """Open ``st.path``, retrying with backoff for up to ``wait`` seconds
    while another process holds it; a writer takes the gate first (kept in
    ``st._gate`` until close), a reader passes through it."""
    if st.path == ":memory:":
        return duckdb.connect(st.path, read_only=st.read_only)
    deadline = time.monotonic() + wait
    delay = 0.005
    gate = None
    if fcntl is not None:
        try:
            gate = os.open(st.path + ".gate", os.O_RDONLY if st.read_only
                           else os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:   # a reader in a read-only folder: no gate, retries alone
            gate = None
    last: Optional[BaseException] = None
    try:
        while True:
            if gate is None or _try_flock(gate):
                if gate is not None and not st.read_only and last is None:
                    os.ftruncate(gate, 0)   # who holds the gate, for waiting readers
                    os.pwrite(gate, str(os.getpid()).encode(), 0)
                try:
                    con = duckdb.connect(st.path, read_only=st.read_only)
                except duckdb.Error as exc:
                    if not _is_lock_error(exc):
                        raise
                    last = exc
                    if gate is not None and st.read_only:
                        fcntl.flock(gate, fcntl.LOCK_UN)
                else:
                    if gate is not None:
                        if st.read_only:
                            os.close(gate)
                        else:
                            st._gate = gate   # held until close()
                        gate = None
                    return con
            if time.monotonic() >= deadline:
                if last is not None:
                    holder = str(last)
                else:
                    pid = os.pread(gate, 32, 0).decode("ascii", "replace").strip() \
                        if gate is not None else ""
                    holder = "Conflicting lock is held by a writer" + (
                        f" (PID {pid})" if pid.isdigit() else "")
                raise StoreBusy(f"{st.path} stayed locked by another process for "
                                f"{wait:g} s ({holder})")
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.025)
    finally:
        if gate is not None:
            os.close(gate)


@contextlib.contextmanager
def run_lock(db: str | Path):
    """Hold ``<db>.lock`` for a whole ``dotterel run``: a second run on the
    same database raises StoreBusy at once, naming the holder's PID."""
    path = str(db)
    if fcntl is None or path == ":memory:":
        yield
        return
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_flock(fd):
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise StoreBusy(f"Conflicting lock is held by a dotterel run"
                            + (f" (PID {pid})" if pid.isdigit() else ""))
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)   # releases the lock


class Store:
    """An embedded DuckDB store; use as a context manager (or call close())."""

    def __init__(self, path: str | Path, read_only: bool = False,
                 window_days: int = WINDOW_DAYS, wait: Optional[float] = None):
        self.path = str(path)
        self.read_only = read_only
        self.window_days = window_days
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise FileNotFoundError(f"no database at {self.path}")
        self._gate: Optional[int] = None
        self.con = _connect(self, lock_wait() if wait is None else wait)
        try:
            self._migrate()
        except Exception:
            self.close()
            raise

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            if self._gate is not None:   # a writer lets readers in again
                os.close(self._gate)
                self._gate = None

    def _version(self) -> int:
        have = self.con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = 'schema_version' AND table_schema = 'main'").fetchone()[0]
        if not have:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema version {version}; this dotterel "
                               f"knows up to {SCHEMA_VERSION} (upgrade dotterel)")
        if version == SCHEMA_VERSION:
            return
        if self.read_only:
            raise RuntimeError(f"{self.path} is not a dotterel database at schema version "
                               f"{SCHEMA_VERSION} (found {version})")
        self.con.execute("BEGIN")
        try:
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                             "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
            for v in range(version, SCHEMA_VERSION):
                for stmt in _MIGRATIONS[v]:
                    if callable(stmt):
                        stmt(self)
                    else:
                        self.con.execute(stmt)
                self.con.execute("INSERT INTO schema_version VALUES (?, ?)",
                                 [v + 1, _dt.datetime.now()])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------ writing
    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?",
                                [article_id]).fetchone() is not None

    def stored_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Those of ``article_ids`` already stored (one query)."""
        if not article_ids:
            return set()
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [list(article_ids)]).fetchall()
        return {r[0] for r in rows}

    def add(self, article: Article, events: Iterable[Event]) -> tuple[int, int]:
        """Store one article and its events in one transaction; see add_batch."""
        return self.add_batch([(article, list(events))])

    def add_batch(self, pairs: Iterable[tuple[Article, Iterable[Event]]]) -> tuple[int, int]:
        """Store (article, events) pairs in one transaction.

        Idempotent: an article already stored (or repeated within the batch)
        adds nothing, its events included.  An article without an id gets
        the content hash ``clean.article_id`` gives; an event without an id
        gets ``Event.make_id()``.  Returns (articles added, mentions added).
        """
        pairs = [(a, list(evs)) for a, evs in pairs]
        if not pairs:
            return 0, 0
        for art, _ in pairs:
            if not art.id:
                from .clean import article_id
                art.id = article_id(art.text)
        stored = self.stored_ids([a.id for a, _ in pairs])
        now = _dt.datetime.now()
        arts: dict[str, list] = {n: [] for n in _ARTICLE_SCHEMA.names}
        ments: dict[str, list] = {n: [] for n in _MENTION_SCHEMA.names}
        seen_arts: set[str] = set()
        seen_ments: set[str] = set()
        keys: set[str] = set()
        for art, evs in pairs:
            if art.id in stored or art.id in seen_arts:
                continue
            seen_arts.add(art.id)
            for name, value in (("id", art.id), ("doc", art.doc), ("story_date", art.story_date),
                                ("source", art.source), ("language", art.language),
                                ("headline", art.headline), ("url", art.url),
                                ("duplicate_of", art.duplicate_of), ("text", art.text),
                                ("coded_at", now), ("seq", getattr(art, "dedup_seq", None)),
                                ("dup_root", getattr(art, "dedup_root", None)),
                                ("minhash", getattr(art, "minhash", None))):
                arts[name].append(value)
            for ev in evs:
                ev.article_id = art.id
                if not ev.id:
                    ev.make_id()
                if ev.id in seen_ments:
                    continue
                seen_ments.add(ev.id)
                start, end = date_range(ev.date)
                loc = ev.location
                row = {
                    "id": ev.id, "article_id": art.id, "doc": ev.doc or art.doc,
                    "event_type": ev.event_type, "mode": ev.mode,
                    "actor": json.dumps([e.to_dict() for e in ev.actor], ensure_ascii=False),
                    "recipient": json.dumps([e.to_dict() for e in ev.recipient],
                                            ensure_ascii=False),
                    "actor_countries": _countries(ev.actor),
                    "recipient_countries": _countries(ev.recipient),
                    "actor_names": [e.name for e in ev.actor if e.name],
                    "date": ev.date, "date_start": start, "date_end": end,
                    "location": json.dumps(loc.to_dict(), ensure_ascii=False) if loc else None,
                    "location_country": loc.country if loc else None,
                    "contexts": list(ev.contexts), "salience": ev.salience,
                    "evidence": ev.evidence, "evidence_start": ev.evidence_start,
                    "evidence_end": ev.evidence_end,
                    "merge_key": merge_key(ev.event_type, _countries(ev.actor),
                                           _countries(ev.recipient)),
                    "recipient_names": [e.name for e in ev.recipient if e.name],
                }
                keys.add(row["merge_key"])
                for name in _MENTION_SCHEMA.names:
                    ments[name].append(row[name])
        if not seen_arts:
            return 0, 0
        art_tbl = pa.Table.from_pydict(arts, schema=_ARTICLE_SCHEMA)
        ment_tbl = pa.Table.from_pydict(ments, schema=_MENTION_SCHEMA)
        con = self.con
        con.execute("BEGIN")
        try:
            # an event id is derived from its article's id, so a clash means
            # the very same event: keep the stored one (and count it once)
            known = [r[0] for r in con.execute(
                "SELECT id FROM mentions WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [ments["id"]]).fetchall()] if ments["id"] else []
            if known:
                ment_tbl = ment_tbl.filter(pc.invert(pc.is_in(ment_tbl["id"],
                                                              value_set=pa.array(known))))
            con.register("_dotterel_new_articles", art_tbl)
            con.register("_dotterel_new_mentions", ment_tbl)
            con.execute(_insert_sql("articles", _ARTICLE_SCHEMA, "_dotterel_new_articles",
                                    ignore=False))
            con.execute(_insert_sql("mentions", _MENTION_SCHEMA, "_dotterel_new_mentions",
                                    ignore=True))
            con.execute(_dyad_rows_sql("_dotterel_new_mentions"))
            _add_counts(con, "_dotterel_new_mentions")
            self._remerge(keys, new_ids=set(ment_tbl["id"].to_pylist()))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("_dotterel_new_articles")
            con.unregister("_dotterel_new_mentions")
        return len(seen_arts), len(seen_ments)


    # ------------------------------------------------------------ dedup / merge
    def _backfill_v2(self) -> None:
        """Version 1 -> 2: signatures and group roots for stored articles (in
        the order they were coded), merge keys, and merged events."""
        idx = DuplicateIndex()
        rows = self.con.execute(
            "SELECT id, doc, text FROM articles ORDER BY coded_at, doc, id").fetchall()
        for aid, doc, text in rows:
            sig = signature(text or "")
            root, root_doc, seq = idx.check_add(aid, doc or "", sig)
            self.con.execute(
                "UPDATE articles SET seq = ?, dup_root = ?, minhash = ?, "
                "duplicate_of = coalesce(duplicate_of, ?) WHERE id = ?",
                [seq, root, sig_to_bytes(sig) if sig is not None else None, root_doc, aid])
        keys: set[str] = set()
        for mid, etype, ac, rc, rec in self.con.execute(
                "SELECT id, event_type, actor_countries, recipient_countries, "
                "recipient FROM mentions").fetchall():
            key = merge_key(etype, ac or [], rc or [])
            keys.add(key)
            names = [e["name"] for e in json.loads(rec or "[]") if e.get("name")]
            self.con.execute("UPDATE mentions SET merge_key = ?, recipient_names = ? "
                             "WHERE id = ?", [key, names, mid])
        self._remerge(keys)

    def rebuild_derived(self) -> None:
        """Refill ``mention_dyads`` and ``mention_counts`` from ``mentions``
        (inside the caller's transaction: the version 3 backfill, or after
        filling ``mentions`` in bulk), dyads sorted by pair and date so a
        pair's rows sit in few row groups."""
        self.con.execute("DELETE FROM mention_dyads")
        self.con.execute("DELETE FROM mention_counts")
        self.con.execute(_dyad_rows_sql("mentions", order=True))
        self.con.execute("INSERT INTO mention_counts SELECT event_type, date_start, date_end, "
                         "count(*) FROM mentions GROUP BY event_type, date_start, date_end")

    def duplicate_index(self, threshold: Optional[float] = None) -> DuplicateIndex:
        """An LSH index of the stored articles' signatures, in stored order."""
        idx = DuplicateIndex() if threshold is None else DuplicateIndex(threshold)
        cur = self.con.execute("SELECT id, doc, seq, dup_root, minhash FROM articles "
                               "WHERE seq IS NOT NULL ORDER BY seq")
        while True:
            chunk = cur.fetchmany(10000)
            if not chunk:
                break
            for aid, doc, seq, root, mh in chunk:
                idx.add_known(aid, doc or "", sig_from_bytes(mh) if mh else None, seq, root)
        return idx

    def _affected(self, key_list: list[str], new_ids: set[str]) -> tuple[list[str], list[str]]:
        """The mentions whose merged events can change when ``new_ids`` join
        the store, and the stored event ids they belong to now.

        The merge rule (``dedup.merge_mentions``) links mentions of one merge
        key whose dates lie within the window, and places an undated mention
        by the dated mentions of its article group.  So starting from the new
        mentions, the set closed under "within the window of a member", "of
        the group of a member" and "of the stored event of a member" holds
        every event the new mentions can touch, whole; the events outside it
        are unchanged.  Only light columns are scanned for this; the full
        rows are read for the closed set alone (a popular dyad's years of
        mentions are not re-merged on every batch)."""
        rows = self.con.execute(
            "SELECT m.id, m.merge_key, coalesce(a.dup_root, a.id), m.date_start, m.date_end, "
            "m.event_id FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.merge_key IN (SELECT unnest(?::VARCHAR[]))", [key_list]).fetchall()
        window = _dt.timedelta(days=self.window_days)
        by_key: dict[str, list[tuple]] = {}
        for r in rows:
            by_key.setdefault(r[1], []).append(r)
        chosen: list[str] = []
        old_events: set[str] = set()
        for key, ms in by_key.items():
            picked = {r[0] for r in ms if r[0] in new_ids}
            while True:
                sel = [r for r in ms if r[0] in picked]
                groups = {r[2] for r in sel}
                evs = {r[5] for r in sel if r[5] is not None}
                spans = sorted((r[3] - window, r[4] + window) for r in sel
                               if r[3] is not None and r[4] is not None)
                merged: list[list] = []
                for a, b in spans:
                    if merged and a <= merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], b)
                    else:
                        merged.append([a, b])
                starts = [m[0] for m in merged]
                grown = set(picked)
                for r in ms:
                    if r[0] in grown:
                        continue
                    if r[2] in groups or (r[5] is not None and r[5] in evs):
                        grown.add(r[0])
                    elif r[3] is not None and r[4] is not None and merged:
                        i = bisect.bisect_right(starts, r[4]) - 1
                        if i >= 0 and merged[i][1] >= r[3]:
                            grown.add(r[0])
                if len(grown) == len(picked):
                    break
                picked = grown
            chosen.extend(r[0] for r in ms if r[0] in picked)
            old_events.update(r[5] for r in ms if r[0] in picked and r[5] is not None)
        return chosen, sorted(old_events)

    def _remerge(self, keys: set[str], new_ids: Optional[set[str]] = None) -> None:
        """Recompute the merged events of the mentions under ``keys`` (inside
        the caller's transaction): events are a function of the set of
        mentions, so the order of arrival never changes them.  With
        ``new_ids`` (the mentions just added) only the events they can touch
        are recomputed (``_affected``); without, every event under ``keys``."""
        if not keys:
            return
        from .gsr import plover_tables
        types = plover_tables()["types"]
        key_list = sorted(keys)
        select = ("SELECT m.id, m.article_id, coalesce(a.dup_root, a.id) AS \"group\", "
                  "m.event_type, m.mode, m.actor, m.recipient, m.actor_countries, "
                  "m.recipient_countries, m.actor_names, m.recipient_names, m.date, "
                  "m.date_start, m.date_end, m.location, m.location_country, m.contexts, "
                  "m.merge_key, a.story_date, a.source "
                  "FROM mentions m JOIN articles a ON a.id = m.article_id ")
        if new_ids is None:
            old_events = None
            cur = self.con.execute(select + "WHERE m.merge_key IN (SELECT unnest(?::VARCHAR[]))",
                                   [key_list])
        else:
            ids, old_events = self._affected(key_list, new_ids)
            cur = self.con.execute(select + "WHERE m.id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        names = [d[0] for d in cur.description]
        rows = []
        for r in cur.fetchall():
            d = dict(zip(names, r))
            for col in _JSON_COLS:
                d[col] = json.loads(d[col]) if d[col] is not None else None
            rows.append(d)
        assign = merge_mentions(rows, self.window_days)
        members: dict[str, list[dict]] = {}
        for d in rows:
            members.setdefault(assign[d["id"]], []).append(d)
        evs: dict[str, list] = {n: [] for n in _EVENT_SCHEMA.names}
        for eid in sorted(members):
            ms = members[eid]
            rec = summarise_event(eid, ms, types)
            rec["merge_key"] = ms[0]["merge_key"]
            loc = rec["location"]
            rec["location_country"] = loc.get("country") if loc else None
            for col in ("actor", "recipient", "location"):
                rec[col] = json.dumps(rec[col], ensure_ascii=False) if rec[col] is not None \
                    else None
            for name in _EVENT_SCHEMA.names:
                evs[name].append(rec[name])
        links = pa.Table.from_pydict({"id": [d["id"] for d in rows],
                                      "event_id": [assign[d["id"]] for d in rows]})
        ev_tbl = pa.Table.from_pydict(evs, schema=_EVENT_SCHEMA)
        con = self.con
        if old_events is None:
            con.execute("DELETE FROM events WHERE merge_key IN (SELECT unnest(?::VARCHAR[]))",
                        [key_list])
        elif old_events:
            con.execute("DELETE FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                        [old_events])
        con.register("_dotterel_links", links)
        con.register("_dotterel_events", ev_tbl)
        try:
            con.execute("UPDATE mentions SET event_id = l.event_id FROM _dotterel_links l "
                        "WHERE mentions.id = l.id")
            con.execute(_insert_sql("events", _EVENT_SCHEMA, "_dotterel_events", ignore=False))
        finally:
            con.unregister("_dotterel_links")
            con.unregister("_dotterel_events")

    def query_merged(self, event_type: Optional[str] = None, country: Optional[str] = None,
                     since: Optional[str] = None, until: Optional[str] = None,
                     limit: Optional[int] = 200) -> list[dict[str, Any]]:
        """Merged events, most recent first, with the same filters as
        ``query_events``; each dict has the merged fields (``mention_count``,
        ``first_seen`` / ``last_seen``, ``quad_class``, ``score``...) and
        ``mentions``: the ids of its mentions."""
        where, params = _filters(event_type, country, since, until)
        sql = ("SELECT e.*, (SELECT list(m.id ORDER BY m.id) FROM mentions m "
               "WHERE m.event_id = e.id) AS mentions FROM events e")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date_start DESC NULLS LAST, mention_count DESC, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        return [_event_row(d) for d in _dicts(self.con.execute(sql, params))]

    def get_event(self, event_id: str) -> Optional[dict[str, Any]]:
        """One merged event with all its mentions: each mention's id, doc,
        article id, outlet (``source``), story date, url, ``duplicate_of``,
        date, mode, evidence and raw-text offsets; None if unknown."""
        rows = _dicts(self.con.execute("SELECT * FROM events WHERE id = ?", [event_id]))
        if not rows:
            return None
        ev = _event_row(rows[0])
        ev["mentions"] = _dicts(self.con.execute(
            "SELECT m.id, m.doc, m.article_id, a.source, a.story_date, a.url, "
            "a.duplicate_of, m.date, m.mode, m.evidence, m.evidence_start, m.evidence_end "
            "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ? "
            "ORDER BY m.date_start NULLS LAST, m.doc, m.evidence_start, m.id", [event_id]))
        return ev

    def event_counts(self) -> dict[str, int]:
        return {"events": self.con.execute("SELECT count(*) FROM events").fetchone()[0],
                **self.counts()}

    # ------------------------------------------------------------ reading
    def counts(self) -> dict[str, int]:
        n_art = self.con.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_men = self.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        return {"articles": n_art, "mentions": n_men}

    def query_events(self, event_type: Optional[str] = None, country: Optional[str] = None,
                     since: Optional[str] = None, until: Optional[str] = None,
                     limit: Optional[int] = 200) -> list[dict[str, Any]]:
        """Stored events, most recent first (undated last), as dicts shaped
        like ``Event.to_dict()``.

        ``event_type``: a PLOVER type (case-insensitive).  ``country``: an
        ISO3 / PLOVER code among the actor or recipient countries.
        ``since`` / ``until``: ISO dates (``YYYY``, ``YYYY-MM`` or
        ``YYYY-MM-DD``); an event is kept when the days its date covers
        overlap the window, and undated events are left out.
        """
        where, params = _filters(event_type, country, since, until)
        sql = ("SELECT id, doc, event_type, mode, actor, recipient, date, location, "
               "contexts, salience, evidence, evidence_start, evidence_end, article_id "
               "FROM mentions")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date_start DESC NULLS LAST, doc, evidence_start, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        out = []
        for row in cur.fetchall():
            d = dict(zip(names, row))
            for col in _JSON_COLS:
                d[col] = json.loads(d[col]) if d[col] is not None else None
            d["contexts"] = list(d["contexts"] or [])
            out.append(d)
        return out


# ---------------------------------------------------------------- commands
_BATCH_ARTICLES = 200   # articles per transaction in ``dotterel run``


def open_error(cmd: str, db: str, exc: BaseException) -> str:
    """One line saying why ``db`` could not be opened; a database another
    process holds (DuckDB: one writer process, whose lock also keeps other
    processes' readers out) says which process and what to do."""
    msg = str(exc)
    if isinstance(exc, StoreBusy) or _is_lock_error(exc):
        m = re.search(r"\(PID (\d+)\)", msg)
        who = f"another process (PID {m.group(1)})" if m else "another process"
        return (f"dotterel {cmd}: {db} is in use by {who}; one process writes a database "
                f"at a time (readers wait up to {lock_wait():g} s for it), so wait for it to "
                f"finish (or use another --db) and run this again")
    return f"dotterel {cmd}: cannot open {db}: {msg}"


def _reason_kind(reason: str) -> str:
    """Group skip reasons for the summary (drop the per-file detail)."""
    return reason.split(" (")[0].split(":")[0].strip()


def cli_run(args) -> int:
    """``dotterel run PATH... --db FILE [--workers N] [--batch N]``: code new
    articles into the store.

    An article is cleaned first (which gives its content id); one already
    stored, or read twice in this run, is not coded again.  A new article is
    checked, in input order, against the stored ones and those before it
    for near-duplicates (``dedup.DuplicateIndex``); a duplicate is still
    coded, its events being more mentions of the same events.  Articles are
    coded in ``--workers`` processes (default: one per CPU) and written in
    input order, so the store is the same whatever the number of workers.
    Every ``--batch`` articles (default 200) are committed in one
    transaction with their merged events, and a line ``dotterel: committed
    ...`` goes to stderr; a run killed midway keeps what it
    committed, and running it again codes the rest, ending with exactly the
    store of an uninterrupted run.
    """
    from . import clean
    from .ingest import BadInput, iter_articles
    from .pipeline import code_articles, default_workers
    from .limits import DocumentTimeout, time_limit
    from .limits import current as current_limits

    kb_files = tuple(args.kb or ())
    workers = getattr(args, "workers", None) or default_workers()
    batch = max(1, int(getattr(args, "batch", None) or _BATCH_ARTICLES))
    t0 = time.perf_counter()
    n_read = n_coded = n_known = n_events = n_dups = n_foreign = 0
    skipped: Counter[str] = Counter()
    pending: list[tuple[Article, list[Event]]] = []
    pending_ids: set[str] = set()

    window = getattr(args, "window", None) or WINDOW_DAYS
    # the run holds <db>.lock throughout (one run at a time) but opens the
    # database itself only to read what is stored and to write each batch,
    # so readers (dotterel serve, events) get in between batches
    held = contextlib.ExitStack()
    try:
        held.enter_context(run_lock(args.db))
        with Store(args.db, window_days=window) as st:
            index = st.duplicate_index()
            # stored articles outside the index (added without a sequence number)
            unindexed = {r[0] for r in st.con.execute(
                "SELECT id FROM articles WHERE seq IS NULL").fetchall()}
    except (duckdb.Error, RuntimeError) as exc:   # locked by another writer, not a store
        held.close()
        print(open_error("run", args.db, exc), file=sys.stderr)
        return 1
    bar = _progress_bar(args)

    def say(msg: str) -> None:   # a stderr line that does not break the bar
        if bar is not None:
            bar.write(msg, file=sys.stderr)
        else:
            print(msg, file=sys.stderr, flush=True)

    with held, (bar if bar is not None else contextlib.nullcontext()):

        def flush() -> None:
            nonlocal n_events
            if pending:
                # readers hold the file only per request: wait longer for them
                with Store(args.db, window_days=window, wait=max(60.0, lock_wait())) as st:
                    n_events += st.add_batch(pending)[1]
                pending.clear()
                say(f"dotterel: committed {n_coded} article(s), {n_events} event(s)")

        def failed(name: str, reason: str) -> None:
            say(f"dotterel: skipped {name}: {reason}")
            skipped["coding failed"] += 1

        def to_code():
            # new articles only, dedup-checked in input order; coded by
            # code_articles (in --workers processes)
            nonlocal n_read, n_known, n_dups
            for item in iter_articles(args.paths, **_ingest_options(args)):
                if bar is not None:
                    bar.update(1)
                if isinstance(item, BadInput):
                    say(f"dotterel: skipped {item.name}: {item.reason}")
                    skipped[_reason_kind(item.reason)] += 1
                    continue
                n_read += 1
                try:
                    with time_limit(current_limits().timeout_s):   # limits.py
                        clean.clean_article(item)
                    if item.id in pending_ids or item.id in index.seq or item.id in unindexed:
                        n_known += 1
                        continue
                    sig = signature(item.text)
                    root, root_doc, seq = index.check_add(item.id, item.doc, sig)
                    item.dedup_seq, item.dedup_root = seq, root
                    item.minhash = sig_to_bytes(sig) if sig is not None else None
                    if root_doc and not item.duplicate_of:
                        item.duplicate_of = root_doc
                    n_dups += root is not None
                except DocumentTimeout as exc:
                    failed(item.doc, f"{exc} (cleaning; see --timeout)")
                    continue
                except Exception as exc:  # one bad document never costs the rest
                    failed(item.doc, f"coding failed: {type(exc).__name__}: {exc}")
                    continue
                pending_ids.add(item.id)
                yield item

        try:
            for item, evs in code_articles(to_code(), kb_files, workers, on_error=failed):
                n_coded += 1
                n_foreign += bool(item.language and item.language != "en")
                pending.append((item, evs))
                if len(pending) >= batch:
                    flush()
        finally:
            flush()   # what was coded before an interruption is kept
        with Store(args.db, read_only=True, wait=max(60.0, lock_wait())) as st:
            total = st.event_counts()

    secs = time.perf_counter() - t0
    why = ", ".join(f"{k}: {n}" for k, n in sorted(skipped.items()))
    print(f"dotterel run: read {n_read} article(s): {n_coded} coded, {n_known} already stored, "
          f"{sum(skipped.values())} skipped" + (f" ({why})" if why else "")
          + f"; {n_dups} near-duplicate(s), {n_foreign} not English (stored, not coded)"
          + f"; {n_events} event(s) written in {secs:.1f}s; "
          f"{args.db} now holds {total['articles']} article(s), {total['mentions']} event "
          f"mention(s), {total['events']} merged event(s)",
          file=sys.stderr)
    return 0 if n_read else 1


# one input file is one article for these; other formats hold many
_ONE_ARTICLE_SUFFIXES = {".txt", ".text", ".htm", ".html"}


def _count_inputs(paths: Sequence[str], cap: int = 1_000_000) -> Optional[int]:
    """The number of articles ``paths`` hold when that is the number of
    files (plain text / HTML files and folders of them), else None;
    counted from directory entries only (no file is opened)."""
    import os
    n = 0
    for p in paths:
        path = Path(p)
        if path.is_file():
            files = [path.name]
        elif path.is_dir():
            files = (f for _, _, fs in os.walk(path) for f in fs)
        else:
            return None   # stdin, a URI, a glob...
        for name in files:
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() not in _ONE_ARTICLE_SUFFIXES:
                return None
            n += 1
            if n > cap:
                return None
    return n


def _progress_bar(args):
    """A tqdm bar on stderr (articles/s, ETA when the total is known) when
    stderr is a terminal or ``--progress`` is given; None otherwise."""
    want = getattr(args, "progress", None)
    if want is None:
        want = sys.stderr.isatty()
    if not want:
        return None
    from tqdm import tqdm
    return tqdm(total=_count_inputs(args.paths), unit="article", desc="dotterel run",
                file=sys.stderr, dynamic_ncols=True, mininterval=0.5,
                disable=False)


def _ingest_options(args) -> dict[str, Any]:
    """``iter_articles`` keywords from the ingestion flags a command has."""
    opts: dict[str, Any] = {}
    fields = {}
    for name in ("text", "id", "date", "source", "title", "url"):
        v = getattr(args, f"{name}_field", None)
        if v:
            fields[name] = v
    if fields:
        opts["fields"] = fields
    fmt = getattr(args, "input_format", None)
    if fmt and fmt != "auto":
        opts["fmt"] = fmt
    return opts


def _entity_label(ents: list[dict]) -> str:
    parts = []
    for e in ents or []:
        if e.get("name"):
            parts.append(e["name"])
        else:
            parts.append(" ".join(x for x in (e.get("country"), e.get("sector")) if x) or "?")
    return " + ".join(parts)


def _place_label(loc: Optional[dict]) -> str:
    if not loc:
        return ""
    name, country = loc.get("name") or "", loc.get("country") or ""
    return f"{name} ({country})" if name and country else name or country


def _cut(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_table(events: list[dict], evidence_width: int = 70, party_width: int = 48) -> str:
    """A readable, aligned table of stored events (as query_events returns)."""
    arrow = "→"
    enc = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        (arrow + "…").encode(enc)
    except (UnicodeEncodeError, LookupError):
        arrow = "->"
    head = ("date", "type", "mode", f"actor {arrow} recipient", "place", "evidence")
    rows = []
    for ev in events:
        actor, recip = _entity_label(ev["actor"]), _entity_label(ev["recipient"])
        parties = f"{actor} {arrow} {recip}" if recip else actor
        rows.append((ev.get("date") or "-", ev["event_type"], ev.get("mode") or "",
                     _cut(parties, party_width), _cut(_place_label(ev.get("location")), 24),
                     _cut(ev.get("evidence") or "", evidence_width)))
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head) - 1)]
    lines = []
    for r in [head] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    if arrow != "→":
        lines = [ln.replace("…", "...") for ln in lines]
    return "\n".join(ln.rstrip() for ln in lines)


def cli_events(args) -> int:
    """``dotterel events --db FILE [filters]``: print stored events."""
    if args.event_type:
        from .gsr import plover_tables
        known = list(plover_tables()["types"])
        if args.event_type.strip().upper() not in known:
            print(f"dotterel events: unknown event type {args.event_type!r} "
                  f"(one of {', '.join(known)})", file=sys.stderr)
            return 2
    for flag, value in (("--since", args.since), ("--until", args.until)):
        if value and date_range(value)[0] is None:
            print(f"dotterel events: {flag} wants YYYY-MM-DD (or YYYY-MM, YYYY), "
                  f"got {value!r}", file=sys.stderr)
            return 2
    try:
        st = Store(args.db, read_only=True)
    except FileNotFoundError:
        print(f"dotterel events: no database at {args.db} (create it with `dotterel run`)",
              file=sys.stderr)
        return 1
    except (duckdb.Error, RuntimeError) as exc:
        print(open_error("events", args.db, exc), file=sys.stderr)
        return 1
    with st:
        if getattr(args, "event", None):
            ev = st.get_event(args.event)
            if ev is None:
                print(f"dotterel events: no merged event {args.event!r}", file=sys.stderr)
                return 1
            sys.stdout.write(json.dumps(ev, ensure_ascii=False, default=str) + "\n")
            return 0
        merged = getattr(args, "merged", False)
        query = st.query_merged if merged else st.query_events
        events = query(event_type=args.event_type, country=args.country,
                       since=args.since, until=args.until, limit=args.limit)
        total = st.event_counts()["events" if merged else "mentions"]
    if merged and not args.json:
        for ev in events:
            ev["evidence"] = f"[{ev['mention_count']} mention(s)] {ev['id']}"
    if args.json:
        for ev in events:
            sys.stdout.write(json.dumps(ev, ensure_ascii=False, default=str) + "\n")
    elif events:
        print(format_table(events))
    print(f"dotterel events: {len(events)} shown of {total} stored", file=sys.stderr)
    return 0
