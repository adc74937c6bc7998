//! Command-line interface. Flags win over environment variables, which win over the TOML file.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "danvan",
    version,
    about = "Công tác dân vận: theo dõi kế hoạch, báo cáo, văn bản, đơn thư."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data is: shared by every command that opens the database.
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Folder for the SQLite database, uploads and indexes [default: ./data].
    #[arg(long, env = "DANVAN_DATA")]
    pub data: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite file.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Optional TOML configuration file [default: <data>/danvan.toml if present].
    #[arg(long, env = "DANVAN_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DataArgs),
    /// Load demonstration accounts and records (idempotent).
    Demo(DataArgs),
    /// The province's units through time.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent copy of the SQLite database while the server runs.
    Backup {
        #[command(flatten)]
        data: DataArgs,
        /// Target file (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Calendar tools.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Compute a statutory due date.
    Deadline(DeadlineArgs),
    /// Read Party and State documents: structure, citations, import into the registry.
    Doc {
        #[command(subcommand)]
        command: DocCommand,
    },
    /// Keys for machine clients such as Open311 apps.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Load tests of the contest (bounded runs against a local server or database).
    Loadtest {
        #[command(subcommand)]
        command: LoadtestCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum LoadtestCommand {
    /// Register, start and submit through the HTTP API with a fixed number in flight.
    Http(LoadtestHttp),
    /// Generate a closed round of many attempts and time freezing its results.
    Close {
        #[command(flatten)]
        data: DataArgs,
        /// Submitted attempts to generate.
        #[arg(long, default_value_t = 2_000_000)]
        attempts: usize,
        /// Contestants [default: half the attempts].
        #[arg(long)]
        people: Option<usize>,
    },
}

#[derive(Args, Debug)]
pub struct LoadtestHttp {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub url: String,
    /// The open round (printed by `danvan demo` as "contest round: N").
    #[arg(long)]
    pub round: i64,
    /// Contestants: one registration, one start, one submission each.
    #[arg(long, default_value_t = 10_000)]
    pub contestants: usize,
    /// Requests in flight.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Autosaves per contestant between start and submission.
    #[arg(long, default_value_t = 0)]
    pub autosaves: usize,
    /// The server's pid, to print its memory after each phase.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Write the ids of acknowledged submissions to this file.
    #[arg(long)]
    pub acks: Option<PathBuf>,
    /// Allow a non-loopback URL.
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Subcommand, Debug)]
pub enum ApiKeyCommand {
    /// Create a key and print it once; only its hash is stored.
    Create {
        #[command(flatten)]
        data: DataArgs,
        /// Who the key is for, e.g. the name of the app.
        #[arg(long)]
        name: String,
        /// What the key may do: open311.
        #[arg(long)]
        scope: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DocCommand {
    /// The document's structure: header, parts, sections, bullets, recipients, signer.
    Parse {
        /// A .txt, .md, .docx or .pdf file.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Every citation, in text order, with byte offsets into the file as read.
    Citations {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Store the document with its structure and citations, and link the registry.
    Import {
        #[command(flatten)]
        data: DataArgs,
        file: PathBuf,
        /// Code of the importing unit (e.g. ORG-BTGDVTU).
        #[arg(long)]
        unit: Option<String>,
        /// Trích yếu, when the file has none.
        #[arg(long)]
        title: Option<String>,
        /// Số/ký hiệu, when the file has no header (e.g. 45-KH/TU).
        #[arg(long)]
        symbol: Option<String>,
        /// Date of issue, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "DANVAN_ADDR")]
    pub addr: Option<String>,
    /// Load demonstration accounts and records at start.
    #[arg(long)]
    pub demo: bool,
    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "DANVAN_LOG_JSON")]
    pub log_json: bool,
    /// Contest registrations allowed per client address per minute [default: 20].
    #[arg(long, env = "DANVAN_CONTEST_REGISTRATIONS_PER_MINUTE")]
    pub contest_registrations_per_minute: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum UnitsCommand {
    /// The units that existed on a day.
    List {
        #[command(flatten)]
        data: DataArgs,
        /// The day, YYYY-MM-DD [default: today].
        #[arg(long)]
        at: Option<String>,
        /// province, district, commune, village, party, state, front, steering, armed_forces.
        #[arg(long)]
        kind: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A unit's line of succession.
    History {
        #[command(flatten)]
        data: DataArgs,
        /// The unit's name (diacritics optional) or code.
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account with a role on a unit. The password is read from DANVAN_PASSWORD or stdin.
    Create {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// Unit code, e.g. 20 for the province.
        #[arg(long)]
        unit: String,
        /// province_admin, unit_admin, leader, specialist, viewer.
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The Vietnamese lunar date of a Gregorian date, as JSON.
    Lunar {
        /// YYYY-MM-DD
        date: String,
    },
}

#[derive(Args, Debug)]
pub struct DeadlineArgs {
    /// Rule id, e.g. khieu-nai-thu-ly.
    #[arg(long)]
    pub rule: String,
    /// The day the clock starts from (counting begins the day after), YYYY-MM-DD.
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub complex: bool,
    #[arg(long)]
    pub remote: bool,
    /// File of holidays (one ISO date per line, # comments) replacing the built-in ones.
    #[arg(long)]
    pub holidays: Option<PathBuf>,
    /// Number of extensions (gia hạn) granted.
    #[arg(long, default_value_t = 0)]
    pub extensions: u8,
}
