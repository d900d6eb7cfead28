"""How much of a language is translated: per catalogue, in total, and for a group of screens.

    python scripts/po_coverage.py                # Quechua: every catalogue, then the leader's screens
    python scripts/po_coverage.py --lang fr

An entry counts as translated when its msgstr (every form, for plurals) is non-empty and it is not fuzzy.
An entry belongs to "the leader's screens" when one of its source references matches LEADER below: the
menu (every app's navigation, base.html), the annual plan and production pages and forms (producers), the
participatory-budget calendar (budgets). "uncertain" counts the entries whose translator comment asks a
native speaker to review them.
"""

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ["locale", "kallpanchis/offline/locale", "spaces/locale", "producers/locale", "budgets/locale"]
LEADER = [
    r"(^|/)apps\.py:",  # the menu entries of every app
    r"templates/base\.html",
    r"templates/offline/partials/",
    r"templates/producers/(plan_|production_|_base|association_detail)",
    r"^forms\.py:",  # producers' plan, activity and production forms (with the producers/ prefix below)
    r"templates/budgets/cycle_timeline\.html",
    r"^calendar\.py:",  # budgets' phase names, shown on the calendar
]


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
        uncertain = bool(re.search(r"^#\.? ?uncertain:", block, re.M))
        yield {"translated": translated and not fuzzy, "refs": refs, "uncertain": uncertain}


def leader(app: str, refs: list[str]) -> bool:
    for ref in refs:
        for pattern in LEADER:
            if pattern.startswith("^forms") and app != "producers":
                continue
            if pattern.startswith("^calendar") and app != "budgets":
                continue
            if re.search(pattern, ref):
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", default="qu")
    args = parser.parse_args()
    total = done = unsure = l_total = l_done = 0
    print(f"{'catalogue':48} {'translated':>10} {'total':>6} {'%':>6} {'uncertain':>9}")
    for folder in CATALOGUES:
        path = ROOT / folder / args.lang / "LC_MESSAGES" / "django.po"
        if not path.exists():
            print(f"{str(path.relative_to(ROOT)):48} {'missing':>10}")
            continue
        app = folder.split("/")[0] if folder != "locale" else "project"
        rows = list(entries(path))
        n, t = len(rows), sum(r["translated"] for r in rows)
        u = sum(r["uncertain"] and r["translated"] for r in rows)
        total, done, unsure = total + n, done + t, unsure + u
        mine = [r for r in rows if leader(app, r["refs"])]
        l_total += len(mine)
        l_done += sum(r["translated"] for r in mine)
        print(f"{str(path.relative_to(ROOT)):48} {t:>10} {n:>6} {100 * t / max(n, 1):>5.1f}% {u:>9}")
    print(f"{'all catalogues':48} {done:>10} {total:>6} {100 * done / max(total, 1):>5.1f}% {unsure:>9}")
    print(f"{'leader screens + menu':48} {l_done:>10} {l_total:>6} {100 * l_done / max(l_total, 1):>5.1f}%")


if __name__ == "__main__":
    main()
