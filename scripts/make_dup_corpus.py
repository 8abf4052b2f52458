"""Generate the near-duplicate test corpus from short stories written here.

    python scripts/make_dup_corpus.py OUT_DIR

Writes ``OUT_DIR/*.txt`` and ``OUT_DIR/truth.json``.  The stories are short
reports written for this project about invented-but-plausible diplomatic
events; each is planted in variants:

- ``orig``: the story as first published;
- ``copy``: an exact copy under another file name (a re-publication);
- ``reprint``: another headline, a wire credit line, one paragraph dropped
  and boilerplate (subscription and copyright lines) appended;
- ``boiler``: the story with a site's navigation and footer boilerplate.

Several stories share a dyad (the same two countries, even the same event
type) but are distinct events weeks apart, so neither the duplicate
detector nor the event merger may join them.  ``truth.json`` gives, per
file, its story and whether it is the original, and the duplicate pairs
(each variant with its original).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

STORIES = {
    "s1": {
        "date": "March 4, 2024",
        "headline": "Blinken meets Wang Yi in Beijing",
        "paras": [
            "U.S. Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in "
            "Beijing on Monday, the State Department said.",
            "The two men spent more than five hours discussing trade barriers, export controls "
            "on advanced chips and the flow of fentanyl precursors across the Pacific.",
            "Officials from both sides described the talks as candid and constructive, and "
            "said working groups on narcotics and on military communication would continue.",
            "Analysts in Washington said the meeting was the most substantive contact between "
            "the two governments since the autumn summit in California.",
            "Wang told Blinken that Washington should stop what he called the suppression of Chinese technology companies and respect Beijing's position on Taiwan.",
            "Blinken said he had raised the detention of American citizens and concerns about Chinese support for Russia's defence industry.",
            "Later in the day the secretary toured a research laboratory and spoke with students at a university in the capital about exchange programmes.",
            "He is due to travel on to Seoul before returning home at the end of the week.",
        ],
    },
    "s2": {
        "date": "March 27, 2024",
        "headline": "Washington sanctions Chinese firms over drone parts",
        "paras": [
            "The United States on Wednesday imposed sanctions on six Chinese companies accused "
            "of supplying drone engines and navigation parts to Iran.",
            "The Treasury Department said the firms had shipped components through front "
            "companies registered in Hong Kong over the past two years.",
            "Beijing's embassy in Washington called the measures illegal unilateral bullying "
            "and said China would defend the rights of its enterprises.",
            "The sanctions freeze any assets the companies hold under American jurisdiction "
            "and bar American banks from dealing with them.",
            "A senior official told reporters that the drones built with the parts had been used in attacks on shipping in the Red Sea.",
            "Two of the companies had already been placed on a Commerce Department list restricting their purchases of American technology last year.",
            "Shares of several listed suppliers fell in Hong Kong trading after the announcement, although none of them was named in the order.",
            "Congress has pressed the administration for months to tighten controls on dual use goods bound for Tehran.",
        ],
    },
    "s3": {
        "date": "June 12, 2024",
        "headline": "Kenya and Ethiopia sign water sharing accord",
        "paras": [
            "Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed signed an "
            "agreement on sharing the waters of the Omo river in Nairobi on Wednesday.",
            "The accord sets up a joint commission to monitor the level of Lake Turkana and "
            "to release data on the dams upstream every month.",
            "Fishing communities around the lake have complained for years that the dams "
            "reduced the flow of water and the size of their catch.",
            "Both leaders said the deal would be a model for cooperation on rivers that cross "
            "borders in the Horn of Africa.",
            "Under the agreement Ethiopia will notify Kenya before filling any new reservoir and share rainfall records from its highland stations.",
            "Environmental groups welcomed the commission but said it needed money and independent experts to do its work.",
            "The two governments also agreed to study a power line that would carry electricity from the Ethiopian dams to western Kenya.",
            "Officials said the commission would hold its first meeting in Lodwar before the end of the year.",
        ],
    },
    "s4": {
        "date": "July 8, 2024",
        "headline": "Kenyan leader visits Addis Ababa for security talks",
        "paras": [
            "Kenyan President William Ruto arrived in Addis Ababa on Monday for two days of "
            "talks with Ethiopian Prime Minister Abiy Ahmed on border security.",
            "The agenda includes cattle raids in the border counties, the movement of armed "
            "groups and a planned highway linking the two capitals.",
            "Ruto was received at the airport by the Ethiopian foreign minister and a guard "
            "of honour before driving to the national palace.",
            "It is his second trip to Ethiopia since he took office.",
            "Ministers of defence, interior and transport travel with the president, and several agreements on customs and policing are expected to be signed.",
            "Kenyan traders at the Moyale crossing have asked for longer opening hours and faster checks on trucks carrying livestock and grain.",
            "Security analysts say militias crossing the frontier have become better armed over the past year.",
            "The visit ends on Tuesday evening with a state dinner at the palace.",
        ],
    },
    "s5": {
        "date": "September 18, 2024",
        "headline": "Brazil protests Argentine remarks",
        "paras": [
            "Brazil's foreign ministry on Wednesday summoned the Argentine ambassador in "
            "Brasilia to protest remarks made by President Javier Milei about Brazil's leader.",
            "In a television interview Milei had called President Luiz Inacio Lula da Silva "
            "corrupt and said he would not meet him at the coming regional summit.",
            "The ministry said the comments were unacceptable between neighbours and "
            "partners in the Mercosur trade bloc.",
            "Trade between the two countries has fallen for three consecutive quarters.",
            "Argentina's foreign minister said in Buenos Aires that the president had expressed a personal opinion and that relations between the states remained strong.",
            "Lula's advisers said the Brazilian leader would not respond personally and would still attend the summit in Montevideo.",
            "Diplomats from both countries are negotiating a gas pipeline deal that would carry Argentine gas from the Vaca Muerta field to Sao Paulo.",
            "Business groups on both sides of the border urged the two governments to keep politics out of trade.",
        ],
    },
}

REPRINT_HEAD = "World news in brief"
CREDIT = "(Reporting by wire staff; editing by the news desk)"
FOOTER = ("Copyright 2024 Example Media Group. All rights reserved. This material may not be "
          "published, broadcast, rewritten or redistributed.\n\n"
          "Subscribe to our daily newsletter for the latest headlines delivered to your inbox.")
NAV = "Home | World | Politics | Business | Sport | Opinion\nMost read today"
SITE_FOOT = ("Follow us on social media. Contact the newsroom. Privacy policy. Terms of use. "
             "Cookie settings. Advertise with us.")

# which stories get which variants (all get an original)
VARIANTS = {
    "s1": ["copy", "reprint", "boiler"],
    "s2": ["reprint", "boiler"],
    "s3": ["copy", "reprint"],
    "s4": ["boiler"],
    "s5": [],
}


def render(story: dict, variant: str) -> str:
    paras = list(story["paras"])
    head = story["headline"]
    if variant == "reprint":
        # another headline, a credit line, the third paragraph dropped, boilerplate
        paras = paras[:2] + paras[3:]
        return "\n\n".join([REPRINT_HEAD, story["date"], *paras, CREDIT, FOOTER]) + "\n"
    if variant == "boiler":
        return "\n\n".join([NAV, head, story["date"], *paras, SITE_FOOT]) + "\n"
    return "\n\n".join([head, story["date"], *paras]) + "\n"


def make(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    pairs: list[list[str]] = []
    for sid, story in STORIES.items():
        orig = f"{sid}_a_orig.txt"
        (out / orig).write_text(render(story, "orig"), encoding="utf-8")
        files[orig] = {"story": sid, "variant": "orig"}
        for i, v in enumerate(VARIANTS[sid]):
            name = f"{sid}_{chr(ord('b') + i)}_{v}.txt"
            (out / name).write_text(render(story, v), encoding="utf-8")
            files[name] = {"story": sid, "variant": v}
            pairs.append([name, orig])
    truth = {"files": files, "duplicate_pairs": pairs, "stories": sorted(STORIES)}
    (out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    t = make(Path(sys.argv[1]))
    print(f"wrote {len(t['files'])} articles, {len(t['duplicate_pairs'])} duplicate pairs "
          f"to {sys.argv[1]}")
