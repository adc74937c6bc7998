//! The two analyses of Vietnamese text. Both split and filter tokens identically, so the exact
//! and folded token streams line up one to one and byte offsets always point into the original
//! text (which is what lets snippets show accented text while matching folded terms).
//!
//! Input must already be NFC (see `danvan_domain::text::normalize`): the tokenizer splits on
//! non-alphanumeric characters, and the combining marks of NFD text would split words apart.

use std::mem;

use danvan_domain::text::{fold, modernize_tones};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Name under which the exact analyzer is registered with the index.
pub const EXACT: &str = "vi_exact";
/// Name under which the folded analyzer is registered with the index.
pub const FOLDED: &str = "vi_folded";

/// Longer tokens are base64, hashes or glued garbage, never words anybody types.
const MAX_TOKEN_BYTES: usize = 64;

/// NFC + lower case + modern tone placement: "Hoá" and "hóa" are the same exact word.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MapFilter(modernize_token))
        .build()
}

/// Lower case without marks, `đ` → `d`: "Đảng", "ĐẢNG" and "dang" are the same folded word.
///
/// tantivy's `AsciiFoldingFilter` would also fold, but it leaves `đ` alone, so we fold with the
/// domain's rules, the same ones the rest of danvan compares names with.
pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MapFilter(fold_token))
        .build()
}

/// Exact and folded form of each query word, in order.
pub fn query_terms(normalized_query: &str) -> Vec<(String, String)> {
    let mut analyzer = exact_analyzer();
    let mut stream = analyzer.token_stream(normalized_query);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        let folded = fold(&token.text);
        // A lone combining mark is not alphanumeric, so this is only a safeguard.
        if !folded.is_empty() {
            terms.push((token.text.clone(), folded));
        }
    }
    terms
}

fn modernize_token(text: &str) -> Option<String> {
    (!text.is_ascii()).then(|| modernize_tones(text))
}

fn fold_token(text: &str) -> Option<String> {
    (!text.is_ascii()).then(|| fold(text))
}

/// Replaces each token's text with `f(text)` when `f` returns something; offsets are kept.
#[derive(Clone, Copy)]
struct MapFilter(fn(&str) -> Option<String>);

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapTokenizer<T> {
        MapTokenizer { inner, map: self.0 }
    }
}

#[derive(Clone)]
pub struct MapTokenizer<T> {
    inner: T,
    map: fn(&str) -> Option<String>,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            tail: self.inner.token_stream(text),
            map: self.map,
        }
    }
}

pub struct MapTokenStream<S> {
    tail: S,
    map: fn(&str) -> Option<String>,
}

impl<S: TokenStream> TokenStream for MapTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(mapped) = (self.map)(&token.text) {
            drop(mem::replace(&mut token.text, mapped));
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn folded_drops_marks_and_maps_d_with_stroke() {
        assert_eq!(
            tokens(folded_analyzer(), "ĐẢNG bộ Đảng đoàn"),
            ["dang", "bo", "dang", "doan"]
        );
    }

    #[test]
    fn document_symbols_split_on_dash_and_slash() {
        assert_eq!(tokens(exact_analyzer(), "593-QĐ/TU"), ["593", "qđ", "tu"]);
        assert_eq!(tokens(folded_analyzer(), "593-QĐ/TU"), ["593", "qd", "tu"]);
    }

    #[test]
    fn exact_keeps_marks_and_modernises_tones() {
        assert_eq!(
            tokens(exact_analyzer(), "Dân vận khéo, văn hoá"),
            ["dân", "vận", "khéo", "văn", "hóa"]
        );
    }
}
