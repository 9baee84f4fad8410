"""Output labels in Indonesian (default) and English."""

from __future__ import annotations

from collections.abc import Sequence

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
    "award": {"id": "Penghargaan", "en": "Award"},
    "rank_range": {"id": "Peringkat 5–95%", "en": "Rank 5–95%"},
    "sens_title": {"id": "Kepekaan peringkat: {runs} kali dengan bobot diubah ±{spread:.0%}",
                   "en": "Rank sensitivity: {runs} runs with weights moved ±{spread:.0%}"},
    "median_rank": {"id": "Median peringkat", "en": "Median rank"},
    "p05": {"id": "Persentil 5", "en": "5th percentile"},
    "p95": {"id": "Persentil 95", "en": "95th percentile"},
    "stability": {"id": "Tetap menang", "en": "Same winner"},
    "place_no": {"id": "Tempat", "en": "Place"},
    "scope": {"id": "Lingkup", "en": "Scope"},
    "prize": {"id": "Hadiah", "en": "Prize"},
    "note": {"id": "Keterangan", "en": "Note"},
    "total": {"id": "Jumlah", "en": "Total"},
    "budget": {"id": "Anggaran", "en": "Budget"},
    "remaining": {"id": "Sisa anggaran", "en": "Budget left"},
    "over_budget": {"id": "Hadiah yang diberikan ({total}) melebihi anggaran ({budget})",
                    "en": "The prizes awarded ({total}) exceed the budget ({budget})"},
    "tie_shared": {"id": "seri dengan {others}: sama-sama menerima tempat ini dan hadiah penuh",
                   "en": "tied with {others}: each receives this place and the full prize"},
    "tie_shared_more": {"id": "seri dengan {others} dan {more} peserta lain: sama-sama menerima "
                               "tempat ini dan hadiah penuh",
                        "en": "tied with {others} and {more} others: each receives this place "
                              "and the full prize"},
    "tie_broken": {"id": "seri pada nilai total, diputuskan oleh {by}",
                   "en": "tied on the total, decided by {by}"},
    "winners": {"id": "Penerima", "en": "Recipients"},
    "money": {"id": "Jumlah hadiah", "en": "Prize money"},
    "awarded": {"id": "Total hadiah diberikan", "en": "Total prize money awarded"},
    "summary_title": {"id": "Ringkasan hasil penilaian", "en": "Summary of the assessment"},
    "scored_at": {"id": "Waktu penilaian", "en": "Scored at"},
    "files": {"id": "Berkas penilaian", "en": "Assessment files"},
    "assessor_count": {"id": "Penilai", "en": "Assessors"},
    "groups": {"id": "Kelompok", "en": "Groups"},
    "top_chart": {"id": "{n} peserta terbaik", "en": "Top {n} entrants"},
    "group_chart": {"id": "Rata-rata nilai pilar per {group}",
                    "en": "Average pillar scores by {group}"},
    "raw": {"id": "Nilai mentah", "en": "Raw value"},
    "normalized": {"id": "Ternormalisasi", "en": "Normalised"},
    "contribution": {"id": "Kontribusi", "en": "Contribution"},
    "pillar": {"id": "Pilar", "en": "Pillar"},
    "pillar_weight": {"id": "Bobot pilar", "en": "Pillar weight"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "column": {"id": "Kolom", "en": "Column"},
    "weight": {"id": "Bobot", "en": "Weight"},
    "effective_weight": {"id": "Bobot efektif", "en": "Effective weight"},
    "direction": {"id": "Arah", "en": "Direction"},
    "higher": {"id": "makin tinggi makin baik", "en": "higher is better"},
    "lower": {"id": "makin rendah makin baik", "en": "lower is better"},
    "normalization": {"id": "Normalisasi", "en": "Normalisation"},
    "range": {"id": "Rentang", "en": "Range"},
    "unit": {"id": "Satuan", "en": "Unit"},
    "sdg": {"id": "Target SDG", "en": "SDG targets"},
    "awards_title": {"id": "Daftar penerima penghargaan", "en": "Award list"},
    "signed_at": {"id": "Jambi, ....................", "en": "Jambi, ...................."},
    "breakdown_title": {"id": "Rincian nilai per indikator", "en": "Breakdown by indicator"},
    "criteria_title": {"id": "Kriteria yang diterapkan", "en": "Criteria as applied"},
    "page_footer": {"id": "Halaman &P dari &N", "en": "Page &P of &N"},
    "form_sheet": {"id": "Penilaian", "en": "Penilaian"},
    "guide_sheet": {"id": "Petunjuk", "en": "Instructions"},
    "guide_title": {"id": "Petunjuk pengisian formulir penilaian",
                    "en": "How to fill in the assessment form"},
    "guide_steps": {
        "id": "1. Isi satu baris untuk setiap RT dan setiap penilai pada lembar 'Penilaian'.\n"
              "2. Jangan mengubah judul kolom: bantar mengenali kolom dari judulnya.\n"
              "3. Isi setiap nilai dalam rentang yang tertera; angka desimal boleh memakai koma "
              "(8,5) atau titik (8.5), tanpa pemisah ribuan.\n"
              "4. Jangan mengosongkan nilai; kolom jumlah tidak perlu diisi, bantar menghitung "
              "sendiri.\n"
              "5. Simpan sebagai .xlsx lalu periksa dengan: bantar validate NAMA_BERKAS.xlsx",
        "en": "1. Fill in one row for each entrant and each assessor on the 'Penilaian' sheet.\n"
              "2. Do not change the column headings: bantar recognises columns by them.\n"
              "3. Give every mark within its range; decimals may use a comma (8,5) or a dot "
              "(8.5), with no thousands separator.\n"
              "4. Leave no mark empty; there is no need for a total column, bantar computes it.\n"
              "5. Save as .xlsx and check it with: bantar validate FILE.xlsx"},
    "description": {"id": "Keterangan", "en": "Description"},
    "input_message": {"id": "Isi angka dari {lo} sampai {hi}{unit}. {direction}.",
                      "en": "Enter a number from {lo} to {hi}{unit}. {direction}."},
    "input_error": {"id": "Nilai harus berupa angka dari {lo} sampai {hi}.",
                    "en": "The mark must be a number from {lo} to {hi}."},
    "made_from": {"id": "Dibuat dari kriteria", "en": "Made from the criteria"},
}

