"""Builds broken and hostile input files, each with what bantar must answer.

``build(folder)`` writes the corpus and returns ``Case``s: the command to run, the exit code
expected, and words the message must hold. Nothing here is a binary blob: every file is made
by code, so the corpus documents itself. Run it alone to look at the files:
``python tests/io/hostile_corpus.py /tmp/corpus``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HEADER = ["Kode", "Nama", "Kecamatan", "Penilai", "Pemilahan sampah", "Air bersih (%)", "Kejadian"]
ROWS = [["A", "RT 001", "Telanaipura", "P1", 5, 90, 0], ["B", "RT 002", "Telanaipura", "P1", 3, 60, 2]]

CRITERIA = """\
name: Lomba Kecil
version: "1"
entrant: {id: Kode, name: Nama, group: Kecamatan, assessor: Penilai}
pillars:
  - key: bersih
    weight: 60
    indicators:
      - {key: sampah, column: Pemilahan sampah, weight: 2, range: [1, 5]}
      - {key: air, column: Air bersih (%), weight: 1, range: [0, 100]}
  - key: aman
    weight: 40
    indicators:
      - {key: kejadian, column: Kejadian, weight: 1, direction: lower, normalize: minmax}
"""

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Case:
    name: str
    path: Path
    code: int
    words: list[str]
    args: list[str] = field(default_factory=list)
    criteria: bool = True  # an INPUT scored with -c kriteria.yaml; False: a criteria file

    def command(self) -> list[str]:
        if not self.criteria:
            return ["criteria", "check", str(self.path)]
        return ["score", str(self.path), "-c", str(self.path.parent / "kriteria.yaml"),
                *self.args]


def _good_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Penilaian"
    for row in [HEADER, *ROWS]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_xml(rows_xml: str, dimension: str = "A1:G3", prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>')


def _with_part(good: bytes, part: str, data: bytes, *, level: int = 6) -> bytes:
    """A copy of the good workbook with one part replaced."""
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info in src.infolist():
            z.writestr(info.filename, data if info.filename == part else src.read(info.filename))
    return out.getvalue()


def _declaring(zipped: bytes, part: str, size: int) -> bytes:
    """The zip with ``part``'s uncompressed size in its local header and the central directory
    set to ``size`` (its CRC stays right): a directory that lies about what a sheet inflates to."""
    info = zipfile.ZipFile(io.BytesIO(zipped)).getinfo(part)
    out = bytearray(zipped)
    assert out[info.header_offset:info.header_offset + 4] == b"PK\x03\x04"
    out[info.header_offset + 22:info.header_offset + 26] = size.to_bytes(4, "little")
    entry = out.find(b"PK\x01\x02")
    while entry >= 0:
        name_len = int.from_bytes(out[entry + 28:entry + 30], "little")
        if out[entry + 46:entry + 46 + name_len] == part.encode():
            out[entry + 24:entry + 28] = size.to_bytes(4, "little")
            return bytes(out)
        entry = out.find(b"PK\x01\x02", entry + 46)
    raise AssertionError(f"{part} is not in the central directory")


def _damaged_stream(zipped: bytes, part: str) -> bytes:
    """The zip with the start of ``part``'s compressed data overwritten (a reserved block type)."""
    info = zipfile.ZipFile(io.BytesIO(zipped)).getinfo(part)
    out = bytearray(zipped)
    name_len, extra_len = (int.from_bytes(out[info.header_offset + k:info.header_offset + k + 2],
                                          "little") for k in (26, 28))
    start = info.header_offset + 30 + name_len + extra_len
    out[start:start + 16] = b"\xff" * 16
    return bytes(out)


