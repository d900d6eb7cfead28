"""How much of a language is translated: per catalogue, in total, and on a leader's screens.

    python scripts/po_coverage.py                # Quechua: every catalogue, then the leader's screens
    python scripts/po_coverage.py --lang fr
    python scripts/po_coverage.py --review > review.tsv   # the uncertain entries, for a native speaker

An entry counts as translated when its msgstr (every form, for plurals) is non-empty and it is not fuzzy.
"uncertain" counts the translated entries whose translator comment asks a native speaker to review them.

An entry belongs to "the leader's screens" when one of its source references (relative to the catalogue's
app folder, as `makemessages` writes them from inside the app) matches LEADER for that catalogue. The list
follows what the leader of a producer association opens, checked by signing in as the demo leader and
following every link: the navigation (every app's menu entry in apps.py, base.html, the breadcrumb and
pagination, the unsent-drafts banner), their home page, the association profile and members, the annual
plan (POA) from start to approval with its forms, messages, statuses and history, production entry and
import, the participatory-budget calendar, registration as an agent, delegates and project proposals (with
the phase names, states and messages they produce), and their reminders and reminder preferences (with the
e-mails those send). Model field names and choices count where those pages show them (plan statuses, board
roles, phase and agent states). Coordinator-only pages (deadline setting, approving, returning) are in
producers' templates too and are counted with the rest of producers.

"what a leader may also see" adds the pages the crawl reached beyond those: the concertation spaces'
meetings and agreements they are invited to, and the public pages of municipalities and budgets.
"""

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    "locale",
    "kallpanchis/offline/locale",
    "kallpanchis/notifications/locale",
    "kallpanchis/people/locale",
    "kallpanchis/dashboard/locale",
    "spaces/locale",
    "producers/locale",
    "budgets/locale",
    "municipalities/locale",
]
MENU = r"(^|/)apps\.py:"
LEADER = {
    "locale": [
        MENU,
        r"^templates/base\.html:",
        r"^templates/core/home\.html:",
        r"^templates/partials/",
        r"^templates/40[34]\.html:",
        r"^kallpanchis/settings/base\.py:",  # the language names of the switcher
    ],
    "kallpanchis/offline/locale": [MENU, r"^templates/offline/partials/"],
    "kallpanchis/notifications/locale": [
        MENU,
        r"^forms\.py:",
        r"^models\.py:",
        r"^views\.py:",
        r"^templates/notifications/(my_reminder_list|reminder_preferences_form|unsubscribe_confirm)\.html:",
        r"^templates/notifications/emails/",
    ],
    "kallpanchis/people/locale": [MENU],
    "kallpanchis/dashboard/locale": [MENU],
    "spaces/locale": [MENU, r"^reminders\.py:"],  # the kinds of reminder, listed on the preferences page
    "producers/locale": [r"."],  # the whole app: profile, members, plan, production
    "budgets/locale": [
        MENU,
        r"^calendar\.py:",
        r"^forms\.py:",
        r"^models\.py:",
        r"^reminders\.py:",
        r"^services/(people|prioritisation|cycles)\.py:",
        r"^views/(cycles|agents|proposals)\.py:",
        r"^templates/budgets/(cycle_list|cycle_timeline|cycle_detail|agent_detail|proposal_list"
        r"|proposal_detail|form|confirm)\.html:",
        r"^templates/budgets/partials/",
    ],
    "municipalities/locale": [MENU],
}
ALSO = {
    "spaces/locale": [
        r"^templates/spaces/(space_list|space_detail|public_space|meeting_list|meeting_detail"
        r"|agreement_list|agreement_detail|calendar_settings)\.html:",
        r"^templates/spaces/partials/",
        r"^models\.py:",
        r"^views/calendars\.py:",
    ],
    "budgets/locale": [r"^templates/budgets/public_(list|detail)\.html:"],
    "municipalities/locale": [
        r"^templates/municipalities/(municipality_list|municipality_public|map)\.html:",
        r"^templates/municipalities/partials/",
    ],
}


