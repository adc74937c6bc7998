//! HTML snippets: the original (NFC) text, HTML-escaped, matches wrapped in `<mark>`.

use tantivy::snippet::{Snippet, SnippetGenerator};

/// Longest snippet, in bytes of text (about 200 Vietnamese characters).
pub const SNIPPET_BYTES: usize = 240;

/// The best fragment of `text` with its matches marked, or its beginning when nothing matches.
pub fn snippet_html(generator: &SnippetGenerator, text: &str, max_bytes: usize) -> String {
    let mut snippet = generator.snippet(text);
    if snippet.is_empty() {
        return leading_html(text, max_bytes);
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    with_ellipses(&snippet, text)
}

/// All of `text` (a title), with its matches marked.
pub fn whole_html(generator: &SnippetGenerator, text: &str) -> String {
    let mut snippet = generator.snippet(text);
    if snippet.is_empty() {
        return escape(text);
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    let range = snippet.fragment_range();
    let mut html = escape(&text[..range.start]);
    html.push_str(&snippet.to_html());
    html.push_str(&escape(&text[range.end..]));
    html
}

fn with_ellipses(snippet: &Snippet, text: &str) -> String {
    let range = snippet.fragment_range();
    let mut html = String::new();
    if range.start > 0 {
        html.push_str("… ");
    }
    html.push_str(&snippet.to_html());
    if range.end < text.trim_end().len() {
        html.push_str(" …");
    }
    html
}

/// The first `max_bytes` of `text`, cut at a space when there is one, escaped.
fn leading_html(text: &str, max_bytes: usize) -> String {
    let text = text.trim();
    if text.len() <= max_bytes {
        return escape(text);
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    let mut html = escape(text[..cut].trim_end());
    html.push_str(" …");
    html
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_text_is_cut_at_a_space_and_escaped() {
        assert_eq!(leading_html("a <b> c", 100), "a &lt;b&gt; c");
        assert_eq!(leading_html("một hai ba bốn", 10), "một hai …");
        assert_eq!(leading_html("ộộộộộ", 4), "ộ …");
    }
}
