//! Citation extraction: finding references to other documents (trích dẫn văn bản) in free text.
//!
//! The scanner is hand-written so it can run over megabytes of plans per second. It walks the
//! bytes once looking for cheap anchors — an ASCII digit run, or the capital letters that start
//! "Luật", "Bộ luật" and "Hiến pháp" — and only then parses the surroundings: forwards for the
//! số/ký hiệu, date, issuer and subject, backwards for "số" and the type word.
//!
//! Decisions worth knowing (see `shared/domain/documents.md`):
//! - The type comes from the word before "số", because `QĐ` is both Quyết định and Quy định.
//!   Only when no type word is written is it inferred from the code.
//! - References without any number ("Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII", "Quy chế
//!   làm việc …") are not citations: nothing identifies them. Laws, codes and the constitution
//!   are the exception, because Nghị định 30/2020 cites them by name only.
//! - Numbered citations with no date are kept and flagged `no_date`, or resolved to an earlier
//!   full citation of the same symbol and flagged `short_form`. Laws cited by name carry no
//!   date by rule, so they are not flagged.
//! - Year ranges ("2021 - 2025") and dates are never read as numbers: a number must be followed
//!   by a separator and an upper-case code.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::text::{fold, is_combining_mark};

/// Flag names put in [`Citation::flags`].
pub mod flag {
    /// The symbol's issuer code and the issuer named in the text are on different levels
    /// (central vs. provincial), e.g. `139-NQ/TW` "của Ban Chấp hành Đảng bộ tỉnh".
    pub const ISSUER_MISMATCH: &str = "issuer_mismatch";
    /// A repeat without date, completed from an earlier full citation (see `resolved_from`).
    pub const SHORT_FORM: &str = "short_form";
    /// A numbered citation for which nothing gives a date.
    pub const NO_DATE: &str = "no_date";
    /// `Ð` (U+00D0, eth) was read as `Đ`.
    pub const LEGACY_GLYPH: &str = "legacy_glyph";
    /// The raw text is not in NFC (decomposed marks).
    pub const NOT_NFC: &str = "not_nfc";
    /// "số" glued to the number, or cut to "s": `số31-QĐ/TW`, `s20/2008/NĐ-CP`.
    pub const GLUED_NUMBER: &str = "glued_number";
    /// Spaces around the separators were removed: `05- ĐA/TU`, `367 - QĐ/TWĐTN-VP`.
    pub const SPACING: &str = "spacing";
    /// The hyphen between number and type code was missing: `84 QĐ/TWĐTN`.
    pub const MISSING_HYPHEN: &str = "missing_hyphen";
    /// The slash between year and type code was missing: `06/2021QĐ-UBND`.
    pub const MISSING_SLASH: &str = "missing_slash";
    /// The type word contradicts the type code (e.g. "Chỉ thị số 12-NQ/TU").
    pub const TYPE_MISMATCH: &str = "type_mismatch";
    /// The type was inferred from the code because no type word was written.
    pub const TYPE_INFERRED: &str = "type_inferred";
    /// A Party issuer code written in State style: `17/NQ-TW`, `11/QĐi-TW`.
    pub const STATE_STYLE_PARTY: &str = "state_style_party";
}

/// One reference to another document, at one place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The exact cited text, `&input[start..end]`: type word, số/ký hiệu and date.
    pub raw: String,
    /// Byte offset of `raw` in the input (a char boundary).
    pub start: usize,
    /// Byte offset just past `raw` (a char boundary).
    pub end: usize,
    /// Loại văn bản, as a Vietnamese word: "Quyết định", "Quy định", "Luật" …
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Canonical số/ký hiệu: `593-QĐ/TU`, `59/2023/NĐ-CP`. `None` for laws cited by name only.
    pub symbol: Option<String>,
    /// The number as written, leading zeros kept: "05".
    pub number: Option<String>,
    /// Type code from the symbol: "QĐ", "NQ", "NĐ".
    pub type_code: Option<String>,
    /// Issuer code from the symbol, joint issuers kept together: "TU", "BDVTU-UBND", "QH15".
    pub issuer_code: Option<String>,
    /// Year written in the symbol (State normative documents) or after the name of a law.
    pub year: Option<i32>,
    /// Date of issue, serialised as ISO `YYYY-MM-DD`.
    pub date: Option<NaiveDate>,
    /// Issuing body as named in the text: "Ban Thường vụ Tỉnh ủy".
    pub issuer: Option<String>,
    /// Trích yếu, best effort: the clause after "về" / "về việc".
    pub subject: Option<String>,
    /// Name of a law, code or constitution: "Luật Thực hiện dân chủ ở cơ sở".
    pub title: Option<String>,
    /// Findings about this citation, see [`flag`].
    pub flags: Vec<String>,
    /// For a short-form repeat: index (in the returned list) of the full citation it refers to.
    pub resolved_from: Option<usize>,
}

impl Citation {
    fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    fn add_flag(&mut self, name: &str) {
        if !self.has_flag(name) {
            self.flags.push(name.to_owned());
        }
    }
}

/// Extracts every citation in `text`, one per occurrence, sorted by `start` and non-overlapping.
pub fn extract(text: &str) -> Vec<Citation> {
    let b = text.as_bytes();
    let mut found: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let run_end = digit_run_end(b, i);
            if let Some(f) = numbered_at(text, i, run_end) {
                i = f.end.max(run_end);
                found.push(f);
            } else {
                i = run_end;
            }
            continue;
        }
        if matches!(c, b'L' | b'B' | b'H')
            && let Some(f) = law_at(text, i)
        {
            i = f.end;
            found.push(f);
            continue;
        }
        i += 1;
    }
    finish(text, found)
}

/// A citation while it is being built: the public fields plus the spans the post-pass needs.
struct Found {
    cit: Citation,
    start: usize,
    end: usize,
    /// Where the subject clause was read from, so a later sibling citation can cut it short.
    subject_span: Option<(usize, usize)>,
    /// Whether a type word was written (false for a bare symbol, e.g. after a law's name).
    typed_by_word: bool,
    is_law_name: bool,
}