def entries(path: Path):
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid or not "".join(json.loads(x) for x in re.findall(r'".*"', msgid.group(1))):
            continue  # the header
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        translated = bool(strs) and all("".join(json.loads(x) for x in re.findall(r'".*"', s)) for s in strs)
        fuzzy = bool(re.search(r"^#,.*fuzzy", block, re.M))
        refs = [r for line in re.findall(r"^#: (.*)$", block, re.M) for r in line.split()]
        why = re.search(r"^#\.? ?uncertain: (.*)$", block, re.M)
        yield {
            "translated": translated and not fuzzy,
            "refs": refs,
            "uncertain": bool(why),
            "why": why.group(1) if why else "",
            "msgid": "".join(json.loads(x) for x in re.findall(r'".*"', msgid.group(1))),
            "msgstr": "".join(json.loads(x) for x in re.findall(r'".*"', strs[0])) if strs else "",
        }


def matches(patterns: list[str], refs: list[str]) -> bool:
    return any(re.search(pattern, ref) for ref in refs for pattern in patterns)


def coverage(lang: str = "qu") -> dict:
    """Per catalogue (translated, total, uncertain) and the two leader figures, as (translated, total)."""
    result = {"catalogues": {}, "leader": [0, 0], "leader_also": [0, 0], "untranslated_leader": []}
    for folder in CATALOGUES:
        path = ROOT / folder / lang / "LC_MESSAGES" / "django.po"
        if not path.exists():
            result["catalogues"][folder] = None
            continue
        rows = list(entries(path))
        result["catalogues"][folder] = (
            sum(r["translated"] for r in rows),
            len(rows),
            sum(r["uncertain"] and r["translated"] for r in rows),
        )
        for row in rows:
            mine = matches(LEADER.get(folder, []), row["refs"])
            if mine:
                result["leader"][0] += row["translated"]
                result["leader"][1] += 1
                if not row["translated"]:
                    result["untranslated_leader"].append((folder, row["refs"][0]))
            if mine or matches(ALSO.get(folder, []), row["refs"]):
                result["leader_also"][0] += row["translated"]
                result["leader_also"][1] += 1
    return result


def review(lang: str) -> None:
    """Tab-separated, one uncertain entry a line, for a native speaker to go through."""
    print("catalogue\tEnglish\ttranslation\twhy uncertain")
    for folder in CATALOGUES:
        path = ROOT / folder / lang / "LC_MESSAGES" / "django.po"
        if path.exists():
            for row in entries(path):
                if row["uncertain"] and row["translated"]:
                    cells = [folder, row["msgid"], row["msgstr"], row["why"]]
                    print("\t".join(cell.replace("\n", " ").replace("\t", " ") for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", default="qu")
    parser.add_argument("--review", action="store_true", help="list the uncertain entries, tab-separated")
    args = parser.parse_args()
    if args.review:
        review(args.lang)
        return
    result = coverage(args.lang)
    total = done = unsure = 0
    print(f"{'catalogue':58} {'translated':>10} {'total':>6} {'%':>6} {'uncertain':>9}")
    for folder, figures in result["catalogues"].items():
        name = f"{folder}/{args.lang}/LC_MESSAGES/django.po"
        if figures is None:
            print(f"{name:58} {'missing':>10}")
            continue
        t, n, u = figures
        total, done, unsure = total + n, done + t, unsure + u
        print(f"{name:58} {t:>10} {n:>6} {100 * t / max(n, 1):>5.1f}% {u:>9}")
    print(f"{'all catalogues':58} {done:>10} {total:>6} {100 * done / max(total, 1):>5.1f}% {unsure:>9}")
    for label, (t, n) in [
        ("leader screens + menu", result["leader"]),
        ("... and what a leader may also see", result["leader_also"]),
    ]:
        print(f"{label:58} {t:>10} {n:>6} {100 * t / max(n, 1):>5.1f}%")
    for folder, ref in result["untranslated_leader"][:20]:
        print(f"  untranslated on a leader screen: {folder} {ref}")


if __name__ == "__main__":
    main()
