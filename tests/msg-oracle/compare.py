#!/usr/bin/env python3
"""Differential test: sendguard's reading of Outlook .msg files against the PyPI package
`extract_msg` (the outside oracle), and against each file's .eml twin where the corpus
has one.

For every corpus/*/*.msg it compares
  - recipients: the lower-cased address of every recipient, per field (To, Cc, Bcc);
  - attachment names: the names of the message's own attachments (not the files inside
    them): every name extract_msg gives (long file name, else short file name, else the
    display name for an attached message) must be among the names sendguard gives that
    attachment;
and, where NAME.eml lies beside NAME.msg, sendguard's readings of the two: the same
recipients, the same sender and the same named attachments (sendguard's `attachment-N`
stand-ins for unnamed parts are left out: the .eml twins were written by a converter
that adds the RTF body as an unnamed part).

Every disagreement must be listed in disagreements.txt with the reason sendguard is
right; a listed disagreement that no longer occurs is an error too. Prints the counts
and exits non-zero on any unlisted or stale entry.

Usage: compare.py READ_EML_BINARY   (with extract_msg importable)
"""

import glob
import json
import os
import re
import subprocess
import sys

import extract_msg

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
LISTED = os.path.join(HERE, "disagreements.txt")
SYNTHETIC = re.compile(r"^attachment-\d+$")
FIELD_OF_TYPE = {1: "to", 2: "cc", 3: "bcc"}


def oracle(path):
    msg = extract_msg.openMsg(path, strict=False)
    try:
        recipients = {"to": [], "cc": [], "bcc": []}
        for recipient in msg.recipients:
            kind = int(recipient.type) if recipient.type is not None else 1
            field = FIELD_OF_TYPE.get(kind & 0xFFFF, "to")
            # extract_msg keeps the terminating NUL of some 8-bit strings.
            address = (recipient.email or recipient.name or "").strip("\x00 ").lower()
            if address:
                recipients[field].append(address)
        names = []
        for attachment in msg.attachments:
            name = (
                getattr(attachment, "longFilename", None)
                or getattr(attachment, "shortFilename", None)
                or getattr(attachment, "displayName", None)
            )
            names.append(name.strip("\x00 ") if name else None)
        return {f: sorted(v) for f, v in recipients.items()}, names
    finally:
        msg.close()


def sendguard(binary, paths):
    out = subprocess.run([binary, *paths], capture_output=True, text=True, check=False)
    readings = {}
    for line in out.stdout.splitlines():
        reading = json.loads(line)
        readings[reading["path"]] = reading
    return readings


def top_level(reading):
    """The message's own attachments: every file whose place is not inside another."""
    return [f for f in reading.get("files", []) if " › " not in f["place"]]


def load_listed():
    listed = {}
    with open(LISTED, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            key, _, reason = line.partition(" | ")
            if not reason.strip():
                sys.exit(f"disagreements.txt:{number}: no reason given")
            listed[key.strip()] = reason.strip()
    return listed


def main():
    binary = sys.argv[1]
    paths = sorted(glob.glob(os.path.join(CORPUS, "*", "*.msg")))
    twins = [p[:-4] + ".eml" for p in paths if os.path.exists(p[:-4] + ".eml")]
    readings = sendguard(binary, paths + twins)
    found = set()
    compared = {"msg": 0, "recipients": 0, "attachments": 0, "twins": 0}
    for path in paths:
        key = os.path.relpath(path, CORPUS)
        ours = readings[path]
        if "error" in ours:
            found.add(f"{key}: sendguard error")
            continue
        compared["msg"] += 1
        recipients, names = oracle(path)
        for field in ("to", "cc", "bcc"):
            compared["recipients"] += len(recipients[field])
            if sorted(ours[field]) != recipients[field]:
                found.add(f"{key}: {field} differs")
        files = top_level(ours)
        if len(files) != len(names):
            found.add(f"{key}: attachment count differs")
        for index, name in enumerate(names):
            compared["attachments"] += 1
            if name and (index >= len(files) or name not in files[index]["names"]):
                found.add(f"{key}: attachment {index + 1} name differs")
        twin = path[:-4] + ".eml"
        if twin in readings:
            compared["twins"] += 1
            theirs = readings[twin]
            for field in ("to", "cc", "bcc", "from"):
                if ours[field] != theirs[field]:
                    found.add(f"{key}: twin {field} differs")
            named = lambda reading: sorted(  # noqa: E731
                name
                for f in top_level(reading)
                for name in f["names"]
                if not SYNTHETIC.match(name)
            )
            if named(ours) != named(theirs):
                found.add(f"{key}: twin files differ")
    listed = load_listed()
    unlisted = sorted(found - set(listed))
    stale = sorted(set(listed) - found)
    print(
        f"msg oracle: {compared['msg']} .msg files read, {compared['recipients']} recipients "
        f"and {compared['attachments']} attachments compared with extract_msg "
        f"{extract_msg.__version__}, {compared['twins']} .eml twins; "
        f"{len(found)} disagreements, all listed: {not unlisted}"
    )
    for entry in unlisted:
        print(f"UNLISTED: {entry}")
    for entry in stale:
        print(f"STALE (no longer occurs): {entry}")
    sys.exit(1 if unlisted or stale else 0)


if __name__ == "__main__":
    main()
