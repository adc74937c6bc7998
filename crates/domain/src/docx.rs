//! Word documents (.docx) read into the plain text that [`crate::document::parse`] and
//! [`crate::citations::extract`] expect from a .txt file.
//!
//! Bytes in, text out: the caller reads the file. What comes out, and why:
//!
//! - Each body paragraph (`w:p`) is one line; runs are concatenated as Word shows them
//!   (`xml:space` honoured, `w:tab` → tab, `w:br`/`w:cr` → newline, common `w:sym` glyphs
//!   mapped). Formatting is dropped: bold is *not* wrapped in `**`, because the parser only
//!   strips Markdown it would otherwise have to guess about, and plain text is what it sees for
//!   PDF exports too.
//! - Each table row is one line with its non-empty cells joined by `" | "`, paragraphs inside a
//!   cell joined by a space, nested tables flattened into their cell. This is how the two-column
//!   thể thức header ("TỈNH ỦY LẠNG SƠN | ĐẢNG CỘNG SẢN VIỆT NAM") and the nơi nhận / signer table
//!   look in flattened text. Empty cells (merged or spacer cells) are left out.
//! - Word keeps list numbers out of the text (numbering.xml), so numbered paragraphs get a
//!   best-effort prefix: bullets become `"- "`, `lowerLetter` becomes `"a) "` (the điểm
//!   convention), other formats follow the level's `lvlText` ("%1." → "1.", "%1.%2." → "1.2.")
//!   with one counter per (numId, level), deeper levels restarting when a shallower one advances.
//!   Numbering reached through a paragraph style (and its `basedOn` chain) counts too.
//!   Not modelled: counters shared between numIds of one abstract list, `numStyleLink`,
//!   `lvlRestart`, `isLgl`, and level overrides other than `startOverride`.
//! - Footnotes are appended after a line "Chú thích:" as "[n] text", numbered in order of first
//!   reference; the reference in the body becomes "[n]". Endnotes and comments are left out.
//! - Headers and footers are ignored: they repeat on every page and carry page numbers.
//! - Deleted revisions, moved-from text, field instructions and the fallback copy of text boxes
//!   are skipped, so each visible word appears once.
//! - The result is NFC-normalised with [`crate::text::normalize`], like any other input.
//!
//! Every part is read with a cap on its decompressed size so that a zip bomb is an error, not
//! an out-of-memory crash, and malformed XML is an error with its byte position.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use crate::ooxml::{self, OpenError, PartError, Xml, attr, local};
use crate::text::normalize;

/// The largest decompressed size accepted for any one part of the package.
pub use crate::ooxml::MAX_PART_BYTES;

const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";
const NUMBERING: &str = "word/numbering.xml";
const FOOTNOTES: &str = "word/footnotes.xml";

/// The longest list-number template (`lvlText`) used.
const MAX_LEVEL_TEXT: usize = 32;

