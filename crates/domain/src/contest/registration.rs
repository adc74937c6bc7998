//! Đăng ký dự thi: checking a contestant's registration and flagging likely duplicate people.
//!
//! Real rules let a child use a parent's CCCD or phone ("sử dụng số điện thoại, số CMND/CCCD
//! của người thân, người giám hộ"), so neither is unique per person: duplicates and borrowed
//! numbers are flagged for organisers, never merged or refused here.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::stats::age_on;
use crate::text;

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Nam,
    Nu,
    Khac,
}

impl Gender {
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Gender::Nam => "Nam",
            Gender::Nu => "Nữ",
            Gender::Khac => "Khác",
        }
    }
}

/// What the registration form sends, after the HTTP layer parsed the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    pub phone: String,
    #[serde(default)]
    pub national_id: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Đối tượng (cán bộ, đảng viên, học sinh, nhân dân…).
    #[serde(default)]
    pub group: Option<String>,
}

/// A contest's registration rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationRules {
    /// Minimum age on the contest date ("từ đủ 14 tuổi trở lên").
    pub min_age: Option<u8>,
    pub require_national_id: bool,
    pub require_unit: bool,
}

/// Căn cước công dân (12 digits) or the older chứng minh nhân dân (9 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalIdKind {
    Cccd,
    Cmnd,
}

/// A well-formed identity number, digits only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId {
    pub kind: NationalIdKind,
    pub number: String,
}

/// Something organisers should look at; the registration is still accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationFlag {
    /// The CCCD encodes another birth year or gender: probably a parent's or guardian's.
    NationalIdOfAnotherPerson,
}

/// A registration that passed every check, in canonical form (NFC name with single spaces,
/// phone as `0xxxxxxxxx`, identity number as digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanRegistration {
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    /// Full years on the contest date.
    pub age: u32,
    pub phone: String,
    pub national_id: Option<NationalId>,
    pub unit_id: Option<i64>,
    pub group: Option<String>,
    pub flags: Vec<RegistrationFlag>,
}

/// A problem with one form field; `message` is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

const NAME_MIN_CHARS: usize = 2;
const NAME_MAX_CHARS: usize = 100;
const MAX_AGE: u32 = 120;

/// Province codes that open a CCCD number (Thông tư 07/2016/TT-BCA), kept after the 2025
/// mergers because issued cards keep their numbers.
const CCCD_PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Checks a registration against `rules` on `contest_date`. All field problems are reported at
/// once so the form can show them together.
pub fn validate_registration(
    input: &RegistrationInput,
    rules: &RegistrationRules,
    contest_date: NaiveDate,
) -> Result<CleanRegistration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        })
    };

    let full_name = clean_name(&input.full_name).map_err(|m| fail("full_name", m));
    let age =
        check_age(input.birth_date, rules.min_age, contest_date).map_err(|m| fail("birth_date", m));
    let phone = normalize_phone(&input.phone).map_err(|m| fail("phone", m));
    let national_id = match input.national_id.as_deref().map(str::trim) {
        None | Some("") if rules.require_national_id => {
            fail("national_id", "Vui lòng nhập số CCCD/CMND.".into());
            Err(())
        }
        None | Some("") => Ok(None),
        Some(raw) => parse_national_id(raw)
            .map(Some)
            .map_err(|m| fail("national_id", m)),
    };
    if rules.require_unit && input.unit_id.is_none() {
        fail("unit_id", "Vui lòng chọn đơn vị.".into());
    }
    let group = input
        .group
        .as_deref()
        .map(|g| collapse_spaces(&text::normalize(g)))
        .filter(|g| !g.is_empty());

    match (full_name, age, phone, national_id) {
        (Ok(full_name), Ok(age), Ok(phone), Ok(national_id)) if errors.is_empty() => {
            let mut flags = Vec::new();
            if let Some(id) = &national_id
                && !cccd_matches(id, input.birth_date, input.gender)
            {
                flags.push(RegistrationFlag::NationalIdOfAnotherPerson);
            }
            Ok(CleanRegistration {
                full_name,
                birth_date: input.birth_date,
                gender: input.gender,
                age,
                phone,
                national_id,
                unit_id: input.unit_id,
                group,
                flags,
            })
        }
        _ => Err(errors),
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean_name(raw: &str) -> Result<String, String> {
    let name = collapse_spaces(&text::normalize(raw));
    if name.is_empty() {
        return Err("Vui lòng nhập họ và tên.".into());
    }
    let len = name.chars().count();
    if !(NAME_MIN_CHARS..=NAME_MAX_CHARS).contains(&len) {
        return Err(format!(
            "Họ và tên phải từ {NAME_MIN_CHARS} đến {NAME_MAX_CHARS} ký tự."
        ));
    }
    let allowed = |c: char| {
        c.is_alphabetic() || c == ' ' || c == '\'' || c == '-' || text::is_combining_mark(c)
    };
    if !name.chars().all(allowed) {
        return Err("Họ và tên chỉ được gồm chữ cái và dấu cách.".into());
    }
    Ok(name)
}

fn check_age(birth: NaiveDate, min_age: Option<u8>, on: NaiveDate) -> Result<u32, String> {
    let Some(age) = age_on(birth, on) else {
        return Err("Ngày sinh không được sau ngày thi.".into());
    };
    if age > MAX_AGE {
        return Err("Ngày sinh không hợp lệ.".into());
    }
    if let Some(min) = min_age
        && age < u32::from(min)
    {
        return Err(format!(
            "Người dự thi phải từ đủ {min} tuổi trở lên (tính đến ngày {}).",
            on.format("%d/%m/%Y")
        ));
    }
    Ok(age)
}

/// `0912 345 678`, `+84 912.345.678`, `84912345678` → `0912345678`. Only mobile prefixes
/// (03, 05, 07, 08, 09) are accepted: the number receives the activation SMS.
fn normalize_phone(raw: &str) -> Result<String, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("0084") {
        format!("0{rest}")
    } else if compact.len() == 11
        && let Some(rest) = compact.strip_prefix("84")
    {
        format!("0{rest}")
    } else {
        compact
    };
    let bytes = national.as_bytes();
    let ok = bytes.len() == 10
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'0'
        && matches!(bytes[1], b'3' | b'5' | b'7' | b'8' | b'9');
    if ok {
        Ok(national)
    } else if raw.trim().is_empty() {
        Err("Vui lòng nhập số điện thoại.".into())
    } else {
        Err("Số điện thoại không hợp lệ: cần số di động Việt Nam gồm 10 chữ số, ví dụ 0912345678 hoặc +84912345678.".into())
    }
}

