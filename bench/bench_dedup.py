"""Benchmark: MinHash/LSH near-duplicate detection over synthetic documents.

    .venv/bin/python bench/bench_dedup.py --docs 100000 [--workers 2] [--words 150]

Documents are random word sequences (a 50,000-word Zipf vocabulary, about
``--words`` words each); 5% are planted near-duplicates of an earlier
document (the text with a paragraph-sized cut, a new headline and a
boilerplate line, Jaccard about 0.6-0.7).  The run is the production path:
``dedup.signature`` for each document (in ``--workers`` processes, input
order kept) and ``DuplicateIndex.check_add`` in one process, in order.
Reported: wall time of each stage, documents/s, peak resident memory
(``resource.getrusage``, this process and its workers separately), and the
planted duplicates found (recall) and the false pairs (precision).
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dotterel import dedup  # noqa: E402

VOCAB = 50_000
BOILER = "Copyright Example Media all rights reserved subscribe to our newsletter today"


def make_docs(n: int, words: int, seed: int = 7):
    """Yield (index, text, original index or -1)."""
    import itertools
    rnd = random.Random(seed)
    cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(VOCAB)))
    vocab = [f"w{i}" for i in range(VOCAB)]
    recent: list[tuple[int, str]] = []      # originals a duplicate may copy
    for i in range(n):
        if recent and rnd.random() < 0.05:
            j, src_text = rnd.choice(recent)
            src = src_text.split()
            cut = rnd.randrange(0, len(src) // 2)
            body = src[:cut] + src[cut + len(src) // 8:]
            yield i, " ".join(["breaking", "news"] + body + BOILER.split()), j
        else:
            text = " ".join(rnd.choices(vocab, cum_weights=cum, k=words))
            yield i, text, -1
            recent.append((i, text))
            if len(recent) > 2000:
                recent.pop(0)


def _sig(item):
    i, text, orig = item
    s = dedup.signature(text)
    return i, dedup.sig_to_bytes(s), orig


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    idx = dedup.DuplicateIndex()
    planted = found = false = 0
    t_index = 0.0
    docs = make_docs(args.docs, args.words)
    pool = Pool(args.workers) if args.workers > 1 else None
    sigs = pool.imap(_sig, docs, chunksize=256) if pool else map(_sig, docs)
    for i, raw, orig in sigs:
        t = time.perf_counter()
        root, _, _ = idx.check_add(str(i), str(i), dedup.sig_from_bytes(raw))
        t_index += time.perf_counter() - t
        if orig >= 0:
            planted += 1
            found += root == str(orig)
            false += root is not None and root != str(orig)
        elif root is not None:
            false += 1
    if pool:
        pool.close()
        pool.join()
    wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    flagged = found + false
    print(f"docs {args.docs}  words/doc ~{args.words}  workers {args.workers}")
    print(f"wall {wall:.1f}s  ({args.docs / wall:.0f} docs/s); LSH index+query in the main "
          f"process {t_index:.1f}s ({t_index / args.docs * 1e6:.0f} us/doc)")
    print(f"peak RSS: main {me:.0f} MiB, largest worker {kids:.0f} MiB")
    print(f"planted duplicates {planted}: found {found} (recall {found / max(1, planted):.4f}); "
          f"flagged {flagged}, wrong {false} (precision {found / max(1, flagged):.4f})")
    print(f"extrapolated to 1,000,000 docs: {wall / args.docs * 1e6 / 60:.1f} min "
          f"(linear; the LSH index grows linearly in memory)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
