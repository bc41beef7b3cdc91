#!/usr/bin/env python3
"""Assembles the Thunderbird add-on from its sources and the checker package, and
zips it into an .xpi.

    python3 addin-thunderbird/pack.py --checker dist/checker \
        --out-dir dist/addin-thunderbird --xpi dist/sendguard-thunderbird.xpi

`cargo xtask dist` runs this; the end-to-end test runs it too when given sources.
Standard library only. The .xpi is reproducible: sorted entries, fixed timestamps.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# What Thunderbird loads; docs, examples and this script stay out of the package.
RUNTIME_SUFFIXES = {".json", ".html", ".mjs", ".css"}
NOT_SHIPPED = {"policies.example.json"}
# The checker package files the add-on loads: the ES module build (the .cjs and .iife
# builds are for other hosts), the shared report view and its stylesheet, the hosts'
# shared decisions (host.mjs), and the
# package's shared catalogue (the add-on's own strings are its messages.json).
CHECKER_FILES = ("sendguard-checker.mjs", "report-view.mjs", "report-view.css", "host.mjs", "messages.json")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def add_on_sources() -> list[Path]:
    return sorted(
        path
        for path in HERE.rglob("*")
        if path.is_file()
        and path.suffix in RUNTIME_SUFFIXES
        and path.name not in NOT_SHIPPED
        and "node_modules" not in path.parts
    )


def stage(checker: Path, out_dir: Path) -> None:
    """Writes the unpacked add-on to `out_dir` (replacing what was there)."""
    missing = [name for name in CHECKER_FILES if not (checker / name).is_file()]
    if missing:
        raise SystemExit(f"pack.py: {checker} is not the checker package (missing {', '.join(missing)})")
    json.loads((checker / "messages.json").read_text(encoding="utf-8"))  # fail here, not in Thunderbird
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for source in add_on_sources():
        target = out_dir / source.relative_to(HERE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (out_dir / "checker").mkdir()
    for name in CHECKER_FILES:
        shutil.copyfile(checker / name, out_dir / "checker" / name)


def zip_dir(directory: Path, xpi: Path) -> None:
    xpi.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(xpi, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(directory).as_posix(), FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checker", type=Path, default=ROOT / "dist" / "checker")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "dist" / "addin-thunderbird")
    parser.add_argument("--xpi", type=Path, help="also zip the add-on into this .xpi")
    args = parser.parse_args(argv)
    stage(args.checker, args.out_dir)
    if args.xpi:
        zip_dir(args.out_dir, args.xpi)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