SHEETS: dict[str, dict[str, str]] = {
    "summary": {"id": "Ringkasan", "en": "Summary"},
    "ranking": {"id": "Peringkat", "en": "Ranking"},
    "awards": {"id": "Pemenang", "en": "Awards"},
    "breakdown": {"id": "Rincian", "en": "Breakdown"},
    "criteria": {"id": "Kriteria", "en": "Criteria"},
    "metadata": {"id": "Metadata", "en": "Metadata"},
    "changes": {"id": "Perubahan", "en": "Changes"},
    "groups": {"id": "Kelompok", "en": "Groups"},
    "one_year": {"id": "Satu tahun", "en": "One year only"},
    "criteria_changes": {"id": "Perubahan kriteria", "en": "Criteria changes"},
    "assessors": {"id": "Penilai", "en": "Assessors"},
    "sensitivity": {"id": "Kepekaan", "en": "Sensitivity"},
}

ASSESSOR_LABELS: dict[str, dict[str, str]] = {
    "title": {"id": "Mutu penilaian", "en": "Quality of the assessment"},
    "assessor": {"id": "Penilai", "en": "Assessor"},
    "entrants": {"id": "Peserta", "en": "Entrants"},
    "marks": {"id": "Nilai", "en": "Marks"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "sd": {"id": "Simpangan", "en": "SD"},
    "leniency": {"id": "Kemurahan", "en": "Leniency"},
    "agreement": {"id": "Kesepakatan", "en": "Agreement"},
    "flags": {"id": "Tanda", "en": "Flags"},
    "lenient": {"id": "murah", "en": "lenient"},
    "harsh": {"id": "keras", "en": "harsh"},
    "low-agreement": {"id": "kurang sepakat", "en": "low agreement"},
    "teams": {"id": "Keandalan per tim", "en": "Reliability per team"},
    "team": {"id": "Tim", "en": "Team"},
    "second_visit": {"id": "Peserta dengan penilaian paling berbeda (kunjungan ulang)",
                     "en": "Entrants whose assessors disagree most (second visit)"},
    "max_spread": {"id": "Selisih terbesar", "en": "Largest spread"},
    "mean_spread": {"id": "Selisih rata-rata", "en": "Mean spread"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "note": {"id": "Catatan", "en": "Note"},
    "explain": {"id": "Semua nilai pada skala 0–1 (1 = terbaik). Kemurahan: selisih rata-rata "
                      "dengan nilai tengah (median) para penilai RT dan indikator yang sama (di "
                      "atas 0 murah, di bawah 0 keras). Kesepakatan: korelasi dengan rata-rata "
                      "penilai lain. ICC(A,1): kesepakatan mutlak; ICC(C,1): konsistensi; "
                      "W Kendall: kesamaan urutan.",
                "en": "All marks on a 0–1 scale (1 = best). Leniency: mean difference from the "
                      "median mark of the assessors of the same entrant and indicator (above 0 "
                      "lenient, below 0 harsh). Agreement: correlation with the other assessors' "
                      "mean. ICC(A,1): absolute agreement; ICC(C,1): consistency; Kendall's W: "
                      "agreement on the order."},
}


def alabel(key: str, lang: str) -> str:
    return pick(ASSESSOR_LABELS, key, lang)


def pick(table: dict[str, dict[str, str]], key: str, lang: str, **kw: object) -> str:
    """The text of ``key`` in ``lang`` (Indonesian when missing), formatted with ``kw``."""
    text = table[key].get(lang) or table[key]["id"]
    return text.format(**kw) if kw else text


def label(key: str, lang: str, **kw: object) -> str:
    return pick(LABELS, key, lang, **kw)


def rupiah(x: float) -> str:
    """10000000 -> 'Rp10.000.000' (the Indonesian way, whatever the output language)."""
    return "Rp" + f"{x:,.0f}".replace(",", ".")


_SWAP = str.maketrans(",.", ".,")


def number(x: float, lang: str, decimals: int = 2) -> str:
    """87.3125 -> '87,31' in Indonesian, '87.31' in English; thousands '1.651' / '1,651'."""
    text = f"{x:,.{decimals}f}"
    return text.translate(_SWAP) if lang == "id" else text


def numbers(values: Sequence[float], lang: str, decimals: int = 2) -> list[str]:
    """``number`` of each value, for a whole column."""
    small = all(-1000 < x < 1000 for x in values)  # no thousands: the faster format
    texts = list(map((f"{{:.{decimals}f}}" if small else f"{{:,.{decimals}f}}").format, values))
    if lang != "id" or not texts:
        return texts
    joined = "\n".join(texts)  # swapped in one pass over all of them
    return joined.replace(",", "_").replace(".", ",").replace("_", ".").split("\n")
