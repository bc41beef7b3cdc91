#!/usr/bin/env python3
"""Differential test: sendguard's reading of real-world .eml files against Python's
`email` package (policy.default), the outside oracle.

For every file in corpus/ it compares
  - recipients: the addr-specs of every To/Cc/Bcc and Resent-To/-Cc/-Bcc field;
  - attachment names: every file name Python finds walking the message (forwarded
    messages included) must be among the names sendguard checks, and every name
    sendguard checks must be one Python finds.
Every disagreement must be listed in disagreements.txt with the reason sendguard is
right; a listed disagreement that no longer occurs is an error too (the list stays
reviewed, not a dump). Prints the counts and exits non-zero on any unlisted or stale
entry.

Usage: compare.py READ_EML_BINARY
"""

import email
import email.policy
import email.utils
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
LISTED = os.path.join(HERE, "disagreements.txt")
FIELDS = {"to": ["to", "resent-to"], "cc": ["cc", "resent-cc"], "bcc": ["bcc", "resent-bcc"]}
SYNTHETIC = re.compile(r"^attachment-\d+$")


def python_reading(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    recipients = {field: [] for field in FIELDS}
    for name, value in msg.raw_items():
        field = next((f for f, names in FIELDS.items() if name.lower() in names), None)
        if field is None:
            continue
        try:
            specs = [a.addr_spec for a in email.policy.default.header_factory(name, value).addresses]
        except Exception:
            # The structured parser gave up on this field (it raises on some group
            # syntax); Python's older parser still reads it.
            try:
                specs = [spec for _, spec in email.utils.getaddresses([str(value)])]
            except Exception:
                specs = ["(python could not read this field)"]
        for spec in specs:
            spec = spec.strip().lower()
            if spec and spec != "<>":
                recipients[field].append(spec)
    recipients = {field: sorted(found) for field, found in recipients.items()}
    names = []
    for part in msg.walk():
        try:
            filename = part.get_filename()
        except Exception:
            filename = None
        if filename:
            names.append(filename.strip())
    return recipients, sorted(set(n for n in names if n))


def sendguard_names(reading):
    names = set()
    for file in reading.get("files", []):
        for name in file["names"]:
            if not SYNTHETIC.match(name):
                names.add(name.strip())
    return sorted(names)


def load_listed():
    listed = {}
    with open(LISTED, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[2]:
                sys.exit(f"{LISTED}:{number}: expected `path | aspect | reason`")
            listed[(parts[0], parts[1])] = parts[2]
    return listed


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    paths = []
    for root, _, files in os.walk(CORPUS):
        for name in files:
            paths.append(os.path.join(root, name))
    paths.sort()
    output = subprocess.run(
        [sys.argv[1], *paths], check=False, capture_output=True
    )
    readings = {}
    for line in output.stdout.decode("utf-8").splitlines():
        reading = json.loads(line)
        readings[reading["path"]] = reading
    if len(readings) != len(paths):
        sys.exit(f"sendguard read {len(readings)} of {len(paths)} files: {output.stderr.decode()}")

    listed = load_listed()
    seen_listed = set()
    agreements = 0
    listed_disagreements = 0
    unlisted = []
    for path in paths:
        relative = os.path.relpath(path, CORPUS)
        with open(path, "rb") as handle:
            data = handle.read()
        ours = readings[path]
        if "error" in ours:
            # sendguard refuses it as not a message: Python must find no header either.
            msg = email.message_from_bytes(data, policy=email.policy.default)
            aspects = {} if not msg.keys() else {"error": (ours["error"], msg.keys())}
        else:
            recipients, names = python_reading(data)
            aspects = {}
            for field in FIELDS:
                theirs = recipients[field]
                mine = sorted(ours[field])
                if theirs != mine:
                    aspects[field] = (mine, theirs)
            mine = sendguard_names(ours)
            if mine != names:
                aspects["names"] = (mine, names)
        if not aspects:
            agreements += 1
            continue
        for aspect, (mine, theirs) in aspects.items():
            key = (relative, aspect)
            if key in listed:
                seen_listed.add(key)
                listed_disagreements += 1
            else:
                unlisted.append(f"{relative} | {aspect} | sendguard {mine} python {theirs}")
    stale = sorted(set(listed) - seen_listed)
    print(
        f"mime oracle: {len(paths)} files, {agreements} agree with Python's email package, "
        f"{listed_disagreements} listed disagreements (reviewed in disagreements.txt), "
        f"{len(unlisted)} unlisted, {len(stale)} stale"
    )
    for line in unlisted:
        print("UNLISTED", line)
    for path, aspect in stale:
        print(f"STALE {path} | {aspect}: no longer disagrees; remove it from the list")
    sys.exit(1 if unlisted or stale else 0)


if __name__ == "__main__":
    main()
