//! The `danvan` binary as operators use it: real processes, real databases.

mod api_key;
mod contest;
mod doc;
mod serve;
mod tools;
mod units;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn danvan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_danvan"))
}

pub fn run(args: &[&str]) -> Output {
    danvan()
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("danvan runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary data folder removed at the end of the test.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("danvan-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
