//! Word files come from outside: reading arbitrary bytes must never panic, and whatever text
//! comes out must parse without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = danvan_domain::docx::extract_text(data) {
        let _ = danvan_domain::document::parse(&text);
        let _ = danvan_domain::citations::extract(&text);
    }
});
