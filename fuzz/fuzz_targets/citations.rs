//! Fuzzes citation extraction and document parsing with the span invariants the rest of the
//! project relies on: spans on char boundaries, `raw` equal to its span, sorted, non-overlapping.
#![no_main]

use danvan_domain::{citations, document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cits = citations::extract(text);
    let mut last_end = 0;
    for c in &cits {
        assert!(c.start < c.end && c.end <= text.len());
        assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
        assert_eq!(&text[c.start..c.end], c.raw);
        assert!(c.start >= last_end);
        last_end = c.end;
        if let Some(j) = c.resolved_from {
            assert!(j < cits.len());
        }
    }
    let doc = document::parse(text);
    let check = |s: document::Span| {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    };
    fn walk(n: &document::Node, check: &dyn Fn(document::Span)) {
        check(n.span);
        for c in &n.children {
            walk(c, check);
        }
    }
    for n in doc
        .preamble
        .iter()
        .chain(&doc.body)
        .chain(&doc.footnotes)
        .chain(&doc.appendices)
    {
        walk(n, &check);
    }
    for t in doc
        .doc_type
        .iter()
        .chain(&doc.trich_yeu)
        .chain(&doc.recipients)
    {
        check(t.span);
    }
    if let Some(s) = &doc.signer {
        check(s.span);
    }
    let _ = doc.reading_text();
});
