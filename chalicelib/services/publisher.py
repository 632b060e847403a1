"""Writes accepted rows to the lake and makes them the establishment's current data."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, PeriodClosed, Superseded
from chalicelib.domain.lake import Dataset
from chalicelib.domain.tenants import Establishment
from chalicelib.services.ports import CurrentDataset, LakeStore, UploadStore

logger = logging.getLogger(__name__)


class LakePublisher:
    def __init__(self, uploads: UploadStore, lake: LakeStore) -> None:
        self._uploads = uploads
        self._lake = lake

    def write(
        self,
        establishment: Establishment,
        year: int,
        source_id: str,
        dataset: Dataset,
        rows: Sequence[Sequence[Any]],
    ) -> str:
        """One Parquet file per source (upload) and dataset, under the lake layout (rows in the dataset's
        column order: ``Dataset.row``). Idempotent."""
        return self._lake.write(dataset, year, establishment, source_id, rows)

    def write_each(
        self,
        establishment: Establishment,
        year: int,
        source_id: str,
        dataset: Dataset,
        rows_by_period: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    ) -> list[tuple[str, tuple[str, ...]]]:
        """One Parquet file per period (``<source>-<period>``), for ``make_all_current``.

        All or none: when one cannot be written, those already written are removed.
        """
        written: list[tuple[str, tuple[str, ...]]] = []
        try:
            for period, rows in rows_by_period:
                written.append((period, (self.write(establishment, year, f"{source_id}-{period}", dataset, rows),)))
        except Exception:
            for _, keys in written:
                self._remove(keys, keep=())
            raise
        return written

    def make_current(
        self,
        finess: Finess,
        file_type: str,
        period: str,
        source_id: str,
        lake_keys: tuple[str, ...],
        sent_at: str = "",
        then: Callable[[], None] | None = None,
    ) -> None:
        """Point (establishment, file type, period) at these lake files, then remove what they replace.

        ``source_id`` is the upload (or structure edit) that produced them, sent at ``sent_at``.
        Readers follow the pointer, so they see the old data or the new, never a mix. The source
        sent last wins (DOMAIN.md §10.2): when the current one was sent after this one, its
        files are removed and ``Superseded`` names the current one; when another replaces
        the pointer meanwhile, the rule is applied again to it.

        All or nothing (DOMAIN.md §10.2): ``then`` writes the stores that follow the data
        (structure, beds) once the pointer names it. If the pointer cannot be written, or
        ``then`` fails, the previous files are current again, these files are removed and
        the error is raised: every store is as it was. The files replaced are removed only
        once everything succeeded.
        """
        try:
            already, previous = self._point(finess, file_type, period, source_id, lake_keys, sent_at)
        except Superseded:
            raise
        except Exception:
            self._forget_unless_current(finess, file_type, period, source_id, lake_keys)
            raise
        if already:
            return
        if then is not None:
            try:
                then()
            except Exception:
                self._undo(finess, file_type, period, source_id, previous, lake_keys)
                raise
        if previous is not None:
            try:
                self._remove(previous.lake_keys, keep=lake_keys)
            except Exception:  # committed: a file left behind is never read (readers follow the pointer)
                logger.exception("replaced lake files of %s not removed", source_id)

    def make_all_current(
        self,
        finess: Finess,
        file_type: str,
        source_id: str,
        keys_by_period: Sequence[tuple[str, tuple[str, ...]]],
        sent_at: str = "",
    ) -> None:
        """One source's files current for several periods at once, all or nothing (DOMAIN.md §10.2).

        Each period follows ``make_current`` (the source sent last wins, period by period);
        the next period is written as the previous one's ``then``, so that when a pointer
        cannot be written, or a later file is current for one period (``Superseded``), the
        periods already pointed at are put back as they were and the error is raised. A
        ``PeriodClosed`` names the period that was closed meanwhile.
        """
        closed: list[str] = []
        reached = [0]  # how many periods were handed to make_current

        def point(index: int) -> None:
            if index == len(keys_by_period):
                return
            reached[0] = index + 1
            period, keys = keys_by_period[index]
            try:
                self.make_current(finess, file_type, period, source_id, keys, sent_at, then=lambda: point(index + 1))
            except PeriodClosed:
                if not closed:
                    closed.append(period)  # the innermost catches first: the period that was closed
                raise
            if reached[0] == index + 1:
                point(index + 1)  # already current (a retried event): ``then`` was not called

        try:
            point(0)
        except Exception as error:
            for _, keys in keys_by_period[reached[0] :]:  # written, never pointed at
                self._remove(keys, keep=())
            if isinstance(error, PeriodClosed):
                raise PeriodClosed(
                    f"La période {closed[0]} a été clôturée pendant l'import : aucune période de ce fichier n'a été importée."
                ) from error
            raise

    def _point(
        self, finess: Finess, file_type: str, period: str, source_id: str, lake_keys: tuple[str, ...], sent_at: str
    ) -> tuple[bool, CurrentDataset | None]:
        """Write the pointer; returns whether it already named these files, and what it named before."""
        for _ in range(_ATTEMPTS):
            previous = self._uploads.current(finess, file_type, period)
            if previous is not None and previous.upload_id == source_id:
                return True, previous  # already current (a retried event)
            if previous is not None and sent_at and previous.sent_at > sent_at:
                self._remove(lake_keys, keep=previous.lake_keys)
                raise Superseded(previous.upload_id)
            version = previous.version + 1 if previous else 1
            current = CurrentDataset(finess, file_type, period, source_id, lake_keys, version, sent_at)
            try:
                self._uploads.replace_current(current, previous.version if previous else None)
            except (Superseded, PeriodClosed):
                raise
            except Conflict:
                continue  # another import became current meanwhile: compare with it
            return False, previous
        raise Conflict("Trop d'imports simultanés de ce fichier pour cette période : réessayez dans un instant.")

    def _undo(
        self,
        finess: Finess,
        file_type: str,
        period: str,
        source_id: str,
        previous: CurrentDataset | None,
        lake_keys: tuple[str, ...],
    ) -> None:
        """The pointer back to what it named before, if it still names these files; then these files go."""
        mine = self._uploads.current(finess, file_type, period)
        if mine is None or mine.upload_id != source_id:
            return  # another import replaced it meanwhile: it removes these files as it replaces them
        if previous is None:
            self._uploads.remove_current(mine)
        else:
            restored = CurrentDataset(
                finess, file_type, period, previous.upload_id, previous.lake_keys, mine.version + 1, previous.sent_at
            )
            self._uploads.replace_current(restored, mine.version)
        self._remove(lake_keys, keep=previous.lake_keys if previous else ())

    def _forget_unless_current(
        self, finess: Finess, file_type: str, period: str, source_id: str, lake_keys: tuple[str, ...]
    ) -> None:
        """After a failed pointer write, these files go, unless the write went through after all."""
        try:
            current = self._uploads.current(finess, file_type, period)
        except Exception:
            return  # unknown: the files stay, unread (readers follow the pointer)
        if current is None or current.upload_id != source_id:
            self._remove(lake_keys, keep=current.lake_keys if current else ())

    def _remove(self, keys: Sequence[str], keep: Sequence[str]) -> None:
        for key in sorted(set(keys) - set(keep)):
            self._lake.remove(key)


#: How many times the pointer is compared again when other imports replace it meanwhile.
_ATTEMPTS = 5
