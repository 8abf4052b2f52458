"""Read-only questions over the store: event search, dyads, timelines, actors.

Like ``store.py``, this module holds SQL and nothing else of note: every
value from a user reaches DuckDB as a bound parameter; the only text
formatted into a statement is chosen from this module's own constants
(column lists, ``date_trunc`` units from ``PERIODS``).

The functions take a DuckDB connection or cursor (the server gives each
request its own cursor of one read-only connection), so they work on a
``Store``'s ``con`` too::

    with Store("demo.duckdb", read_only=True) as st:
        total, rows = search_events(st.con, country="AZE", limit=20)
        dyads(st.con, since="2025")

Merged events: when the store has the cross-article ``events`` table and
``mentions.event_id`` (a later schema version), ``event_detail`` lists all
the mentions of the event; without them an event is its one mention.

A dyad is an unordered pair of distinct countries that both take part in
one event, as actor or recipient (a joint statement by AZE and ARM with no
recipient is an AZE-ARM event, as is an AZE visit to USA).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Optional, Sequence

from .store import period_filters

__all__ = ["PERIODS", "QUADS", "plover", "has_merged_events", "has_derived_tables", "search_events",
           "event_detail", "article_detail", "dyads", "timeline", "actors"]

PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year"}
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")

_EVENT_COLS = ("m.id, m.doc, m.event_type, m.mode, m.actor, m.recipient, m.date, m.location, "
               "m.contexts, m.salience, m.evidence, m.evidence_start, m.evidence_end, "
               "m.article_id")
_JSON_COLS = ("actor", "recipient", "location")
_ORDER = " ORDER BY m.date_start DESC NULLS LAST, m.doc, m.evidence_start, m.id"


@lru_cache(maxsize=1)
def plover() -> dict[str, dict[str, Any]]:
    """PLOVER type -> {"quad": ..., "score": ...} from data/plover.yaml."""
    from .gsr import plover_tables
    return {t: {"quad": v.get("quad"), "score": v.get("score")}
            for t, v in plover_tables()["types"].items()}


def has_merged_events(con) -> bool:
    """True when the store has merged ``events`` and ``mentions.event_id``."""
    n = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' AND "
        "((table_name = 'mentions' AND column_name = 'event_id') OR "
        "(table_name = 'events' AND column_name = 'id'))").fetchone()[0]
    return n == 2


def has_derived_tables(con) -> bool:
    """True when the store has the read-side ``mention_dyads`` and
    ``mention_counts`` tables (schema version 3), kept at write time."""
    n = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND "
        "table_name IN ('mention_dyads', 'mention_counts')").fetchone()[0]
    return n == 2


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        d = dict(zip(names, row))
        for col in _JSON_COLS:
            if col in d:
                d[col] = json.loads(d[col]) if d[col] is not None else None
        if "contexts" in d:
            d["contexts"] = list(d["contexts"] or [])
        out.append(d)
    return out


def _like(q: str) -> str:
    """An ILIKE pattern matching ``q`` literally anywhere (escape char ``\\``)."""
    esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def _upper(v: Optional[str]) -> Optional[str]:
    return v.strip().upper() if v and v.strip() else None


def _period_filters(since: Optional[str], until: Optional[str],
                    where: list[str], params: list[Any]) -> None:
    period_filters(since, until, where, params, prefix="m.")


def _country_filter(code: str, where: list[str], params: list[Any]) -> None:
    where.append("(list_contains(m.actor_countries, ?) OR "
                 "list_contains(m.recipient_countries, ?))")
    params += [code, code]


def _dyad_filter(a: str, b: str, where: list[str], params: list[Any]) -> None:
    for code in (a, b):
        _country_filter(code, where, params)


def search_events(con, *, event_type: Optional[str] = None, mode: Optional[str] = None,
                  country: Optional[str] = None, actor_country: Optional[str] = None,
                  recipient_country: Optional[str] = None, sector: Optional[str] = None,
                  since: Optional[str] = None, until: Optional[str] = None,
                  context: Optional[str] = None, q: Optional[str] = None,
                  dyad: Optional[Sequence[str]] = None, article_id: Optional[str] = None,
                  limit: int = 50, offset: int = 0, merged: Optional[bool] = None
                  ) -> tuple[int, list[dict[str, Any]]]:
    """(number matching, one page of events) most recent first.

    ``q`` matches, case-insensitively and literally, the evidence sentence or
    the text of the event's article.  ``sector`` matches an actor's or a
    recipient's sector; ``context`` one of the event's contexts.  ``merged``:
    whether the store has merged events (looked up when None).
    """
    where: list[str] = []
    params: list[Any] = []
    join = ""
    if event_type := _upper(event_type):
        where.append("m.event_type = ?")
        params.append(event_type)
    if mode and mode.strip():
        where.append("m.mode = ?")
        params.append(mode.strip().lower())
    if country := _upper(country):
        _country_filter(country, where, params)
    if actor_country := _upper(actor_country):
        where.append("list_contains(m.actor_countries, ?)")
        params.append(actor_country)
    if recipient_country := _upper(recipient_country):
        where.append("list_contains(m.recipient_countries, ?)")
        params.append(recipient_country)
    if sector := _upper(sector):
        where.append("(list_contains(json_extract_string(m.actor, '$[*].sector'), ?) OR "
                     "list_contains(json_extract_string(m.recipient, '$[*].sector'), ?))")
        params += [sector, sector]
    if context and context.strip():
        where.append("list_contains(m.contexts, ?)")
        params.append(context.strip().lower())
    if dyad:
        a, b = (_upper(x) for x in dyad)
        _dyad_filter(a, b, where, params)
    if article_id:
        where.append("m.article_id = ?")
        params.append(article_id)
    _period_filters(since, until, where, params)
    if q and q.strip():
        join = " JOIN articles a ON a.id = m.article_id"
        where.append("(m.evidence ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\' "
                     "OR a.headline ILIKE ? ESCAPE '\\')")
        pat = _like(q.strip())
        params += [pat, pat, pat]
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    total = con.execute(f"SELECT count(*) FROM mentions m{join}{cond}", params).fetchone()[0]
    if merged is None:
        merged = has_merged_events(con)
    cols = _EVENT_COLS + (", m.event_id" if merged else "")
    cur = con.execute(f"SELECT {cols} FROM mentions m{join}{cond}{_ORDER} LIMIT ? OFFSET ?",
                      params + [int(limit), int(offset)])
    return total, _rows(cur)


def event_detail(con, event_id: str, merged: Optional[bool] = None) -> Optional[dict[str, Any]]:
    """An event (a mention id, or a merged event id) with all its mentions.

    Returns ``{"id", "event_id", "event": <first mention>, "mentions": [...],
    "merged": bool}`` or None.  Each mention carries its evidence offsets
    into its article's text and the article's headline, doc and story date.
    """
    if merged is None:
        merged = has_merged_events(con)
    cols = (_EVENT_COLS + ", a.headline, a.story_date, a.source"
            + (", m.event_id" if merged else ""))
    base = f"SELECT {cols} FROM mentions m JOIN articles a ON a.id = m.article_id"
    if merged:
        cur = con.execute(
            base + " WHERE m.event_id = coalesce("
            "(SELECT event_id FROM mentions WHERE id = ?), ?)" + _ORDER,
            [event_id, event_id])
    else:
        cur = con.execute(base + " WHERE m.id = ?" + _ORDER, [event_id])
    mentions = _rows(cur)
    if not mentions:
        return None
    first = next((m for m in mentions if m["id"] == event_id), mentions[0])
    return {"id": event_id, "event_id": first.get("event_id") or first["id"],
            "merged": merged, "event": first, "mentions": mentions}


def article_detail(con, article_id: str) -> Optional[dict[str, Any]]:
    """An article's text and metadata with all its events, or None."""
    cur = con.execute("SELECT id, doc, story_date, source, language, headline, url, "
                      "duplicate_of, text FROM articles WHERE id = ?", [article_id])
    rows = _rows(cur)
    if not rows:
        return None
    art = rows[0]
    _, events = search_events(con, article_id=article_id, limit=10_000)
    events.sort(key=lambda e: (e["evidence_start"] is None, e["evidence_start"] or 0, e["id"]))
    art["events"] = events
    return art


