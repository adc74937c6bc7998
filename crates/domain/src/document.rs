//! The structure of a Vietnamese Party or State document (văn bản): header, type and trích yếu,
//! preamble, the numbered body, recipients (nơi nhận) and the signer block.
//!
//! Input comes from PDF and Word exports, so the parser first repairs what those do to text:
//! blank lines from page breaks in the middle of a sentence, Markdown bold around the signer,
//! `Ð` for `Đ`, NFD, old tone placement, and header tables flattened into `|` cells. It then reads
//! the document line by line. Nothing is invented: a header field that is not in the text is
//! `None`.
//!
//! Every node keeps its cleaned text and a byte span into the original input. Spans are whole
//! lines (trimmed), so they always fall on char boundaries; header fields carry no span of their
//! own because they are often pieces of one flattened line.

use chrono::NaiveDate;
use serde::Serialize;

use crate::citations;
use crate::text::{fold, modernize_tones, normalize};

/// A byte range `[start, end)` of the original input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Cleaned text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub text: String,
    pub span: Span,
}

/// Thể thức header: who issues, the national motto, số/ký hiệu, place and date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Cơ quan ban hành, as printed: "TỈNH ỦY LẠNG SƠN".
    pub issuing_body: Option<String>,
    /// Quốc hiệu or the Party line: "ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    pub motto: Option<String>,
    /// Tiêu ngữ under the State motto: "Độc lập - Tự do - Hạnh phúc".
    pub tagline: Option<String>,
    /// Canonical số/ký hiệu of this document: "593-QĐ/TU".
    pub symbol: Option<String>,
    /// Địa danh: "Lạng Sơn".
    pub place: Option<String>,
    /// Ngày ban hành.
    pub date: Option<NaiveDate>,
    /// The lines the header was read from.
    pub span: Option<Span>,
}

/// What a node of the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// Phụ lục.
    Appendix,
    /// Phần: "I. MỤC ĐÍCH, YÊU CẦU", "I- …", "Phần thứ nhất".
    Part,
    /// Chương.
    Chapter,
    /// Mục (a group of articles).
    Division,
    /// Điều.
    Article,
    /// A numbered item: "1.", "1-", "1.3.1", "1.Tiêu đề" (a khoản inside an article).
    Section,
    /// Điểm: "a)", "đ)".
    Point,
    /// "- ", "• ".
    Bullet,
    /// "+ ".
    SubBullet,
    /// Plain text.
    Paragraph,
    /// Lines with `|` cells.
    Table,
}

impl NodeKind {
    /// Nesting depth; paragraphs and tables are always leaves. `depth` is the number of groups
    /// of a section number ("1.3.1" = 3), or 1 for a roman part.
    fn level(self, depth: usize) -> usize {
        match self {
            NodeKind::Appendix => 0,
            // "Phần thứ nhất" (depth 0) holds roman parts "I-" (depth 1).
            NodeKind::Part => 1 + depth.min(1),
            NodeKind::Chapter => 3,
            NodeKind::Division => 4,
            NodeKind::Article => 5,
            NodeKind::Section => 5 + depth.clamp(1, 5),
            NodeKind::Point => 11,
            NodeKind::Bullet => 12,
            NodeKind::SubBullet => 13,
            NodeKind::Paragraph | NodeKind::Table => 14,
        }
    }
}

/// One node of the document tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub kind: NodeKind,
    /// The number or marker as written, without its punctuation: "II", "1.3.1", "a", "-", "thứ nhất".
    pub label: Option<String>,
    /// Cleaned text after the label (the heading of a part, the whole paragraph of a bullet).
    pub text: String,
    pub span: Span,
    /// Table cells, row by row (tables only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Vec<String>>,
    pub children: Vec<Node>,
}

impl Node {
    /// Direct children of the given kind.
    pub fn children_of(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        self.children.iter().filter(move |n| n.kind == kind)
    }
}

/// The signature block: "T/M BAN THƯỜNG VỤ" / "PHÓ BÍ THƯ THƯỜNG TRỰC" / name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// Thẩm quyền ký (T/M, K/T, T/L, TM., KT., TL., Q., TUQ. with the body), lines joined by a space.
    pub authority: Option<String>,
    /// Chức vụ: "PHÓ BÍ THƯ THƯỜNG TRỰC".
    pub title: Option<String>,
    /// Họ tên: "Hoàng Văn Nghiệm".
    pub name: Option<String>,
    pub span: Span,
}

