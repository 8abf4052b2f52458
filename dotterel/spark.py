"""Spark backend: ``dotterel spark INPUT OUTPUT`` codes a corpus on a cluster.

The same stages as ``dotterel code`` run inside Spark partitions:
``pipeline.code_batch`` over batches of a partition's articles, with the KB
and the spaCy pipeline loaded once per executor Python worker (the loaders
in ``kb`` / ``nlp`` are per-process caches, and Spark reuses its Python
workers), never once per row.

INPUT (a local path or any Hadoop URI, e.g. ``s3a://bucket/news/``):

- JSON Lines (``*.jsonl``, ``*.json``, gzipped too): one article per line,
  ``text`` plus optional ``id`` (the doc name), ``date`` (story date),
  ``source``, ``url``, ``title``, read as ``ingest`` reads them for
  ``dotterel code`` (given metadata wins over what the cleaner finds);
- Parquet (``*.parquet`` or a directory of them) with the same columns;
- a directory of ``*.txt`` files, one article per file, read recursively
  and checked like ``dotterel code`` checks files (``ingest.
  article_from_bytes``: binary, empty, not text, JSON data: rejected), the
  doc name being the file name;
- WARC (``*.warc``, ``*.warc.gz``, ``*.arc.gz`` in any case, or a directory of them,
  read recursively; ``--format warc``): each file's bytes (``binaryFile``)
  parsed where they lie by ``ingest.iter_warc``, so records, doc names
  (``crawl.warc#n``) and reasons are ``dotterel code``'s.  The items then
  go in ``dotterel code``'s order (files in ``ingest``'s directory-walk
  order, records in file order), which ``seq`` numbers, so near-duplicate
  roots are the single machine's.  A directory holding WARC files is read
  as ``dotterel code --format warc DIR`` reads it (without ``--format``,
  ``dotterel code`` reads only a directory's ``*.txt``).  Each file is one
  Spark row: a file over 2 GiB cannot be read (split it first).

A directory's kind is guessed from its files: Parquet, then JSON, then
WARC, else text (``--format`` to choose).

OUTPUT, Parquet readable by DuckDB, pandas and Spark:

- ``OUTPUT/events/``: one row per event as one article states it, the
  very records and ids ``dotterel code`` prints for the same input, plus
  ``seq`` (the article's position in the input) and ``idx`` (the event's
  position in its article) to restore the order;
- ``OUTPUT/doc_meta/``: one row per article (``Article.meta_dict()``);
- ``OUTPUT/rejected/``: ``name``, ``reason``, ``seq`` of every input not
  coded, what ``dotterel code`` reports as ``skipped NAME: REASON``, with
  its reasons: unreadable files (empty ones too, which Spark's file scans
  skip: they are listed on the driver), rejected records (no text,
  malformed JSON lines from the PERMISSIVE reader's ``_corrupt_record``),
  damaged or truncated WARC records, coding failures.  Names differ from
  ``dotterel code``'s in form only: a file is named by its URI as Spark
  lists it (``file:/data/crawl.warc@1234`` where ``dotterel code`` says
  ``/data/crawl.warc@1234``), and a JSON / Parquet record, whose line
  Spark does not know, as ``record-N (FILE)`` (N: its ``seq`` + 1) where
  ``dotterel code`` says ``FILE:LINE``.  Not reported: a JSON Lines file
  without any record (``dotterel code`` says ``empty``);
- ``OUTPUT/merged/``: events merged across reports, partitioned by
  ``month`` (``YYYY-MM`` of the merged event's first day, ``undated``).
  The merge runs as Spark stages: mentions are grouped by the merge key
  (``dedup.merge_key``: event type, actor and recipient countries) and
  each group goes through ``dedup.merge_mentions``, the function the
  single-machine store uses, so each key's events are those it finds; each
  merged event is then summarised by ``dedup.summarise_event``.

Near-duplicates run as Spark stages too, reproducing ``dedup.DuplicateIndex``
exactly: each article's MinHash signature (``dedup.signature`` of its raw
text, as ``dotterel code`` / ``run`` sign it) is computed in its partition;
the signature's LSH bands (the index's own ``b`` x ``r`` split) are
exploded to ``(band, band values) -> seq`` rows and grouped, each bucket
giving candidate pairs; a candidate pair is kept when its estimated Jaccard
(the share of equal hash values) reaches ``dedup.THRESHOLD``, as
``DuplicateIndex.find`` checks it.  The verified pairs (later, earlier) go
to the driver (O(duplicate pairs), not O(articles)), which assigns roots in
input order exactly as ``find`` does: an article's root is the earliest
*root* among the roots of the earlier articles it is similar to (not the
connected component's first article), else itself.  Two assignments come
out of the one set of pairs:

- ``doc_meta.duplicate_of`` as ``dotterel code`` fills it
  (``dedup.mark_duplicates``: every readable article indexed, keyed by its
  position; a given ``duplicate_of`` is kept);
- the merge groups as ``dotterel run`` keeps them (``dup_root``): an
  article whose content id was read earlier in the input is not indexed
  nor merged again (``run`` does not code it twice), and a mention's group
  is its article's root article id.  A mention id repeated within an
  article counts once (the store keeps one row per id).

Needs ``pip install dotterel[spark]`` and Java 17.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import PurePosixPath
from typing import Any, Iterable, Iterator, Optional

__all__ = ["run_spark", "session", "cli_spark", "EVENT_COLUMNS"]

_BATCH = 16     # articles per nlp.pipe call inside a partition


# --------------------------------------------------------------- schemas
def _schemas():
    from pyspark.sql import types as T

    ent = T.StructType([T.StructField(n, T.StringType()) for n in
                        ("name", "country", "sector", "title")])
    loc = T.StructType([T.StructField("name", T.StringType()),
                        T.StructField("country", T.StringType()),
                        T.StructField("lat", T.DoubleType()),
                        T.StructField("lon", T.DoubleType())])
    events = T.StructType([
        T.StructField("seq", T.LongType()), T.StructField("idx", T.IntegerType()),
        T.StructField("id", T.StringType()), T.StructField("doc", T.StringType()),
        T.StructField("event_type", T.StringType()), T.StructField("mode", T.StringType()),
        T.StructField("actor", T.ArrayType(ent)), T.StructField("recipient", T.ArrayType(ent)),
        T.StructField("date", T.StringType()), T.StructField("location", loc),
        T.StructField("contexts", T.ArrayType(T.StringType())),
        T.StructField("salience", T.StringType()), T.StructField("evidence", T.StringType()),
        T.StructField("evidence_start", T.IntegerType()),
        T.StructField("evidence_end", T.IntegerType()),
        T.StructField("article_id", T.StringType()),
    ])
    meta = T.StructType([
        T.StructField("seq", T.LongType()), T.StructField("doc", T.StringType()),
        T.StructField("article_id", T.StringType()), T.StructField("story_date", T.StringType()),
        T.StructField("source", T.StringType()), T.StructField("language", T.StringType()),
        T.StructField("duplicate_of", T.StringType()), T.StructField("headline", T.StringType()),
        T.StructField("url", T.StringType()),
    ])
    return events, meta


def _rejected_schema():
    from pyspark.sql import types as T
    return T.StructType([T.StructField("name", T.StringType()),
                         T.StructField("reason", T.StringType()),
                         T.StructField("seq", T.LongType())])


EVENT_COLUMNS = ["id", "doc", "event_type", "mode", "actor", "recipient", "date", "location",
                 "contexts", "salience", "evidence", "evidence_start", "evidence_end",
                 "article_id"]


def event_record(row: dict) -> dict:
    """An ``OUTPUT/events`` row (as a dict) back in ``Event.to_dict()`` form."""
    d = {k: row[k] for k in EVENT_COLUMNS}
    d["actor"] = [dict(e) for e in d["actor"] or []]
    d["recipient"] = [dict(e) for e in d["recipient"] or []]
    d["contexts"] = list(d["contexts"] or [])
    loc = d["location"]
    if loc is not None:
        loc = dict(loc)
        if loc.get("lat") is None or loc.get("lon") is None:
            loc.pop("lat", None)
            loc.pop("lon", None)
        d["location"] = loc
    return d


# ------------------------------------------------------------ executors
def _article_from_bytes(path: str, data: bytes):
    """``ingest.read_article`` on a file's bytes already read: an Article
    named by the file name, or a BadInput named by the path (its URI)."""
    from . import ingest

    return ingest.article_from_bytes(data, PurePosixPath(path).name, path,
                                     ingest.DEFAULT_MAX_BYTES)


def _corrupt_reason(line: str) -> str:
    """Why a line Spark's JSON reader left in ``_corrupt_record`` is not a
    record, in ``ingest.iter_jsonl``'s words."""
    try:
        rec = json.loads(line)
    except ValueError as exc:
        if hasattr(exc, "colno"):
            return f"malformed JSON ({exc.msg} at column {exc.colno})"
        return f"malformed JSON ({exc})"
    if not isinstance(rec, dict):
        return "malformed record (not a JSON object)"
    return "malformed record (Spark's JSON reader could not read it)"