// ---------------------------------------------------------------------------------------------
// Byte-level helpers. Everything the scanner recognises as a code is ASCII or Đ/đ/Ð/ð, so most
// decisions can be made on bytes; words in Vietnamese are compared after folding.

fn digit_run_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// Length of an upper-case code letter at `i`: ASCII A–Z, `Đ` or the look-alike `Ð`.
fn upper_code_letter(b: &[u8], i: usize) -> Option<(usize, bool)> {
    match b.get(i)? {
        c if c.is_ascii_uppercase() => Some((1, false)),
        0xC4 if b.get(i + 1) == Some(&0x90) => Some((2, false)),
        0xC3 if b.get(i + 1) == Some(&0x90) => Some((2, true)),
        _ => None,
    }
}

/// Length of a lower-case code letter at `i`: ASCII a–z, `đ` or `ð`.
fn lower_code_letter(b: &[u8], i: usize) -> Option<(usize, bool)> {
    match b.get(i)? {
        c if c.is_ascii_lowercase() => Some((1, false)),
        0xC4 if b.get(i + 1) == Some(&0x91) => Some((2, false)),
        0xC3 if b.get(i + 1) == Some(&0xB0) => Some((2, true)),
        _ => None,
    }
}

/// True when the bytes at `i` start a letter that is not a code letter (a Vietnamese vowel with
/// marks, a combining mark…): a code glued to such a letter is really part of a word.
fn starts_other_letter(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        Some(&c) if (0xC3..=0xCD).contains(&c) => true,
        Some(0xE1) => matches!(b.get(i + 1), Some(0xB8..=0xBB)),
        _ => false,
    }
}

fn is_inline_space(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b' ' | b'\t' => Some(1),
        0xC2 if b.get(i + 1) == Some(&0xA0) => Some(2),
        _ => None,
    }
}

/// Skips spaces, tabs and no-break spaces; returns the new position and how many were skipped.
fn skip_spaces(b: &[u8], mut i: usize, max: usize) -> (usize, usize) {
    let mut n = 0;
    while n < max {
        match is_inline_space(b, i) {
            Some(len) => {
                i += len;
                n += 1;
            }
            None => break,
        }
    }
    (i, n)
}

/// One code group such as `QĐ`, `TTg`, `QH15` or `BDVTU`.
struct Token {
    start: usize,
    end: usize,
    legacy: bool,
}

/// Reads a code group at `i`. It must start upper-case and be mostly upper-case, so that
/// ordinary words ("Trung", "Thủ") are never taken for codes.
fn code_token(b: &[u8], i: usize) -> Option<Token> {
    let (len, mut legacy) = upper_code_letter(b, i)?;
    let mut j = i + len;
    let (mut upper, mut lower, mut chars) = (1usize, 0usize, 1usize);
    loop {
        if let Some((l, lg)) = upper_code_letter(b, j) {
            upper += 1;
            legacy |= lg;
            j += l;
        } else if let Some((l, lg)) = lower_code_letter(b, j) {
            lower += 1;
            legacy |= lg;
            j += l;
        } else if b.get(j).is_some_and(|c| c.is_ascii_digit() || *c == b'&') {
            j += 1;
        } else {
            break;
        }
        chars += 1;
        if chars > 12 {
            return None;
        }
    }
    if starts_other_letter(b, j) {
        return None;
    }
    let ok = if chars == 1 {
        true
    } else {
        upper >= 2 && upper >= lower
    };
    ok.then_some(Token {
        start: i,
        end: j,
        legacy,
    })
}

/// Reads `TOKEN(-TOKEN)*`. A hyphen not followed by a code ends the chain.
fn code_chain(b: &[u8], i: usize) -> Option<Vec<Token>> {
    let first = code_token(b, i)?;
    let mut end = first.end;
    let mut out = vec![first];
    while b.get(end) == Some(&b'-') {
        match code_token(b, end + 1) {
            Some(t) => {
                end = t.end;
                out.push(t);
            }
            None => break,
        }
    }
    Some(out)
}

