//! Ngày làm việc: which days public bodies work in Việt Nam.
//!
//! Three layers decide, strongest first:
//! 1. an official schedule for a year, as announced by the Government (days off, and weekend
//!    days swapped into working days); entered by an administrator, it replaces the built-in
//!    holidays of that year;
//! 2. the holiday source for other years: either the built-in rules of Bộ luật Lao động 2019,
//!    Điều 112, or a list of dates loaded from a holidays file;
//! 3. Saturday and Sunday are days off.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lunar::from_lunar;

/// The day that, with 2/9, makes up the two-day Quốc khánh holiday (Điều 112.1.đ lets the
/// Government pick the day before or after each year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NationalDayExtra {
    /// 1/9, as in recent years.
    #[default]
    Before,
    /// 3/9.
    After,
}

/// Nghỉ bù: what happens when a holiday falls on a Saturday or Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compensation {
    /// The next working day is taken off instead (Điều 112.3).
    #[default]
    NextWorkingDay,
    /// No day is given back.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HolidaySource {
    Builtin {
        national_day_extra: NationalDayExtra,
        compensation: Compensation,
    },
    /// Replaces the built-in rules.
    List(BTreeSet<NaiveDate>),
}

/// A working-day calendar. Cheap to clone; holds no clock and does no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    source: HolidaySource,
    /// Years covered by an official schedule; their built-in holidays no longer apply.
    official_years: BTreeSet<i32>,
    official_off: BTreeSet<NaiveDate>,
    official_working: BTreeSet<NaiveDate>,
}

const LIST_HOLIDAY_NAME: &str = "Ngày nghỉ theo danh sách";
const OFFICIAL_OFF_NAME: &str = "Nghỉ theo lịch chính thức";

impl Default for WorkCalendar {
    fn default() -> Self {
        Self::builtin()
    }
}

impl WorkCalendar {
    /// Holidays from the built-in rules: Tết Dương lịch, five days of Tết Âm lịch from the last
    /// day of the lunar year, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 plus 1/9, and nghỉ bù on the next
    /// working day for each holiday that falls on a weekend.
    pub fn builtin() -> Self {
        Self::with_source(HolidaySource::Builtin {
            national_day_extra: NationalDayExtra::default(),
            compensation: Compensation::default(),
        })
    }

    /// Holidays exactly as listed (for example from a holidays file), replacing the built-in
    /// rules; weekends stay off and no compensatory days are added, since the list is taken to
    /// be the complete official one.
    pub fn with_holiday_list(dates: Vec<NaiveDate>) -> Self {
        Self::with_source(HolidaySource::List(dates.into_iter().collect()))
    }

    fn with_source(source: HolidaySource) -> Self {
        Self {
            source,
            official_years: BTreeSet::new(),
            official_off: BTreeSet::new(),
            official_working: BTreeSet::new(),
        }
    }

    /// Chooses the day paired with 2/9. No effect on a calendar built from a holiday list.
    pub fn with_national_day_extra(mut self, extra: NationalDayExtra) -> Self {
        if let HolidaySource::Builtin {
            national_day_extra, ..
        } = &mut self.source
        {
            *national_day_extra = extra;
        }
        self
    }

    /// Chooses the nghỉ bù policy. No effect on a calendar built from a holiday list.
    pub fn with_compensation(mut self, policy: Compensation) -> Self {
        if let HolidaySource::Builtin { compensation, .. } = &mut self.source {
            *compensation = policy;
        }
        self
    }

    /// Records the Government's announced schedule for `year`: `off_days` are all the days off
    /// besides ordinary weekends (holidays, bridge days, nghỉ bù), `extra_working_days` are
    /// weekend days made working days by a swap. The built-in holidays of `year` no longer
    /// apply, so list every day off of the year (start from [`WorkCalendar::holidays_in`]).
    /// Days outside `year` are honoured too, so a swap that crosses the new year still works.
    pub fn with_official_schedule(
        mut self,
        year: i32,
        off_days: Vec<NaiveDate>,
        extra_working_days: Vec<NaiveDate>,
    ) -> Self {
        self.official_years.insert(year);
        for day in &extra_working_days {
            self.official_off.remove(day);
        }
        for day in &off_days {
            self.official_working.remove(day);
        }
        self.official_off.extend(off_days);
        self.official_working.extend(extra_working_days);
        self
    }