def _article_from_record(rec: dict):
    """``ingest``'s record reading (the fields ``dotterel code`` reads from
    JSON Lines: given metadata wins over what the cleaner finds): an Article
    or a BadInput.  A record without an ``id`` is named ``record-N`` (N from
    1, its position in the input); a rejected record ``record-N (FILE)``."""
    from .ingest import DEFAULT_FIELDS, BadInput, _record_article

    where = f"record-{rec['seq'] + 1}"
    shown = f"{where} ({_hadoop_path(rec['_file'])})" if rec.get("_file") else where
    if rec.get("_corrupt_record") is not None:
        return BadInput(shown, _corrupt_reason(rec["_corrupt_record"]))
    art = _record_article(rec, DEFAULT_FIELDS, where, "")
    return BadInput(shown, art.reason) if isinstance(art, BadInput) else art


def _warc_items(rank: int, path: str, data: bytes, max_bytes: int) -> Iterator[tuple]:
    """A WARC file's items (``ingest.iter_warc`` on its bytes, named by its
    path), keyed ``(file rank, item number)``."""
    from .ingest import iter_warc

    for k, item in enumerate(iter_warc(bytes(data), max_bytes=max_bytes, name=path)):
        yield (rank, k), item


def _path_key(path: str) -> list[str]:
    """Sort key of a Hadoop path giving ``ingest``'s directory walk order
    (entries sorted by name, level by level)."""
    from urllib.parse import unquote, urlsplit
    return unquote(urlsplit(path).path).split("/")