/// Why a file could not be read as a Word document. Messages are for the person uploading it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("Tệp trống, không có nội dung để đọc.")]
    Empty,
    #[error(
        "Tệp là tài liệu Word định dạng cũ (.doc) hoặc tài liệu có đặt mật khẩu; hãy mở bằng Word \
         và lưu lại dưới dạng .docx không đặt mật khẩu."
    )]
    LegacyOrEncrypted,
    #[error("Tệp không phải là tài liệu Word (.docx): không đọc được cấu trúc tệp nén ZIP.")]
    NotZip,
    #[error("Tệp .docx bị hỏng hoặc không đầy đủ (có thể bị cắt cụt khi tải lên).")]
    Truncated,
    #[error("Tệp nén không phải là tài liệu Word: không có phần word/document.xml.")]
    NotWordDocument,
    #[error("Tài liệu quá lớn: phần {part} vượt quá {limit_mb} MB khi giải nén.")]
    TooLarge { part: &'static str, limit_mb: u64 },
    #[error("Tệp .docx bị hỏng: không giải nén được phần {part}.")]
    Unreadable { part: &'static str },
    #[error("Nội dung XML của phần {part} bị hỏng tại vị trí {position}.")]
    Xml { part: &'static str, position: u64 },
}

/// Reads the text of a .docx file: body, tables and footnotes, as described in the module docs.
pub fn extract_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive = ooxml::open(bytes).map_err(|e| match e {
        OpenError::Empty => DocxError::Empty,
        OpenError::LegacyOrEncrypted => DocxError::LegacyOrEncrypted,
        OpenError::NotZip => DocxError::NotZip,
        OpenError::Truncated => DocxError::Truncated,
    })?;
    let document = read_part(&mut archive, DOCUMENT)?.ok_or(DocxError::NotWordDocument)?;
    let styles = read_part(&mut archive, STYLES)?;
    let numbering = read_part(&mut archive, NUMBERING)?;
    let footnotes = read_part(&mut archive, FOOTNOTES)?;

    let numbering = Numbering::parse(numbering.as_deref(), styles.as_deref())?;
    let notes = match &footnotes {
        Some(xml) => parse_footnotes(xml, &numbering)?,
        None => HashMap::new(),
    };

    let mut body = Walker::new(&numbering);
    walk(DOCUMENT, &document, |e| body.event(e))?;
    let mut lines = body.lines;
    if !body.note_refs.is_empty() {
        lines.push("Chú thích:".to_owned());
        for (i, id) in body.note_refs.iter().enumerate() {
            let text = notes.get(id).map_or("", String::as_str);
            lines.push(format!("[{}] {text}", i + 1));
        }
    }
    Ok(normalize(&lines.join("\n")))
}

/// The decompressed bytes of `name`, `None` when the package has no such part.
fn read_part<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &'static str,
) -> Result<Option<Vec<u8>>, DocxError> {
    ooxml::read_part(archive, name).map_err(|e| match e {
        PartError::TooLarge => DocxError::TooLarge {
            part: name,
            limit_mb: MAX_PART_BYTES / (1024 * 1024),
        },
        PartError::Unreadable => DocxError::Unreadable { part: name },
    })
}

/// Streams a part's XML, failing with the part's name and the byte position.
fn walk(part: &'static str, xml: &[u8], f: impl FnMut(Xml<'_>)) -> Result<(), DocxError> {
    ooxml::walk(xml, f).map_err(|position| DocxError::Xml { part, position })
}

// ---------------------------------------------------------------------------------------------
// Numbering

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: Option<String>,
    start: u32,
}

/// Lists from numbering.xml and the styles that carry a list.
#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// abstractNumId → levels 0..=8.
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// (numId, level) → startOverride.
    starts: HashMap<(String, u8), u32>,
    /// styleId → (numId, level) declared on the style itself.
    style_lists: HashMap<String, (Option<String>, Option<u8>)>,
    /// styleId → basedOn.
    based_on: HashMap<String, String>,
}

/// Word has nine list levels; anything else is treated as absent.
fn level_index(v: Option<String>) -> Option<u8> {
    v?.trim().parse::<u8>().ok().filter(|l| *l <= 8)
}

impl Numbering {
    fn parse(numbering: Option<&[u8]>, styles: Option<&[u8]>) -> Result<Self, DocxError> {
        let mut n = Numbering::default();
        if let Some(xml) = numbering {
            n.read_numbering(xml)?;
        }
        if let Some(xml) = styles {
            n.read_styles(xml)?;
        }
        Ok(n)
    }