def _summarise(counts: dict[str, int]) -> dict[str, Any]:
    """Quad-class counts and mean PLOVER score from event-type counts."""
    table = plover()
    quads = {q: 0 for q in QUADS}
    total = 0
    score_sum = 0.0
    scored = 0
    for etype, n in counts.items():
        info = table.get(etype, {})
        total += n
        if info.get("quad") in quads:
            quads[info["quad"]] += n
        if info.get("score") is not None:
            score_sum += float(info["score"]) * n
            scored += n
    return {"events": total, "quads": quads,
            "mean_score": round(score_sum / scored, 3) if scored else None}


def dyads(con, *, since: Optional[str] = None, until: Optional[str] = None,
          country: Optional[str] = None, event_type: Optional[str] = None,
          limit: int = 50) -> list[dict[str, Any]]:
    """Country pairs, most events first, each with its counts by quad class
    and its mean PLOVER cooperation-conflict score over the period."""
    where: list[str] = []
    params: list[Any] = []
    _period_filters(since, until, where, params)
    if event_type := _upper(event_type):
        where.append("m.event_type = ?")
        params.append(event_type)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    pair_cond = "p.a < p.b"
    pair_params: list[Any] = []
    if country := _upper(country):
        pair_cond += " AND (p.a = ? OR p.b = ?)"
        pair_params = [country, country]
    if has_derived_tables(con):
        # one mention_dyads row per (mention, a < b): count(*) counts mentions
        sql = ("SELECT m.a, m.b, m.event_type, count(*) FROM mention_dyads m WHERE "
               + " AND ".join(where + [pair_cond.replace("p.", "m.")])
               + " GROUP BY m.a, m.b, m.event_type")
    else:
        sql = _dyads_scan_sql(cond, pair_cond)
    by_pair: dict[tuple[str, str], dict[str, int]] = {}
    for a, b, etype, n in con.execute(sql, params + pair_params).fetchall():
        by_pair.setdefault((a, b), {})[etype] = n
    out = []
    for (a, b), counts in by_pair.items():
        d = {"a": a, "b": b, **_summarise(counts), "types": dict(sorted(counts.items()))}
        out.append(d)
    out.sort(key=lambda d: (-d["events"], d["a"], d["b"]))
    return out[: max(0, int(limit))]


