"""Charts and the ``dotterel dyad | timeline | actors`` commands.

The commands ask ``query.py`` and print an aligned table, JSON with
``--json``, and write a chart with ``--plot FILE``: ``.svg`` is drawn here
(no dependency: a stacked bar chart of counts per period with axes and a
legend, and for a dyad the mean PLOVER score per period as a line);
``.png`` needs matplotlib (``pip install 'dotterel[plot]'``).

Every label written into an SVG is XML-escaped.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional, Sequence
from xml.sax.saxutils import escape

from . import query as Q

__all__ = ["timeline_svg", "write_plot", "cli_dyad", "cli_timeline", "cli_actors"]

QUAD_COLORS = {"verbal_cooperation": "#3b8bd9", "material_cooperation": "#1f9e6e",
               "verbal_conflict": "#e3a21a", "material_conflict": "#c8412b"}
_PALETTE = ["#3b8bd9", "#1f9e6e", "#e3a21a", "#c8412b", "#7b5ea7", "#5b6672", "#d4609b",
            "#2bb0b5", "#8c6d31", "#a0a0a0", "#3d7f3d", "#b35806", "#542788", "#de77ae",
            "#1b7837", "#762a83"]


def _label(period: str, by: str) -> str:
    return period[:7] if by == "month" else period[:4] if by == "year" else period


def _nice_max(v: float) -> int:
    if v <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v <= step:
            return step
    return int(v) + 1


def timeline_svg(tl: dict[str, Any], title: str, with_score: bool = False,
                 width: int = 900, height: int = 420) -> str:
    """An SVG stacked bar chart of ``query.timeline`` output (axes, legend,
    and the mean score per period as a line on a right axis when asked)."""
    periods = tl["periods"]
    series = tl["series"]
    colors = {s: QUAD_COLORS.get(s, _PALETTE[i % len(_PALETTE)]) for i, s in enumerate(series)}
    left, right, top, bottom = 60, 70 if with_score else 20, 40, 110
    pw, ph = width - left - right, height - top - bottom
    ymax = _nice_max(max([p["events"] for p in periods] or [0]))
    n = max(1, len(periods))
    slot = pw / n
    bar = max(2.0, slot * 0.7)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{escape(title)}</text>']
    # y axis (counts) with gridlines
    ticks = 5
    for i in range(ticks + 1):
        v = ymax * i / ticks
        y = top + ph - ph * i / ticks
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" '
                   f'stroke="#e3e7eb"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    out.append(f'<text transform="translate(16 {top + ph / 2}) rotate(-90)" '
               f'text-anchor="middle">Events</text>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#333"/>')
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" '
               f'stroke="#333"/>')
    every = max(1, n // 24)
    for i, p in enumerate(periods):
        x = left + slot * i + (slot - bar) / 2
        y = top + ph
        for s in series:
            v = p["counts"].get(s, 0)
            if not v:
                continue
            h = ph * v / ymax
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                       f'fill="{colors[s]}"><title>{escape(s)}: {v}</title></rect>')
        if i % every == 0:
            cx = left + slot * i + slot / 2
            out.append(f'<text transform="translate({cx:.1f} {top + ph + 12}) rotate(45)" '
                       f'font-size="11">{escape(_label(p["period"], tl["by"]))}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 30}" text-anchor="middle">'
               f'{escape(tl["by"].capitalize())}</text>')
    if with_score:
        ax = left + pw
        out.append(f'<line x1="{ax}" y1="{top}" x2="{ax}" y2="{top + ph}" stroke="#333"/>')
        for v in (-10, -5, 0, 5, 10):
            y = top + ph - ph * (v + 10) / 20
            out.append(f'<text x="{ax + 6}" y="{y + 4:.1f}">{v:+d}</text>')
        out.append(f'<text transform="translate({width - 12} {top + ph / 2}) rotate(90)" '
                   f'text-anchor="middle">Mean PLOVER score</text>')
        pts = [(left + slot * i + slot / 2, top + ph - ph * (p["mean_score"] + 10) / 20)
               for i, p in enumerate(periods) if p["mean_score"] is not None]
        if pts:
            out.append('<polyline fill="none" stroke="#14324f" stroke-width="2" points="'
                       + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
            out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#14324f"/>'
                    for x, y in pts]
    # legend
    items = [(s.replace("_", " "), colors[s], "rect") for s in series]
    if with_score:
        items.append(("mean score", "#14324f", "line"))
    lx, ly = left, height - 12
    for name, color, kind in items:
        if kind == "rect":
            out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        else:
            out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 12}" y2="{ly - 4}" '
                       f'stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 16}" y="{ly}">{escape(name)}</text>')
        lx += 24 + 7 * len(name)
    out.append("</svg>")
    return "\n".join(out)


def _png(tl: dict[str, Any], title: str, with_score: bool, path: Path) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise RuntimeError("PNG output needs matplotlib (pip install 'dotterel[plot]'), "
                           "or write .svg") from exc
    periods = tl["periods"]
    labels = [_label(p["period"], tl["by"]) for p in periods]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    bottom = [0] * len(periods)
    for i, s in enumerate(tl["series"]):
        vals = [p["counts"].get(s, 0) for p in periods]
        ax.bar(labels, vals, bottom=bottom, label=s.replace("_", " "),
               color=QUAD_COLORS.get(s, _PALETTE[i % len(_PALETTE)]))
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xlabel(tl["by"].capitalize())
    ax.set_ylabel("Events")
    ax.set_title(title)
    if with_score:
        ax2 = ax.twinx()
        xs = [lab for lab, p in zip(labels, periods) if p["mean_score"] is not None]
        ys = [p["mean_score"] for p in periods if p["mean_score"] is not None]
        ax2.plot(xs, ys, color="#14324f", marker="o", label="mean score")
        ax2.set_ylim(-10, 10)
        ax2.set_ylabel("Mean PLOVER score")
        ax2.legend(loc="upper right")
    ax.legend(loc="upper left", fontsize=8)
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_plot(tl: dict[str, Any], path: str | Path, title: str, with_score: bool = False) -> None:
    """Write the timeline chart to ``path`` (.svg drawn here, .png via matplotlib)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(timeline_svg(tl, title, with_score), encoding="utf-8")
    elif suffix == ".png":
        _png(tl, title, with_score, path)
    else:
        raise ValueError(f"--plot: write .svg or .png, not {path.name!r}")


