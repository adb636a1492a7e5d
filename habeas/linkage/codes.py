"""Transcription codes of the names in the database, for the ingestion linker's candidate search.

An extracted "Yangpei Luobu" (the Chinese transcription of a Tibetan name) shares no search key with the
dossier "Yarphel Norbu"; the batch (``habeas dedupe``) pairs them by the codes of
``habeas.lib.names.chinese_transcription_codes``, and ingestion looks them up here (``NameCode``).
Indexing is incremental: names above the highest name id coded are coded, in id order, on the next
lookup (bulk imports included); a name edited through the ORM is re-coded when its edit commits
(``apps.LinkageConfig.ready``). A name whose insert commits after a later id was already coded (two
concurrent writers) is missed here; the batch still pairs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max

from habeas.lib.names import chinese_transcription_codes, transcription_code_is_long

if TYPE_CHECKING:
    from habeas.linkage.models import NameCode

_CHUNK = 5000


def name_codes(text: str) -> set[str]:
    """The tagged long codes of one name: "s|..." for a Tibetan or Uyghur name, "c|..." for a Chinese
    transcription."""
    source, chinese = chinese_transcription_codes(text or "")
    return {"s|" + c for c in source if transcription_code_is_long(c)} | {
        "c|" + c for c in chinese if transcription_code_is_long(c)
    }


def _flipped(code: str) -> str:
    return ("c|" if code.startswith("s|") else "s|") + code[2:]


def _rows(names: Iterable[tuple[int, str]]) -> list[NameCode]:
    from habeas.linkage.models import NameCode

    rows: list[NameCode] = []
    for name_id, text in names:
        codes = name_codes(text) or {""}
        rows += [NameCode(name_id=name_id, code=code[:64]) for code in sorted(codes)]
    return rows


def index_new_names() -> int:
    """Code the names above the highest name id indexed; returns how many names were coded."""
    from habeas.dossiers.models import PersonName
    from habeas.linkage.models import NameCode

    last = NameCode.objects.aggregate(top=Max("name_id"))["top"] or 0
    done = 0
    while True:
        chunk = list(PersonName.objects.filter(id__gt=last).order_by("id").values_list("id", "text")[:_CHUNK])
        if not chunk:
            return done
        NameCode.objects.bulk_create(_rows(chunk), batch_size=2000, ignore_conflicts=True)
        last = chunk[-1][0]
        done += len(chunk)


def recode_names(name_ids: Sequence[int], *, only_indexed: bool = False) -> None:
    """Rewrite the codes of these names (after their text changed); with ``only_indexed``, only those
    at or below the highest name id coded (the others are coded in their turn)."""
    from habeas.dossiers.models import PersonName
    from habeas.linkage.models import NameCode

    if only_indexed:
        last = NameCode.objects.aggregate(top=Max("name_id"))["top"] or 0
        name_ids = [i for i in name_ids if i <= last]
        if not name_ids:
            return
    with transaction.atomic():
        NameCode.objects.filter(name_id__in=name_ids).delete()
        names = PersonName.objects.filter(id__in=name_ids).values_list("id", "text")
        NameCode.objects.bulk_create(_rows(names), ignore_conflicts=True)


def persons_by_transcription(names: Sequence[str], *, limit: int) -> list[int]:
    """Ids of persons (merged-away ones included: the caller filters) with a name that may be a
    transcription of one of ``names``, or of which one of them may be the transcription."""
    from habeas.linkage.models import NameCode

    wanted = {_flipped(code) for name in names for code in name_codes(name)}
    if not wanted:
        return []
    index_new_names()
    return list(
        NameCode.objects.filter(code__in=sorted(wanted))
        .values_list("name__person_id", flat=True)
        .distinct()[:limit]
    )
