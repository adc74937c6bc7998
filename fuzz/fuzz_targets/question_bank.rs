//! Question banks come from outside (CSV or .xlsx): reading arbitrary bytes must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = danvan_domain::contest::import_bank(data);
});