/// A parsed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub header: Header,
    /// Tên loại, as printed: "KẾ HOẠCH".
    pub doc_type: Option<Text>,
    /// Trích yếu: "Công tác dân vận năm 2024".
    pub trich_yeu: Option<Text>,
    /// "Căn cứ …" paragraphs before the body.
    pub preamble: Vec<Node>,
    pub body: Vec<Node>,
    pub footnotes: Vec<Node>,
    pub appendices: Vec<Node>,
    /// Nơi nhận, one entry per recipient, without the dash and the trailing comma.
    pub recipients: Vec<Text>,
    pub signer: Option<Signer>,
}

impl Document {
    /// The body's parts (phần), in order.
    pub fn parts(&self) -> impl Iterator<Item = &Node> {
        self.body.iter().filter(|n| n.kind == NodeKind::Part)
    }

    /// The preamble as one string, paragraphs separated by newlines.
    pub fn preamble_text(&self) -> String {
        self.preamble
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Plain reading text: the repaired document, one block per line, labels restored, no
    /// Markdown. Meant for display, search indexing and citation extraction by the importer.
    pub fn reading_text(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        let h = &self.header;
        out.extend(
            [&h.issuing_body, &h.motto, &h.tagline]
                .into_iter()
                .flatten()
                .cloned(),
        );
        if let Some(s) = &h.symbol {
            out.push(format!("Số {s}"));
        }
        match (&h.place, h.date) {
            (Some(p), Some(d)) => out.push(format!("{p}, {}", d.format("%d/%m/%Y"))),
            (None, Some(d)) => out.push(d.format("%d/%m/%Y").to_string()),
            (Some(p), None) => out.push(p.clone()),
            (None, None) => {}
        }
        for t in [&self.doc_type, &self.trich_yeu].into_iter().flatten() {
            out.push(t.text.clone());
        }
        for n in self.preamble.iter().chain(&self.body) {
            push_reading(n, &mut out);
        }
        if !self.recipients.is_empty() {
            out.push("Nơi nhận:".to_owned());
            out.extend(self.recipients.iter().map(|r| format!("- {}", r.text)));
        }
        if let Some(s) = &self.signer {
            out.extend(
                [&s.authority, &s.title, &s.name]
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        for n in self.footnotes.iter().chain(&self.appendices) {
            push_reading(n, &mut out);
        }
        out.join("\n")
    }
}

fn push_reading(n: &Node, out: &mut Vec<String>) {
    let line = match (n.kind, &n.label) {
        (NodeKind::Table, _) => n
            .rows
            .iter()
            .map(|r| r.join(" | "))
            .collect::<Vec<_>>()
            .join("\n"),
        (NodeKind::Bullet | NodeKind::SubBullet, Some(l)) => format!("{l} {}", n.text),
        (NodeKind::Point, Some(l)) => format!("{l}) {}", n.text),
        (NodeKind::Part | NodeKind::Section, Some(l)) => format!("{l}. {}", n.text),
        (NodeKind::Chapter, Some(l)) => format!("Chương {l}. {}", n.text),
        (NodeKind::Division, Some(l)) => format!("Mục {l}. {}", n.text),
        (NodeKind::Article, Some(l)) => format!("Điều {l}. {}", n.text),
        (NodeKind::Appendix, Some(l)) => format!("Phụ lục {l}. {}", n.text),
        (NodeKind::Appendix, None) => format!("Phụ lục. {}", n.text),
        (NodeKind::Paragraph, Some(l)) => format!("[{l}] {}", n.text),
        _ => n.text.clone(),
    };
    out.push(line.trim().to_owned());
    for c in &n.children {
        push_reading(c, out);
    }
}

/// Parses `text` into a [`Document`]. Never fails: whatever is not recognised is kept as
/// paragraphs.
pub fn parse(text: &str) -> Document {
    let lines = logical_lines(text);
    let type_idx = lines.iter().take(40).position(is_doc_type_line);

    let mut doc = Document {
        header: Header::default(),
        doc_type: None,
        trich_yeu: None,
        preamble: Vec::new(),
        body: Vec::new(),
        footnotes: Vec::new(),
        appendices: Vec::new(),
        recipients: Vec::new(),
        signer: None,
    };

    let mut pos = 0;
    if let Some(t) = type_idx {
        doc.header = parse_header(&lines[..t]);
        doc.doc_type = Some(lines[t].as_text());
        pos = t + 1;
        if let Some(l) = lines.get(pos)
            && classify(&l.text).kind == NodeKind::Paragraph
            && !starts_preamble(&l.text)
            && !is_tail_start(&l.text)
        {
            doc.trich_yeu = Some(l.as_text());
            pos += 1;
        }
    }
    while lines.get(pos).is_some_and(|l| is_rule(&l.text)) {
        pos += 1;
    }

    let tail = (pos..lines.len())
        .find(|&i| is_tail_start(&lines[i].text))
        .unwrap_or(lines.len());
    let body_start = if lines.get(pos).is_some_and(|l| starts_preamble(&l.text)) {
        let first_marker = (pos..tail)
            .find(|&i| is_structural(&lines[i].text))
            .unwrap_or(tail);
        let pre_end = if first_marker == tail {
            // No structure to stop at: only the run of "Căn cứ …" lines is preamble.
            (pos..tail)
                .find(|&i| !starts_preamble(&lines[i].text))
                .unwrap_or(tail)
        } else {
            first_marker
        };
        doc.preamble = lines[pos..pre_end]
            .iter()
            .map(|l| leaf(l, classify(&l.text)))
            .collect();
        pre_end
    } else {
        pos
    };

    let appendix_at =
        (tail..lines.len()).find(|&i| classify(&lines[i].text).kind == NodeKind::Appendix);
    let tail_end = appendix_at.unwrap_or(lines.len());

    let mut footnotes = Vec::new();
    let mut body_lines: Vec<&Line> = Vec::new();
    for l in lines[body_start..tail]
        .iter()
        .chain(appendix_at.map_or(&[][..], |a| &lines[a..]))
    {
        if let Some(f) = footnote(l) {
            footnotes.push(f);
        } else {
            body_lines.push(l);
        }
    }
    let mut tail_lines: Vec<&Line> = Vec::new();
    for l in &lines[tail.min(tail_end)..tail_end] {
        // The heading over the footnotes ("Chú thích:") belongs to neither signer nor recipients.
        if is_footnote_heading(l) {
            continue;
        }
        if let Some(f) = footnote(l) {
            footnotes.push(f);
        } else {
            tail_lines.push(l);
        }
    }
    doc.footnotes = footnotes;

    for node in build_tree(&body_lines) {
        if node.kind == NodeKind::Appendix {
            doc.appendices.push(node);
        } else {
            doc.body.push(node);
        }
    }
    parse_tail(&tail_lines, &mut doc);
    doc
}

// ---------------------------------------------------------------------------------------------
// Lines

/// A logical line: one or more physical lines joined where a page break split a sentence.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    start: usize,
    end: usize,
}

impl Line {
    fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
        }
    }

