//! Turning an uploaded or given file into text: plain text and Markdown as they are, Word files
//! through `danvan_domain::docx`, PDF through its text layer (poppler's `pdftotext`).

use std::io::Write;
use std::process::{Command, Stdio};

/// Files larger than this are refused before reading.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("Chỉ nhận tệp .txt, .md, .docx hoặc .pdf.")]
    UnsupportedType,
    #[error("Tệp quá lớn (tối đa 20 MB).")]
    TooLarge,
    #[error("Tệp văn bản không phải UTF-8. Hãy lưu lại với mã hóa UTF-8 (Unicode).")]
    NotUtf8,
    #[error("{0}")]
    Docx(String),
    #[error("Không đọc được tệp PDF: {0}")]
    Pdf(String),
    #[error("Tệp PDF không có lớp chữ (bản quét ảnh); hãy dùng bản Word hoặc bản có chữ.")]
    PdfWithoutText,
}

/// What a file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Text,
    Docx,
    Pdf,
}

pub fn kind_of(filename: &str) -> Result<SourceKind, SourceError> {
    let lower = filename.to_lowercase();
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("txt") | Some("md") => Ok(SourceKind::Text),
        Some("docx") => Ok(SourceKind::Docx),
        Some("pdf") => Ok(SourceKind::Pdf),
        _ => Err(SourceError::UnsupportedType),
    }
}

/// The text of a file. A UTF-8 byte-order mark is kept out of the text; `bom_len` says how many
/// bytes it took, so offsets can be given "into the file as read".
pub struct SourceText {
    pub text: String,
    pub bom_len: usize,
}

pub fn read(filename: &str, bytes: &[u8]) -> Result<SourceText, SourceError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SourceError::TooLarge);
    }
    match kind_of(filename)? {
        SourceKind::Text => {
            let (body, bom_len) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => (rest, 3),
                None => (bytes, 0),
            };
            let text = std::str::from_utf8(body)
                .map_err(|_| SourceError::NotUtf8)?
                .to_string();
            Ok(SourceText { text, bom_len })
        }
        SourceKind::Docx => danvan_domain::docx::extract_text(bytes)
            .map(|text| SourceText { text, bom_len: 0 })
            .map_err(|e| SourceError::Docx(e.to_string())),
        SourceKind::Pdf => pdf_text(bytes).map(|text| SourceText { text, bom_len: 0 }),
    }
}

/// Runs `pdftotext` on the bytes (fed through stdin, so no temporary file is needed).
fn pdf_text(bytes: &[u8]) -> Result<String, SourceError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(SourceError::Pdf("tệp không phải PDF".into()));
    }
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| SourceError::Pdf("máy chủ chưa cài pdftotext (gói poppler-utils)".into()))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| SourceError::Pdf("không mở được luồng vào".into()))?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child
        .wait_with_output()
        .map_err(|e| SourceError::Pdf(e.to_string()))?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(SourceError::Pdf("tệp hỏng hoặc được bảo vệ".into()));
    }
    // pdftotext separates pages with form feeds; they are page breaks, i.e. blank lines.
    let text = String::from_utf8_lossy(&out.stdout).replace('\u{c}', "\n\n");
    if text.trim().is_empty() {
        return Err(SourceError::PdfWithoutText);
    }
    Ok(danvan_domain::text::normalize(&text))
}
