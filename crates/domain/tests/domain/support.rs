//! Finding the shared folder (`../shared` beside the repository root) from tests.

use std::path::PathBuf;

/// `<repository root>/../shared`, where the seed plan and the domain notes live.
pub fn shared_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.canonicalize().unwrap_or(dir)
}

/// The seed plan, read as bytes and decoded as UTF-8.
#[allow(dead_code)]
pub fn seed_text() -> String {
    std::fs::read_to_string(shared_dir().join("seed/ke-hoach-cong-tac-dan-van-2024-lang-son.txt"))
        .expect("the seed plan is in ../shared/seed")
}