    fn as_text(&self) -> Text {
        Text {
            text: self.text.clone(),
            span: self.span(),
        }
    }
}

/// Markdown bold removed, NFC with `Đ`, whitespace collapsed.
fn clean(s: &str) -> String {
    let n = normalize(&s.replace("**", ""));
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn logical_lines(text: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        let line_start = offset;
        offset += raw.len() + 1;
        let trimmed = raw.trim();
        let cleaned = clean(trimmed);
        if cleaned.is_empty() {
            continue;
        }
        let start = line_start + (raw.len() - raw.trim_start().len());
        let end = start + trimmed.len();
        if let Some(prev) = out.last_mut()
            && continues(&prev.text, &cleaned)
        {
            prev.text.push(' ');
            prev.text.push_str(&cleaned);
            prev.end = end;
            continue;
        }
        out.push(Line {
            text: cleaned,
            start,
            end,
        });
    }
    out
}

/// Whether `next` continues the sentence of `prev` across a line or page break.
fn continues(prev: &str, next: &str) -> bool {
    let ends_open = !prev.ends_with(['.', ';', ':', '!', '?', '…']);
    let prev_has_lower = prev.chars().any(char::is_lowercase);
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    ends_open
        && prev_has_lower
        && next_lower
        && !prev.contains('|')
        && !next.contains('|')
        && classify(next).kind == NodeKind::Paragraph
}

fn is_rule(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, '-' | '_' | '*' | '=' | ' ' | '–'))
}

