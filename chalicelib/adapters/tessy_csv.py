"""TESSy records as the CSV ECDC's upload takes, and back.

One file per record type (AMRTEST and AMRCOVER have different variables): a header
row with the TESSy variable names in the metadata's order, then one row per
record; UTF-8 without BOM, comma-separated, fields quoted only when needed, CRLF
line ends (RFC 4180). Values are written as the records hold them — TESSy codes,
never neutralised like a spreadsheet export (``=`` is a valid ResultMICSign).
``read`` gives the records back equal to those written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord, TessyRecord, record_class

__all__ = ["read", "read_amrcover", "read_amrtest", "write"]


def write(records: Sequence[TessyRecord], record_type: str | None = None) -> bytes:
    """The CSV of records of one type; ``record_type`` ("AMRTEST", "AMRCOVER") names it when there are none.

    Raises:
        ValueError: records of two types, or no record and no ``record_type``.
    """
    kinds = {type(record) for record in records}
    if len(kinds) > 1:
        raise ValueError("un fichier TESSy ne contient qu'un type d'enregistrement")
    if kinds:
        kind = kinds.pop()
        if record_type is not None and record_type != kind.RECORD_TYPE:
            raise ValueError(f"enregistrements {kind.RECORD_TYPE} dans un fichier {record_type}")
    elif record_type is not None:
        kind = record_class(record_type)
    else:
        raise ValueError("aucun enregistrement : précisez le type d'enregistrement")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(kind.tessy_fields())
    for record in records:
        writer.writerow(record.row().values())
    return out.getvalue().encode("utf-8")


def read(data: bytes) -> list[TessyRecord]:
    """The records of a TESSy CSV; the header says the record type.

    Raises:
        ValueError: not UTF-8, no header, a header that is not exactly one record type's variables,
            or a row of another length than the header.
    """
    return list(_parse(data)[1])


def read_amrtest(data: bytes) -> list[AmrTestRecord]:
    """The AMRTEST records of a CSV; ValueError for an AMRCOVER file."""
    kind, records = _parse(data)
    if kind is not AmrTestRecord:
        raise ValueError("fichier AMRCOVER là où un fichier AMRTEST est attendu")
    return [record for record in records if isinstance(record, AmrTestRecord)]


def read_amrcover(data: bytes) -> list[AmrCoverRecord]:
    """The AMRCOVER records of a CSV; ValueError for an AMRTEST file."""
    kind, records = _parse(data)
    if kind is not AmrCoverRecord:
        raise ValueError("fichier AMRTEST là où un fichier AMRCOVER est attendu")
    return [record for record in records if isinstance(record, AmrCoverRecord)]


def _parse(data: bytes) -> tuple[type[AmrTestRecord] | type[AmrCoverRecord], list[TessyRecord]]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ValueError("fichier TESSy vide")
    header, body = tuple(rows[0]), rows[1:]
    kind: type[AmrTestRecord] | type[AmrCoverRecord]
    if header == AmrTestRecord.tessy_fields():
        kind = AmrTestRecord
    elif header == AmrCoverRecord.tessy_fields():
        kind = AmrCoverRecord
    else:
        raise ValueError("en-tête inattendu : ni AMRTEST v3 ni AMRCOVER v2 dans l'ordre des métadonnées")
    records: list[TessyRecord] = []
    for number, row in enumerate(body, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise ValueError(f"ligne {number} : {len(row)} valeurs pour {len(header)} colonnes")
        records.append(kind.from_row(dict(zip(header, row, strict=True))))
    return kind, records
