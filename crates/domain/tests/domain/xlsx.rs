//! Excel workbooks: files made by a real writer (rust_xlsxwriter, shared strings), hand-written
//! packages for inline strings, gaps and relationships, the question bank read from a workbook
//! with the same row errors as CSV, and every kind of broken input.

use std::io::{Cursor, Write};

use danvan_domain::contest::{TableFileError, import_bank, import_csv};
use danvan_domain::xlsx::{SheetRow, XlsxError, first_sheet};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn workbook_xml(sheets: &[(&str, &str)]) -> String {
    let list: String = sheets
        .iter()
        .map(|(name, id)| format!(r#"<sheet name="{name}" sheetId="1" r:id="{id}"/>"#))
        .collect();
    format!(
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{list}</sheets></workbook>"#
    )
}

fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

#[test]
fn reads_a_workbook_made_by_rust_xlsxwriter() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Câu hỏi").unwrap();
    sheet.write_string(0, 2, "Đáp án").unwrap();
    sheet.write_number(1, 0, 2.0).unwrap();
    sheet.write_number(1, 1, 2.5).unwrap();
    sheet.write_boolean(1, 2, true).unwrap();
    // Row 3 (index 2) is left empty; row 4 has a value in column D only.
    sheet.write_string(3, 3, "Lạng Sơn").unwrap();
    book.add_worksheet()
        .write_string(0, 0, "trang hai")
        .unwrap();
    let rows = first_sheet(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(
        rows,
        vec![
            SheetRow {
                row: 1,
                cells: vec!["Câu hỏi".into(), String::new(), "Đáp án".into()],
            },
            SheetRow {
                row: 2,
                cells: vec!["2".into(), "2.5".into(), "TRUE".into()],
            },
            SheetRow {
                row: 4,
                cells: vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    "Lạng Sơn".into()
                ],
            },
        ]
    );
}

#[test]
fn reads_inline_strings_rich_text_and_cells_without_references() {
    let sheet = sheet_xml(
        r#"<row r="1"><c r="B1" t="inlineStr"><is><r><t>Dân </t></r><r><t xml:space="preserve">vận khéo</t></r></is></c><c t="s"><v>0</v></c></row>
           <row><c><v>7</v></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="str"><f>A2*2</f><v>14</v></c><c r="E2"/></row>"#,
    );
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>Tỉnh </t></r><r><t>Lạng Sơn</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si></sst>"#;
    let bytes = package(&[
        ("xl/workbook.xml", &workbook_xml(&[("Trang 1", "rId7")])),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/dau.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/dau.xml", &sheet),
        ("xl/sharedStrings.xml", strings),
    ]);
    let rows = first_sheet(&bytes).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].cells, vec!["", "Dân vận khéo", "Tỉnh Lạng Sơn"]);
    assert_eq!(rows[1].row, 2, "a row without r follows the previous one");
    assert_eq!(rows[1].cells, vec!["7", "", "#N/A", "14"]);
}

#[test]
fn broken_files_are_errors_in_vietnamese() {
    assert_eq!(first_sheet(b""), Err(XlsxError::Empty));
    assert_eq!(first_sheet(b"cau_hoi,dap_an\n"), Err(XlsxError::NotZip));
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert_eq!(first_sheet(&ole), Err(XlsxError::LegacyOrEncrypted));
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "x").unwrap();
    let good = book.save_to_buffer().unwrap();
    assert_eq!(
        first_sheet(&good[..good.len() / 2]),
        Err(XlsxError::Truncated)
    );
    let word = package(&[("word/document.xml", "<w:document/>")]);
    assert_eq!(first_sheet(&word), Err(XlsxError::NotWorkbook));
    let bad_xml = package(&[
        ("xl/workbook.xml", &workbook_xml(&[])),
        ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"),
    ]);
    let e = first_sheet(&bad_xml).unwrap_err();
    assert!(matches!(e, XlsxError::Xml { .. }), "{e:?}");
    assert!(e.to_string().contains("bị hỏng"), "{e}");
    let bad_ref = package(&[
        ("xl/workbook.xml", &workbook_xml(&[])),
        (
            "xl/worksheets/sheet1.xml",
            &sheet_xml(r#"<row r="1"><c r="ZZZZ1"><v>1</v></c></row>"#),
        ),
    ]);
    assert!(matches!(
        first_sheet(&bad_ref),
        Err(XlsxError::BadReference { .. })
    ));
}

#[test]
fn a_zip_bomb_is_refused_not_inflated() {
    // 60 MB of one repeated cell compresses to a few hundred kilobytes.
    let row = r#"<row><c t="inlineStr"><is><t>a</t></is></c></row>"#;
    let mut big = String::with_capacity(61 << 20);
    big.push_str("<worksheet><sheetData>");
    while big.len() < 60 << 20 {
        big.push_str(row);
    }
    big.push_str("</sheetData></worksheet>");
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", deflate).unwrap();
    zip.write_all(workbook_xml(&[]).as_bytes()).unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
    zip.write_all(big.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 5 << 20, "{} bytes", bytes.len());
    let e = first_sheet(&bytes).unwrap_err();
    assert!(matches!(e, XlsxError::TooLarge { .. }), "{e:?}");

    // Wide rows fill their gaps, so cells are counted with the gaps.
    let wide: String = (1..=200)
        .map(|r| format!(r#"<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>"#))
        .collect();
    let bytes = package(&[
        ("xl/workbook.xml", &workbook_xml(&[])),
        ("xl/worksheets/sheet1.xml", &sheet_xml(&wide)),
    ]);
    assert_eq!(first_sheet(&bytes), Err(XlsxError::TooManyCells));
}

#[test]
fn a_bank_workbook_gives_the_same_questions_and_row_errors_as_csv() {
    let csv = "Câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Chủ đề,Độ khó\n\
               Ngày Dân vận là ngày nào?,15/10,2/9,19/5,,A,Lịch sử,2\n\
               Thiếu đáp án?,X,Y,Z,,,,\n\
               ,,,,,,,\n\
               Đáp án D mà không có D?,A5,B5,C5,,D,,\n\
               Bác Hồ viết bài “Dân vận” năm nào?,1949,1945,1954,1969,a,Lịch sử,1\n";
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in (0u32..).zip(csv.lines()) {
        for (c, field) in (0u16..).zip(line.split(',')) {
            match field.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).unwrap(),
                Err(_) if field.is_empty() => sheet,
                Err(_) => sheet.write_string(r, c, field).unwrap(),
            };
        }
    }
    let from_xlsx = import_bank(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(from_xlsx, import_csv(csv));
    assert_eq!(from_xlsx.len(), 4);
    assert_eq!(from_xlsx[0].as_ref().unwrap().difficulty, Some(2));
    let errors: Vec<String> = from_xlsx
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].starts_with("Dòng 3: thiếu đáp án"), "{errors:?}");
    assert!(errors[1].starts_with("Dòng 5:"), "{errors:?}");

    assert_eq!(
        import_bank(&[0xff, 0xfe, 0x00]),
        Err(TableFileError::NotUtf8)
    );
    let e = import_bank(b"PK\x03\x04broken").unwrap_err();
    assert!(e.to_string().contains(".xlsx"), "{e}");
    assert_eq!(import_bank("cau_hoi".as_bytes()).unwrap().len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut with_magic = b"PK\x03\x04".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = first_sheet(&bytes);
        let _ = first_sheet(&with_magic);
    }
}