fn has_lower(s: &str) -> bool {
    s.chars().any(char::is_lowercase)
}

/// Folded text, old tone placement and all, for keyword tests.
fn key(s: &str) -> String {
    fold(s)
}

const DOC_TYPES: &[&str] = &[
    "ke hoach",
    "nghi quyet",
    "quyet dinh",
    "chi thi",
    "ket luan",
    "huong dan",
    "bao cao",
    "thong bao",
    "quy dinh",
    "quy che",
    "de an",
    "chuong trinh",
    "to trinh",
    "nghi dinh",
    "thong tu",
    "thong tri",
    "luat",
    "bo luat",
    "phap lenh",
    "cong van",
    "phuong an",
    "du an",
    "thong cao",
    "bien ban",
    "cong dien",
    "quy hoach",
    "tuyen bo",
    "loi keu goi",
    "chien luoc",
    "dieu le",
    "cuong linh",
    "thong tu lien tich",
    "nghi quyet lien tich",
];

fn is_doc_type_line(l: &Line) -> bool {
    if has_lower(&l.text) {
        return false;
    }
    let k = key(l.text.trim_end_matches(':'));
    DOC_TYPES.contains(&k.trim())
}

fn starts_preamble(s: &str) -> bool {
    let k = key(s.trim_start_matches(['-', '+', '•', ' ']));
    [
        "can cu",
        "thuc hien",
        "xet de nghi",
        "theo de nghi",
        "tren co so",
        "xet ",
    ]
    .iter()
    .any(|p| k.starts_with(p))
}

fn is_tail_start(s: &str) -> bool {
    let first_cell = s
        .split('|')
        .map(str::trim)
        .find(|c| !c.is_empty())
        .unwrap_or("");
    key(first_cell).starts_with("noi nhan") || authority_len(first_cell).is_some()
}

fn is_structural(s: &str) -> bool {
    matches!(
        classify(s).kind,
        NodeKind::Part
            | NodeKind::Chapter
            | NodeKind::Division
            | NodeKind::Article
            | NodeKind::Section
            | NodeKind::Appendix
    )
}

// ---------------------------------------------------------------------------------------------
// Classifying a line

struct Class {
    kind: NodeKind,
    label: Option<String>,
    rest: String,
    depth: usize,
}

fn plain(kind: NodeKind, s: &str) -> Class {
    Class {
        kind,
        label: None,
        rest: s.to_owned(),
        depth: 0,
    }
}

fn labelled(kind: NodeKind, label: &str, rest: &str, depth: usize) -> Class {
    Class {
        kind,
        label: Some(label.to_owned()),
        rest: rest.trim().to_owned(),
        depth,
    }
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// Splits off the first whitespace-separated word.
fn first_word(s: &str) -> (&str, &str) {
    match s.split_once(' ') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    }
}

fn classify(s: &str) -> Class {
    if s.contains('|') {
        return plain(NodeKind::Table, s);
    }
    if let Some(c) = classify_keyword(s) {
        return c;
    }
    if let Some(c) = classify_roman(s) {
        return c;
    }
    if let Some(c) = classify_number(s) {
        return c;
    }
    if let Some(c) = classify_point(s) {
        return c;
    }
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some('+'), Some(' ')) => labelled(NodeKind::SubBullet, "+", chars.as_str(), 0),
        (Some(m @ ('-' | '–' | '—' | '•' | '·' | '*')), Some(c))
            if c == ' ' || (c.is_alphabetic() && m != '*') =>
        {
            let rest = s.get(m.len_utf8()..).unwrap_or("");
            labelled(
                NodeKind::Bullet,
                if m == '•' || m == '·' { "•" } else { "-" },
                rest,
                0,
            )
        }
        _ => plain(NodeKind::Paragraph, s),
    }
}

