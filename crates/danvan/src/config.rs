//! Configuration: flags, then environment (both through clap), then an optional TOML file, then
//! safe defaults. With no configuration at all the server runs on `./data/danvan.db`.

use crate::cli::DataArgs;
use anyhow::Context;
use danvan_db::DbConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data: Option<PathBuf>,
    pub database_url: Option<String>,
    pub addr: Option<String>,
    /// Set when the site is served over HTTPS: cookies get the `Secure` flag.
    pub secure_cookies: Option<bool>,
    /// Trust `X-Forwarded-For` (only behind a reverse proxy you run).
    pub trust_proxy: Option<bool>,
    /// Contest registrations allowed per client address per minute.
    pub contest_registrations_per_minute: Option<u32>,
}

pub struct Resolved {
    /// Folder for the SQLite file, the search index and uploads.
    pub data_dir: PathBuf,
    pub db: DbConfig,
    pub file: FileConfig,
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("không đọc được tệp cấu hình {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("tệp cấu hình {} không hợp lệ", path.display()))
}

pub fn resolve(args: &DataArgs) -> anyhow::Result<Resolved> {
    let explicit = args.config.clone();
    let default_dir = args.data.clone().unwrap_or_else(|| PathBuf::from("./data"));
    let file = match explicit {
        Some(path) => read_file(&path)?,
        None => {
            let candidate = default_dir.join("danvan.toml");
            if candidate.exists() {
                read_file(&candidate)?
            } else {
                FileConfig::default()
            }
        }
    };
    let data_dir = args
        .data
        .clone()
        .or_else(|| file.data.clone())
        .unwrap_or(default_dir);
    let url = args
        .database_url
        .clone()
        .or_else(|| file.database_url.clone());
    let db = match url.filter(|u| !u.trim().is_empty()) {
        Some(url) => DbConfig::from_url(&url),
        None => {
            std::fs::create_dir_all(&data_dir).with_context(|| {
                format!("không tạo được thư mục dữ liệu {}", data_dir.display())
            })?;
            DbConfig::sqlite_in(&data_dir)
        }
    };
    Ok(Resolved { data_dir, db, file })
}