def _dyads_scan_sql(cond: str, pair_cond: str) -> str:
    """Dyad counts from the mentions' country lists (a store without
    ``mention_dyads``)."""
    return (
        "WITH parts AS (SELECT m.id, m.event_type, list_distinct(list_concat("
        "coalesce(m.actor_countries, []), coalesce(m.recipient_countries, []))) AS cs "
        f"FROM mentions m{cond}), "
        "p AS (SELECT id, event_type, a, b FROM parts, "
        "unnest(cs) AS t1(a), unnest(cs) AS t2(b)) "
        f"SELECT a, b, event_type, count(DISTINCT id) AS n FROM p WHERE {pair_cond} "
        "GROUP BY a, b, event_type")


def timeline(con, *, by: str = "month", group: str = "quad", country: Optional[str] = None,
             dyad: Optional[Sequence[str]] = None, event_type: Optional[str] = None,
             since: Optional[str] = None, until: Optional[str] = None) -> dict[str, Any]:
    """Event counts per period, split by quad class (``group="quad"``) or
    by event type (``group="type"``), with the mean PLOVER score per period.

    An event falls in the period holding the first day its date covers (an
    event dated only ``2025-07`` counts in July's month, in the week and on
    the day of 1 July); undated events are left out.
    """
    unit = PERIODS.get(by)
    if unit is None:
        raise ValueError(f"by: one of {', '.join(PERIODS)}, got {by!r}")
    if group not in ("quad", "type"):
        raise ValueError(f"group: 'quad' or 'type', got {group!r}")
    where = ["m.date_start IS NOT NULL"]
    params: list[Any] = []
    country = _upper(country)
    pair = tuple(_upper(x) for x in dyad) if dyad else None
    # the read-side tables answer the overview (no country) and a pair of
    # two distinct countries; the rest reads the mentions' country lists
    source, count = "mentions m", "count(*)"
    if not country and has_derived_tables(con):
        if pair is None:
            source, count = "mention_counts m", "CAST(sum(m.n) AS BIGINT)"
        elif pair[0] and pair[1] and pair[0] != pair[1]:
            source = "mention_dyads m"
            where += ["m.a = ?", "m.b = ?"]
            params += sorted(pair)
            pair = None
    if country:
        _country_filter(country, where, params)
    if pair:
        _dyad_filter(pair[0], pair[1], where, params)
    if event_type := _upper(event_type):
        where.append("m.event_type = ?")
        params.append(event_type)
    _period_filters(since, until, where, params)
    # ``unit`` is one of this module's PERIODS values, never user text
    sql = (f"SELECT CAST(date_trunc('{unit}', m.date_start) AS DATE) AS period, "
           f"m.event_type, {count} FROM {source} WHERE " + " AND ".join(where)
           + " GROUP BY period, m.event_type ORDER BY period")
    per: dict[str, dict[str, int]] = {}
    for period, etype, n in con.execute(sql, params).fetchall():
        per.setdefault(period.isoformat(), {})[etype] = n
    table = plover()
    series_names: list[str] = list(QUADS) if group == "quad" else sorted(
        {t for c in per.values() for t in c}, key=lambda t: list(table).index(t)
        if t in table else 99)
    periods = []
    for p, counts in per.items():
        s = _summarise(counts)
        if group == "quad":
            split = s["quads"]
        else:
            split = {t: counts.get(t, 0) for t in series_names}
        periods.append({"period": p, "events": s["events"], "counts": split,
                        "mean_score": s["mean_score"]})
    return {"by": by, "group": group, "series": series_names, "periods": periods}