/// "Phần thứ nhất", "Chương I", "Mục 1", "Điều 5.", "Phụ lục II".
fn classify_keyword(s: &str) -> Option<Class> {
    let (w1, rest1) = first_word(s);
    let k1 = key(w1);
    let (w2, rest2) = first_word(rest1);
    let numeral = |w: &str| {
        let w = w.trim_end_matches(['.', ':', '-']);
        is_roman(w) || (!w.is_empty() && w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()))
    };
    let ordinal = |rest: &str| -> Option<(String, String)> {
        // "thứ nhất", "thứ hai"… up to the end of the line or a colon.
        let (thu, more) = first_word(rest);
        if key(thu) != "thu" {
            return None;
        }
        let (ord, after) = first_word(more);
        let ord = ord.trim_end_matches(['.', ':']);
        Some((
            format!("{} {}", thu.to_lowercase(), ord.to_lowercase()),
            after.trim_start_matches(['.', ':', '-', ' ']).to_owned(),
        ))
    };
    let kind = match k1.as_str() {
        "phan" => NodeKind::Part,
        "chuong" => NodeKind::Chapter,
        "muc" => NodeKind::Division,
        "dieu" => NodeKind::Article,
        "phu" if key(w2) == "luc" => {
            let (num, rest3) = first_word(rest2);
            if !has_lower(s) || rest2.is_empty() || numeral(num) || key(num) == "so" {
                let (label, rest) = if numeral(num) {
                    (
                        Some(num.trim_end_matches(['.', ':', '-']).to_owned()),
                        rest3,
                    )
                } else {
                    (None, rest2)
                };
                return Some(Class {
                    kind: NodeKind::Appendix,
                    label,
                    rest: rest.trim_start_matches(['.', ':', '-', ' ']).to_owned(),
                    depth: 0,
                });
            }
            return None;
        }
        _ => return None,
    };
    if kind == NodeKind::Article {
        let num = w2.trim_end_matches(['.', ':']);
        if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) || num.len() > 3 {
            return None;
        }
        return Some(labelled(
            kind,
            num,
            rest2.trim_start_matches(['.', ':', '-', ' ']),
            0,
        ));
    }
    if numeral(w2) {
        return Some(labelled(
            kind,
            w2.trim_end_matches(['.', ':', '-']),
            rest2.trim_start_matches(['.', ':', '-', ' ']),
            0,
        ));
    }
    if matches!(kind, NodeKind::Part | NodeKind::Chapter)
        && let Some((label, rest)) = ordinal(rest1)
    {
        return Some(labelled(kind, &label, &rest, 0));
    }
    None
}

/// "I. MỤC ĐÍCH", "II- NỘI DUNG", "III) …".
fn classify_roman(s: &str) -> Option<Class> {
    let end = s.find(|c: char| !matches!(c, 'I' | 'V' | 'X'))?;
    let numeral = &s[..end];
    if !is_roman(numeral) {
        return None;
    }
    let rest = &s[end..];
    let mut it = rest.chars();
    let sep = it.next()?;
    if !matches!(sep, '.' | '-' | '–' | ')') {
        return None;
    }
    let after = it.as_str();
    let next = after.trim_start().chars().next()?;
    if !next.is_uppercase() {
        return None;
    }
    Some(labelled(NodeKind::Part, numeral, after, 1))
}

/// "1.", "1-", "1)", "1.3.1", "1.2.Tiêu đề", "1.Tiêu đề".
fn classify_number(s: &str) -> Option<Class> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut groups = 0;
    loop {
        let g0 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let glen = i - g0;
        if glen == 0 || glen > 3 || (groups > 0 && glen > 2) {
            return None;
        }
        groups += 1;
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        break;
    }
    let label = &s[..i];
    let rest = &s[i..];
    let (after, spaced) = match b.get(i) {
        Some(b'.' | b')') => (&rest[1..], true),
        Some(b'-') => {
            let a = &rest[1..];
            if a.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            (a, true)
        }
        Some(b' ') if groups > 1 => (rest, true),
        _ => return None,
    };
    let first = after.chars().next()?;
    let ok = if first == ' ' {
        after
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit())
    } else {
        // "1.Tiêu đề": no space, so demand a capital to tell it from "1.5" or "1.000".
        spaced && first.is_uppercase()
    };
    ok.then(|| labelled(NodeKind::Section, label, after, groups))
}

/// "a) …", "đ) …", "b. …".
fn classify_point(s: &str) -> Option<Class> {
    let mut it = s.chars();
    let letter = it.next()?;
    if !(letter.is_ascii_lowercase() || letter == 'đ') {
        return None;
    }
    let sep = it.next()?;
    let space = it.next()?;
    if !matches!(sep, ')' | '.') || space != ' ' {
        return None;
    }
    Some(labelled(
        NodeKind::Point,
        &letter.to_string(),
        it.as_str(),
        0,
    ))
}

// ---------------------------------------------------------------------------------------------
// Building the tree

