//! Subcommands.

mod admin;
mod doc;
mod loadtest;
mod serve;
mod tools;
mod units;

use crate::cli::{ApiKeyCommand, Cli, Command, DataArgs};
use crate::config;
use anyhow::Context;
use danvan_db::Db;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(args).await,
        Command::Migrate(data) => {
            let db = open(&data).await?;
            println!("Cơ sở dữ liệu đã được cập nhật: {}", describe(&db));
            Ok(())
        }
        Command::Demo(data) => admin::demo(&data).await,
        Command::Units { command } => units::run(command).await,
        Command::User { command } => admin::user(command).await,
        Command::Backup { data, out } => admin::backup(&data, &out).await,
        Command::Calendar { command } => tools::calendar(command),
        Command::Deadline(args) => tools::deadline(args),
        Command::Doc { command } => doc::run(command).await,
        Command::Loadtest { command } => loadtest::run(command).await,
        Command::ApiKey {
            command: ApiKeyCommand::Create { data, name, scope },
        } => admin::api_key(&data, &name, &scope).await,
    }
}

/// Connects, migrates, and loads the built-in reference data into an empty database.
pub async fn open(data: &DataArgs) -> anyhow::Result<Db> {
    let resolved = config::resolve(data)?;
    open_with(resolved.db).await
}

pub async fn open_with(config: danvan_db::DbConfig) -> anyhow::Result<Db> {
    let db = Db::connect(config)
        .await
        .context("không kết nối được cơ sở dữ liệu")?;
    danvan_db::migration::run(&db)
        .await
        .context("không áp dụng được migration")?;
    danvan_db::reference::load_if_empty(&db.conn)
        .await
        .context("không nạp được dữ liệu tham chiếu về đơn vị")?;
    Ok(db)
}

/// The database without secrets, for messages.
pub fn describe(db: &Db) -> String {
    match db.config.sqlite_path() {
        Some(path) => format!("SQLite {}", path.display()),
        None => "PostgreSQL".to_string(),
    }
}
