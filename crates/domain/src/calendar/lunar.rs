//! Âm lịch: the Vietnamese lunisolar calendar.
//!
//! Months start on the day of the astronomical new moon and the leap month (tháng nhuận) is the
//! first month of a 13-month year that contains no principal solar term, all reckoned in the
//! local time of Việt Nam (UTC+7). The time zone matters: the Chinese calendar uses UTC+8, so a
//! new moon shortly before midnight puts Tết on different days in some years (2007: 17/2 in
//! Việt Nam, 18/2 in China).
//!
//! The astronomy follows Jean Meeus, *Astronomical Algorithms* (1998), in the simplified form
//! popularised by Hồ Ngọc Đức for Vietnamese calendars. It agrees with the published calendars for
//! [`SUPPORTED_YEARS`]; outside that range it still answers, without panicking, but less surely.

use std::f64::consts::PI;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Gregorian years for which the conversion is known to match the Vietnamese calendar.
pub const SUPPORTED_YEARS: RangeInclusive<i32> = 1900..=2199;

/// Hours east of Greenwich used for Việt Nam's calendar.
const TIME_ZONE_HOURS: f64 = 7.0;

/// Julian day of the mean new moon near 1900-01-01, the epoch `k` counts from.
const NEW_MOON_EPOCH_JD: f64 = 2_415_021.076_998_695;

/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// Julian day number of 0001-01-01 minus one, to move between chrono's day count and Julian days.
const JD_OF_CE_DAY_ZERO: i64 = 1_721_425;

/// A date in the Vietnamese lunar calendar.
///
/// `year` is the Gregorian year in which the lunar year starts (Tết), so 30 tháng Chạp of
/// Giáp Thìn (2025-01-28) is year 2024, month 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// Day of the lunar month, 1–30.
    pub day: u8,
    /// Lunar month, 1–12; a leap month carries the number of the month it follows.
    pub month: u8,
    /// The year, numbered as the Gregorian year in which it begins.
    pub year: i32,
    /// Tháng nhuận: this is the leap (repeated) month.
    pub leap: bool,
}

/// Converts a Gregorian date to the Vietnamese lunar calendar.
pub fn to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = julian_day(date);
    // The mean-lunation estimate can be off by one either way when the true new moon falls
    // near midnight, so step from it to the last new moon on or before the day.
    let mut k = ((day_number as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64 + 1;
    let mut month_start = new_moon_day(k);
    // Bounded so that absurd far-away dates, where the series is meaningless anyway, cannot hang.
    for _ in 0..8 {
        if month_start <= day_number {
            break;
        }
        k -= 1;
        month_start = new_moon_day(k);
    }
    let gregorian_year = i64::from(date.year());
    let mut a11 = month11_start(gregorian_year);
    let b11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = gregorian_year;
        b11 = a11;
        a11 = month11_start(gregorian_year - 1);
    } else {
        lunar_year = gregorian_year + 1;
        b11 = month11_start(gregorian_year + 1);
    }
    let lunar_day = day_number - month_start + 1;
    // Months since the 11th month, which always holds the winter solstice.
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut lunar_month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            lunar_month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if lunar_month > 12 {
        lunar_month -= 12;
    }
    if lunar_month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        // Both are small by construction (1–30 and 1–12); clamping only guards the type.
        day: lunar_day.clamp(1, 30) as u8,
        month: lunar_month.clamp(1, 12) as u8,
        year: lunar_year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
        leap,
    }
}

/// Converts a Vietnamese lunar date to the Gregorian calendar.
///
/// Returns `None` when the date does not exist: a day past the end of a 29-day month, a leap
/// flag on a month that is not the leap month of that year, or a year chrono cannot represent.
pub fn from_lunar(day: u8, month: u8, year: i32, leap: bool) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    // Beyond chrono's years there is no date to return, and the series would only be pushed
    // further outside the numbers it was fitted to.
    if !(NaiveDate::MIN.year()..=NaiveDate::MAX.year()).contains(&year) {
        return None;
    }
    let year_i = i64::from(year);
    let (a11, b11) = if month < 11 {
        (month11_start(year_i - 1), month11_start(year_i))
    } else {
        (month11_start(year_i), month11_start(year_i + 1))
    };
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    let mut offset = i64::from(month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        let leap_month = (leap_offset - 2).rem_euclid(12);
        if leap && i64::from(month) != leap_month {
            return None;
        }
        if leap || offset >= leap_offset {
            offset += 1;
        }
    } else if leap {
        return None;
    }
    let month_start = new_moon_day(k + offset);
    let date = date_from_julian_day(month_start.checked_add(i64::from(day) - 1)?)?;
    // Day 30 of a 29-day month lands on the next month; checking the way back rejects it.
    let back = to_lunar(date);
    (back.day == day && back.month == month && back.year == year && back.leap == leap)
        .then_some(date)
}

/// Julian day number of a Gregorian date (proleptic, as chrono counts).
fn julian_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JD_OF_CE_DAY_ZERO
}

fn date_from_julian_day(jd: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jd.checked_sub(JD_OF_CE_DAY_ZERO)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Julian day number of 31 December of `year`, computed arithmetically so that years chrono
/// cannot represent still give an answer instead of an error.
fn julian_day_of_dec31(year: i64) -> i64 {
    // Standard Gregorian formula with March-based months; for 31/12, a = 0 and m = 9.
    let y = year + 4800;
    31 + (153 * 9 + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

/// Time of the `k`-th mean new moon after the one near 1900-01-01, as a fractional Julian day
/// in Universal Time (Meeus, chapter 49, truncated to the terms that matter for whole days).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // ΔT, the drift of Terrestrial Time from Universal Time, in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The local (UTC+7) day number on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i64
}

/// The sun's apparent longitude, in radians within [0, 2π), at fractional Julian day `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l.rem_euclid(2.0 * PI)
}

/// Which of the twelve 30° sectors the sun is in at the start of local day `day_number`;
/// sector `n` begins at principal term `n` (0 = Xuân phân, 9 = Đông chí).
fn sun_sector(day_number: i64) -> i64 {
    let jd = day_number as f64 - 0.5 - TIME_ZONE_HOURS / 24.0;
    (sun_longitude(jd) / PI * 6.0).floor() as i64
}

/// Day number on which the 11th lunar month (the one holding the winter solstice) of `year`
/// begins.
fn month11_start(year: i64) -> i64 {
    let off = julian_day_of_dec31(year) as f64 - 2_415_021.0;
    let k = (off / SYNODIC_MONTH).floor() as i64;
    let new_moon = new_moon_day(k);
    // If the sun has already passed the solstice at this new moon, the 11th month began one
    // lunation earlier.
    if sun_sector(new_moon) >= 9 {
        new_moon_day(k - 1)
    } else {
        new_moon
    }
}

/// For a 13-month year starting at the 11th month `a11`, the index (counted from that month) of
/// the first month without a principal term: the leap month.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_day_matches_known_epoch() {
        let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert_eq!(julian_day(d), 2_451_545);
        assert_eq!(julian_day_of_dec31(1999), 2_451_544);
        assert_eq!(date_from_julian_day(2_451_545), Some(d));
    }

    #[test]
    fn extreme_years_do_not_panic() {
        let _ = to_lunar(NaiveDate::MIN);
        let _ = to_lunar(NaiveDate::MAX);
        assert_eq!(from_lunar(1, 1, i32::MAX, false), None);
        assert_eq!(from_lunar(1, 1, i32::MIN, false), None);
    }
}