fn leaf(l: &Line, c: Class) -> Node {
    Node {
        kind: c.kind,
        label: c.label,
        text: c.rest,
        span: l.span(),
        rows: Vec::new(),
        children: Vec::new(),
    }
}

fn table_rows(lines: &[&Line]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| {
            let t = l.text.trim();
            let t = t.strip_prefix('|').unwrap_or(t);
            let t = t.strip_suffix('|').unwrap_or(t);
            t.split('|')
                .map(|c| c.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|row| {
            !row.iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        })
        .collect()
}

fn build_tree(lines: &[&Line]) -> Vec<Node> {
    // The stack holds the open nodes with their levels; closing a node attaches it to its parent.
    let mut roots: Vec<Node> = Vec::new();
    let mut stack: Vec<(usize, Node)> = Vec::new();

    fn close_to(stack: &mut Vec<(usize, Node)>, roots: &mut Vec<Node>, level: usize) {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            if let Some((_, node)) = stack.pop() {
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push(node),
                    None => roots.push(node),
                }
            }
        }
    }
    fn attach_leaf(stack: &mut [(usize, Node)], roots: &mut Vec<Node>, node: Node) {
        // A new paragraph after a list belongs to the heading above the list, not the last item.
        let target = stack
            .iter_mut()
            .rev()
            .find(|(l, _)| *l < NodeKind::Point.level(0));
        match target {
            Some((_, parent)) => parent.children.push(node),
            None => roots.push(node),
        }
    }

    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let c = classify(&l.text);
        if c.kind == NodeKind::Table {
            let mut j = i;
            while j < lines.len() && lines[j].text.contains('|') {
                j += 1;
            }
            let group = &lines[i..j];
            let rows = table_rows(group);
            let text = rows
                .iter()
                .map(|r| r.join(" | "))
                .collect::<Vec<_>>()
                .join("\n");
            let span = Span {
                start: l.start,
                end: group.last().map_or(l.end, |x| x.end),
            };
            close_to(&mut stack, &mut roots, NodeKind::Bullet.level(0));
            attach_leaf(
                &mut stack,
                &mut roots,
                Node {
                    kind: NodeKind::Table,
                    label: None,
                    text,
                    span,
                    rows,
                    children: Vec::new(),
                },
            );
            i = j;
            continue;
        }
        if c.kind == NodeKind::Paragraph {
            close_to(&mut stack, &mut roots, NodeKind::Bullet.level(0));
            attach_leaf(&mut stack, &mut roots, leaf(l, c));
            i += 1;
            continue;
        }
        let level = c.kind.level(c.depth);
        let kind = c.kind;
        let mut node = leaf(l, c);
        // "Chương I" / "QUY ĐỊNH CHUNG": a title on its own upper-case line.
        if matches!(
            kind,
            NodeKind::Part | NodeKind::Chapter | NodeKind::Division | NodeKind::Appendix
        ) && node.text.is_empty()
            && let Some(next) = lines.get(i + 1)
            && !has_lower(&next.text)
            && classify(&next.text).kind == NodeKind::Paragraph
        {
            node.text = next.text.clone();
            node.span.end = next.end;
            i += 1;
        }
        close_to(&mut stack, &mut roots, level);
        stack.push((level, node));
        i += 1;
    }
    close_to(&mut stack, &mut roots, 0);
    roots
}

fn is_footnote_heading(l: &Line) -> bool {
    matches!(
        key(l.text.trim().trim_end_matches(':')).as_str(),
        "chu thich" | "ghi chu"
    )
}