    fn read_numbering(&mut self, xml: &[u8]) -> Result<(), DocxError> {
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut override_level: Option<u8> = None;
        walk(NUMBERING, xml, |e| match e {
            Xml::Open(s) => match local(s).as_str() {
                "abstractNum" => abstract_id = attr(s, "abstractNumId"),
                "num" => num_id = attr(s, "numId"),
                "lvl" if abstract_id.is_some() && num_id.is_none() => {
                    level = level_index(attr(s, "ilvl")).map(|i| {
                        (
                            i,
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        )
                    });
                }
                "start" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, attr(s, "val")) {
                        l.start = v.trim().parse().unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, attr(s, "val")) {
                        l.format = v;
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        // Real templates are a few characters; the cap keeps a hostile list
                        // from multiplying the output once per paragraph.
                        l.text = attr(s, "val").map(|t| t.chars().take(MAX_LEVEL_TEXT).collect());
                    }
                }
                "abstractNumId" => {
                    if let (Some(id), Some(v)) = (&num_id, attr(s, "val")) {
                        self.nums.insert(id.clone(), v);
                    }
                }
                "lvlOverride" => override_level = level_index(attr(s, "ilvl")),
                "startOverride" => {
                    if let (Some(id), Some(l), Some(v)) = (&num_id, override_level, attr(s, "val"))
                        && let Ok(v) = v.trim().parse()
                    {
                        self.starts.insert((id.clone(), l), v);
                    }
                }
                _ => {}
            },
            Xml::Close(name) => match name {
                "lvl" => {
                    if let (Some(a), Some((i, l))) = (&abstract_id, level.take()) {
                        self.abstracts.entry(a.clone()).or_default().insert(i, l);
                    }
                }
                "abstractNum" => abstract_id = None,
                "num" => num_id = None,
                "lvlOverride" => override_level = None,
                _ => {}
            },
            Xml::Text(_) => {}
        })
    }

    fn read_styles(&mut self, xml: &[u8]) -> Result<(), DocxError> {
        let mut style: Option<String> = None;
        walk(STYLES, xml, |e| match e {
            Xml::Open(s) => {
                let name = local(s);
                match (name.as_str(), &style) {
                    ("style", _) => style = attr(s, "styleId"),
                    ("basedOn", Some(id)) => {
                        if let Some(v) = attr(s, "val") {
                            self.based_on.insert(id.clone(), v);
                        }
                    }
                    ("numId", Some(id)) => {
                        self.style_lists.entry(id.clone()).or_default().0 = attr(s, "val");
                    }
                    ("ilvl", Some(id)) => {
                        self.style_lists.entry(id.clone()).or_default().1 =
                            level_index(attr(s, "val"));
                    }
                    _ => {}
                }
            }
            Xml::Close("style") => style = None,
            Xml::Close(_) | Xml::Text(_) => {}
        })
    }

    /// The list of a paragraph: its own numPr first, then its style's, following `basedOn`.
    fn resolve(
        &self,
        num_id: Option<&str>,
        level: Option<u8>,
        style: Option<&str>,
    ) -> Option<(String, u8)> {
        let mut num_id = num_id.map(str::to_owned);
        let mut level = level;
        let mut style = style.map(str::to_owned);
        // A bounded walk: style chains can be cyclic in damaged files.
        for _ in 0..16 {
            if num_id.is_some() && level.is_some() {
                break;
            }
            let Some(s) = style.take() else { break };
            if let Some((n, l)) = self.style_lists.get(&s) {
                num_id = num_id.or_else(|| n.clone());
                level = level.or(*l);
            }
            style = self.based_on.get(&s).cloned();
        }
        // numId 0 explicitly removes numbering.
        let num_id = num_id.filter(|n| n.trim() != "0")?;
        Some((num_id, level.unwrap_or(0)))
    }

    fn level(&self, num_id: &str, level: u8) -> Option<&Level> {
        self.abstracts.get(self.nums.get(num_id)?)?.get(&level)
    }
}

/// Per-list counters, one slot per level.
#[derive(Default)]
struct Counters(HashMap<String, [Option<u32>; 9]>);

impl Counters {
    /// The prefix for the next paragraph of list `num_id` at `level`, advancing the counters.
    fn next(&mut self, numbering: &Numbering, num_id: &str, level: u8) -> String {
        let Some(def) = numbering.level(num_id, level) else {
            return String::new();
        };
        match def.format.as_str() {
            "bullet" => return "- ".to_owned(),
            "none" => return String::new(),
            _ => {}
        }
        let start = |l: u8| {
            numbering
                .starts
                .get(&(num_id.to_owned(), l))
                .copied()
                .or_else(|| numbering.level(num_id, l).map(|d| d.start))
                .unwrap_or(1)
        };
        let slots = self.0.entry(num_id.to_owned()).or_default();
        let i = usize::from(level);
        slots[i] = Some(slots[i].map_or(start(level), |n| n.saturating_add(1)));
        for deeper in slots.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        let value = |l: u8| slots[usize::from(l)].unwrap_or_else(|| start(l));
        if def.format == "lowerLetter" {
            return format!("{}) ", format_number(value(level), "lowerLetter"));
        }
        let Some(template) = def.text.as_deref() else {
            return format!("{}. ", format_number(value(level), &def.format));
        };
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match (c, digit) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let l = u8::try_from(d - 1).unwrap_or(0);
                    let format = numbering
                        .level(num_id, l)
                        .map_or("decimal", |d| d.format.as_str());
                    out.push_str(&format_number(value(l), format));
                }
                _ => out.push(c),
            }
        }
        if out.trim().is_empty() {
            return String::new();
        }
        out.push(' ');
        out
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// Word's letter numbering: a … z, then aa … zz, and so on.
fn letters(n: u32) -> String {
    let n = n.max(1) - 1;
    let letter = char::from(b'a' + u8::try_from(n % 26).unwrap_or(0));
    let repeat = usize::try_from(n / 26 + 1).unwrap_or(1).min(20);
    std::iter::repeat_n(letter, repeat).collect()
}