def _inline_row(r: int, cells: list[tuple[str, object]]) -> str:
    out = []
    for ref, v in cells:
        if isinstance(v, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{v}</v></c>')
    return f'<row r="{r}">{"".join(out)}</row>'


def _header_rows() -> str:
    letters = "ABCDEFG"
    return (_inline_row(1, [(f"{letters[j]}1", h) for j, h in enumerate(HEADER)])
            + _inline_row(2, [(f"{letters[j]}2", v) for j, v in enumerate(ROWS[0])]))


def _zip_bomb(inflated: int) -> bytes:
    """A workbook whose sheet inflates to ``inflated`` bytes of spaces (a few MB on disk)."""
    good = _good_xlsx()
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (8 * 1024 * 1024)
            for _ in range(inflated // len(block)):
                member.write(block)
    return out.getvalue()


def _ods(content_body: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
                   '"text/xml"/></manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                   '<office:body><office:spreadsheet><table:table table:name="Penilaian">'
                   f"{content_body}</table:table></office:spreadsheet></office:body>"
                   "</office:document-content>", compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ods_row(values: list[object], repeat: int = 1) -> str:
    cells = "".join(
        f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
        "</table:table-cell>" if isinstance(v, (int, float)) else
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in values)
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{cells}</table:table-row>"


def build(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    good = _good_xlsx()
    cases: list[Case] = []

    def add(name: str, data: bytes | str, code: int, *words: str, args: list[str] | None = None,
            criteria: bool = True) -> None:
        path = folder / name
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        cases.append(Case(name, path, code, list(words), args or [], criteria))

    (folder / "kriteria.yaml").write_text(CRITERIA, encoding="utf-8")
    sheet = "xl/worksheets/sheet1.xml"
    add("empty.xlsx", b"", 1, "empty (0 bytes)")
    add("empty.csv", b"", 1, "empty (0 bytes)")
    add("empty.ods", b"", 1, "empty (0 bytes)")
    add("truncated-half.xlsx", good[: len(good) // 2], 1, "truncated")
    add("truncated-tail.xlsx", good[:-200], 1, "truncated")
    add("random-bytes.xlsx", bytes(range(256)) * 64, 1, "plain text", ".xlsx")
    add("csv-named.xlsx", "Kode,Nama\nA,B\n", 1, "plain text", "if it is a CSV file")
    add("html-as.xls", "<!DOCTYPE html><html><body><table><tr><td>Kode</td></tr></table></body>"
                       "</html>", 1, "web page (HTML)", ".xls")
    add("csv-as.xls", "Kode;Nama\nA;B\n", 1, "plain text", ".xls")
    add("xlsx-as.xls", good, 1, "zip-based workbook", ".xls")
    add("password.xlsx", OLE + b"\x00" * 4088, 1, "password-protected")
    add("not-a-workbook.xlsx", _zip_of({"hello.txt": b"hi"}), 1, "no xl/workbook.xml")
    add("empty-sheets.xlsx", _empty_workbook(), 1, "no sheet has a header row")
    add("formulas-without-values.xlsx", _formula_workbook(), 1, "formulas without a saved value",
        "no value for")
    add("latin1.csv", ",".join(HEADER).encode() + "\nA,Caf\xe9,T,P1,5,90,0\n".encode("latin-1"),
        1, "not UTF-8", "CSV UTF-8")
    add("unterminated-quote.csv", ",".join(HEADER) + '\n"A,RT 001,T,P1,5,90,0\n', 1,
        "cannot be read")
    add("extra-fields.csv", ",".join(HEADER) + "\nA,RT 001,T,P1,5,90,0,9,9,9\n", 1,
        "cannot be read")
    add("header-only.csv", ",".join(HEADER) + "\n", 1, "no assessment rows")
    add("billion-laughs.xlsx", _with_part(good, sheet, _sheet_xml(
        _header_rows(), prolog='<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)) + "]>").replace("RT 001", "&lol9;").encode()), 1)
    add("external-entity.xlsx", _with_part(good, sheet, _sheet_xml(
        _header_rows(), prolog='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    ).replace("RT 001", "&xxe;").encode()), 1)
    add("zip-bomb.xlsx", _zip_bomb(600 * 1024 * 1024), 1, "inflates to", "--max-inflated-mb")
    add("declares-huge.xlsx", _with_part(good, sheet, _sheet_xml(
        _header_rows(), dimension="A1:XFD1048576").encode()), 1, "16,384 columns", "--max-columns")
    add("far-cell.xlsx", _with_part(good, sheet, _sheet_xml(
        _header_rows() + _inline_row(1048576, [("XFD1048576", 1)]), dimension="A1:G2").encode()),
        1, "more than the limit")
    far_after_declared = _with_part(good, sheet, _sheet_xml(
        _header_rows() + "<row/>" * 20_000 + _inline_row(1048576, [("XFD1048576", 1)]),
        dimension="A1:G2").encode(), level=9)
    add("size-lies-far-cell.xlsx", _declaring(far_after_declared, sheet, 2_000), 1,
        "more than the limit")
    padded = _with_part(good, sheet, _sheet_xml(" " * (40 << 20) + _header_rows()).encode())
    add("size-lies-bomb.xlsx", _declaring(padded, sheet, 1_000), 1,
        "inflates past the limit", "--max-inflated-mb", args=["--max-inflated-mb", "16"])
    add("damaged-stream.xlsx", _damaged_stream(_with_part(good, sheet, _sheet_xml(
        _header_rows() + "".join(_inline_row(r, [("A" + str(r), f"RT {r:04d}"), ("E" + str(r), r % 5)])
                                 for r in range(3, 3000))).encode()), sheet), 1, "cannot be read")
    add("wide-sheet.xlsx", _with_part(good, sheet, _sheet_xml(
        _header_rows() + _inline_row(3, [("ZZZ3", 1)]), dimension="A1:G3").encode()), 1,
        "columns", "--max-columns")
    add("ods-repeated-rows.ods", _ods(_ods_row(HEADER) + _ods_row(ROWS[0], repeat=50_000_000)), 1,
        "repeats a filled row", "--max-rows")
    add("ods-repeated-columns.ods", _ods(_ods_row(HEADER) + _ods_row(ROWS[0]).replace(
        "<table:table-cell ", '<table:table-cell table:number-columns-repeated="5000000" ', 1)), 1,
        "repeats a filled column", "--max-columns")
    add("too-large.csv", ",".join(HEADER) + "\n" + "A,RT,T,P1,5,90,0\n" * 80_000, 1,
        "more than the limit of 1 MB", "--max-file-mb", args=["--max-file-mb", "1"])
    add("too-many-rows.csv", ",".join(HEADER) + "\n" + "".join(
        f"E{i},RT,T,P1,5,90,0\n" for i in range(2_000)), 1, "2,000 rows",
        args=["--max-rows", "1000"])
    add("yaml-alias.yaml", "name: &n x\nversion: *n\n", 1, ":1:", "anchors and aliases",
        criteria=False)
    add("yaml-python-tag.yaml", "name: !!python/object/apply:os.system [echo hi]\n", 1,
        "tags such as", criteria=False)
    add("yaml-laughs.yaml", 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n', 1,
        "anchors and aliases", criteria=False)
    add("yaml-binary.yaml", bytes(range(256)), 1, "not UTF-8", criteria=False)
    cases.append(Case("folder", folder / "subfolder", 2, ["is a directory"]))
    (folder / "subfolder").mkdir(exist_ok=True)
    cases.append(Case("missing", folder / "nope.xlsx", 2, ["does not exist"]))
    return cases


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return out.getvalue()


def _empty_workbook() -> bytes:
    wb = Workbook()
    wb.active.title = "Penilaian"
    wb.create_sheet("Lembar2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _formula_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Penilaian"
    ws.append(HEADER)
    ws.append(["A", "RT 001", "Telanaipura", "P1", "=2+3", "=45*2", 0])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for case in build(target):
        print(f"{case.code}  {case.path}")