fn footnote(l: &Line) -> Option<Node> {
    let t = l.text.as_str();
    let inner = t.strip_prefix("[^").or_else(|| t.strip_prefix('['))?;
    let close = inner.find(']')?;
    let label = &inner[..close];
    if label.is_empty() || label.len() > 3 || !label.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = inner[close + 1..].trim_start_matches(':').trim();
    Some(Node {
        kind: NodeKind::Paragraph,
        label: Some(label.to_owned()),
        text: rest.to_owned(),
        span: l.span(),
        rows: Vec::new(),
        children: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// Header

const MOTTOS: &[(&str, &str)] = &[
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ),
];
const TAGLINES: &[&str] = &["Độc lập - Tự do - Hạnh phúc", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"];

fn parse_header(lines: &[Line]) -> Header {
    let mut h = Header::default();
    if let (Some(first), Some(last)) = (lines.first(), lines.last()) {
        h.span = Some(Span {
            start: first.start,
            end: last.end,
        });
    }
    let mut body_parts: Vec<String> = Vec::new();
    for l in lines {
        for cell in l.text.split('|') {
            let mut pieces = vec![modernize_tones(&cell.replace(['–', '—'], "-"))];
            for (needle, canon) in MOTTOS {
                pieces = split_out(pieces, needle, || h.motto = Some((*canon).to_owned()));
            }
            for tag in TAGLINES {
                pieces = split_out(pieces, tag, || h.tagline = Some(TAGLINES[0].to_owned()));
            }
            for piece in pieces {
                header_piece(&piece, &mut h, &mut body_parts);
            }
        }
    }
    if !body_parts.is_empty() {
        h.issuing_body = Some(body_parts.join(" "));
    }
    h
}

/// Splits every piece around `needle`, calling `found` when it occurs.
fn split_out(pieces: Vec<String>, needle: &str, mut found: impl FnMut()) -> Vec<String> {
    let mut out = Vec::new();
    for p in pieces {
        if p.contains(needle) {
            found();
            out.extend(p.split(needle).map(str::to_owned));
        } else {
            out.push(p);
        }
    }
    out
}

fn header_piece(piece: &str, h: &mut Header, body_parts: &mut Vec<String>) {
    let mut rest = piece.to_owned();
    if h.symbol.is_none()
        && let Some(c) = citations::extract(&rest)
            .into_iter()
            .find(|c| c.symbol.is_some())
    {
        h.symbol = c.symbol.clone();
        rest = format!("{} {}", &rest[..c.start], &rest[c.end..]);
    }
    // "Lạng Sơn, ngày 11 tháng 11 năm 2021"
    if h.date.is_none()
        && let Some(at) = find_ngay(&rest)
        && let Some((date, end)) = citations::parse_date(&rest, skip_ws(&rest, at + "ngày".len()))
    {
        h.date = Some(date);
        let before = rest[..at].trim_end().trim_end_matches(',').trim_end();
        // The place is the trailing run of title-case words before ", ngày".
        let words: Vec<&str> = before.split_whitespace().collect();
        let n = words
            .iter()
            .rev()
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase) && has_lower(w))
            .count();
        if n > 0 {
            h.place = Some(words[words.len() - n..].join(" "));
        }
        let body = words[..words.len() - n].join(" ");
        rest = format!("{body} {}", &rest[end..]);
    }
    let leftover = rest.replace('*', " ");
    let leftover = leftover.split_whitespace().collect::<Vec<_>>().join(" ");
    let leftover = leftover.trim_matches(|c: char| c == ':' || c == '-' || c.is_whitespace());
    if !leftover.is_empty() && !has_lower(leftover) && leftover.chars().any(char::is_alphabetic) {
        body_parts.push(leftover.to_owned());
    }
}

fn find_ngay(s: &str) -> Option<usize> {
    s.match_indices("ngày").map(|(i, _)| i).find(|&i| {
        s[i + "ngày".len()..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
    })
}

fn skip_ws(s: &str, mut i: usize) -> usize {
    while s.as_bytes().get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------
// Recipients and signer

/// Byte length of a signing-authority prefix at the start of `s` (T/M, K/T, T/L, TM., KT.,
/// TL., Q., TUQ.), when one is there and followed by upper-case text.
fn authority_len(s: &str) -> Option<usize> {
    // Longest first, so "TUQ." wins over "TUQ" and "T/M" is not read as "T".
    const PREFIXES: &[&str] = &[
        "TUQ.", "T/M", "K/T", "T/L", "TM.", "KT.", "TL.", "Q.", "TUQ", "TM", "KT", "TL",
    ];
    PREFIXES.iter().find_map(|p| {
        let rest = s.strip_prefix(p)?;
        if !p.ends_with('.') && !rest.starts_with(' ') {
            return None;
        }
        let (w, _) = first_word(rest.trim_start());
        let upper_word = w.chars().next().is_some_and(char::is_uppercase) && !has_lower(w);
        upper_word.then_some(p.len())
    })
}

/// First words of a title (chức vụ) in a signer block.
const TITLE_STARTS: &[&[&str]] = &[
    &["PHÓ"],
    &["CHỦ", "TỊCH"],
    &["BÍ", "THƯ"],
    &["TRƯỞNG"],
    &["BỘ", "TRƯỞNG"],
    &["THỨ", "TRƯỞNG"],
    &["THỦ", "TƯỚNG"],
    &["GIÁM", "ĐỐC"],
    &["CHÁNH"],
    &["TỔNG"],
];

fn is_authority_word(w: &str) -> bool {
    matches!(
        w,
        "T/M" | "K/T" | "T/L" | "TM." | "KT." | "TL." | "Q." | "TUQ." | "TM" | "KT" | "TL" | "TUQ"
    )
}

fn parse_tail(lines: &[&Line], doc: &mut Document) {
    let mut signer_words: Vec<String> = Vec::new();
    let mut signer_span: Option<Span> = None;
    let mut in_recipients = false;
    for l in lines {
        for cell in l.text.split('|').map(str::trim).filter(|c| !c.is_empty()) {
            let k = key(cell);
            if k.starts_with("noi nhan") {
                in_recipients = true;
                let after = cell.split_once(':').map_or("", |(_, a)| a);
                push_recipients(after, l, doc);
                continue;
            }
            if authority_len(cell).is_some() {
                in_recipients = false;
            }
            let is_item = cell.starts_with(['-', '+', '•', '–']);
            if is_item || (in_recipients && has_lower(cell) && !looks_like_name(cell)) {
                push_recipients(cell, l, doc);
                continue;
            }
            if cell.starts_with('(') && cell.ends_with(')') || k == "da ky" {
                continue;
            }
            in_recipients = false;
            signer_words.extend(cell.split_whitespace().map(str::to_owned));
            signer_span = Some(match signer_span {
                Some(s) => Span {
                    start: s.start.min(l.start),
                    end: s.end.max(l.end),
                },
                None => l.span(),
            });
        }
    }
    if let Some(span) = signer_span {
        let (authority, title, name) = split_signer(&signer_words);
        if authority.is_some() || title.is_some() || name.is_some() {
            doc.signer = Some(Signer {
                authority,
                title,
                name,
                span,
            });
        }
    }
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        })
        && has_lower(s)
}

fn push_recipients(s: &str, l: &Line, doc: &mut Document) {
    // A collapsed list "- A, - B, - C." has every item on one line.
    // Only a dash after an item's closing comma starts a new item: "chính trị - xã hội" is one.
    let s = s.trim();
    let mut items: Vec<&str> = Vec::new();
    let mut from = 0;
    for (at, _) in s.match_indices(" - ") {
        if at > from && s[..at].ends_with([',', ';', '.']) {
            items.push(&s[from..at]);
            from = at + 1;
        }
    }
    items.push(&s[from..]);
    for item in items {
        let t = item
            .trim()
            .trim_start_matches(['-', '–', '+', '•'])
            .trim()
            .trim_end_matches([',', '.', ';'])
            .trim();
        if !t.is_empty() {
            doc.recipients.push(Text {
                text: t.to_owned(),
                span: l.span(),
            });
        }
    }
}

/// Splits the words of a signer block into authority, title and name.
fn split_signer(words: &[String]) -> (Option<String>, Option<String>, Option<String>) {
    let upper_len = words
        .iter()
        .position(|w| has_lower(w))
        .unwrap_or(words.len());
    let (upper, rest) = words.split_at(upper_len);
    let name_words: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .take(6)
        .collect();
    let name = (!name_words.is_empty()).then(|| name_words.join(" "));

    // Authority segments start at each prefix; the title starts at the first title word after
    // the body of the last authority.
    let last_prefix = upper.iter().rposition(|w| is_authority_word(w));
    let (authority, title_words) = match last_prefix {
        None => (None, upper),
        Some(p) => {
            let search_from = (p + 2).min(upper.len());
            let title_at = (search_from..upper.len())
                .find(|&i| {
                    TITLE_STARTS.iter().any(|t| {
                        t.iter()
                            .enumerate()
                            .all(|(k, w)| upper.get(i + k).is_some_and(|u| u == w))
                    })
                })
                .unwrap_or(upper.len());
            (Some(upper[..title_at].join(" ")), &upper[title_at..])
        }
    };
    let title = (!title_words.is_empty()).then(|| title_words.join(" "));
    (authority.filter(|a| !a.is_empty()), title, name)
}
