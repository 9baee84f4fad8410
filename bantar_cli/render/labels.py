"""Output labels in Indonesian (default) and English."""

from __future__ import annotations

LANGS = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "rank": {"id": "Peringkat", "en": "Rank"},
    "group_rank": {"id": "Peringkat kelompok", "en": "Group rank"},
    "id": {"id": "Kode", "en": "ID"},
    "name": {"id": "Nama", "en": "Name"},
    "group": {"id": "Kelompok", "en": "Group"},
    "category": {"id": "Kategori", "en": "Category"},
    "score": {"id": "Nilai", "en": "Score"},
    "assessors": {"id": "Penilai", "en": "Assessors"},
    "entrants": {"id": "peserta", "en": "entrants"},
    "rows": {"id": "baris penilaian", "en": "assessment rows"},
    "showing_top": {"id": "menampilkan {n} teratas dari {total}",
                    "en": "showing the top {n} of {total}"},
    "criteria": {"id": "Kriteria", "en": "Criteria"},
    "valid": {"id": "valid", "en": "valid"},
    "pillars": {"id": "pilar", "en": "pillars"},
    "indicators": {"id": "indikator", "en": "indicators"},
    "problems_found": {"id": "{n} masalah ditemukan", "en": "{n} problems found"},
    "no_problems": {"id": "Tidak ada masalah: {rows} baris, {entrants} peserta siap dinilai.",
                    "en": "No problems: {rows} rows, {entrants} entrants ready to score."},
    "file": {"id": "Berkas", "en": "File"},
    "place": {"id": "Sel", "en": "Cell"},
    "problem": {"id": "Masalah", "en": "Problem"},
    "found": {"id": "Ditemukan", "en": "Found"},
    "expected": {"id": "Seharusnya", "en": "Expected"},
    "written": {"id": "Ditulis: {path}", "en": "Written: {path}"},
}


def label(key: str, lang: str, **kw: object) -> str:
    text = LABELS[key].get(lang) or LABELS[key]["id"]
    return text.format(**kw) if kw else text


def number(x: float, lang: str, decimals: int = 2) -> str:
    """87.3125 -> '87,31' in Indonesian, '87.31' in English; thousands '1.651' / '1,651'."""
    text = f"{x:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text