def actors(con, *, country: Optional[str] = None, since: Optional[str] = None,
           until: Optional[str] = None, limit: int = 20) -> list[dict[str, Any]]:
    """Most frequent actors and recipients (a named person or organisation,
    else country + sector), optionally only those of one country."""
    where: list[str] = []
    params: list[Any] = []
    _period_filters(since, until, where, params)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    sql = (
        "WITH ents AS ("
        "SELECT m.id, m.event_type, 'actor' AS role, unnest(CAST(m.actor AS JSON[])) AS e "
        f"FROM mentions m{cond} UNION ALL "
        "SELECT m.id, m.event_type, 'recipient' AS role, unnest(CAST(m.recipient AS JSON[])) "
        f"FROM mentions m{cond}), "
        "flat AS (SELECT id, event_type, role, e->>'name' AS name, e->>'country' AS country, "
        "e->>'sector' AS sector FROM ents) "
        "SELECT name, country, sector, count(DISTINCT id) AS events, "
        "count(DISTINCT id) FILTER (WHERE role = 'actor') AS as_actor, "
        "count(DISTINCT id) FILTER (WHERE role = 'recipient') AS as_recipient "
        "FROM flat WHERE (? IS NULL OR country = ?) "
        "GROUP BY name, country, sector ORDER BY events DESC, name NULLS LAST, country, sector "
        "LIMIT ?")
    code = _upper(country)
    cur = con.execute(sql, params + params + [code, code, max(0, int(limit))])
    return _rows(cur)
