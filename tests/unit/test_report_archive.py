"""The report archive over S3 (the emulator's): two makers of one year's report at once never take the same
version nor write over each other's PDF; two makers of one claim make one version, named by the maker that
reserved it; a maker that died after reserving its number gets it back."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from chalicelib.adapters.s3_report_archive import S3ReportArchive
from chalicelib.domain.reports.shelves import Shelf
from chalicelib.services.ports.standard_report import PrintedReport

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SHELF = Shelf.establishment("440000990")


@pytest.fixture
def archive(aws):
    return S3ReportArchive(aws.adapters.objects, aws.settings.buckets["exports"])


def printing(claim: str, meanwhile=lambda: None):
    def printed(version: int) -> PrintedReport:
        meanwhile()  # another maker works while this one prints
        return PrintedReport(f"%PDF {claim} v{version}".encode(), 3)

    return printed


def test_a_maker_that_starts_while_another_prints_takes_the_next_version_and_both_pdfs_are_kept(archive):
    other = {}

    def closure_meanwhile() -> None:
        if not other:
            other["made"] = archive.make(SHELF, 2025, "closure-A", "closure", NOW, printing("closure-A"))

    regenerated = archive.make(SHELF, 2025, "generation-B", "job", NOW, printing("generation-B", closure_meanwhile))

    assert sorted((r.version, r.claim) for r in archive.versions(SHELF, 2025)) == [(1, "generation-B"), (2, "closure-A")]
    assert (regenerated.version, other["made"].version) == (1, 2)
    assert archive.pdf(SHELF, regenerated) == b"%PDF generation-B v1"
    assert archive.pdf(SHELF, other["made"]) == b"%PDF closure-A v2"


def test_makers_racing_in_threads_each_get_their_own_version(archive):
    start, made, claims = threading.Barrier(4), [], [f"claim-{n}" for n in range(4)]

    def make(claim: str) -> None:
        start.wait(10)
        made.append(archive.make(SHELF, 2024, claim, claim, NOW, printing(claim)))

    threads = [threading.Thread(target=make, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(r.version for r in made) == [1, 2, 3, 4]
    for report in archive.versions(SHELF, 2024):
        assert archive.pdf(SHELF, report) == f"%PDF {report.claim} v{report.version}".encode()


def test_two_makers_of_one_claim_make_one_version_named_by_the_first_to_keep_it_and_nothing_is_written_over(archive):
    second = {}

    def same_claim_meanwhile() -> None:
        if not second:
            second["made"] = archive.make(SHELF, 2025, "closure-A", "execution-2", NOW, printing("closure-A"))

    def printed_later(version: int) -> PrintedReport:
        same_claim_meanwhile()  # the other one prints and keeps the version meanwhile
        return PrintedReport(b"%PDF printed later", 4)

    first = archive.make(SHELF, 2025, "closure-A", "execution-1", NOW, printed_later)

    [kept] = archive.versions(SHELF, 2025)
    assert kept.version == 1 and kept.pages == 3
    assert first.made_by == second["made"].made_by == "execution-2"  # the one that kept it mails it, only it
    assert archive.pdf(SHELF, kept) == b"%PDF closure-A v1"  # never written over by the later one


def test_a_maker_that_died_after_reserving_gets_its_number_back(archive):
    def dies(version: int) -> PrintedReport:
        raise RuntimeError("killed while printing")

    with pytest.raises(RuntimeError):
        archive.make(SHELF, 2025, "closure-A", "execution-1", NOW, dies)
    assert archive.versions(SHELF, 2025) == []

    again = archive.make(SHELF, 2025, "closure-A", "execution-1", NOW, printing("closure-A"))
    later = archive.make(SHELF, 2025, "generation-B", "job", NOW, printing("generation-B"))
    assert (again.version, later.version) == (1, 2)