def _code_partition(rows: Iterable, kb_files: tuple[str, ...]) -> Iterator[tuple]:
    """mapPartitions body: rows in, one ``(seq, doc, article_id, meta, events,
    signature, rejected)`` per input item: for a readable article ``meta`` /
    ``events`` None where coding failed (the article is still
    near-duplicate-indexed, as ``dotterel code`` indexes it before coding),
    ``signature`` the ``dedup.signature`` hash values as bytes (None for a
    text without words); ``rejected`` None, or why the item is not coded
    (then ``doc`` is its name as ``dotterel code`` would report it, and
    ``article_id`` / ``signature`` are empty for an unreadable one).

    The KB and spaCy pipeline are process-level caches (``kb.load_kb``,
    ``nlp.get_nlp``), so an executor Python worker loads them once."""
    from .dedup import sig_to_bytes, signature
    from .ingest import BadInput
    from .pipeline import code_batch

    def flush(batch: list) -> Iterator[tuple]:
        if not batch:
            return
        coded = code_batch([a for _, a, _ in batch], kb_files)
        for (seq, _, sig), (art, evs) in zip(batch, coded):
            if isinstance(evs, str):
                print(f"dotterel spark: skipped {art.doc}: {evs}", file=sys.stderr)
                yield seq, art.doc, art.id or "", None, None, sig, evs
                continue
            yield seq, art.doc, art.id, art.meta_dict(), [e.to_dict() for e in evs], sig, None

    batch: list = []
    for row in rows:
        rec = row.asDict() if hasattr(row, "asDict") else dict(row)
        if "item" in rec:                       # WARC: read in read_input
            art = rec["item"]
        elif "path" in rec:                     # a text file (binaryFile)
            art = _article_from_bytes(rec["path"], bytes(rec["content"] or b""))
        else:
            art = _article_from_record(rec)
        if isinstance(art, BadInput):
            yield rec["seq"], art.name, "", None, None, None, art.reason
            continue
        # signed before coding, on the raw text (as dedup.mark_duplicates does)
        sig = signature(art.text) if art.text else None
        batch.append((rec["seq"], art, sig_to_bytes(sig) if sig is not None else None))
        if len(batch) >= _BATCH:
            yield from flush(batch)
            batch = []
    yield from flush(batch)


