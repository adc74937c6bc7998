//! Accent- and case-insensitive matching that can point back into the original text.
//!
//! `crate::text::fold` gives the comparable form but loses positions; the importer needs the
//! phrase exactly as written ("Các cấp ủy đảng") for the review screen, so here every folded
//! byte remembers the byte of the source it came from.

use unicode_normalization::UnicodeNormalization;

use crate::text::is_combining_mark;

/// Folded text (lower case, no marks, `đ` → `d`, dashes as `-` without spaces around them,
/// runs of white space as one space) with a map back to source byte offsets.
pub(crate) struct Folded {
    pub(crate) text: String,
    /// `src[i]` is the source byte offset of folded byte `i`; one extra entry maps the end.
    src: Vec<usize>,
}

impl Folded {
    pub(crate) fn new(source: &str) -> Self {
        let mut text = String::with_capacity(source.len());
        let mut src = Vec::with_capacity(source.len() + 1);
        for (at, c) in source.char_indices() {
            for d in std::iter::once(c).nfd() {
                let mapped = match d {
                    'Đ' | 'đ' | 'Ð' | 'ð' => 'd',
                    '–' | '—' | '‐' => '-',
                    c if c.is_whitespace() => ' ',
                    c if is_combining_mark(c) => continue,
                    c => c,
                };
                // "chính trị - xã hội" and "chính trị-xã hội" must compare equal.
                if mapped == ' ' && (text.ends_with(' ') || text.ends_with('-') || text.is_empty())
                {
                    continue;
                }
                if mapped == '-' && text.ends_with(' ') {
                    text.pop();
                    src.pop();
                }
                for l in mapped.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for _ in 0..l.encode_utf8(&mut buf).len() {
                        src.push(at);
                    }
                    text.push(l);
                }
            }
        }
        src.push(source.len());
        Folded { text, src }
    }

    /// Source byte offset of folded byte `i` (clamped to the end).
    pub(crate) fn source_at(&self, i: usize) -> usize {
        self.src
            .get(i)
            .or(self.src.last())
            .copied()
            .unwrap_or_default()
    }

    /// Source byte range `[start, end)` of the folded range, ending on a char boundary of the
    /// source (the char after the last folded byte starts the end).
    pub(crate) fn source_range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.source_at(start), self.source_at(end))
    }
}

/// True when `text[i..]` starts at a word boundary (no letter or digit just before).
pub(crate) fn boundary_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// True when `text[..i]` ends at a word boundary (no letter or digit just after).
pub(crate) fn boundary_after(text: &str, i: usize) -> bool {
    text[i..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Every occurrence of `needle` in `hay` at word boundaries.
pub(crate) fn find_words<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(needle)
        .map(|(i, _)| i)
        .filter(move |&i| boundary_before(hay, i) && boundary_after(hay, i + needle.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_back_to_the_source() {
        let src = "Mặt trận Tổ quốc, các tổ chức chính trị – xã hội";
        let f = Folded::new(src);
        assert_eq!(f.text, "mat tran to quoc, cac to chuc chinh tri-xa hoi");
        let at = f.text.find("cac to chuc").unwrap_or_default();
        let (s, e) = f.source_range(at, f.text.len());
        assert_eq!(&src[s..e], "các tổ chức chính trị – xã hội");
    }

    #[test]
    fn nfd_and_eth_fold_alike() {
        let nfd: String = "Ðảng ủy".nfd().collect();
        let f = Folded::new(&nfd);
        assert_eq!(f.text, "dang uy");
        let (s, e) = f.source_range(0, f.text.len());
        assert_eq!(&nfd[s..e], nfd.as_str());
    }
}
