//! Throughput of citation extraction (and document parsing) on ~10 MB of plan-like text: the
//! test corpus and the seed plan (from `../shared`, when present) repeated.
//!
//! Run: `cargo bench -p danvan-domain --bench citations`; divan prints MB/s from `bytes_count`.

use std::path::Path;
use std::sync::LazyLock;

use divan::counter::BytesCount;

const TARGET_BYTES: usize = 10 << 20;

static CORPUS: LazyLock<String> = LazyLock::new(build_corpus);

fn build_corpus() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut unit = String::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/corpus"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for path in files {
        if let Ok(text) = std::fs::read_to_string(&path) {
            unit.push_str(&text);
            unit.push('\n');
        }
    }
    let seed = root.join("../../../shared/seed/ke-hoach-cong-tac-dan-van-2024-lang-son.txt");
    if let Ok(text) = std::fs::read_to_string(seed) {
        unit.push_str(&text);
        unit.push('\n');
    }
    if unit.is_empty() {
        unit.push_str(
            "Căn cứ Quyết định số 593-QĐ/TU, ngày 11/11/2021 của Ban Thường vụ Tỉnh ủy.\n",
        );
    }
    let mut out = String::with_capacity(TARGET_BYTES + unit.len());
    while out.len() < TARGET_BYTES {
        out.push_str(&unit);
    }
    out
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn extract_citations(bencher: divan::Bencher) {
    let text = CORPUS.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| danvan_domain::citations::extract(divan::black_box(text)));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_document(bencher: divan::Bencher) {
    let text = CORPUS.as_str();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| danvan_domain::document::parse(divan::black_box(text)));
}
