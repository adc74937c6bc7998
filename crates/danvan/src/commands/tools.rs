//! `danvan calendar lunar` and `danvan deadline`: pure domain computations, no database.

use crate::cli::{CalendarCommand, DeadlineArgs};
use anyhow::Context;
use chrono::NaiveDate;
use danvan_domain::calendar::{WorkCalendar, parse_holidays_file, to_lunar};
use danvan_domain::deadlines::{DueOptions, builtin_rules};

fn parse_day(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("ngày “{s}” không hợp lệ; dùng dạng YYYY-MM-DD"))
}

pub fn calendar(command: CalendarCommand) -> anyhow::Result<()> {
    match command {
        CalendarCommand::Lunar { date } => {
            let day = parse_day(&date)?;
            println!("{}", serde_json::to_string(&to_lunar(day))?);
            Ok(())
        }
    }
}

pub fn deadline(args: DeadlineArgs) -> anyhow::Result<()> {
    let from = parse_day(&args.from)?;
    let calendar = match &args.holidays {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được tệp ngày nghỉ {}", path.display()))?;
            WorkCalendar::with_holiday_list(parse_holidays_file(&text)?)
        }
        None => WorkCalendar::builtin(),
    };
    let opts = DueOptions {
        complex: args.complex,
        remote: args.remote,
    };
    let due =
        builtin_rules().compute_due_extended(&args.rule, from, opts, args.extensions, &calendar)?;
    println!("{due}");
    Ok(())
}
