"""Small writers for the document formats whose text sendguard extracts: Word, Excel
and PowerPoint (OOXML), OpenDocument text and spreadsheets, PDF (plain, FlateDecode,
and a composite font with a ToUnicode map), and zip archives. Standard library only;
output is deterministic (fixed zip timestamps), so regenerating changes nothing.

Each writer produces the least a real reader needs (LibreOffice opens the OOXML/ODF
files; the PDFs follow ISO 32000's object and stream syntax with a valid xref), not a
byte copy of what Office writes.
"""
import io
import zipfile
import zlib

STAMP = (2026, 12, 1, 0, 0, 0)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def package(parts, stored_first=None):
    """A zip of `parts` (name → str/bytes), deflated, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            name, data = stored_first
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
        for name, data in parts:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '{overrides}</Types>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(lines, table=None):
    """A Word document: one paragraph per line, then an optional table (rows of cells)."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
            + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>'
    overrides = ('<Override PartName="/word/document.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    return package([("[Content_Types].xml", CONTENT_TYPES.format(overrides=overrides)),
                    ("_rels/.rels", rels), ("word/document.xml", document)])


def column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx(rows):
    """An Excel workbook, one sheet; text cells as shared strings, numbers as numbers."""
    strings = []
    positions = {}
    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{column(c)}{r}"
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in positions:
                    positions[value] = len(strings)
                    strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{positions[value]}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst {main} count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    workbook = (f'<?xml version="1.0"?><workbook {main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    return package([("[Content_Types].xml", CONTENT_TYPES.format(overrides=overrides)),
                    ("xl/workbook.xml", workbook), ("xl/worksheets/sheet1.xml", sheet),
                    ("xl/sharedStrings.xml", shared)])


def pptx(slides):
    """A PowerPoint file: each slide a list of paragraphs."""
    parts = []
    for n, paragraphs in enumerate(slides, 1):
        body = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
        parts.append((f"ppt/slides/slide{n}.xml",
                      '<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>'
                      f"{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"))
    return package([("[Content_Types].xml", CONTENT_TYPES.format(overrides=""))] + parts)


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def odf(kind, body):
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.3">'
               f"<office:body>{body}</office:body></office:document-content>")
    manifest = ('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return package([("content.xml", content), ("META-INF/manifest.xml", manifest)],
                   stored_first=("mimetype", mimetype))


def odt(lines):
    """An OpenDocument text: one paragraph per line; runs of spaces as <text:s/>."""
    paragraphs = "".join(
        "<text:p>" + escape(line).replace("  ", ' <text:s/>') + "</text:p>" for line in lines)
    return odf("text", f"<office:text>{paragraphs}</office:text>")


def ods(rows):
    """An OpenDocument spreadsheet, one table."""
    table = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(c))}</text:p></table:table-cell>'
            for c in row) + "</table:table-row>" for row in rows)
    return odf("spreadsheet", f'<office:spreadsheet><table:table table:name="Tabelle1">{table}</table:table></office:spreadsheet>')


def pdf(lines, compress=True, unicode_font=False):
    """A one-page PDF showing each line. Simple: Helvetica, WinAnsi bytes. With
    `unicode_font`: a Type0 font with Identity-H codes (UTF-16) and a ToUnicode map."""
    if unicode_font:
        shown = "".join(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*\n" for line in lines)
    else:
        def literal(line):
            raw = line.encode("cp1252", "replace")
            return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        shown = "".join("(" + literal(line).decode("latin-1") + ") Tj T*\n" for line in lines)
    content = ("BT /F1 10 Tf 14 TL 40 800 Td\n" + shown + "ET\n").encode("latin-1")
    objects = []

    def stream(dictionary, data, deflate):
        if deflate:
            data = zlib.compress(data, 6)
            dictionary += " /Filter /FlateDecode"
        return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                   b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")
    objects.append(stream("", content, compress))
    if unicode_font:
        objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSans /Encoding /Identity-H "
                       b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>")
        objects.append(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSans "
                       b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
        cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                b"1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\n"
                b"CMapName currentdict /CMap defineresource pop\nend\nend\n")
        objects.append(stream("", cmap, compress))
    else:
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf():
    """The shape of an encrypted PDF: its trailer names an /Encrypt dictionary."""
    body = pdf(["(verschlüsselt)"], compress=True)
    return body.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>")


def archive(entries, encrypted=()):
    """A zip archive; names in `encrypted` get the encryption flag (content left as is:
    enough for a reader that must not try to read it)."""
    data = bytearray(package(entries))
    for name in encrypted:
        raw = name.encode()
        at = 0
        while True:
            at = data.find(raw, at)
            if at < 0:
                break
            for header, offset in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
                start = at - offset
                if start >= 0 and data[start:start + 4] == header:
                    flag = start + (6 if header == b"PK\x03\x04" else 8)
                    data[flag] |= 1
            at += len(raw)
    return bytes(data)