# ----------------------------------------------------------- near-duplicates
def _bands(seq: int, sig: bytes, ranges: list) -> list[tuple]:
    """One ``((band, band values), seq)`` row per LSH band of a signature."""
    import numpy as np
    hv = np.frombuffer(sig, dtype=np.uint32)
    return [((i, hv[a:b].tobytes()), seq) for i, (a, b) in enumerate(ranges)]


def _bucket_pairs(seqs: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Candidate pairs ``(later, earlier)`` of one LSH bucket."""
    ss = sorted(set(seqs))
    for i, hi in enumerate(ss):
        for lo in ss[:i]:
            yield hi, lo


def _similar(a: bytes, b: bytes, threshold: float) -> bool:
    """``DuplicateIndex.find``'s check: the share of equal hash values."""
    import numpy as np
    x, y = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return len(x) == len(y) and np.count_nonzero(x == y) / len(x) >= threshold


def assign_roots(pairs: Iterable[tuple[int, int]], keep=None) -> dict[int, int]:
    """``DuplicateIndex`` root assignment from verified similar pairs
    ``(later, earlier)`` (sequence numbers in input order): {seq: root seq}
    for the articles that are duplicates.  An article's root is the earliest
    root among the roots of the earlier articles it is similar to.  ``keep``
    (a predicate on seq): only those articles are indexed."""
    earlier: dict[int, list[int]] = {}
    for hi, lo in pairs:
        if keep is None or (keep(hi) and keep(lo)):
            earlier.setdefault(hi, []).append(lo)
    root: dict[int, int] = {}
    for i in sorted(earlier):       # every earlier one is settled first
        root[i] = min(root.get(j, j) for j in earlier[i])
    return root


def duplicate_pairs(coded, partitions: int, threshold: Optional[float] = None) -> list:
    """Spark stages: the verified near-duplicate pairs ``(later seq, earlier
    seq)`` among the signed articles of ``coded`` (``_code_partition`` rows)."""
    from . import dedup

    th = dedup.THRESHOLD if threshold is None else threshold
    ranges = list(dedup.DuplicateIndex(th).lsh.hashranges)   # the index's b x r bands
    sigs = coded.filter(lambda r: r[5] is not None).map(lambda r: (r[0], r[5]))
    cands = (sigs.flatMap(lambda kv: _bands(kv[0], kv[1], ranges))
             .groupByKey(partitions)
             .flatMap(lambda kv: _bucket_pairs(kv[1]))
             .distinct(partitions))
    verified = (cands.join(sigs, partitions)                       # (hi, (lo, sig hi))
                .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
                .join(sigs, partitions)                            # (lo, ((hi, sig hi), sig lo))
                .filter(lambda kv: _similar(kv[1][0][1], kv[1][1], th))
                .map(lambda kv: (kv[1][0][0], kv[0])))
    return verified.collect()


def _event_row(seq: int, idx: int, d: dict) -> tuple:
    loc = d.get("location")
    return (seq, idx, d["id"], d["doc"], d["event_type"], d.get("mode"),
            [(e.get("name"), e.get("country"), e.get("sector"), e.get("title"))
             for e in d["actor"]],
            [(e.get("name"), e.get("country"), e.get("sector"), e.get("title"))
             for e in d["recipient"]],
            d.get("date"),
            (loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon")) if loc else None,
            list(d.get("contexts") or []), d.get("salience"), d.get("evidence"),
            d.get("evidence_start"), d.get("evidence_end"), d.get("article_id"))


def _meta_row(seq: int, m: dict) -> tuple:
    return (seq, m["doc"], m["article_id"], m.get("story_date"), m.get("source"),
            m.get("language"), m.get("duplicate_of"), m.get("headline"), m.get("url"))


def mention_fields(ev: dict, meta: dict, group: Optional[str] = None) -> dict:
    """The fields ``dedup.merge_mentions`` / ``summarise_event`` read, from an
    event record and its article's meta (as the store flattens them);
    ``group``: the article's near-duplicate root article id (default: its own)."""
    from .store import date_range

    def countries(ents):
        out: list[str] = []
        for e in ents:
            if e.get("country") and e["country"] not in out:
                out.append(e["country"])
        return out

    start, end = date_range(ev.get("date"))
    return dict(ev, actor_countries=countries(ev["actor"]),
                recipient_countries=countries(ev["recipient"]),
                actor_names=[e["name"] for e in ev["actor"] if e.get("name")],
                recipient_names=[e["name"] for e in ev["recipient"] if e.get("name")],
                date_start=start.isoformat() if start else None,
                date_end=end.isoformat() if end else None,
                group=group or ev["article_id"],
                story_date=meta.get("story_date"), source=meta.get("source"))


def _merge_group(items: Iterable[dict]) -> list[dict]:
    """One merge-key group of mentions in, their merged events out."""
    from . import dedup
    from .gsr import plover_tables

    ms = list(items)
    ids = dedup.merge_mentions(ms)
    by_event: dict[str, list[dict]] = {}
    for m in ms:
        by_event.setdefault(ids[m["id"]], []).append(m)
    types = plover_tables()["types"]
    out = []
    for eid in sorted(by_event):
        rec = dedup.summarise_event(eid, by_event[eid], types)
        rec["mention_ids"] = sorted(m["id"] for m in by_event[eid])
        out.append(rec)
    return out


def _merged_json(rec: dict) -> str:
    start = rec.get("date_start")
    rec = dict(rec, month=str(start)[:7] if start else "undated")
    return json.dumps(rec, default=str, ensure_ascii=False, sort_keys=True)


# --------------------------------------------------------------- driver
def session(master: str = "local[2]", app: str = "dotterel", conf: Optional[dict] = None):
    """A SparkSession whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    b = (SparkSession.builder.master(master).appName(app)
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.python.worker.reuse", "true"))
    if master.startswith("local"):
        b = (b.config("spark.ui.enabled", "false")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.sql.shuffle.partitions", "8"))
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


_WARC_EXTS = (".warc", ".warc.gz", ".arc.gz")      # ingest's WARC extensions
# any case, as ingest.format_of matches them ("CRAWL.WARC.GZ" too)
_WARC_GLOB = "{*.[wW][aA][rR][cC],*.[wW][aA][rR][cC].[gG][zZ],*.[aA][rR][cC].[gG][zZ]}"


def _input_kind(spark, path: str) -> str:
    low = path.rstrip("/").lower()
    if low.endswith(".parquet"):
        return "parquet"
    if any(low.endswith(s) for s in (".jsonl", ".json", ".jsonl.gz", ".json.gz", ".ndjson")):
        return "json"
    if low.endswith(_WARC_EXTS):
        return "warc"
    if low.endswith(".txt"):
        return "text"
    # a directory: look at its files (works for any Hadoop file system)
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    names = []
    it = fs.listFiles(hpath, True)
    while it.hasNext() and len(names) < 1000:
        names.append(it.next().getPath().getName().lower())
    if any(n.endswith(".parquet") for n in names):
        return "parquet"
    if any(n.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz", ".ndjson")) for n in names):
        return "json"
    if any(n.endswith(_WARC_EXTS) for n in names):
        return "warc"
    return "text"


def read_input(spark, path: str, kind: str = "auto"):
    """INPUT as a DataFrame with a ``seq`` column (the input order)."""
    from pyspark.sql import functions as F

    kind = _input_kind(spark, path) if kind == "auto" else kind
    if kind == "warc":
        return _read_warc(spark, path), kind
    if kind == "text":
        files = (spark.read.format("binaryFile").option("pathGlobFilter", "*.txt")
                 .option("recursiveFileLookup", "true").load(path))
        df = files.select("path", "content")
        empty = _unread_files(files)
        if empty:       # Spark's file scans skip empty files: read here as empty
            df = df.unionByName(spark.createDataFrame(
                [(p, bytearray()) for p in empty], "path string, content binary"))
        df = df.orderBy("path")
    else:
        df = (spark.read.parquet(path) if kind == "parquet"
              else spark.read.option("mode", "PERMISSIVE").json(path))
        corrupt = "_corrupt_record" in df.columns      # PERMISSIVE json: unparsable lines
        if "text" not in df.columns:
            if not corrupt:
                raise ValueError(f"{path}: no 'text' column (columns: {', '.join(df.columns)})")
            # every line malformed: read again with a text column (Spark does
            # not query the corrupt column alone from the raw files)
            df = (spark.read.schema("text string, _corrupt_record string")
                  .option("mode", "PERMISSIVE").json(path))
        keep = [c for c in ("id", "text", "date", "source", "url", "title", "_corrupt_record")
                if c in df.columns]
        df = df.select(*[F.col(c).cast("string") for c in keep],
                       F.input_file_name().alias("_file"))
    # the input order: a stable index over the (sorted) rows
    rdd = df.rdd.zipWithIndex().map(lambda r: dict(r[0].asDict(), seq=r[1]))
    return rdd, kind


def _hadoop_path(uri: str) -> str:
    """A listed file's URI as Spark's file sources name it (``file:///x`` is
    ``file:/x``)."""
    from urllib.parse import urlsplit
    u = urlsplit(uri)
    return f"{u.scheme}://{u.netloc}{u.path}" if u.netloc else f"{u.scheme}:{u.path}"


def _unread_files(files) -> list[str]:
    """The files a ``binaryFile`` DataFrame lists but gives no row for (Spark
    skips empty files), named as its ``path`` column names files."""
    listed = files.inputFiles()
    if len(listed) == files.count():
        return []
    read = {r.path for r in files.select("path").collect()}
    return [p for p in map(_hadoop_path, listed) if p not in read]


def _read_warc(spark, path: str):
    """WARC files under ``path`` (``binaryFile``), each parsed where it lies
    by ``ingest.iter_warc``; the items (Article or BadInput) in the order
    ``dotterel code`` reads them (files by path, as ``ingest`` walks a
    directory, then records in file order), as ``{"seq", "item"}`` rows."""
    from . import ingest

    files = (spark.read.format("binaryFile").option("pathGlobFilter", _WARC_GLOB)
             .option("recursiveFileLookup", "true").load(path))
    order = sorted((r.path for r in files.select("path").collect()), key=_path_key)
    sc = spark.sparkContext
    if not order:
        return sc.emptyRDD()
    rank = sc.broadcast({p: i for i, p in enumerate(order)})
    total = len(order)
    n = max(1, min(total, sc.defaultParallelism))
    max_bytes = ingest.DEFAULT_MAX_BYTES
    items = (files.select("path", "content").rdd
             .flatMap(lambda r: _warc_items(rank.value[r.path], r.path, r.content, max_bytes))
             # parsed items (not the raw files) are shuffled into file order:
             # partition by file rank, sorted by (rank, item) within
             .repartitionAndSortWithinPartitions(n, lambda key: key[0] * n // total))
    return items.zipWithIndex().map(lambda r: {"seq": r[1], "item": r[0][1]})


def _unique_mentions(evs: list[dict]) -> list[dict]:
    """An article's events, a repeated id counted once (the first)."""
    seen: set[str] = set()
    out = []
    for d in evs:
        if d["id"] not in seen:
            seen.add(d["id"])
            out.append(d)
    return out


def _repeats(seqs: Iterable[int]) -> list[int]:
    """All but the first of the articles sharing one content id."""
    ss = sorted(seqs)
    return ss[1:]


def run_spark(spark, input_path: str, output: str, partitions: Optional[int] = None,
              kb_files: tuple[str, ...] = (), kind: str = "auto", overwrite: bool = False,
              merged: bool = True) -> dict[str, int]:
    """Code ``input_path`` into ``output`` (see the module docstring); counts back."""
    from pyspark import StorageLevel

    from . import dedup

    ev_schema, meta_schema = _schemas()
    rej_schema = _rejected_schema()
    rows, kind = read_input(spark, input_path, kind)
    n = partitions or spark.sparkContext.defaultParallelism
    kb = tuple(kb_files)
    coded = (rows.repartition(n)
             .mapPartitions(lambda it: _code_partition(it, kb))
             .persist(StorageLevel.MEMORY_AND_DISK))
    mode = "overwrite" if overwrite else "errorifexists"
    try:
        # near-duplicates (module docstring): verified pairs, then roots in
        # input order, as dotterel code (every article) and dotterel run
        # (an article whose content id came earlier is not indexed) assign them
        pairs = duplicate_pairs(coded, n)
        # content ids read before (and articles without one: cleaning failed)
        repeats = set(coded.filter(lambda r: r[2])
                      .map(lambda r: (r[2], r[0])).groupByKey(n)
                      .flatMap(lambda kv: _repeats(kv[1])).collect())
        nameless = set(coded.filter(lambda r: not r[2] and r[5] is not None)
                       .map(lambda r: r[0]).collect())
        code_roots = assign_roots(pairs)
        run_roots = assign_roots(pairs, keep=lambda q: q not in repeats and q not in nameless)
        wanted = set(code_roots.values()) | set(run_roots.values())
        info = dict(coded.filter(lambda r: r[0] in wanted)
                    .map(lambda r: (r[0], (r[1], r[2]))).collect()) if wanted else {}
        sc = spark.sparkContext
        dup_doc = sc.broadcast({q: info[r][0] for q, r in code_roots.items()})
        group_of = sc.broadcast({q: info[r][1] for q, r in run_roots.items()})
        skip = sc.broadcast(repeats)

        def meta_of(r) -> dict:
            m = r[3]
            if not m.get("duplicate_of") and r[0] in dup_doc.value:
                m = dict(m, duplicate_of=dup_doc.value[r[0]])
            return m

        ok = coded.filter(lambda r: r[3] is not None)
        events = spark.createDataFrame(
            ok.flatMap(lambda r: [_event_row(r[0], i, d) for i, d in enumerate(r[4])]),
            ev_schema)
        metas = spark.createDataFrame(ok.map(lambda r: _meta_row(r[0], meta_of(r))),
                                      meta_schema)
        events.orderBy("seq", "idx").write.mode(mode).parquet(f"{output}/events")
        metas.orderBy("seq").write.mode(mode).parquet(f"{output}/doc_meta")
        # every input not coded, with its reason (dotterel code's "skipped" lines)
        rejected = spark.createDataFrame(
            coded.filter(lambda r: r[6] is not None).map(lambda r: (r[1], r[6], r[0])),
            rej_schema)
        rejected.orderBy("seq").write.mode(mode).parquet(f"{output}/rejected")
        counts = {"articles": metas.count(), "events": events.count(), "merged": 0,
                  "duplicates": len(code_roots), "rejected": rejected.count()}
        if merged:
            mentions = (ok.filter(lambda r: r[0] not in skip.value)
                        .flatMap(lambda r: [mention_fields(d, r[3], group_of.value.get(r[0]))
                                            for d in _unique_mentions(r[4])]))
            groups = (mentions.keyBy(lambda m: dedup.merge_key(
                m["event_type"], m["actor_countries"], m["recipient_countries"]))
                .groupByKey(n).flatMap(lambda kv: _merge_group(kv[1])))
            mdf = spark.read.json(groups.map(_merged_json))
            if "id" in mdf.columns:         # no events: no merged table
                (mdf.orderBy("id").write.mode(mode).partitionBy("month")
                 .parquet(f"{output}/merged"))
                counts["merged"] = mdf.count()
    finally:
        coded.unpersist()
    return counts


def cli_spark(args) -> int:
    """``dotterel spark INPUT OUTPUT [--master M] [--partitions N] [--kb FILE]``."""
    import time
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("dotterel spark: needs pyspark: pip install 'dotterel[spark]' (and Java 17)",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    spark = session(args.master)
    try:
        counts = run_spark(spark, args.input, args.output, partitions=args.partitions,
                           kb_files=tuple(args.kb or ()), kind=args.format,
                           overwrite=args.overwrite, merged=not args.no_merge)
    except Exception as exc:
        print(f"dotterel spark: failed: {type(exc).__name__}: {str(exc).splitlines()[0]}",
              file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(f"dotterel spark: {counts['articles']} article(s) ({counts['duplicates']} "
          f"near-duplicate(s)), {counts['events']} event(s), "
          f"{counts['merged']} merged event(s) written to {args.output}; "
          f"{counts['rejected']} input(s) rejected (listed in {args.output}/rejected) in "
          f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0 if counts["articles"] else 1