fn parse_national_id(raw: &str) -> Result<NationalId, String> {
    let number: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Số CCCD/CMND chỉ gồm chữ số.".into());
    }
    match number.len() {
        12 => {
            let province: u16 = number[..3].parse().unwrap_or(0);
            if !CCCD_PROVINCES.contains(&province) {
                return Err(
                    "Số CCCD không hợp lệ: 3 chữ số đầu phải là mã tỉnh, thành phố nơi đăng ký khai sinh."
                        .into(),
                );
            }
            Ok(NationalId {
                kind: NationalIdKind::Cccd,
                number,
            })
        }
        9 => Ok(NationalId {
            kind: NationalIdKind::Cmnd,
            number,
        }),
        _ => Err("Số CCCD phải gồm 12 chữ số (hoặc CMND cũ gồm 9 chữ số).".into()),
    }
}

/// Whether a CCCD's fourth digit (century and gender: 0/1 = 1900s male/female, 2/3 = 2000s…)
/// and its fifth and sixth digits (year of birth) agree with the person. CMND numbers carry no
/// such information and always agree.
fn cccd_matches(id: &NationalId, birth: NaiveDate, gender: Gender) -> bool {
    if id.kind != NationalIdKind::Cccd {
        return true;
    }
    let digit = |i: usize| i32::from(id.number.as_bytes()[i] - b'0');
    let code = digit(3);
    let year = 1900 + 100 * (code / 2) + digit(4) * 10 + digit(5);
    let gender_ok = match gender {
        Gender::Nam => code % 2 == 0,
        Gender::Nu => code % 2 == 1,
        Gender::Khac => true,
    };
    year == birth.year() && gender_ok
}

/// Keys under which two registrations are probably the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DuplicateKeys {
    /// The identity number, when given.
    pub national_id: Option<String>,
    /// Folded name (no diacritics, lower case), birth date and phone, joined by `|`.
    pub person: String,
}

/// The duplicate-detection keys of a registration; storage can index them.
pub fn duplicate_keys(r: &CleanRegistration) -> DuplicateKeys {
    DuplicateKeys {
        national_id: r.national_id.as_ref().map(|id| id.number.clone()),
        person: format!(
            "{}|{}|{}",
            collapse_spaces(&text::fold(&r.full_name)),
            r.birth_date,
            r.phone
        ),
    }
}

/// Which key two registrations share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    NationalId,
    NameBirthDatePhone,
}

/// Registrations sharing one key, by index into the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    pub kind: DuplicateKind,
    pub key: String,
    pub indices: Vec<usize>,
}

/// All groups of two or more registrations sharing a key, for the duplicate-identity report.
/// Ordered by kind, then key.
pub fn find_duplicates(registrations: &[CleanRegistration]) -> Vec<DuplicateGroup> {
    let mut by_key: BTreeMap<(DuplicateKind, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in registrations.iter().enumerate() {
        let keys = duplicate_keys(r);
        if let Some(id) = keys.national_id {
            by_key
                .entry((DuplicateKind::NationalId, id))
                .or_default()
                .push(i);
        }
        by_key
            .entry((DuplicateKind::NameBirthDatePhone, keys.person))
            .or_default()
            .push(i);
    }
    by_key
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|((kind, key), indices)| DuplicateGroup { kind, key, indices })
        .collect()
}
