//! Vietnamese text normalisation shared by parsing and search.
//!
//! Real files mix NFC and NFD, use `Ð` (U+00D0, Icelandic eth) for `Đ` (U+0110), and place tone
//! marks in the old style. Everything that compares Vietnamese text goes through here first.

use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `s` and replaces the look-alike eth letters with the Vietnamese `Đ`/`đ`.
pub fn normalize(s: &str) -> String {
    s.nfc()
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            other => other,
        })
        .collect()
}

/// Folds `s` for diacritics-insensitive matching: lower case, no tone or vowel marks, `đ` → `d`.
///
/// Works on NFC and NFD input alike because it decomposes first and drops combining marks.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'Đ' | 'đ' | 'Ð' | 'ð' => out.push('d'),
            c if is_combining_mark(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Moves tone marks from the old position to the new one in open syllables ending in
/// `oa`, `oe` or `uy`: `hoá` → `hóa`, `khoẻ` → `khỏe`, `Uỷ` → `Ủy`, `thuỷ` → `thủy`.
///
/// Both placements are in everyday use, so text is compared only after one is chosen. Closed
/// syllables (`hoàn`, `khuyến`) are already unambiguous and stay as they are, and so does `quý`,
/// where `u` belongs to the consonant `qu`. The result is NFC.
pub fn modernize_tones(s: &str) -> String {
    let chars: Vec<char> = s.nfc().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((first, second)) = retone_pair(&chars, i) {
            out.push(first);
            out.push(second);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The retoned pair when `chars[i..i + 2]` is an old-style `oa`/`oe`/`uy` ending an open syllable.
fn retone_pair(chars: &[char], i: usize) -> Option<(char, char)> {
    let first = *chars.get(i)?;
    let second = *chars.get(i + 1)?;
    // The pair must end the word: a following letter makes the syllable closed.
    if chars.get(i + 2).is_some_and(|c| c.is_alphabetic()) {
        return None;
    }
    let (base2, tone) = split_tone(second)?;
    let pair_ok = match (first.to_ascii_lowercase(), base2.to_ascii_lowercase()) {
        ('o', 'a') | ('o', 'e') => true,
        // `qu` is one consonant, so the tone on `y` in `quý` is already on the main vowel.
        ('u', 'y') => i == 0 || !matches!(chars[i - 1], 'q' | 'Q'),
        _ => false,
    };
    if !pair_ok {
        return None;
    }
    let toned: String = [first, tone].iter().collect::<String>().nfc().collect();
    let mut it = toned.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some((c, base2)),
        _ => None,
    }
}

/// Splits a plain vowel carrying exactly one tone mark into the vowel and the combining mark.
fn split_tone(c: char) -> Option<(char, char)> {
    let mut base = None;
    let mut tone = None;
    let mut extra = false;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if matches!(
            d,
            '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
        ) {
            tone = Some(d);
        } else if base.is_none() {
            base = Some(d);
        } else {
            extra = true;
        }
    });
    match (base, tone, extra) {
        (Some(b), Some(t), false) if b.is_ascii_alphabetic() => Some((b, t)),
        _ => None,
    }
}

/// Drops the leading type word of a folded unit name ("xa hoang dong" → "hoang dong"), so units
/// sort and match by their proper name.
pub fn strip_unit_type(folded: &str) -> &str {
    for prefix in [
        "thi tran ",
        "thanh pho ",
        "huyen ",
        "phuong ",
        "xa ",
        "tinh ",
    ] {
        if let Some(rest) = folded.strip_prefix(prefix) {
            return rest;
        }
    }
    folded
}

/// True for the combining diacritics block that NFD uses for Vietnamese marks.
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_marks_from_nfc_and_nfd() {
        assert_eq!(fold("Dân vận khéo"), "dan van kheo");
        assert_eq!(
            fold("Dân vận khéo".nfd().collect::<String>().as_str()),
            "dan van kheo"
        );
        assert_eq!(fold("ĐẢNG"), "dang");
        assert_eq!(fold("Ðảng"), "dang");
    }

    #[test]
    fn normalize_maps_eth_and_composes() {
        assert_eq!(normalize("11-QÐi/TW"), "11-QĐi/TW");
        let nfd: String = "Lạng Sơn".nfd().collect();
        assert_eq!(normalize(&nfd), "Lạng Sơn");
    }

    #[test]
    fn modernize_tones_moves_marks_in_open_syllables() {
        assert_eq!(modernize_tones("cụ thể hoá"), "cụ thể hóa");
        assert_eq!(modernize_tones("khoá XIII"), "khóa XIII");
        assert_eq!(modernize_tones("Uỷ ban"), "Ủy ban");
        assert_eq!(modernize_tones("UỶ BAN"), "ỦY BAN");
        assert_eq!(
            modernize_tones("thuỷ lợi, tuỳ theo, luỹ kế"),
            "thủy lợi, tùy theo, lũy kế"
        );
        assert_eq!(modernize_tones("sức khoẻ, hoà bình"), "sức khỏe, hòa bình");
        let nfd: String = "văn hoá".nfd().collect();
        assert_eq!(modernize_tones(&nfd), "văn hóa");
    }

    #[test]
    fn modernize_tones_leaves_closed_syllables_and_qu_alone() {
        for word in [
            "hoàn thành",
            "khuyến khích",
            "quý",
            "Quỹ",
            "hóa",
            "Ủy",
            "toàn",
            "hoạt động",
            "xoá",
        ] {
            let expected = if word == "xoá" { "xóa" } else { word };
            assert_eq!(modernize_tones(word), expected, "{word}");
        }
    }
}
