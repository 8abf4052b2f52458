"""Export: merged events (or raw mentions) of a store to a file.

``dotterel export --db FILE --format FMT -o OUT [--mentions]``

Formats:

- ``plover-jsonl``: one PLOVER record per line (EVENTS.md's fields: id,
  event_type, mode, actor, recipient, date, location, contexts), plus for a
  merged event ``quad_class``, ``score``, ``mention_count``,
  ``article_count``, ``first_seen`` / ``last_seen`` and ``mentions`` (each
  mention's id, doc, source, evidence, offsets); for a mention its article
  fields (``article_id``, ``doc``, ``source``, ``story_date``, ``url``,
  ``event_id``, ``salience``, ``evidence`` with offsets).
- ``polecat-tsv``: POLECAT-style tab-separated values with POLECAT's column
  names.  Mapped: ``Event ID``, ``Event Date``, ``Event Type``, ``Event
  Mode``, ``Intensity`` (plover.yaml's score), ``Quad Code`` (1 verbal
  cooperation, 2 material cooperation, 3 verbal conflict, 4 material
  conflict), ``Contexts``, ``Actor Name``, ``Actor Country``, ``Actor
  COW``, ``Primary Actor Sector``, ``Actor Sectors``, ``Actor Title``,
  ``Recipient Name``, ``Recipient Country``, ``Recipient COW``, ``Primary
  Recipient Sector``, ``Recipient Sectors``, ``Recipient Title``,
  ``Placename``, ``Country``, ``Latitude``, ``Longitude``, ``Source``,
  ``Publication Date``, ``Headline``, ``Event Text``, ``Story ID``,
  ``Mention Count`` (the last one ours).  Several actors in one cell are
  joined by ``;`` as POLECAT does.  Left empty: ``Actor COW`` / ``Recipient
  COW`` (Dotterel keeps ISO 3166 alpha-3, not Correlates of War codes).
  Not written: POLECAT's Wikipedia ids, GeoNames ids, raw names, feature
  types and story people/organisations lists.  For a merged event,
  ``Source`` lists its outlets, ``Publication Date`` is the first seen date
  and ``Event Text`` / ``Headline`` come from its earliest mention.
- ``csv``: the same flat columns as the JSON records (lists joined by
  ``;``, entities and locations as JSON text).
- ``parquet``: the flat columns with proper list and date types (pyarrow).

Rows are read from DuckDB in chunks and written as they come, so memory
stays bounded by one chunk.
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
import sys
from typing import Any, Iterator, Optional

__all__ = ["FORMATS", "POLECAT_COLUMNS", "export", "cli_export"]

FORMATS = ("plover-jsonl", "polecat-tsv", "csv", "parquet")
POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Recipient Name", "Recipient Country", "Recipient COW",
    "Primary Recipient Sector", "Recipient Sectors", "Recipient Title", "Placename",
    "Country", "Latitude", "Longitude", "Source", "Publication Date", "Headline",
    "Event Text", "Story ID", "Mention Count",
]
_QUAD_CODE = {"verbal_cooperation": 1, "material_cooperation": 2,
              "verbal_conflict": 3, "material_conflict": 4}
_CHUNK = 5000

_MERGED_SQL = (
    "SELECT e.id, e.event_type, e.mode, e.actor, e.recipient, e.date, e.location, "
    "e.contexts, e.quad_class, e.score, e.mention_count, e.article_count, e.source_count, "
    "e.first_seen, e.last_seen, e.date_start, e.date_end, "
    "(SELECT list({'id': m.id, 'doc': m.doc, 'article_id': m.article_id, "
    "  'source': a.source, 'story_date': a.story_date, 'headline': a.headline, "
    "  'evidence': m.evidence, 'evidence_start': m.evidence_start, "
    "  'evidence_end': m.evidence_end} "
    "  ORDER BY m.date_start NULLS LAST, m.doc, m.evidence_start, m.id) "
    " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = e.id) "
    "AS mentions FROM events e ORDER BY e.date_start NULLS LAST, e.id")
_MENTION_SQL = (
    "SELECT m.id, m.event_type, m.mode, m.actor, m.recipient, m.date, m.location, "
    "m.contexts, m.salience, m.evidence, m.evidence_start, m.evidence_end, m.article_id, "
    "m.doc, a.source, a.story_date, a.headline, a.url, m.event_id "
    "FROM mentions m JOIN articles a ON a.id = m.article_id "
    "ORDER BY m.date_start NULLS LAST, m.doc, m.evidence_start, m.id")


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (_dt.date, _dt.datetime)) else v


def _records(con, mentions: bool) -> Iterator[dict[str, Any]]:
    from .gsr import plover_tables
    types = plover_tables()["types"]
    cur = con.execute(_MENTION_SQL if mentions else _MERGED_SQL)
    names = [d[0] for d in cur.description]
    while True:
        rows = cur.fetchmany(_CHUNK)
        if not rows:
            return
        for row in rows:
            d = dict(zip(names, row))
            for col in ("actor", "recipient", "location"):
                d[col] = json.loads(d[col]) if d[col] is not None else None
            d["actor"] = d["actor"] or []
            d["recipient"] = d["recipient"] or []
            d["contexts"] = list(d["contexts"] or [])
            for k in list(d):
                d[k] = _iso(d[k])
            if mentions:
                info = types.get(d["event_type"]) or {}
                d["quad_class"], d["score"] = info.get("quad"), info.get("score")
            else:
                d["mentions"] = [dict(m) for m in (d["mentions"] or [])]
            yield d


def _join(values) -> str:
    return ";".join("" if v is None else str(v) for v in values)


def _polecat_row(d: dict[str, Any], mentions: bool) -> list[Any]:
    act, rec = d["actor"], d["recipient"]
    loc = d.get("location") or {}
    if mentions:
        source, pub, head, text, story = (d.get("source"), d.get("story_date"),
                                          d.get("headline"), d.get("evidence"),
                                          d.get("article_id"))
        count = 1
    else:
        ms = d["mentions"]
        first = ms[0] if ms else {}
        source = _join(sorted({m["source"] for m in ms if m.get("source")}))
        pub, head, text = d.get("first_seen"), first.get("headline"), first.get("evidence")
        story = _join(sorted({m["article_id"] for m in ms}))
        count = d.get("mention_count")
    row = {
        "Event ID": d["id"], "Event Date": d.get("date"), "Event Type": d["event_type"],
        "Event Mode": d.get("mode"), "Intensity": d.get("score"),
        "Quad Code": _QUAD_CODE.get(d.get("quad_class") or ""),
        "Contexts": _join(d["contexts"]),
        **_side_columns("Actor", act), **_side_columns("Recipient", rec),
        "Placename": loc.get("name"), "Country": loc.get("country"),
        "Latitude": loc.get("lat"), "Longitude": loc.get("lon"),
        "Source": source, "Publication Date": pub, "Headline": head,
        "Event Text": " ".join((text or "").split()), "Story ID": story,
        "Mention Count": count,
    }
    return ["" if row[c] is None else row[c] for c in POLECAT_COLUMNS]


def _side_columns(side: str, ents: list[dict]) -> dict[str, Any]:
    """The POLECAT columns of one side ("Actor" or "Recipient")."""
    def joined(key: str) -> str:
        return _join(e.get(key) or "" for e in ents)
    return {f"{side} Name": joined("name"), f"{side} Country": joined("country"),
            f"{side} COW": "", f"Primary {side} Sector": ents[0].get("sector") if ents else None,
            f"{side} Sectors": joined("sector"), f"{side} Title": joined("title")}


def _flat(d: dict[str, Any], mentions: bool) -> dict[str, Any]:
    """One flat row: lists stay lists (joined for CSV), nested data as JSON."""
    out = dict(d)
    out["actor_names"] = [e.get("name") for e in d["actor"] if e.get("name")]
    out["actor_countries"] = sorted({e["country"] for e in d["actor"] if e.get("country")})
    out["recipient_names"] = [e.get("name") for e in d["recipient"] if e.get("name")]
    out["recipient_countries"] = sorted({e["country"] for e in d["recipient"]
                                         if e.get("country")})
    loc = d.get("location") or {}
    out["location_name"], out["location_country"] = loc.get("name"), loc.get("country")
    for col in ("actor", "recipient", "location"):
        out[col] = json.dumps(d[col], ensure_ascii=False) if d[col] is not None else None
    if not mentions:
        out["mentions"] = [m["id"] for m in d["mentions"]]
        out["sources"] = sorted({m["source"] for m in d["mentions"] if m.get("source")})
    return out


def export(db: str, fmt: str, output: str, mentions: bool = False) -> int:
    """Write the store's merged events (or mentions) to ``output``; returns
    the number of records written."""
    from .store import Store
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    n = 0
    with Store(db, read_only=True) as st:
        recs = _records(st.con, mentions)
        if fmt == "plover-jsonl":
            with open(output, "w", encoding="utf-8") as fh:
                for d in recs:
                    fh.write(json.dumps(d, ensure_ascii=False) + "\n")
                    n += 1
        elif fmt == "polecat-tsv":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_MINIMAL,
                               lineterminator="\n")
                w.writerow(POLECAT_COLUMNS)
                for d in recs:
                    w.writerow(_polecat_row(d, mentions))
                    n += 1
        elif fmt == "csv":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                w = None
                for d in recs:
                    row = _flat(d, mentions)
                    if w is None:
                        w = csv.DictWriter(fh, fieldnames=list(row), lineterminator="\n")
                        w.writeheader()
                    w.writerow({k: (_join(v) if isinstance(v, list) else v)
                                for k, v in row.items()})
                    n += 1
                if w is None:
                    fh.write(",".join(_empty_columns(mentions)) + "\n")
        else:
            n = _write_parquet(recs, output, mentions)
    return n


def _empty_columns(mentions: bool) -> list[str]:
    base = ["id", "event_type", "mode", "actor", "recipient", "date", "location", "contexts"]
    return base + (["article_id", "doc"] if mentions else ["mention_count", "mentions"])


def _write_parquet(recs: Iterator[dict], output: str, mentions: bool) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq
    writer: Optional[pq.ParquetWriter] = None
    schema = None
    n = 0
    batch: list[dict] = []

    def flush() -> None:
        nonlocal writer, schema
        if not batch:
            return
        if schema is None:
            # a column null in every row of the first chunk is typed as text
            schema = pa.schema([f if not pa.types.is_null(f.type)
                                else pa.field(f.name, pa.string())
                                for f in pa.Table.from_pylist(batch).schema])
        tbl = pa.Table.from_pylist(batch, schema=schema)
        if writer is None:
            writer = pq.ParquetWriter(output, schema)
        writer.write_table(tbl)
        batch.clear()

    list_cols = ("contexts", "actor_names", "actor_countries", "recipient_names",
                 "recipient_countries", "mentions", "sources")
    for d in recs:
        row = _flat(d, mentions)
        for col in list_cols:
            if col in row:
                row[col] = [str(x) for x in (row[col] or [])]
        batch.append(row)
        n += 1
        if len(batch) >= _CHUNK:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({c: pa.array([], pa.string())
                                 for c in _empty_columns(mentions)}), output)
    else:
        writer.close()
    return n


def cli_export(args) -> int:
    """``dotterel export --db FILE --format FMT -o OUT [--mentions]``."""
    import duckdb
    try:
        n = export(args.db, args.export_format, args.output, mentions=args.mentions)
    except FileNotFoundError:
        print(f"dotterel export: no database at {args.db} (create it with `dotterel run`)",
              file=sys.stderr)
        return 1
    except (duckdb.Error, RuntimeError, OSError) as exc:
        print(f"dotterel export: {exc}", file=sys.stderr)
        return 1
    what = "mention(s)" if args.mentions else "merged event(s)"
    print(f"dotterel export: wrote {n} {what} to {args.output} ({args.export_format})",
          file=sys.stderr)
    return 0