    /// Whether public bodies work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.is_working_day_with(date, || {
            self.source_holidays(date.year()).contains_key(&date)
        })
    }

    /// The layering of the module doc; `is_source_holiday` is asked last, and only when needed,
    /// because computing a year's lunar holidays is the expensive part.
    fn is_working_day_with(
        &self,
        date: NaiveDate,
        is_source_holiday: impl FnOnce() -> bool,
    ) -> bool {
        if self.official_working.contains(&date) {
            return true;
        }
        if self.official_off.contains(&date) || is_weekend(date) {
            return false;
        }
        if self.official_years.contains(&date.year()) {
            return true;
        }
        !is_source_holiday()
    }

    /// The days off of `year` other than ordinary weekends, with their Vietnamese names,
    /// in date order. Holidays that fall on a weekend are listed, followed by their nghỉ bù.
    pub fn holidays_in(&self, year: i32) -> Vec<(NaiveDate, String)> {
        let from_source = self.source_holidays(year);
        if !self.official_years.contains(&year) {
            return from_source.into_iter().collect();
        }
        self.official_off
            .iter()
            .filter(|d| d.year() == year)
            .map(|d| {
                let name = from_source
                    .get(d)
                    .cloned()
                    .unwrap_or_else(|| OFFICIAL_OFF_NAME.to_owned());
                (*d, name)
            })
            .collect()
    }

    /// The `n`-th working day after `from` (counting starts the next day; `n = 0` gives `from`).
    /// `None` only if the answer lies beyond the dates chrono can represent.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        // One year's holidays serve every day counted in that year.
        let mut cache: Option<(i32, BTreeMap<NaiveDate, String>)> = None;
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt()?;
            let working = self.is_working_day_with(date, || {
                let year = date.year();
                if cache.as_ref().is_none_or(|(cached, _)| *cached != year) {
                    cache = Some((year, self.source_holidays(year)));
                }
                cache
                    .as_ref()
                    .is_some_and(|(_, map)| map.contains_key(&date))
            });
            if working {
                left -= 1;
            }
        }
        Some(date)
    }

    /// The first working day on or after `date`. `None` only past chrono's last date.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day.succ_opt()?;
        }
        Some(day)
    }

    /// Holidays of `year` from the built-in rules or the list, ignoring official schedules.
    fn source_holidays(&self, year: i32) -> BTreeMap<NaiveDate, String> {
        match &self.source {
            HolidaySource::Builtin {
                national_day_extra,
                compensation,
            } => builtin_holidays(year, *national_day_extra, *compensation),
            HolidaySource::List(dates) => dates
                .iter()
                .filter(|d| d.year() == year)
                .map(|d| (*d, LIST_HOLIDAY_NAME.to_owned()))
                .collect(),
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Bộ luật Lao động 2019, Điều 112, applied to `year`.
fn builtin_holidays(
    year: i32,
    national_day_extra: NationalDayExtra,
    compensation: Compensation,
) -> BTreeMap<NaiveDate, String> {
    let mut days: BTreeMap<NaiveDate, String> = BTreeMap::new();
    let mut add = |date: Option<NaiveDate>, name: &str| {
        if let Some(date) = date {
            days.entry(date).or_insert_with(|| name.to_owned());
        }
    };
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);

    add(ymd(1, 1), "Tết Dương lịch");
    // The real Tết break is announced each year; the default is the last day of the lunar year
    // and the first four days of the new one.
    if let Some(tet) = from_lunar(1, 1, year, false) {
        add(tet.pred_opt(), "Tết Âm lịch (ngày cuối năm âm lịch)");
        for (offset, name) in [
            (0, "Tết Âm lịch (mùng 1)"),
            (1, "Tết Âm lịch (mùng 2)"),
            (2, "Tết Âm lịch (mùng 3)"),
            (3, "Tết Âm lịch (mùng 4)"),
        ] {
            add(tet.checked_add_days(Days::new(offset)), name);
        }
    }
    add(
        from_lunar(10, 3, year, false),
        "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
    );
    add(ymd(4, 30), "Ngày Chiến thắng (30/4)");
    add(ymd(5, 1), "Ngày Quốc tế Lao động (1/5)");
    add(ymd(9, 2), "Quốc khánh (2/9)");
    let extra = match national_day_extra {
        NationalDayExtra::Before => ymd(9, 1),
        NationalDayExtra::After => ymd(9, 3),
    };
    add(extra, "Quốc khánh (ngày liền kề)");

    if compensation == Compensation::NextWorkingDay {
        let on_weekend: Vec<(NaiveDate, String)> = days
            .iter()
            .filter(|(d, _)| is_weekend(**d))
            .map(|(d, n)| (*d, n.clone()))
            .collect();
        for (date, name) in on_weekend {
            let mut candidate = date.succ_opt();
            while let Some(c) = candidate {
                if !is_weekend(c) && !days.contains_key(&c) {
                    break;
                }
                candidate = c.succ_opt();
            }
            if let Some(c) = candidate {
                days.insert(c, format!("Nghỉ bù {name}"));
            }
        }
    }
    days
}