/// The canonical spelling of a code slice: `Ð`/`ð` become `Đ`/`đ`.
fn canon_code(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Symbols

/// The shape in which a symbol was written; it decides the canonical spelling.
enum Shape {
    /// `593-QĐ/TU`
    Party,
    /// `646/QĐ/QUTW`
    PartySlash,
    /// `33/CT-TTg`, `1246/UBND-BTCD`, `10/2022/QH15`, `59/2023/NĐ-CP`
    State,
}

struct Symbol {
    end: usize,
    number: String,
    year: Option<i32>,
    type_code: Option<String>,
    issuer_code: Option<String>,
    shape: Shape,
    flags: Vec<&'static str>,
}

impl Symbol {
    fn canonical(&self) -> String {
        let issuer = self.issuer_code.as_deref().unwrap_or("");
        match (&self.shape, &self.type_code) {
            (Shape::Party, Some(t)) => format!("{}-{}/{}", self.number, t, issuer),
            (Shape::PartySlash, Some(t)) => format!("{}/{}/{}", self.number, t, issuer),
            _ => {
                let mut s = self.number.clone();
                if let Some(y) = self.year {
                    s.push('/');
                    s.push_str(&y.to_string());
                }
                s.push('/');
                if let Some(t) = &self.type_code {
                    s.push_str(t);
                    if !issuer.is_empty() {
                        s.push('-');
                    }
                }
                s.push_str(issuer);
                s
            }
        }
    }
}

/// Type codes (Party and State). Used to tell `NQ-CP` (type + issuer) from a công văn's
/// `UBND-BTCD` (issuer + unit), and to infer a type when no type word is written.
const TYPE_CODES: &[(&str, &str)] = &[
    ("NQ", "Nghị quyết"),
    ("NQLT", "Nghị quyết liên tịch"),
    ("NL", "Nghị quyết liên tịch"),
    ("QĐ", "Quyết định"),
    ("QĐNS", "Quyết định"),
    ("QĐi", "Quy định"),
    ("QyĐ", "Quy định"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("QC", "Quy chế"),
    ("HD", "Hướng dẫn"),
    ("KH", "Kế hoạch"),
    ("ĐA", "Đề án"),
    ("CTr", "Chương trình"),
    ("TTr", "Tờ trình"),
    ("BC", "Báo cáo"),
    ("TB", "Thông báo"),
    ("TC", "Thông cáo"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("TL", "Thông tư liên tịch"),
    ("NĐ", "Nghị định"),
    ("PL", "Pháp lệnh"),
    ("L", "Luật"),
    ("LQ", "Luật"),
    ("LC", "Luật"),
    ("CV", "Công văn"),
    ("BB", "Biên bản"),
    ("PA", "Phương án"),
    ("DA", "Dự án"),
    ("CĐ", "Công điện"),
    ("HĐ", "Hợp đồng"),
    ("BGN", "Bản ghi nhớ"),
    ("BTT", "Bản thỏa thuận"),
    ("GUQ", "Giấy ủy quyền"),
    ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"),
    ("GNP", "Giấy nghỉ phép"),
    ("PG", "Phiếu gửi"),
    ("PC", "Phiếu chuyển"),
    ("PB", "Phiếu báo"),
    ("SY", "Bản sao y"),
    ("TrS", "Bản trích sao"),
    ("SL", "Bản sao lục"),
    ("BS", "Bản sao"),
];

fn type_for_code(code: &str) -> Option<&'static str> {
    TYPE_CODES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

/// Issuer codes of Party bodies: a State-style symbol with one of these is flagged.
fn is_party_issuer(code: &str) -> bool {
    let first = code.split('-').next().unwrap_or(code);
    matches!(
        first,
        "TW" | "TU" | "HU" | "ĐU" | "ĐUK" | "QU" | "ThU" | "TXU" | "CB" | "BCĐ"
    ) || first.ends_with("TW")
        || first.ends_with("TU")
}

/// Parses the số/ký hiệu whose number is the digit run `n0..n1`.
fn symbol_at(text: &str, n0: usize, n1: usize) -> Option<Symbol> {
    let b = text.as_bytes();
    if n1 - n0 > 5 {
        return None;
    }
    let number = text.get(n0..n1)?.to_owned();
    let mut flags: Vec<&'static str> = Vec::new();
    let (i, spaces) = skip_spaces(b, n1, 2);
    match b.get(i)? {
        b'/' => {
            let (j, sp2) = skip_spaces(b, i + 1, 1);
            if spaces + sp2 > 0 {
                flags.push(flag::SPACING);
            }
            let year_end = digit_run_end(b, j);
            if year_end > j {
                // Only a four-digit year may follow the first slash: "11/11/2021" is a date.
                if year_end - j != 4 || !matches!(&b[j..j + 2], b"19" | b"20") {
                    return None;
                }
                let year: i32 = text.get(j..year_end)?.parse().ok()?;
                let chain_at = if b.get(year_end) == Some(&b'/') {
                    year_end + 1
                } else {
                    flags.push(flag::MISSING_SLASH);
                    year_end
                };
                let chain = code_chain(b, chain_at)?;
                state_symbol(text, number, Some(year), chain, flags)
            } else {
                let chain = code_chain(b, j)?;
                // `646/QĐ/QUTW`: type and issuer both behind slashes.
                let after = chain.last().map(|t| t.end)?;
                if chain.len() == 1
                    && b.get(after) == Some(&b'/')
                    && let Some(issuer) = code_chain(b, after + 1)
                    && let Some(tc) = text.get(chain[0].start..chain[0].end).map(canon_code)
                    && type_for_code(&tc).is_some()
                {
                    if chain[0].legacy || issuer.iter().any(|t| t.legacy) {
                        flags.push(flag::LEGACY_GLYPH);
                    }
                    return Some(Symbol {
                        end: issuer.last()?.end,
                        number,
                        year: None,
                        type_code: Some(tc),
                        issuer_code: Some(chain_text(text, &issuer)?),
                        shape: Shape::PartySlash,
                        flags,
                    });
                }
                state_symbol(text, number, None, chain, flags)
            }
        }
        b'-' => party_symbol(text, number, i + 1, spaces, flags),
        0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x93) => {
            // An en dash typed instead of a hyphen.
            party_symbol(text, number, i + 3, spaces + 1, flags)
        }
        _ if spaces > 0 => {
            // `84 QĐ/TWĐTN`: the hyphen is missing, so demand a known type code and a slash.
            let t = code_token(b, i)?;
            let tc = canon_code(text.get(t.start..t.end)?);
            type_for_code(&tc)?;
            if b.get(t.end) != Some(&b'/') {
                return None;
            }
            let issuer = code_chain(b, t.end + 1)?;
            if t.legacy || issuer.iter().any(|t| t.legacy) {
                flags.push(flag::LEGACY_GLYPH);
            }
            flags.push(flag::MISSING_HYPHEN);
            Some(Symbol {
                end: issuer.last()?.end,
                number,
                year: None,
                type_code: Some(tc),
                issuer_code: Some(chain_text(text, &issuer)?),
                shape: Shape::Party,
                flags,
            })
        }
        _ => None,
    }
}

fn chain_text(text: &str, chain: &[Token]) -> Option<String> {
    let first = chain.first()?;
    let last = chain.last()?;
    Some(canon_code(text.get(first.start..last.end)?))
}

fn party_symbol(
    text: &str,
    number: String,
    after_dash: usize,
    spaces_before: usize,
    mut flags: Vec<&'static str>,
) -> Option<Symbol> {
    let b = text.as_bytes();
    let (i, sp) = skip_spaces(b, after_dash, 2);
    let t = code_token(b, i)?;
    let (j, sp2) = skip_spaces(b, t.end, 1);
    if b.get(j) != Some(&b'/') {
        return None;
    }
    let (k, sp3) = skip_spaces(b, j + 1, 1);
    let issuer = code_chain(b, k)?;
    if spaces_before + sp + sp2 + sp3 > 0 {
        flags.push(flag::SPACING);
    }
    if t.legacy || issuer.iter().any(|t| t.legacy) {
        flags.push(flag::LEGACY_GLYPH);
    }
    Some(Symbol {
        end: issuer.last()?.end,
        number,
        year: None,
        type_code: Some(canon_code(text.get(t.start..t.end)?)),
        issuer_code: Some(chain_text(text, &issuer)?),
        shape: Shape::Party,
        flags,
    })
}

fn state_symbol(
    text: &str,
    number: String,
    year: Option<i32>,
    chain: Vec<Token>,
    mut flags: Vec<&'static str>,
) -> Option<Symbol> {
    let end = chain.last()?.end;
    if chain.iter().any(|t| t.legacy) {
        flags.push(flag::LEGACY_GLYPH);
    }
    let first = canon_code(text.get(chain[0].start..chain[0].end)?);
    let (type_code, issuer_code) = if chain.len() >= 2 && type_for_code(&first).is_some() {
        (Some(first), Some(chain_text(text, &chain[1..])?))
    } else if chain.len() == 1 && type_for_code(&first).is_some() && year.is_none() {
        // "số 12/QĐ" with nothing after is too thin to be a symbol.
        return None;
    } else {
        (None, Some(chain_text(text, &chain)?))
    };
    if year.is_none() && issuer_code.as_deref().is_some_and(is_party_issuer) && type_code.is_some()
    {
        flags.push(flag::STATE_STYLE_PARTY);
    }
    Some(Symbol {
        end,
        number,
        year,
        type_code,
        issuer_code,
        shape: Shape::State,
        flags,
    })
}

// ---------------------------------------------------------------------------------------------
// Words around an anchor

/// Inline whitespace, plus a single line break: PDF text wraps inside citations.
fn is_gap_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\n' | '\r')
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

/// The word that ends at `p` after skipping whitespace backwards, as `(start, end)`. `None`
/// when punctuation, a digit or the start of the text comes first.
fn prev_word(text: &str, p: usize) -> Option<(usize, usize)> {
    let head = text.get(..p)?;
    let mut end = p;
    let mut newlines = 0;
    let mut it = head.char_indices().rev().peekable();
    while let Some(&(idx, c)) = it.peek() {
        if is_gap_char(c) {
            if c == '\n' {
                newlines += 1;
                if newlines > 1 {
                    return None;
                }
            }
            end = idx;
            it.next();
        } else {
            break;
        }
    }
    let mut start = end;
    for (idx, c) in it {
        if is_word_char(c) {
            start = idx;
        } else {
            break;
        }
    }
    (start < end).then_some((start, end))
}

/// The word starting at `p` after skipping inline whitespace, as `(start, end)`.
fn next_word(text: &str, p: usize) -> Option<(usize, usize)> {
    let tail = text.get(p..)?;
    let mut start = None;
    for (idx, c) in tail.char_indices() {
        match start {
            None if matches!(c, ' ' | '\t' | '\u{a0}') => {}
            None if is_word_char(c) => start = Some(idx),
            None => return None,
            Some(s) if !is_word_char(c) => return Some((p + s, p + idx)),
            Some(_) => {}
        }
    }
    start.map(|s| (p + s, text.len()))
}

/// Lower-case NFC form of a word, for comparing with Vietnamese stop words.
fn lower_nfc(word: &str) -> String {
    // Most text is already NFC; skipping the composer keeps the per-citation cost low.
    if unicode_normalization::is_nfc_quick(word.chars()) == unicode_normalization::IsNormalized::Yes
    {
        word.to_lowercase()
    } else {
        word.nfc().flat_map(char::to_lowercase).collect()
    }
}

/// `fold` with a fast path for ASCII words.
fn fold_word(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        fold(word)
    }
}

/// The lower-case word after `e` when exactly one space separates them.
fn next_lower_word(text: &str, e: usize) -> Option<String> {
    let (s2, e2) = next_word(text, e)?;
    (text.get(e..s2)? == " ").then(|| lower_nfc(text.get(s2..e2).unwrap_or("")))
}

/// Whether `lw` (+ the next word, + the one after) is one of `stops`. The following words are
/// only read when some multi-word stop starts with `lw`.
fn is_stop(text: &str, e: usize, lw: &str, stops: &[&str]) -> bool {
    let mut longer = false;
    for st in stops {
        if *st == lw {
            return true;
        }
        longer |= st.strip_prefix(lw).is_some_and(|r| r.starts_with(' '));
    }
    if !longer {
        return false;
    }
    let Some(w2) = next_lower_word(text, e) else {
        return false;
    };
    let two = format!("{lw} {w2}");
    if stops.contains(&two.as_str()) {
        return true;
    }
    let Some((_, e2)) = next_word(text, e) else {
        return false;
    };
    next_lower_word(text, e2).is_some_and(|w3| stops.contains(&format!("{two} {w3}").as_str()))
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Type words, folded (no marks, lower case) → canonical spelling. Longest phrases first.
const TYPE_WORDS: &[(&str, &str)] = &[
    ("thong tu lien tich", "Thông tư liên tịch"),
    ("nghi quyet lien tich", "Nghị quyết liên tịch"),
    ("thong bao ket luan", "Thông báo kết luận"),
    ("nghi quyet", "Nghị quyết"),
    ("quyet dinh", "Quyết định"),
    ("quy dinh", "Quy định"),
    ("chi thi", "Chỉ thị"),
    ("ket luan", "Kết luận"),
    ("huong dan", "Hướng dẫn"),
    ("de an", "Đề án"),
    ("ke hoach", "Kế hoạch"),
    ("thong tu", "Thông tư"),
    ("thong tri", "Thông tri"),
    ("nghi dinh", "Nghị định"),
    ("thong bao", "Thông báo"),
    ("thong cao", "Thông cáo"),
    ("quy che", "Quy chế"),
    ("chuong trinh", "Chương trình"),
    ("to trinh", "Tờ trình"),
    ("bao cao", "Báo cáo"),
    ("cong van", "Công văn"),
    ("cong dien", "Công điện"),
    ("bo luat", "Bộ luật"),
    ("luat", "Luật"),
    ("phap lenh", "Pháp lệnh"),
    ("phuong an", "Phương án"),
    ("du an", "Dự án"),
    ("bien ban", "Biên bản"),
    ("hien phap", "Hiến pháp"),
];

/// Codes each type word may carry. A pair outside this table is flagged `type_mismatch`.
fn type_word_allows(word: &str, code: &str) -> bool {
    let allowed: &[&str] = match word {
        "Nghị quyết" => &["NQ", "NQLT", "NL"],
        "Nghị quyết liên tịch" => &["NQLT", "NL"],
        "Quyết định" => &["QĐ", "QĐNS"],
        "Quy định" => &["QĐi", "QyĐ", "QĐ"],
        "Chỉ thị" => &["CT"],
        "Kết luận" | "Thông báo kết luận" => &["KL", "TB"],
        "Hướng dẫn" => &["HD"],
        "Đề án" => &["ĐA"],
        "Kế hoạch" => &["KH"],
        "Thông tư" => &["TT", "TTLT", "TL"],
        "Thông tư liên tịch" => &["TTLT", "TL"],
        "Thông tri" => &["TT"],
        "Nghị định" => &["NĐ"],
        "Thông báo" => &["TB"],
        "Quy chế" => &["QC", "QĐ"],
        "Chương trình" => &["CTr", "CT"],
        "Tờ trình" => &["TTr"],
        "Báo cáo" => &["BC"],
        "Công văn" => &["CV"],
        "Luật" | "Bộ luật" => &["L", "LQ", "LC"],
        "Pháp lệnh" => &["PL"],
        _ => return true,
    };
    allowed.contains(&code)
}

/// Matches a type phrase ending just before `p`; returns its start and canonical spelling.
fn type_word_before(text: &str, p: usize) -> Option<(usize, &'static str)> {
    let mut words: Vec<(usize, String)> = Vec::with_capacity(4);
    let mut q = p;
    while words.len() < 4 {
        let Some((s, e)) = prev_word(text, q) else {
            break;
        };
        words.push((s, fold_word(text.get(s..e)?)));
        q = s;
    }
    for n in (1..=words.len()).rev() {
        let phrase = words[..n]
            .iter()
            .rev()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some((_, canon)) = TYPE_WORDS.iter().find(|(f, _)| *f == phrase) {
            return Some((words[n - 1].0, canon));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Numbered citations

fn numbered_at(text: &str, n0: usize, n1: usize) -> Option<Found> {
    let b = text.as_bytes();
    // A digit run right after a separator is the tail of a date or a section number.
    if n0 > 0 {
        let prev = b[n0 - 1];
        let after_digit = n0 > 1 && b[n0 - 2].is_ascii_digit();
        if matches!(prev, b'/' | b'.') || (matches!(prev, b'-' | b',' | b':') && after_digit) {
            return None;
        }
    }
    let sym = symbol_at(text, n0, n1)?;
    let mut flags = sym.flags.clone();

    // Backwards: "số" (possibly glued, or cut to "s"), then the type word.
    let mut start = n0;
    let mut so_start = None;
    let glued_word = prev_word(text, n0);
    if let Some((ws, we)) = glued_word {
        let w = fold_word(text.get(ws..we)?);
        if w == "so" || w == "s" {
            so_start = Some(ws);
            start = ws;
            if we == n0 {
                flags.push(flag::GLUED_NUMBER);
            }
        } else if we == n0 {
            // Digits glued to some other word ("XIII3-…") are not a number we trust.
            return None;
        }
    }
    if so_start.is_none() {
        // Header form "Số: 593-QĐ/TU".
        let before = text.get(..n0)?.trim_end_matches([' ', '\t']);
        if let Some(head) = before.strip_suffix(':')
            && let Some((ws, we)) = prev_word(text, head.len())
            && fold(text.get(ws..we)?) == "so"
        {
            so_start = Some(ws);
            start = ws;
        }
    }

    let mut doc_type: Option<String> = None;
    let mut issuer_before: Option<String> = None;
    if let Some((ts, word)) = type_word_before(text, start) {
        doc_type = Some(word.to_owned());
        start = ts;
    } else if let Some(so) = so_start
        && let Some((ts, word, issuer)) = type_issuer_before(text, so)
    {
        doc_type = Some(word.to_owned());
        issuer_before = Some(issuer);
        start = ts;
    }
    let typed_by_word = doc_type.is_some();
    if let (Some(word), Some(code)) = (&doc_type, &sym.type_code)
        && !type_word_allows(word, code)
    {
        flags.push(flag::TYPE_MISMATCH);
    }
    if doc_type.is_none() {
        let inferred = match sym.type_code.as_deref() {
            // Party "TT" is a thông tri; the State one is a thông tư.
            Some("TT") if matches!(sym.shape, Shape::Party) => Some("Thông tri"),
            Some(c) => type_for_code(c),
            None if sym
                .issuer_code
                .as_deref()
                .is_some_and(|c| c.starts_with("QH")) =>
            {
                Some("Luật")
            }
            None => None,
        };
        if inferred.is_some() {
            flags.push(flag::TYPE_INFERRED);
        }
        doc_type = inferred.map(str::to_owned);
    }

    // Forwards: the date, then "của ISSUER", then "về SUBJECT".
    let mut end = sym.end;
    let date = date_after(text, sym.end).map(|(d, e)| {
        end = e;
        d
    });
    let mut issuer = issuer_before;
    let mut after = end;
    if issuer.is_none()
        && let Some((s, e)) = issuer_after(text, end)
    {
        issuer = Some(clean(text.get(s..e)?));
        after = e;
    }
    let subject_span = subject_after(text, after);

    let raw = text.get(start..end)?;
    if raw.contains('Ð') || raw.contains('ð') {
        flags.push(flag::LEGACY_GLYPH);
    }
    if !unicode_normalization::is_nfc(raw) {
        flags.push(flag::NOT_NFC);
    }
    let mut cit = Citation {
        raw: raw.to_owned(),
        start,
        end,
        doc_type,
        symbol: Some(sym.canonical()),
        number: Some(sym.number.clone()),
        type_code: sym.type_code.clone(),
        issuer_code: sym.issuer_code.clone(),
        year: sym.year,
        date,
        issuer,
        subject: None,
        title: None,
        flags: Vec::new(),
        resolved_from: None,
    };
    for f in flags {
        cit.add_flag(f);
    }
    Some(Found {
        cit,
        start,
        end,
        subject_span,
        typed_by_word,
        is_law_name: false,
    })
}

/// The form "Quyết định của Bộ Chính trị số31-QĐ/TW": a type word, "của", an issuer, then "số".
fn type_issuer_before(text: &str, so: usize) -> Option<(usize, &'static str, String)> {
    let mut q = so;
    let issuer_end = prev_word(text, so)?.1;
    for _ in 0..16 {
        let (s, e) = prev_word(text, q)?;
        if lower_nfc(text.get(s..e)?) == "của" {
            let issuer = text.get(e..issuer_end)?.trim();
            if !starts_upper(issuer) {
                return None;
            }
            let (ts, word) = type_word_before(text, s)?;
            return Some((ts, word, clean(issuer)));
        }
        q = s;
    }
    None
}

/// Reads a date after an optional comma and "ngày": `ngày 11/11/2021`, `, 06/8/2014`,
/// `ngày 06 tháng 12 năm 2023`, `ngày 01-10-1997`, `ngày 13 /10/2022`.
fn date_after(text: &str, p: usize) -> Option<(NaiveDate, usize)> {
    let b = text.as_bytes();
    let (mut i, _) = skip_spaces(b, p, 3);
    if b.get(i) == Some(&b',') {
        i = skip_spaces(b, i + 1, 3).0;
    }
    if b.get(i) == Some(&b'(') {
        i = skip_spaces(b, i + 1, 3).0;
    }
    if let Some((s, e)) = next_word(text, i)
        && s == i
        && fold_word(text.get(s..e)?) == "ngay"
    {
        i = skip_spaces(b, e, 3).0;
    }
    parse_date(text, i)
}

/// Parses a date at exactly `i`; returns it and the end offset.
pub(crate) fn parse_date(text: &str, i: usize) -> Option<(NaiveDate, usize)> {
    let b = text.as_bytes();
    let d_end = digit_run_end(b, i);
    if d_end == i || d_end - i > 2 {
        return None;
    }
    let day: u32 = text.get(i..d_end)?.parse().ok()?;
    let (j, _) = skip_spaces(b, d_end, 2);
    let (month, y_start) = match b.get(j)? {
        sep @ (b'/' | b'-' | b'.') => {
            let (k, _) = skip_spaces(b, j + 1, 2);
            let m_end = digit_run_end(b, k);
            if m_end == k || m_end - k > 2 {
                return None;
            }
            let month: u32 = text.get(k..m_end)?.parse().ok()?;
            let (l, _) = skip_spaces(b, m_end, 2);
            if b.get(l) != Some(sep) {
                return None;
            }
            (month, skip_spaces(b, l + 1, 2).0)
        }
        _ => {
            let (ws, we) = next_word(text, j)?;
            if ws != j || fold(text.get(ws..we)?) != "thang" {
                return None;
            }
            let (k, _) = skip_spaces(b, we, 2);
            let m_end = digit_run_end(b, k);
            if m_end == k || m_end - k > 2 {
                return None;
            }
            let month: u32 = text.get(k..m_end)?.parse().ok()?;
            let (l, _) = skip_spaces(b, m_end, 2);
            let (ns, ne) = next_word(text, l)?;
            if ns != l || fold(text.get(ns..ne)?) != "nam" {
                return None;
            }
            (month, skip_spaces(b, ne, 2).0)
        }
    };
    let y_end = digit_run_end(b, y_start);
    if y_end - y_start != 4 {
        return None;
    }
    let year: i32 = text.get(y_start..y_end)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, y_end))
}

/// Lower-case words that end an issuer's name: the verb or preposition that follows it.
const ISSUER_STOPS: &[&str] = &[
    "về",
    "ban hành",
    "quy định",
    "hướng dẫn",
    "thành lập",
    "đã",
    "đến",
    "nhằm",
    "tại",
    "trong",
    "theo",
    "để",
    "thì",
];

/// "của ISSUER" after a citation; returns the issuer's span.
fn issuer_after(text: &str, p: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut i, _) = skip_spaces(b, p, 3);
    if b.get(i) == Some(&b',') {
        i = skip_spaces(b, i + 1, 3).0;
    }
    let (s, e) = next_word(text, i)?;
    if s != i || lower_nfc(text.get(s..e)?) != "của" {
        return None;
    }
    let start = skip_spaces(b, e, 3).0;
    let end = clause_end(text, start, ISSUER_STOPS, 16);
    let name = text.get(start..end)?.trim_end();
    if name.is_empty() || !starts_upper(name) {
        return None;
    }
    Some((start, start + name.len()))
}

/// Where a clause starting at `p` ends: at punctuation, a line break, or before one of the
/// lower-case `stops` phrases, and after at most `max_words` words.
fn clause_end(text: &str, p: usize, stops: &[&str], max_words: usize) -> usize {
    let mut q = p;
    let mut words = 0;
    loop {
        let Some((s, e)) = next_word(text, q) else {
            return q;
        };
        // Anything but spaces between two words (a comma, a bracket, a line break) ends it.
        if text
            .get(q..s)
            .is_some_and(|gap| !gap.chars().all(|c| matches!(c, ' ' | '\t' | '\u{a0}')))
        {
            return q;
        }
        let word = text.get(s..e).unwrap_or("");
        if word.chars().next().is_some_and(char::is_lowercase)
            && is_stop(text, e, &lower_nfc(word), stops)
        {
            return q;
        }
        words += 1;
        q = e;
        if words >= max_words {
            return q;
        }
    }
}

/// The trích yếu after "về" / "về việc" (or a verb such as "quy định …"), up to the end of the
/// clause: `;`, a line break, or a full stop.
fn subject_after(text: &str, p: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut p, _) = skip_spaces(b, p, 3);
    // Skip a short aside such as "(khóa XI)" between the issuer and "về".
    if b.get(p) == Some(&b'(') {
        let close = text
            .get(p..)?
            .char_indices()
            .take(80)
            .find(|(_, c)| *c == ')')?
            .0;
        p = p + close + 1;
    }
    let (s, e) = next_word(text, p)?;
    let gap = text.get(p..s)?;
    if !gap.chars().all(|c| matches!(c, ' ' | '\t' | '\u{a0}')) {
        return None;
    }
    let w = lower_nfc(text.get(s..e)?);
    let start = match w.as_str() {
        "về" => {
            let after = skip_spaces(b, e, 2).0;
            match next_word(text, after) {
                Some((s2, e2)) if s2 == after && lower_nfc(text.get(s2..e2)?) == "việc" => {
                    skip_spaces(b, e2, 2).0
                }
                _ => after,
            }
        }
        "quy" | "ban" | "hướng" if text.get(s..e)?.starts_with(char::is_lowercase) => {
            let two = next_word(text, e)
                .and_then(|(s2, e2)| text.get(s2..e2))
                .map(lower_nfc);
            match (w.as_str(), two.as_deref()) {
                ("quy", Some("định")) | ("ban", Some("hành")) | ("hướng", Some("dẫn")) => {
                    s
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let tail = text.get(start..)?;
    let mut end = tail.len();
    let tb = tail.as_bytes();
    let mut i = 0;
    while i < tb.len() {
        match tb[i] {
            b';' | b'\n' | b'\r' => {
                end = i;
                break;
            }
            b'.' if tb.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) => {
                end = i;
                break;
            }
            _ => {}
        }
        i += 1;
        if i >= 1200 {
            // Keep runaway clauses (text without punctuation) bounded.
            end = tail.floor_char_boundary(i);
            break;
        }
    }
    let sub = tail.get(..end)?.trim_end();
    (!sub.is_empty()).then_some((start, start + sub.len()))
}

/// Collapses whitespace, removes Markdown bold and normalises to NFC with `Đ`.
fn clean(s: &str) -> String {
    // Fast path: already clean text is copied as it is.
    let b = s.as_bytes();
    let tidy = !s.contains("**")
        && !s.contains(['Ð', 'ð'])
        && !b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && !b.iter().any(|&c| c.is_ascii_whitespace() && c != b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ');
    if tidy
        && unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return s.to_owned();
    }
    let n = crate::text::normalize(&s.replace("**", ""));
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Laws, codes and the constitution cited by name

/// Words that end a law's name (lower-case in the text): what follows a name, never inside it.
const TITLE_STOPS: &[&str] = &[
    "ngày",
    "số",
    "năm",
    "của",
    "về",
    "và",
    "được",
    "đã",
    "theo",
    "tại",
    "nhằm",
    "để",
    "thì",
    "đảm bảo",
    "bảo đảm",
    "quy định",
    "hướng dẫn",
    "ban hành",
    "có hiệu lực",
    "sửa đổi",
    "trên",
    "cho",
    "với",
    "đối với",
    "khi",
    "như",
    "là",
    "này",
    "hiện hành",
];

fn law_at(text: &str, i: usize) -> Option<Found> {
    let b = text.as_bytes();
    // Cheap byte filters before any folding: "Lu…", "Bộ"/"Bo…", "Hi…".
    let plausible = match b[i] {
        b'L' => b.get(i + 1) == Some(&b'u'),
        b'B' => matches!(b.get(i + 1), Some(0xE1) | Some(b'o')),
        _ => b.get(i + 1) == Some(&b'i'),
    };
    if !plausible {
        return None;
    }
    if i > 0 && text.get(..i)?.chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    let (s1, e1) = next_word(text, i)?;
    let w1 = fold_word(text.get(s1..e1)?);
    let (doc_type, name_end) = match w1.as_str() {
        "luat" => ("Luật", e1),
        "bo" | "hien" => {
            let (s2, e2) = next_word(text, e1)?;
            if text.get(e1..s2)? != " " {
                return None;
            }
            match (w1.as_str(), fold(text.get(s2..e2)?).as_str()) {
                ("bo", "luat") => ("Bộ luật", e2),
                ("hien", "phap") => ("Hiến pháp", e2),
                _ => return None,
            }
        }
        _ => return None,
    };
    // A law's name starts with a capital ("Luật Tố cáo"); "Luật số …" is a numbered citation
    // and "Luật sư" is a profession.
    let mut end = name_end;
    let mut q = name_end;
    let mut words = 0;
    loop {
        // A comma ends the name unless the name itself has one ("Luật Phòng, chống …").
        let next = next_word(text, q).or_else(|| {
            text.get(q..)
                .filter(|t| t.starts_with(", "))
                .and_then(|_| next_word(text, q + 2))
        });
        let Some((s, e)) = next else { break };
        let gap = text.get(q..s)?;
        let word = text.get(s..e)?;
        let lw = lower_nfc(word);
        let gap_ok = gap == " "
            || (gap == ", " && matches!(lw.as_str(), "chống" | "tôn" | "công") && words > 0);
        if !gap_ok {
            break;
        }
        if words == 0 && doc_type != "Hiến pháp" && !starts_upper(word) {
            return None;
        }
        if word.starts_with(char::is_lowercase) {
            if is_stop(text, e, &lw, TITLE_STOPS) {
                break;
            }
        } else if matches!(lw.as_str(), "luật" | "nghị" | "quyết" | "chỉ" | "kết") && words > 0
        {
            // The next citation of a list ("Luật A Luật B") starts here.
            break;
        }
        end = e;
        q = e;
        words += 1;
        if words >= 14 {
            break;
        }
    }
    if words == 0 && doc_type != "Hiến pháp" {
        return None;
    }
    let title = clean(text.get(i..end)?);
    // "… năm 2013" names the version; keep the year and take it into the citation.
    let mut year = None;
    let mut raw_end = end;
    if let Some((s, e)) = next_word(text, end)
        && text.get(end..s) == Some(" ")
        && fold(text.get(s..e)?) == "nam"
    {
        let (ys, _) = skip_spaces(b, e, 2);
        let ye = digit_run_end(b, ys);
        if ye - ys == 4 {
            year = text.get(ys..ye)?.parse().ok();
            raw_end = ye;
        }
    }
    let mut date = None;
    if let Some((d, e)) = date_after(text, raw_end) {
        date = Some(d);
        raw_end = e;
    }
    let raw = text.get(i..raw_end)?;
    let mut cit = Citation {
        raw: raw.to_owned(),
        start: i,
        end: raw_end,
        doc_type: Some(doc_type.to_owned()),
        symbol: None,
        number: None,
        type_code: None,
        issuer_code: None,
        year,
        date,
        issuer: None,
        subject: None,
        title: Some(title),
        flags: Vec::new(),
        resolved_from: None,
    };
    if !unicode_normalization::is_nfc(raw) {
        cit.add_flag(flag::NOT_NFC);
    }
    if raw.contains('Ð') || raw.contains('ð') {
        cit.add_flag(flag::LEGACY_GLYPH);
    }
    Some(Found {
        cit,
        start: i,
        end: raw_end,
        subject_span: None,
        typed_by_word: true,
        is_law_name: true,
    })
}

// ---------------------------------------------------------------------------------------------
// Post-pass: merge, de-overlap, cut subjects, resolve short forms, check issuers.

fn finish(text: &str, mut found: Vec<Found>) -> Vec<Citation> {
    found.sort_by_key(|f| f.start);

    // "Luật Đất đai số 31/2024/QH15": a law's name followed by a bare numbered citation.
    let mut merged: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if let Some(prev) = merged.last_mut()
            && prev.is_law_name
            && !f.typed_by_word
            && f.start >= prev.end
            && text
                .get(prev.end..f.start)
                .is_some_and(|g| g.trim().is_empty())
        {
            let title = prev.cit.title.take();
            let doc_type = prev.cit.doc_type.take();
            let start = prev.start;
            let mut cit = f.cit;
            cit.title = title;
            cit.doc_type = doc_type;
            cit.flags.retain(|x| x != flag::TYPE_INFERRED);
            cit.start = start;
            cit.raw = text.get(start..cit.end).unwrap_or_default().to_owned();
            *prev = Found {
                cit,
                start,
                end: f.end,
                subject_span: f.subject_span,
                typed_by_word: true,
                is_law_name: false,
            };
            continue;
        }
        if merged.last().is_some_and(|prev| f.start < prev.end) {
            continue;
        }
        merged.push(f);
    }

    // A subject stops where a sibling citation of the same list starts ("…; và Nghị quyết số …").
    let starts: Vec<usize> = merged.iter().map(|f| f.start).collect();
    let mut out: Vec<Citation> = Vec::with_capacity(merged.len());
    for (idx, f) in merged.into_iter().enumerate() {
        let mut cit = f.cit;
        if let Some((s, mut e)) = f.subject_span {
            for &ns in starts.iter().skip(idx + 1) {
                if ns >= e {
                    break;
                }
                if ns > s {
                    let before = text.get(s..ns).unwrap_or("").trim_end();
                    let cut = before
                        .strip_suffix(" và")
                        .or_else(|| before.strip_suffix(','))
                        .or_else(|| before.strip_suffix(" cùng"));
                    if let Some(c) = cut {
                        e = s + c.trim_end().len();
                        break;
                    }
                }
            }
            let sub = clean(text.get(s..e).unwrap_or(""));
            cit.subject = (!sub.is_empty()).then_some(sub);
        }
        out.push(cit);
    }

    // First dated occurrence of each symbol, for resolving later short forms.
    let mut first_dated: HashMap<String, usize> = HashMap::new();
    for i in 0..out.len() {
        let Some(symbol) = out[i].symbol.clone() else {
            continue;
        };
        if out[i].date.is_some() {
            first_dated.entry(symbol).or_insert(i);
        } else {
            if let Some(&j) = first_dated.get(&symbol) {
                let (date, issuer) = (out[j].date, out[j].issuer.clone());
                let c = &mut out[i];
                c.date = date;
                if c.issuer.is_none() {
                    c.issuer = issuer;
                }
                c.resolved_from = Some(j);
                c.add_flag(flag::SHORT_FORM);
            } else {
                out[i].add_flag(flag::NO_DATE);
            }
        }
        let c = &mut out[i];
        if let (Some(code), Some(name)) = (&c.issuer_code, &c.issuer)
            && let (Some(a), Some(b)) = (code_level(code), name_level(name))
            && a != b
        {
            c.add_flag(flag::ISSUER_MISMATCH);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Central,
    Local,
}

/// The level of the lead issuer in a symbol's issuer code, when the code says it.
fn code_level(code: &str) -> Option<Level> {
    let lead = code.split('-').next().unwrap_or(code);
    if matches!(lead, "TW" | "CP" | "TTg" | "CTN" | "VPCP" | "TWĐTN")
        || lead.ends_with("TW")
        || lead.starts_with("QH")
        || lead.starts_with("UBTVQH")
    {
        Some(Level::Central)
    } else if matches!(
        lead,
        "TU" | "HU" | "ĐU" | "ThU" | "TXU" | "QU" | "UBND" | "HĐND"
    ) || lead.ends_with("TU")
        || lead.ends_with("HU")
    {
        Some(Level::Local)
    } else {
        None
    }
}

/// The level of a body named in words, when the words say it.
fn name_level(name: &str) -> Option<Level> {
    let n = crate::text::modernize_tones(&lower_nfc(name));
    let local = [
        "tỉnh",
        "huyện",
        "thành ủy",
        "thành phố",
        "quận",
        "xã",
        "phường",
        "thị xã",
        "đảng ủy",
    ];
    let central = [
        "trung ương",
        "bộ chính trị",
        "ban bí thư",
        "chính phủ",
        "thủ tướng",
        "quốc hội",
        "chủ tịch nước",
    ];
    let has = |w: &str| {
        n.match_indices(w).any(|(at, _)| {
            let before_ok = n
                .get(..at)
                .and_then(|h| h.chars().next_back())
                .is_none_or(|c| !c.is_alphabetic());
            let after_ok = n
                .get(at + w.len()..)
                .and_then(|t| t.chars().next())
                .is_none_or(|c| !c.is_alphabetic());
            before_ok && after_ok
        })
    };
    match (central.iter().any(|w| has(w)), local.iter().any(|w| has(w))) {
        (true, false) => Some(Level::Central),
        (false, true) => Some(Level::Local),
        _ => None,
    }
}
