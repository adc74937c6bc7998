//! The `danvan doc` contract on the seed plan.

use crate::{TempDir, run, stderr, stdout};
use danvan_db::testing::{Backend, fresh};
use serde_json::Value;
use std::path::PathBuf;

pub fn seed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/ke-hoach-cong-tac-dan-van-2024-lang-son.txt")
}

fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON output")
}

#[test]
fn parse_gives_the_seeds_structure() {
    let seed = seed();
    let doc = json(&["doc", "parse", seed.to_str().unwrap(), "--json"]);
    assert!(
        doc["header"]["symbol"].is_null(),
        "the seed has no header: nothing is invented"
    );
    assert_eq!(doc["doc_type"]["text"], "KẾ HOẠCH");
    assert_eq!(doc["trich_yeu"]["text"], "Công tác dân vận năm 2024");
    let parts: Vec<&Value> = doc["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "part")
        .collect();
    assert_eq!(parts.len(), 3);
    let sections = |p: &Value| -> Vec<Value> {
        p["children"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "section")
            .cloned()
            .collect()
    };
    assert_eq!(
        parts.iter().map(|p| sections(p).len()).collect::<Vec<_>>(),
        [2, 7, 2]
    );
    let bullets: Vec<usize> = sections(parts[1])
        .iter()
        .map(|s| {
            s["children"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["kind"] == "bullet")
                .count()
        })
        .collect();
    assert_eq!(bullets, [5, 6, 2, 3, 4, 5, 5]);
    assert_eq!(doc["recipients"].as_array().unwrap().len(), 8);
    assert_eq!(doc["signer"]["authority"], "T/M BAN THƯỜNG VỤ");
    assert_eq!(doc["signer"]["title"], "PHÓ BÍ THƯ THƯỜNG TRỰC");
    assert_eq!(doc["signer"]["name"], "Hoàng Văn Nghiệm");
    let text = stdout(&run(&["doc", "parse", seed.to_str().unwrap()]));
    assert!(text.contains("II. NỘI DUNG TRỌNG TÂM") && text.contains("Nơi nhận: 8"));
}

#[test]
fn citations_are_exact_and_slice_the_file() {
    let seed = seed();
    let bytes = std::fs::read(&seed).unwrap();
    let list = json(&["doc", "citations", seed.to_str().unwrap(), "--json"]);
    let list = list.as_array().unwrap();
    let numbered: Vec<&Value> = list.iter().filter(|c| !c["symbol"].is_null()).collect();
    assert_eq!(
        numbered.len(),
        32,
        "26 distinct numbered documents, 32 occurrences"
    );
    let distinct: std::collections::HashSet<&str> = numbered
        .iter()
        .map(|c| c["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(distinct.len(), 26);
    let laws = list
        .iter()
        .filter(|c| c["title"] == "Luật Thực hiện dân chủ ở cơ sở")
        .count();
    assert_eq!(laws, 5);
    let mut last = 0;
    for c in list {
        let (start, end) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert!(start >= last, "text order");
        last = end;
        assert_eq!(
            std::str::from_utf8(&bytes[start..end]).unwrap(),
            c["raw"].as_str().unwrap()
        );
    }
    let first = &list[0];
    assert_eq!(
        (
            first["type"].as_str(),
            first["symbol"].as_str(),
            first["date"].as_str()
        ),
        (Some("Quyết định"), Some("593-QĐ/TU"), Some("2021-11-11"))
    );
    let nq139 = numbered
        .iter()
        .find(|c| c["symbol"] == "139-NQ/TW")
        .unwrap();
    assert!(
        nq139["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "issuer_mismatch")
    );
    let quy_dinh = numbered
        .iter()
        .find(|c| c["symbol"] == "124-QĐ/TW")
        .unwrap();
    assert_eq!(
        quy_dinh["type"], "Quy định",
        "the type comes from the word, not the code"
    );
}

#[test]
fn a_byte_order_mark_is_counted_in_the_offsets() {
    let dir = TempDir::new("bom");
    let file = dir.path().join("bom.txt");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        "Căn cứ Chỉ thị số 33/CT-TTg, ngày 26/11/2021 của Thủ tướng.".as_bytes(),
    );
    std::fs::write(&file, &bytes).unwrap();
    let list = json(&["doc", "citations", file.to_str().unwrap(), "--json"]);
    let c = &list[0];
    let (s, e) = (
        c["start"].as_u64().unwrap() as usize,
        c["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        std::str::from_utf8(&bytes[s..e]).unwrap(),
        c["raw"].as_str().unwrap()
    );
}

#[test]
fn unreadable_files_get_clear_errors() {
    let dir = TempDir::new("badfiles");
    let exe = dir.path().join("virus.exe");
    std::fs::write(&exe, b"MZ").unwrap();
    let o = run(&["doc", "parse", exe.to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("Chỉ nhận tệp .txt, .md, .docx hoặc .pdf"));
    let latin1 = dir.path().join("cu.txt");
    std::fs::write(&latin1, b"Quy\xeat \xf0\xe9nh").unwrap();
    let o = run(&["doc", "citations", latin1.to_str().unwrap(), "--json"]);
    assert!(!o.status.success() && stderr(&o).contains("UTF-8"));
    let fake = dir.path().join("hong.docx");
    std::fs::write(&fake, b"khong phai word").unwrap();
    let o = run(&["doc", "parse", fake.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!stderr(&o).contains("panicked"));
    let o = run(&[
        "doc",
        "parse",
        dir.path().join("khong-co.txt").to_str().unwrap(),
    ]);
    assert!(!o.status.success() && stderr(&o).contains("không đọc được tệp"));
}

#[test]
fn word_files_are_read() {
    let docx = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../domain/tests/corpus/docx/ke-hoach-tinh-uy.docx");
    let doc = json(&["doc", "parse", docx.to_str().unwrap(), "--json"]);
    assert!(doc["header"]["symbol"].is_string(), "{}", doc["header"]);
    let list = json(&["doc", "citations", docx.to_str().unwrap(), "--json"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["symbol"] == "593-QĐ/TU")
    );
}

async fn import_links_the_registry(b: Backend) {
    let dir = TempDir::new(&format!("import-{b:?}"));
    let _keep;
    let loc: Vec<String> = match b {
        Backend::Sqlite => vec!["--data".into(), dir.arg().into()],
        Backend::Postgres => {
            let t = fresh(b).await;
            let url = t.db.config.url.clone();
            _keep = t;
            vec!["--database-url".into(), url]
        }
    };
    let seed = seed();
    let mut args = vec![
        "doc",
        "import",
        seed.to_str().unwrap(),
        "--unit",
        "ORG-BTVTU",
        "--symbol",
        "01-KH/TU",
        "--date",
        "2024-01-15",
    ];
    args.extend(loc.iter().map(String::as_str));
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("37 trích dẫn"), "{out}");
    // 26 numbered documents, the law named by title, and the plan's own entry.
    assert!(out.contains("28 văn bản mới trong danh mục"), "{out}");
    let o = run(&args);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("0 văn bản mới"),
        "a second import reuses the entries: {}",
        stdout(&o)
    );
}
danvan_db::both_backends!(import, import_links_the_registry);

/// A one-page PDF with a text layer, built byte by byte (xref offsets computed), so the test
/// needs no PDF writer.
fn tiny_pdf(line: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn pdf_text_layers_are_read() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        panic!("pdftotext (Debian package poppler-utils) is needed; .ci/run installs it");
    }
    let dir = TempDir::new("pdf");
    let file = dir.path().join("cong-van.pdf");
    std::fs::write(
        &file,
        tiny_pdf("Thuc hien Chi thi 33/CT-TTg ngay 26/11/2021 cua Thu tuong."),
    )
    .unwrap();
    let list = json(&["doc", "citations", file.to_str().unwrap(), "--json"]);
    let symbols: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["symbol"].as_str())
        .collect();
    assert_eq!(symbols, ["33/CT-TTg"]);
    let scanned = dir.path().join("ban-quet.pdf");
    std::fs::write(&scanned, tiny_pdf("")).unwrap();
    let o = run(&["doc", "parse", scanned.to_str().unwrap()]);
    assert!(
        !o.status.success() && stderr(&o).contains("không có lớp chữ"),
        "{}",
        stderr(&o)
    );
}