fn roman(n: u32) -> String {
    const TABLE: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    let mut n = n;
    let mut out = String::new();
    for &(v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Glyphs of `w:sym` in the Symbol and Wingdings fonts that have a plain Unicode meaning.
fn symbol_char(font: &str, code: &str) -> Option<char> {
    let mut code = u32::from_str_radix(code.trim(), 16).ok()?;
    // Symbol fonts are addressed through the private-use range F000–F0FF.
    if (0xF000..=0xF0FF).contains(&code) {
        code -= 0xF000;
    } else {
        return char::from_u32(code).filter(|c| !c.is_control());
    }
    let font = font.to_ascii_lowercase();
    let mapped = if font.starts_with("wingdings") {
        match code {
            0x9F | 0x6C => '•',
            0xA7 | 0x6E => '▪',
            0xD8 | 0xE0 | 0xE8 => '➢',
            0xFC => '✓',
            0xFB => '✗',
            _ => return None,
        }
    } else {
        match code {
            0xB7 => '•',
            0x2D => '-',
            0xAE => '→',
            0xAC => '←',
            0xB3 => '≥',
            0xA3 => '≤',
            0xB4 => '×',
            0xB8 => '÷',
            0xB1 => '±',
            0xB0 => '°',
            0xB9 => '≠',
            0x20..=0x7E => char::from_u32(code)?,
            _ => return None,
        }
    };
    Some(mapped)
}

// ---------------------------------------------------------------------------------------------
// Body

/// A paragraph being read. Text boxes put paragraphs inside paragraphs, hence a stack of these.
#[derive(Default)]
struct Para {
    text: String,
    num_id: Option<String>,
    level: Option<u8>,
    style: Option<String>,
}

#[derive(Default)]
struct Table {
    rows: Vec<String>,
    cells: Vec<String>,
    cell: Vec<String>,
}

/// Elements whose whole subtree is not visible text.
const SKIPPED: &[&str] = &[
    "Fallback",
    "instrText",
    "delText",
    "delInstrText",
    "moveFrom",
    "pPrChange",
    "rPrChange",
    "sectPr",
];

/// Turns the events of a story (the body, or one footnote) into lines.
struct Walker<'n> {
    numbering: &'n Numbering,
    counters: Counters,
    lines: Vec<String>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    skip: usize,
    run: usize,
    paragraph_props: usize,
    /// Text of the open `w:t`, and whether it keeps its edge spaces.
    text: Option<(String, bool)>,
    /// Footnote ids in order of first reference.
    note_refs: Vec<String>,
}

impl<'n> Walker<'n> {
    fn new(numbering: &'n Numbering) -> Self {
        Walker {
            numbering,
            counters: Counters::default(),
            lines: Vec::new(),
            paras: Vec::new(),
            tables: Vec::new(),
            skip: 0,
            run: 0,
            paragraph_props: 0,
            text: None,
            note_refs: Vec::new(),
        }
    }

    fn push(&mut self, s: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    fn event(&mut self, e: Xml<'_>) {
        match e {
            Xml::Open(s) => self.open(s),
            Xml::Close(name) => self.close(name),
            Xml::Text(t) => {
                if self.skip == 0
                    && let Some((buf, _)) = &mut self.text
                {
                    buf.push_str(t);
                }
            }
        }
    }

    fn open(&mut self, s: &BytesStart<'_>) {
        let name = local(s);
        if self.skip > 0 || SKIPPED.contains(&name.as_str()) {
            self.skip += 1;
            return;
        }
        match name.as_str() {
            "p" => self.paras.push(Para::default()),
            "pPr" => self.paragraph_props += 1,
            "r" => self.run += 1,
            "tbl" => self.tables.push(Table::default()),
            "numId" if self.paragraph_props > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = attr(s, "val");
                }
            }
            "ilvl" if self.paragraph_props > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.level = level_index(attr(s, "val"));
                }
            }
            "pStyle" if self.paragraph_props > 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(s, "val");
                }
            }
            "t" if self.run > 0 => {
                let preserve = attr(s, "space").is_some_and(|v| v == "preserve");
                self.text = Some((String::new(), preserve));
            }
            "tab" | "ptab" if self.run > 0 => self.push("\t"),
            "br" | "cr" if self.run > 0 => self.push("\n"),
            "noBreakHyphen" if self.run > 0 => self.push("-"),
            "sym" if self.run > 0 => {
                let font = attr(s, "font").unwrap_or_default();
                if let Some(c) = attr(s, "char").and_then(|code| symbol_char(&font, &code)) {
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            "footnoteReference" => {
                if let Some(id) = attr(s, "id") {
                    let n = match self.note_refs.iter().position(|r| *r == id) {
                        Some(i) => i + 1,
                        None => {
                            self.note_refs.push(id);
                            self.note_refs.len()
                        }
                    };
                    self.push(&format!("[{n}]"));
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            "t" => {
                if let Some((buf, preserve)) = self.text.take() {
                    let t = if preserve {
                        buf.as_str()
                    } else {
                        buf.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    self.push(t);
                }
            }
            "r" => self.run = self.run.saturating_sub(1),
            "pPr" => self.paragraph_props = self.paragraph_props.saturating_sub(1),
            "p" => self.end_paragraph(),
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let cell = collapse(&t.cell.join(" "));
                    t.cell.clear();
                    t.cells.push(cell);
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    let row = t
                        .cells
                        .drain(..)
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" | ");
                    if !row.is_empty() {
                        t.rows.push(row);
                    }
                }
            }
            "tbl" => {
                if let Some(t) = self.tables.pop() {
                    self.emit_all(t.rows);
                }
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let prefix = self
            .numbering
            .resolve(p.num_id.as_deref(), p.level, p.style.as_deref())
            .map(|(num_id, level)| self.counters.next(self.numbering, &num_id, level))
            .unwrap_or_default();
        let line = format!("{prefix}{}", p.text.trim_end());
        self.emit_all(vec![line]);
    }

    /// Finished lines go into the enclosing table cell, or else become lines of the story.
    fn emit_all(&mut self, lines: Vec<String>) {
        match self.tables.last_mut() {
            Some(t) => t.cell.extend(lines),
            None => self.lines.extend(lines),
        }
    }
}

/// Cell text on one line: breaks, tabs and runs of spaces become single spaces.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Footnote id → its text, paragraphs joined by a space. Separator notes are skipped.
fn parse_footnotes(
    xml: &[u8],
    numbering: &Numbering,
) -> Result<HashMap<String, String>, DocxError> {
    let mut notes = HashMap::new();
    let mut current: Option<(String, Walker<'_>)> = None;
    walk(FOOTNOTES, xml, |e| match e {
        Xml::Open(s) if current.is_none() && local(s) == "footnote" => {
            let separator = attr(s, "type").is_some_and(|t| t != "normal");
            if let Some(id) = attr(s, "id").filter(|id| !separator && id != "-1" && id != "0") {
                current = Some((id, Walker::new(numbering)));
            }
        }
        Xml::Close("footnote") if current.as_ref().is_some_and(|(_, w)| w.paras.is_empty()) => {
            if let Some((id, w)) = current.take() {
                let text = w
                    .lines
                    .iter()
                    .map(|l| collapse(l))
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                notes.insert(id, text);
            }
        }
        other => {
            if let Some((_, w)) = &mut current {
                w.event(other);
            }
        }
    })?;
    Ok(notes)
}
