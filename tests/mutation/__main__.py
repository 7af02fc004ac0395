"""``python -m tests.mutation``: the mutation check (``make mutation``), kill rates per package.

mutmut changes the code of kneecare/triage, kneecare/language, kneecare/cases
and actions/ one small change (a mutant) at a time and runs the fast tests
that reach the changed function: a mutant that no test notices survived.
It works in a copy of the project outside this checkout (mutmut writes its
mutants beside the sources it is given), runs each package in turn and prints
each package's kill rate, time and machine load. Exits 1 when a package is
under its target. tests/MUTATION.md records the decision for every survivor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Package:
    folder: str
    target: float  # share of mutants the tests must kill

    @property
    def mutants(self) -> str:
        """mutmut's names of this package's mutants (``kneecare.cases.store.x_f__mutmut_1``)."""
        return self.folder.replace("/", ".") + ".*"


PACKAGES = (
    Package("kneecare/triage", 0.90),
    Package("actions", 0.80),
    Package("kneecare/language", 0.80),
    Package("kneecare/cases", 0.90),
)
# the packages and files the fast tests import or read (mutmut copies them into mutants/)
SOURCES = ("kneecare", "actions", "runner", "channels", "core_plugins", "rasa_patches",
           "nlu_components", "staff", "web", "bench", "deploy")
# everything else the tests read (domain.yml, data/, docs/, the Makefile, ...)
NOT_COPIED = {"models", "var", "results", "tests", "mutants", "pyproject.toml", *SOURCES}
# pure, fast tests only: no servers, browsers or subprocesses (these cannot see a mutant:
# a subprocess imports the unchanged code) and none that take minutes
TESTS = ("tests/unit", "tests/actions", "tests/cases",
         "tests/privacy/test_redacting_tracker_store.py")
SLOW_OR_SUBPROCESS = (
    "content_register", "held_out_is_held_out", "docs_references", "waiting_lock_store",
    "deploy_files", "field_set", "server_garbage_collection", "run_stops_on_sigterm",
    "action_server_start", "locked_down_start",
    "module_sizes",  # reads the sources, which mutmut has rewritten: not a test of behaviour
)
# schema steps Alembic runs once, and the operators' command line (tested through
# subprocesses, which cannot see a mutant): mutating them measures nothing
NOT_MUTATED = ("kneecare/cases/migrations/*", "kneecare/cases/__main__.py")
# the PostgreSQL variants repeat the SQLite ones against a server, several times slower
# per mutant: the SQL both share is what a mutant changes, so SQLite alone decides
SELECTED_BY_NAME = ("-k", "not postgresql")
# reads the predicates' source (rewritten by mutmut), not a test of behaviour
DESELECTED = ("tests/unit/test_triage_criteria.py::test_predicates_name_only_signs_from_signs_yml",)
# mutmut's exit codes that count as caught: a failing test, a timeout
KILLED = {1, 3, 36, 24, -24, 152, 255}


def project_files() -> list[str]:
    return sorted(path.name for path in ROOT.iterdir()
                  if not path.name.startswith(".") and path.name not in NOT_COPIED)


def mutmut_config() -> str:
    selection = [*TESTS, *(f"--ignore=tests/unit/test_{name}.py" for name in SLOW_OR_SUBPROCESS),
                 *(f"--deselect={test}" for test in DESELECTED), *SELECTED_BY_NAME]
    config = {
        "source_paths": list(SOURCES),
        "only_mutate": [f"{package.folder}/*" for package in PACKAGES],
        "do_not_mutate": list(NOT_MUTATED),
        "also_copy": project_files(),
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
        "pytest_add_cli_args_test_selection": selection,
        "use_git_change_detection": False,
    }
    return "\n[tool.mutmut]\n" + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in config.items())


def prepare(workdir: Path) -> None:
    """A fresh copy point: links to this checkout, and pyproject.toml with the mutmut settings."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    for name in [*SOURCES, "tests", *project_files()]:
        (workdir / name).symlink_to(ROOT / name)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (workdir / "pyproject.toml").write_text(text + mutmut_config(), encoding="utf-8")


def outcomes(workdir: Path, package: Package) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in sorted((workdir / "mutants" / package.folder).rglob("*.py.meta")):
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / f"mutation-{ROOT.name}",
                        help="where mutmut works (made afresh; default %(default)s)")
    parser.add_argument("--packages", nargs="*", default=[p.folder for p in PACKAGES],
                        help="a subset of the packages")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    chosen = [p for p in PACKAGES if p.folder in args.packages]
    prepare(args.workdir)
    mutmut = str(Path(sys.executable).parent / "mutmut")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    rows, survivors, missed = [], [], []
    for package in chosen:
        started, load_before = time.monotonic(), os.getloadavg()[0]
        finished = subprocess.run([mutmut, "run", "--max-children", str(args.max_children),
                                   package.mutants], cwd=args.workdir, env=env, check=False)
        minutes, load_after = (time.monotonic() - started) / 60, os.getloadavg()[0]
        found = outcomes(args.workdir, package)
        killed = sum(1 for code in found.values() if code in KILLED)
        rate = killed / len(found) if found else 0.0
        survivors += [name for name, code in found.items() if code not in KILLED]
        if finished.returncode or rate < package.target:
            missed.append(package.folder)
        rows.append(f"{package.folder:<18} {killed:>5}/{len(found):<5} {rate:7.1%}"
                    f"  (target {package.target:.0%})  {minutes:5.1f} min"
                    f"  load {load_before:.1f} -> {load_after:.1f}")
    print("\npackage            killed/total   rate", *rows, sep="\n")
    print(f"\n{len(survivors)} survivors (tests/MUTATION.md has a decision for each;"
          f" `mutmut show NAME` in {args.workdir} shows one):", *survivors, sep="\n  ")
    if missed:
        print(f"\nunder target: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