# ------------------------------------------------------------------ commands
def _table(head: Sequence[str], rows: list[Sequence[Any]], right: set[int] = frozenset()) -> str:
    cells = [[str(c) for c in head]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = []
    for r in cells:
        lines.append("  ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines)


def _open(args, cmd: str):
    from .store import Store, date_range
    for flag in ("since", "until"):
        v = getattr(args, flag, None)
        if v and date_range(v)[0] is None:
            print(f"dotterel {cmd}: --{flag} wants YYYY-MM-DD (or YYYY-MM, YYYY), got {v!r}",
                  file=sys.stderr)
            return None
    if not Path(args.db).exists():
        print(f"dotterel {cmd}: no database at {args.db} (create it with `dotterel run`)",
              file=sys.stderr)
        return None
    try:
        return Store(args.db, read_only=True)
    except Exception as exc:
        print(f"dotterel {cmd}: cannot open {args.db}: {exc}", file=sys.stderr)
        return None


def _code(value: Optional[str], cmd: str, what: str) -> Optional[str]:
    if value is None:
        return None
    v = value.strip().upper()
    if len(v) != 3 or not v.isalpha():
        print(f"dotterel {cmd}: {what} wants an ISO3 code such as AZE, got {value!r}",
              file=sys.stderr)
        raise SystemExit(2)
    return v


def _plot(args, tl, title, with_score, cmd) -> int:
    if not args.plot:
        return 0
    try:
        write_plot(tl, args.plot, title, with_score)
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"dotterel {cmd}: {exc}", file=sys.stderr)
        return 1
    print(f"dotterel {cmd}: chart written to {args.plot}", file=sys.stderr)
    return 0


def _tl_rows(tl) -> list[list[Any]]:
    return [[_label(p["period"], tl["by"]), p["events"], *[p["counts"][s] for s in tl["series"]],
             "-" if p["mean_score"] is None else f"{p['mean_score']:+.2f}"]
            for p in tl["periods"]]


def cli_dyad(args) -> int:
    """``dotterel dyad AAA BBB [--since] [--until] [--by month] [--json] [--plot F]``."""
    a, b = _code(args.a, "dyad", "a country"), _code(args.b, "dyad", "a country")
    st = _open(args, "dyad")
    if st is None:
        return 1
    with st:
        tl = Q.timeline(st.con, by=args.by, dyad=(a, b), since=args.since, until=args.until)
        _, events = Q.search_events(st.con, dyad=(a, b), since=args.since, until=args.until,
                                    limit=args.limit)
        pair = next((d for d in Q.dyads(st.con, since=args.since, until=args.until, country=a,
                                        limit=100_000) if {d["a"], d["b"]} == {a, b}), None)
    if args.json:
        print(json.dumps({"a": a, "b": b, "summary": pair, "timeline": tl, "events": events},
                         ensure_ascii=False, default=str))
    else:
        if pair is None:
            print(f"{a}-{b}: no events")
        else:
            q = pair["quads"]
            print(f"{a}-{b}: {pair['events']} event(s), mean PLOVER score "
                  f"{pair['mean_score']:+.2f}; verbal coop {q['verbal_cooperation']}, "
                  f"material coop {q['material_cooperation']}, verbal conflict "
                  f"{q['verbal_conflict']}, material conflict {q['material_conflict']}")
            print()
            print(_table([args.by, "events", "v.coop", "m.coop", "v.confl", "m.confl", "score"],
                         _tl_rows(tl), right={1, 2, 3, 4, 5, 6}))
            print()
            from .store import format_table
            print(format_table(events))
    return _plot(args, tl, f"{a}-{b}: events and mean PLOVER score per {args.by}", True, "dyad")


def cli_timeline(args) -> int:
    """``dotterel timeline [--country AAA | --dyad AAA BBB] --by month [--group quad|type]``."""
    country = _code(args.country, "timeline", "--country")
    dyad = tuple(_code(x, "timeline", "--dyad") for x in args.dyad) if args.dyad else None
    st = _open(args, "timeline")
    if st is None:
        return 1
    with st:
        tl = Q.timeline(st.con, by=args.by, group=args.group, country=country, dyad=dyad,
                        event_type=args.event_type, since=args.since, until=args.until)
    what = "-".join(dyad) if dyad else country or "all countries"
    if args.json:
        print(json.dumps(tl, ensure_ascii=False))
    else:
        names = [s.replace("verbal_", "v.").replace("material_", "m.")
                 .replace("cooperation", "coop").replace("conflict", "confl")
                 for s in tl["series"]]
        print(f"{what}: events per {args.by} by {args.group}")
        print(_table([args.by, "events", *names, "score"], _tl_rows(tl),
                     right=set(range(1, len(names) + 3))))
    return _plot(args, tl, f"{what}: events per {args.by}", bool(dyad), "timeline")


def cli_actors(args) -> int:
    """``dotterel actors [--country AAA] [--since] [--until] [--limit N] [--json]``."""
    country = _code(args.country, "actors", "--country")
    st = _open(args, "actors")
    if st is None:
        return 1
    with st:
        rows = Q.actors(st.con, country=country, since=args.since, until=args.until,
                        limit=args.limit)
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    print(_table(["actor", "country", "sector", "events", "as actor", "as recipient"],
                 [[r["name"] or "(unnamed)", r["country"] or "", r["sector"] or "",
                   r["events"], r["as_actor"], r["as_recipient"]] for r in rows],
                 right={3, 4, 5}))
    return 0
