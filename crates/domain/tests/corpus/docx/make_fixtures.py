"""Generates the .docx fixtures of tests/domain/docx.rs (text written for these tests).

Run from this folder with python-docx installed:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install python-docx
    /tmp/venv/bin/python make_fixtures.py

Word keeps list numbers, footnotes and table layout outside the paragraph text, so the
fixtures use those features the way Word does instead of typing "- " or "[1]" into the text.
Zip timestamps are fixed so that regenerating gives the same bytes, and the template's
thumbnail and duplicate style part are dropped to keep the files small.
"""

import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

W = nsdecls("w")
DROPPED = {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"}


def centered(doc, text, bold=True):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text).bold = bold
    return p


def cell_lines(cell, lines, bold=True):
    """Fills a table cell with one paragraph per line (the first reuses the empty paragraph)."""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = bold


def footnote_reference(paragraph, note_id):
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:vertAlign")
    style.set(qn("w:val"), "superscript")
    rpr.append(style)
    run.append(rpr)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(note_id))
    run.append(ref)
    paragraph._p.append(run)


def numbered(paragraph, num_id, level):
    """Direct list numbering on a paragraph (w:pPr/w:numPr), as Word writes it."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


def add_list(doc, num_id, levels):
    """Adds an abstract list with the given (numFmt, lvlText) levels and a w:num for it."""
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{num_id + 100}">{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id + 100}"/></w:num>')
    )


FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>\
<w:r><w:t xml:space="preserve"> Theo Quy định số 124-QĐ/TW, ngày 02/02/2018 của Ban Bí thư &amp; hướng dẫn liên quan.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def save(doc, name, footnotes=None, edit_document=None):
    """Saves with fixed timestamps; optionally adds a footnotes part or edits document.xml."""
    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in DROPPED:
                continue
            data = src.read(info.filename)
            if info.filename.endswith(".rels"):
                data = re.sub(rb'<Relationship [^>]*Target="[^"]*(stylesWithEffects|thumbnail)[^"]*"/>', b"", data)
            if footnotes and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if footnotes and info.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            if edit_document and info.filename == "word/document.xml":
                data = edit_document(data)
            out.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 15, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        if footnotes:
            out.writestr(
                zipfile.ZipInfo("word/footnotes.xml", (2024, 1, 15, 0, 0, 0)),
                footnotes.encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )


def party_plan():
    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    cell_lines(header.cell(0, 0), ["TỈNH ỦY LẠNG SƠN"])
    cell_lines(header.cell(0, 1), ["ĐẢNG CỘNG SẢN VIỆT NAM"])
    cell_lines(header.cell(1, 0), ["Số 45-KH/TU"], bold=False)
    cell_lines(header.cell(1, 1), ["Lạng Sơn, ngày 15 tháng 01 năm 2024"], bold=False)

    centered(doc, "KẾ HOẠCH")
    centered(doc, "công tác dân vận năm 2024", bold=False)
    centered(doc, "-----", bold=False)

    p = doc.add_paragraph()
    p.add_run("Căn cứ Quyết định số 593-QĐ/TU, ngày 11/11/2021 của Ban Thường vụ Tỉnh ủy ")
    p.add_run("về công tác dân vận")
    p.add_run("; Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch như sau:")

    doc.add_paragraph().add_run("I. MỤC ĐÍCH, YÊU CẦU").bold = True
    p = doc.add_paragraph()
    p.add_run("1. Mục đích").bold = True
    doc.add_paragraph("Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận.", style="List Bullet")
    p = doc.add_paragraph("Phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể", style="List Bullet")
    footnote_reference(p, 1)
    p.add_run(".")
    doc.add_paragraph().add_run("2. Yêu cầu").bold = True
    doc.add_paragraph("Bám sát thực tiễn cơ sở;\tbảo đảm thiết thực, hiệu quả.", style="List Bullet")

    doc.add_paragraph().add_run("II. NỘI DUNG TRỌNG TÂM").bold = True
    doc.add_paragraph("Tuyên truyền, vận động Nhân dân", style="List Number")
    doc.add_paragraph("Tổ chức hội nghị đối thoại với Nhân dân ở cơ sở.", style="List Bullet")
    doc.add_paragraph("Xây dựng mô hình dân vận khéo", style="List Number")
    doc.add_paragraph("Mỗi xã có ít nhất một mô hình dân vận khéo.", style="List Bullet")

    doc.add_paragraph().add_run("III. TỔ CHỨC THỰC HIỆN").bold = True
    p = doc.add_paragraph()
    p.add_run("Ban Dân vận Tỉnh ủy theo dõi, đôn đốc; báo cáo ")
    p.add_run("Ban Thường vụ").italic = True
    p.add_run(" trước ngày 15/12/2024.")

    doc.add_paragraph().add_run("Nơi nhận:").bold = True
    for r in ["- Ban Dân vận Trung ương (b/c),", "- Thường trực Tỉnh ủy,", "- Lưu Văn phòng Tỉnh ủy."]:
        doc.add_paragraph(r)
    for line in ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]:
        centered(doc, line)
    p = centered(doc, "(Đã ký)", bold=False)
    centered(doc, "Hoàng Văn Nghiệm")
    save(doc, "ke-hoach-tinh-uy.docx", footnotes=FOOTNOTES)


def state_plan():
    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    cell_lines(header.cell(0, 0), ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"])
    cell_lines(header.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    cell_lines(header.cell(1, 0), ["Số: 12/KH-UBND"], bold=False)
    cell_lines(header.cell(1, 1), ["Lạng Sơn, ngày 20 tháng 02 năm 2024"], bold=False)

    centered(doc, "KẾ HOẠCH")
    centered(doc, "Thực hiện công tác dân vận chính quyền năm 2024", bold=False)

    doc.add_paragraph(
        "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tiếp tục tăng "
        "cường và đổi mới công tác dân vận; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:"
    )
    add_list(doc, 90, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3.")])
    numbered(doc.add_paragraph("MỤC ĐÍCH, YÊU CẦU"), 90, 0)
    numbered(doc.add_paragraph("Gắn công tác dân vận với cải cách hành chính."), 90, 1)
    numbered(doc.add_paragraph("NỘI DUNG"), 90, 0)
    numbered(doc.add_paragraph("Tuyên truyền"), 90, 1)
    numbered(doc.add_paragraph("Tuyên truyền Luật Thực hiện dân chủ ở cơ sở;"), 90, 2)
    numbered(doc.add_paragraph("Đối thoại với Nhân dân."), 90, 2)
    numbered(doc.add_paragraph("Kiểm tra"), 90, 1)

    table = doc.add_table(rows=2, cols=3)
    for c, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Thời gian"]):
        c.text = text
    for c, text in zip(table.rows[1].cells, ["1", "Hội nghị đối thoại", "Quý II"]):
        c.text = text
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "cấp tỉnh"
    inner.cell(0, 1).text = "cấp huyện"

    numbered(doc.add_paragraph("TỔ CHỨC THỰC HIỆN"), 90, 0)
    p = doc.add_paragraph("Các sở, ban, ngành báo cáo kết quả")
    p.add_run().add_break()
    p.add_run("về Sở Nội vụ trước ngày 15/12/2024.")

    tail = doc.add_table(rows=1, cols=2)
    cell_lines(
        tail.cell(0, 0),
        ["Nơi nhận:", "- Bộ Nội vụ,", "- Thường trực Tỉnh ủy,", "- Lưu: VT."],
        bold=False,
    )
    cell_lines(tail.cell(0, 1), ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Đoàn Thu Hà"])
    save(doc, "ke-hoach-ubnd.docx")


def broken():
    """A zip that is not a Word document, and a document whose XML has an unclosed tag."""
    with zipfile.ZipFile("khong-phai-word.zip", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(zipfile.ZipInfo("readme.txt", (2024, 1, 15, 0, 0, 0)), "Không phải tài liệu Word.")
    doc = Document()
    doc.add_paragraph("Văn bản có thẻ XML chưa đóng.")
    save(doc, "xml-hong.docx", edit_document=lambda xml: xml.replace(b"</w:p>", b"", 1))


if __name__ == "__main__":
    party_plan()
    state_plan()
    broken()
