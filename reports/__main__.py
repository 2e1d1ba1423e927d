"""``python -m reports certify|verify|compare|allure|catalogue`` — see each command's ``--help``.

Exit status: 0 all good; 1 the check found something (verify: a changed, added or
removed file; compare with --fail-on-regression: a newly failing scenario);
2 the command could not run (no such run directory, npm missing, …).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from . import catalogue as cat

REPO = Path(__file__).resolve().parent.parent
ALLURE_PACKAGE = "allure-commandline@2.46.1"
ALLURE_PREFIX = REPO / ".allure"


def cmd_certify(args) -> int:
    from .certify import certify
    try:
        evidence_digest, manifest_sha = certify(Path(args.run_dir), Path(args.catalogue), force=args.force)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"certify: {exc}", file=sys.stderr)
        return 2
    run = Path(args.run_dir)
    print(f"wrote {run / 'certification.html'}\nwrote {run / 'certification.pdf'}\nwrote {run / 'manifest.json'}")
    print(f"evidence digest (in the report): {evidence_digest}\nmanifest sha256 (record it outside the bundle): "
          f"{manifest_sha}")
    return 0


def cmd_verify(args) -> int:
    from .manifest import verify
    if not Path(args.run_dir).is_dir():
        print(f"verify: {args.run_dir}: no such run directory", file=sys.stderr)
        return 2
    v = verify(Path(args.run_dir))
    print("\n".join(v.lines()))
    return 0 if v.ok else 1


def cmd_compare(args) -> int:
    from .compare import compare, render_html, render_text, write_json
    for d in (args.run_a, args.run_b):
        if not Path(d).is_dir():
            print(f"compare: {d}: no such run directory", file=sys.stderr)
            return 2
    c = compare(Path(args.run_a), Path(args.run_b), factor=args.factor, min_delta=args.min_delta)
    sys.stdout.write(render_text(c))
    if args.html:
        Path(args.html).write_text(render_html(c), encoding="utf-8")
    if args.json:
        write_json(c, Path(args.json))
    return 1 if (args.fail_on_regression and c.regressed) else 0


def allure_binary() -> Path:
    """Allure 2's command line from npm, installed once into ``<repo>/.allure`` (Java runs it)."""
    binary = ALLURE_PREFIX / "node_modules" / ".bin" / "allure"
    if not binary.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("npm is not installed (apt: nodejs npm)")
        if shutil.which("java") is None:
            raise RuntimeError("java is not installed (apt: openjdk-17-jre-headless)")
        ALLURE_PREFIX.mkdir(exist_ok=True)
        print(f"installing {ALLURE_PACKAGE} into {ALLURE_PREFIX} …", file=sys.stderr)
        subprocess.run(["npm", "install", "--prefix", str(ALLURE_PREFIX), "--no-audit", "--no-fund",
                        "--loglevel=error", ALLURE_PACKAGE], check=True)
    return binary


def cmd_allure(args) -> int:
    run = Path(args.run_dir)
    results = Path(args.results) if args.results else run / "allure-results"
    output = Path(args.output) if args.output else run / "allure-report"
    if not results.is_dir():
        print(f"allure: {results}: no allure results (was the run made with reports.plugin?)", file=sys.stderr)
        return 2
    try:
        binary = allure_binary()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"allure: {exc}", file=sys.stderr)
        return 2
    argv = [str(binary), "generate", str(results), "-o", str(output), "--clean", "--name",
            f"h680-hil {run.resolve().name}"]
    if not args.multi_file:
        argv.append("--single-file")
    done = subprocess.run(argv)
    if done.returncode == 0:
        print(f"Allure report: {output / 'index.html'} (opens offline from the file system)")
    return 0 if done.returncode == 0 else 2


def cmd_catalogue(args) -> int:
    c = cat.generate(Path(args.spec), Path(args.out))
    print(f"wrote {args.out}: {len(c.requirements)} requirements from {args.spec}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reports", description="h680-hil evidence: certify, verify, compare")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("certify", help="write certification.html + .pdf and seal the bundle with manifest.json")
    s.add_argument("run_dir")
    s.add_argument("--catalogue", default=str(cat.DEFAULT_CATALOGUE), help="requirements catalogue YAML")
    s.add_argument("--force", action="store_true", help="re-certify a bundle that changed since it was sealed")
    s.set_defaults(func=cmd_certify)
    s = sub.add_parser("verify", help="check every file against manifest.json; name what changed")
    s.add_argument("run_dir")
    s.set_defaults(func=cmd_verify)
    s = sub.add_parser("compare", help="newly failing / newly passing / slower / lab errors between two runs")
    s.add_argument("run_a", help="the earlier run (baseline)")
    s.add_argument("run_b", help="the later run")
    s.add_argument("--factor", type=float, default=1.5, help="'slower' means more than this many times (1.5)")
    s.add_argument("--min-delta", type=float, default=0.5, help="… and at least this many seconds more (0.5)")
    s.add_argument("--html", help="also write the page as HTML here")
    s.add_argument("--json", help="also write the comparison as JSON here")
    s.add_argument("--fail-on-regression", action="store_true", help="exit 1 if anything newly fails")
    s.set_defaults(func=cmd_compare)
    s = sub.add_parser("allure", help="build the Allure HTML report offline (installs Allure 2 CLI via npm once)")
    s.add_argument("run_dir")
    s.add_argument("--results", help="allure results directory (default <run dir>/allure-results)")
    s.add_argument("--output", help="report directory (default <run dir>/allure-report)")
    s.add_argument("--multi-file", action="store_true", help="classic multi-file report (needs a web server)")
    s.set_defaults(func=cmd_allure)
    s = sub.add_parser("catalogue", help="regenerate the requirements catalogue from the spec")
    s.add_argument("--spec", default=str(cat.DEFAULT_SPEC))
    s.add_argument("--out", default=str(cat.DEFAULT_CATALOGUE))
    s.set_defaults(func=cmd_catalogue)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
