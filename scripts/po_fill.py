"""Fill empty translations of a .po file from a JSON object {msgid: msgstr} read on stdin.

    python scripts/po_fill.py locale/es/LC_MESSAGES/django.po < es.json

Only entries whose msgstr is empty (or fuzzy) are filled; plural entries take the same text for every form
unless the JSON value is a list. Prints the msgids still untranslated, so nothing is missed silently.
"""

import json
import re
import sys


def unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main() -> None:
    path = sys.argv[1]
    table = json.load(sys.stdin)
    text = open(path, encoding="utf-8").read()
    # Entries are separated by a blank line, but gettext tools sometimes omit it after the header.
    text = re.sub(r'(\n(?:msgstr[^\n]*|"[^\n]*"))\n(#)', r"\1\n\n\2", text)
    blocks = re.split(r"\n[ \t]*\n", text)
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        keyed: dict[str, list[str]] = {}
        current = None
        for line in lines:
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if m:
                current = m.group(1)
                keyed[current] = [m.group(2)]
            elif line.startswith('"') and current:
                keyed[current].append(line)
        if "msgid" not in keyed or unquote(keyed["msgid"]) == "":
            # The header: a fuzzy header is ignored by msgfmt, which then reads UTF-8 as ASCII.
            out.append("\n".join(ln for ln in lines if ln != "#, fuzzy"))
            continue
        msgid = unquote(keyed["msgid"])
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        strs = [k for k in keyed if k.startswith("msgstr")]
        empty = fuzzy or all(unquote(keyed[k]) == "" for k in strs)
        if not empty:
            out.append(block)
            continue
        if msgid not in table:
            missing.append(msgid)
            out.append(block)
            continue
        value = table[msgid]
        head = []
        for ln in lines:
            if ln.startswith("#,"):
                flags = [f.strip() for f in ln[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
                if flags:
                    head.append("#, " + ", ".join(flags))
            elif ln.startswith("#") and not ln.startswith("#|"):
                head.append(ln)
        body = []
        if "msgctxt" in keyed:
            body.append("msgctxt " + quote(unquote(keyed["msgctxt"])))
        body.append("msgid " + quote(msgid))
        if "msgid_plural" in keyed:
            body.append("msgid_plural " + quote(unquote(keyed["msgid_plural"])))
            values = value if isinstance(value, list) else [value] * len(strs)
            body += [f"msgstr[{i}] " + quote(v) for i, v in enumerate(values)]
        else:
            body.append("msgstr " + quote(value))
        out.append("\n".join(head + body))
    open(path, "w", encoding="utf-8").write("\n\n".join(out))
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main()
