"""Hostile and broken files, generated from sound ones (a seeded fuzz): every one reaches a terminal
status with French messages, never an internal error, and a refused one changes nothing."""

from __future__ import annotations

import random
import zlib

import pytest

from chalicelib.domain.imports import UploadStatus
from tests.support import files
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world

CASES_FAST, CASES_SLOW = 120, 1200
SOUND = {
    ("structure", "2025"): files.STRUCTURE,
    ("beds", "2025"): files.BEDS,
    ("patient_days", "2025-T1"): files.PATIENT_DAYS_T1,
    ("consumption", "2025-T1"): files.CONSUMPTION_T1,
}
HOSTILE_CELLS = [
    "1e308", "-1e308", "1e999", "9" * 400, "1e15", "-0", "NaN", "inf", "∞", "", " ", "\u00a0", "NULL", "#N/A",
    "=cmd|'/C calc'!A0", "+SUM(A1:A9)", "@x", "-1", "0,0000001", "1.234,5", "1,2.3", "12 5", "x" * 100_000, "\x00",
    "é\u202e\u200b", "🦠", "2025-T5", "2024-T1", "2025", "01/01/1899", "31/02/2025", "0412", "9999999", "3400890000014",
]  # fmt: skip
#: What a message may never look like: an exception's text leaking to a hospital user.
LEAKS = ("Traceback", "Error", "object has no attribute", "invalid literal", "NoneType", "KeyError", "unsupported operand")


def mutate(rows: list[list[object]], rng: random.Random) -> list[list[object]]:
    rows = [list(row) for row in rows]
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        if kind == 0 and len(rows) > 1:  # a hostile value in any cell, the header included
            row = rng.randrange(len(rows))
            if rows[row]:
                rows[row][rng.randrange(len(rows[row]))] = rng.choice(HOSTILE_CELLS)
        elif kind == 1 and len(rows) > 1:  # a row lost or repeated
            row = rng.randrange(1, len(rows))
            if rng.random() < 0.5:
                del rows[row]
            else:
                rows.insert(row, list(rows[row]))
        elif kind == 2 and rows:  # columns in another order
            order = list(range(len(rows[0])))
            rng.shuffle(order)
            rows = [[row[i] for i in order if i < len(row)] for row in rows]
        elif kind == 3 and rows:  # a ragged row
            row = rng.randrange(len(rows))
            rows[row] = rows[row][: rng.randrange(len(rows[row]) + 1)] + ["extra"] * rng.randrange(3)
        elif kind == 4:  # the header only, or nothing but it
            rows = rows[:1] if rng.random() < 0.5 else rows[1:]
        elif kind == 5:  # many rows
            rows = (rows[:1] + rows[1:] * rng.randint(1, 300))[:5000]
    return rows or [[""]]


def damage(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return data[: rng.randrange(len(data) + 1)]  # truncated
    if kind == 1:
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        return bytes(flipped)
    if kind == 2:
        return zlib.compress(data)  # something else entirely
    return data


def a_file(rng: random.Random) -> tuple[str, str, str, bytes]:
    (file_type, period), rows = rng.choice(list(SOUND.items()))
    rows = mutate(rows, rng)
    if rng.random() < 0.5:  # a spreadsheet cannot hold control characters: those go to a CSV
        name, data = f"{file_type}.xlsx", files.xlsx([[str(v).replace("\x00", "") for v in row] for row in rows])
    else:
        delimiter = rng.choice([";", ",", "\t"])
        encoding = rng.choice(["utf-8", "cp1252", "utf-16"])
        text_rows = [[str(v).encode(encoding, "replace").decode(encoding, "replace") for v in row] for row in rows]
        name, data = f"{file_type}.csv", files.csv(text_rows, delimiter=delimiter, encoding=encoding)
    if rng.random() < 0.25:
        data = damage(data, rng)
    return file_type, period, name, data


def run_cases(count: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    world = a_world()
    world.services.catalogue.load_demo_if_empty()
    outcomes: dict[str, int] = {}
    for case in range(count):
        file_type, period, name, data = a_file(rng)
        if not data:
            continue  # an empty body is refused before any upload exists (size 0)
        upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, file_type, period, name, len(data), None)
        world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, data, "application/octet-stream")
        status = world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, f"v{case}")
        assert status is not None and status.final, (case, file_type, name)
        assert status is not UploadStatus.FAILED, (case, file_type, name, world.uploads.get(CHU, upload.upload_id))
        report = world.services.uploads.get(REFERENT, CHU.value, upload.upload_id)[1]
        for problem in report["errors"] + report["warnings"]:
            assert problem["message"] and not any(leak in problem["message"] for leak in LEAKS), (case, problem)
        if status is UploadStatus.REJECTED:
            assert report["errors"], (case, name)
        outcomes[status.value] = outcomes.get(status.value, 0) + 1
    return outcomes


def test_generated_hostile_files_all_end_in_french_without_an_internal_error():
    outcomes = run_cases(CASES_FAST, seed=2026)
    assert outcomes.get("REJECTED", 0) > 0 and outcomes.get("VALIDATED", 0) > 0  # the generator hits both


@pytest.mark.slow
def test_a_thousand_generated_hostile_files_all_end_in_french_without_an_internal_error():
    outcomes = run_cases(CASES_SLOW, seed=7)
    assert sum(outcomes.values()) >= 1000
