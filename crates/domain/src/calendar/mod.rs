//! Calendars: the Vietnamese lunar calendar and the working-day calendar built on it.
//!
//! Deadlines in Vietnamese administrative law are counted either in calendar days or in working
//! days, and the public holidays that decide which days work include lunar ones (Tết, Giỗ Tổ
//! Hùng Vương). [`lunar`] converts dates; [`WorkCalendar`] says which days are worked.

mod holidays_file;
pub mod lunar;
mod work;

pub use holidays_file::{HolidaysFileError, parse_holidays_file};
pub use lunar::{LunarDate, from_lunar, to_lunar};
pub use work::{Compensation, NationalDayExtra, WorkCalendar};
