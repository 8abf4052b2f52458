"""Report gaps in the bundled actor KB's office coverage.

For every country the KB promises to cover (docs/KB.md: the G20, the EU
institutions, the South Caucasus, Central Asia and the Middle East) and for
each of a few check dates, list the offices with no holder in people.yaml
(via ``KB.office_holder``).  Offices a country does not have on a date
(no separate head of government, a post abolished) are not gaps.

    .venv/bin/python scripts/kb_coverage.py            # gaps, one per line
    .venv/bin/python scripts/kb_coverage.py --summary  # counts only
    .venv/bin/python scripts/kb_coverage.py --dates 2025-09-01 2026-11-01

Exit status 1 when there is any gap, so it can gate a check if wanted.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dotterel.kb import load_kb  # noqa: E402

G20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA",
       "JPN", "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"]
CAUCASUS = ["AZE", "ARM", "GEO"]
CENTRAL_ASIA = ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
MIDDLE_EAST = ["IRN", "IRQ", "ISR", "SAU", "ARE", "QAT", "KWT", "OMN", "BHR",
               "JOR", "EGY", "SYR", "LBN", "TUR", "YEM"]
COUNTRIES = list(dict.fromkeys(G20 + CAUCASUS + CENTRAL_ASIA + MIDDLE_EAST))

OFFICES = ["head_of_state", "head_of_government", "foreign_minister", "defence_minister"]
EU_OFFICES = ["commission_president", "council_president", "high_representative",
              "parliament_president"]
DATES = ["2015-01-01", "2018-01-01", "2021-01-01", "2024-01-01", "2026-06-01"]

# Presidential systems: the head of state heads the government.
NO_HEAD_OF_GOVERNMENT = {"USA", "ARG", "BRA", "MEX", "IDN", "ZAF", "TKM"}
# Offices a country lacked for a period: (country, office) -> [(start, end)].
ABSENT = {
    ("TUR", "head_of_government"): [("2018-07-09", None)],   # post abolished
    ("SYR", "head_of_government"): [("2025-03-29", None)],   # transitional gov't, no PM
    ("LBN", "head_of_state"): [("2014-05-25", "2016-10-31"),    # presidential vacancies
                               ("2022-10-31", "2025-01-09")],
}
# Where the KB keys the head of government under another office.
ALTERNATE = {("IRN", "head_of_government"): "president"}


def applies(country: str, office: str, date: str) -> bool:
    if office == "head_of_government" and country in NO_HEAD_OF_GOVERNMENT:
        return False
    for start, end in ABSENT.get((country, office), []):
        if start <= date and (end is None or date < end):
            return False
    return True


def gaps(kb, dates=DATES) -> list[tuple[str, str, str]]:
    out = []
    for c in COUNTRIES:
        for office in OFFICES:
            key = ALTERNATE.get((c, office), office)
            for d in dates:
                if applies(c, office, d) and kb.office_holder(c, key, d) is None:
                    out.append((c, office, d))
    for office in EU_OFFICES:
        for d in dates:
            if kb.office_holder("EUR", office, d) is None:
                out.append(("EUR", office, d))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dates", nargs="+", default=DATES)
    ap.add_argument("--summary", action="store_true")
    args = ap.parse_args(argv)
    kb = load_kb()
    found = gaps(kb, args.dates)
    if not args.summary:
        for c, office, d in found:
            print(f"{c}\t{office}\t{d}")
    by_office: dict[str, int] = {}
    for _, office, _ in found:
        by_office[office] = by_office.get(office, 0) + 1
    checked = sum(applies(c, o, d) for c in COUNTRIES for o in OFFICES for d in args.dates)
    checked += len(EU_OFFICES) * len(args.dates)
    print(f"# {len(found)} gaps of {checked} (country, office, date) checks; "
          + ", ".join(f"{k}: {v}" for k, v in sorted(by_office.items())), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
