"""The locks are the only source of installed versions (`make lock` writes them).

``requirements*.in`` hold the direct requirements, edited by hand;
``requirements-dev.txt`` locks everything for development and tests,
``requirements.txt`` what the Lambda package ships. Both carry hashes, and the
Makefile installs the development lock alone, with ``--require-hashes --no-deps``.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DEV_INPUT, DEV_LOCK = ROOT / "requirements-dev.in", ROOT / "requirements-dev.txt"
LAMBDA_INPUT, LAMBDA_LOCK = ROOT / "requirements.in", ROOT / "requirements.txt"


@dataclass(frozen=True)
class Locked:
    requirement: Requirement
    hashes: frozenset[str]

    @property
    def version(self) -> str:
        (spec,) = self.requirement.specifier
        return spec.version

    def applies_here(self) -> bool:
        marker = self.requirement.marker
        return marker is None or marker.evaluate(dict(default_environment()))


def _logical_lines(path: Path) -> list[str]:
    """Lines with their backslash continuations joined and comments dropped."""
    joined = path.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = (line.split(" #", 1)[0].strip() for line in joined.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def direct_requirements(path: Path) -> list[Requirement]:
    """An input file's requirements, following its ``-r`` includes."""
    found: list[Requirement] = []
    for line in _logical_lines(path):
        if line.startswith("-r "):
            found += direct_requirements(path.parent / line.removeprefix("-r ").strip())
        else:
            found.append(Requirement(line))
    return found


def lock(path: Path) -> list[Locked]:
    entries = []
    for line in _logical_lines(path):
        words = line.split()
        hashes = frozenset(w.removeprefix("--hash=") for w in words if w.startswith("--hash="))
        spec = " ".join(w for w in words if not w.startswith("--hash="))
        entries.append(Locked(Requirement(spec), hashes))
    return entries


def pinned(entries: list[Locked]) -> dict[str, str]:
    """name -> version of the entries that apply to this machine."""
    return {canonicalize_name(e.requirement.name): e.version for e in entries if e.applies_here()}


def test_every_locked_package_is_pinned_exactly_with_its_hashes() -> None:
    for entry in lock(DEV_LOCK) + lock(LAMBDA_LOCK):
        (spec,) = entry.requirement.specifier
        assert spec.operator == "==", entry.requirement
        assert entry.hashes and all(h.startswith("sha256:") for h in entry.hashes), entry.requirement


def test_every_development_requirement_is_locked_at_a_version_it_allows() -> None:
    versions = pinned(lock(DEV_LOCK))
    for requirement in direct_requirements(DEV_INPUT):
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{requirement} is not in requirements-dev.txt: run `make lock`"
        assert requirement.specifier.contains(versions[name], prereleases=True), (
            f"{requirement} but requirements-dev.txt locks {versions[name]}: run `make lock`"
        )


def test_every_lambda_requirement_is_locked_at_a_version_it_allows() -> None:
    versions = pinned(lock(LAMBDA_LOCK))
    for requirement in direct_requirements(LAMBDA_INPUT):
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{requirement} is not in requirements.txt: run `make lock`"
        assert requirement.specifier.contains(versions[name], prereleases=True)


def test_the_lambda_lock_ships_the_same_versions_and_files_as_development() -> None:
    development = {canonicalize_name(e.requirement.name) + "==" + e.version: e.hashes for e in lock(DEV_LOCK)}
    for entry in lock(LAMBDA_LOCK):
        key = canonicalize_name(entry.requirement.name) + "==" + entry.version
        assert key in development, f"{key} of requirements.txt is not in requirements-dev.txt"
        assert entry.hashes == development[key], key


def test_the_lambda_lock_leaves_out_what_the_lambda_runtime_provides() -> None:
    shipped = pinned(lock(LAMBDA_LOCK))
    assert not {"boto3", "botocore", "s3transfer", "aws-xray-sdk"} & shipped.keys()


def test_the_environment_running_the_tests_is_exactly_the_development_lock() -> None:
    """`pip freeze --all` of the environment `make` created equals the lock."""
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in importlib.metadata.distributions()
    }
    assert installed == pinned(lock(DEV_LOCK))
