//! The built-in deadline rules.
//!
//! Figures come from shared/domain/deadlines.md. All of them must be re-checked against the
//! consolidated texts in force from 01/7/2026 (Luật 136/2025/QH15); a changed figure is added as
//! a new version with `valid_from`, never by editing the old one.

use chrono::NaiveDate;

use super::{DayUnit, DeadlineRule, ExtensionPolicy};

const RECHECK_2026: &str =
    "Cần đối chiếu với văn bản hợp nhất có hiệu lực từ 01/7/2026 (Luật 136/2025/QH15).";
const CALENDAR_DAYS_ASSUMED: &str = "Hiểu \"ngày\" là ngày theo lịch, ngày cuối trùng ngày nghỉ thì lùi sang ngày làm việc kế tiếp (chưa kiểm chứng).";

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

struct Spec {
    id: &'static str,
    name: &'static str,
    legal_basis: &'static str,
    valid_from: Option<NaiveDate>,
    unit: DayUnit,
    days: u32,
    variants: [Option<u32>; 3],
    extension: Option<ExtensionPolicy>,
    note: String,
}

impl Spec {
    fn into_rule(self) -> DeadlineRule {
        let [complex_days, remote_days, complex_remote_days] = self.variants;
        DeadlineRule {
            id: self.id.to_owned(),
            name: self.name.to_owned(),
            legal_basis: self.legal_basis.to_owned(),
            valid_from: self.valid_from,
            valid_to: None,
            unit: self.unit,
            days: self.days,
            complex_days,
            remote_days,
            complex_remote_days,
            extension: self.extension,
            note: Some(self.note),
        }
    }
}

pub(super) fn rules() -> Vec<DeadlineRule> {
    // Effective dates of the laws: Luật Khiếu nại 2011 from 01/7/2012, Luật Tiếp công dân from
    // 01/7/2014, Luật Tố cáo 2018 from 01/01/2019, Nghị định 61/2023 from 16/8/2023.
    let complaints = date(2012, 7, 1);
    let reception = date(2014, 7, 1);
    let denunciations = date(2019, 1, 1);
    let conventions = date(2023, 8, 16);
    [
        Spec {
            id: "khieu-nai-thu-ly",
            name: "Thụ lý giải quyết khiếu nại",
            legal_basis: "Luật Khiếu nại 2011 (02/2011/QH13), Điều 27",
            valid_from: complaints,
            unit: DayUnit::CalendarDays,
            days: 10,
            variants: [None; 3],
            extension: None,
            note: format!("Tính từ ngày nhận đơn thuộc thẩm quyền. {CALENDAR_DAYS_ASSUMED} {RECHECK_2026}"),
        },
        Spec {
            id: "khieu-nai-lan-dau",
            name: "Giải quyết khiếu nại lần đầu",
            legal_basis: "Luật Khiếu nại 2011 (02/2011/QH13), Điều 28",
            valid_from: complaints,
            unit: DayUnit::CalendarDays,
            days: 30,
            variants: [Some(45), Some(45), Some(60)],
            extension: None,
            note: format!("Tính từ ngày thụ lý. {CALENDAR_DAYS_ASSUMED} {RECHECK_2026}"),
        },
        Spec {
            id: "khieu-nai-lan-hai",
            name: "Giải quyết khiếu nại lần hai",
            legal_basis: "Luật Khiếu nại 2011 (02/2011/QH13), Điều 37",
            valid_from: complaints,
            unit: DayUnit::CalendarDays,
            days: 45,
            variants: [Some(60), Some(60), Some(70)],
            extension: None,
            note: format!(
                "Tính từ ngày thụ lý; số điều chưa kiểm chứng. {CALENDAR_DAYS_ASSUMED} {RECHECK_2026}"
            ),
        },
        Spec {
            id: "to-cao-xu-ly-ban-dau",
            name: "Xử lý ban đầu thông tin tố cáo",
            legal_basis: "Luật Tố cáo 2018 (25/2018/QH14), Điều 24",
            valid_from: denunciations,
            unit: DayUnit::WorkingDays,
            days: 7,
            variants: [None; 3],
            extension: Some(ExtensionPolicy {
                days: 3,
                max_count: 1,
                note: Some(
                    "Kéo dài đến 10 ngày làm việc khi phải xác minh ở nhiều địa điểm.".to_owned(),
                ),
            }),
            note: format!("Tính từ ngày nhận tố cáo; chưa kiểm chứng đầy đủ. {RECHECK_2026}"),
        },
        Spec {
            id: "to-cao-thong-bao-thu-ly",
            name: "Thông báo việc thụ lý tố cáo",
            legal_basis: "Luật Tố cáo 2018 (25/2018/QH14), Điều 29",
            valid_from: denunciations,
            unit: DayUnit::WorkingDays,
            days: 5,
            variants: [None; 3],
            extension: None,
            note: format!(
                "Tính từ ngày ra quyết định thụ lý; thông báo cho người tố cáo và người bị tố cáo. {RECHECK_2026}"
            ),
        },
        Spec {
            id: "to-cao-giai-quyet",
            name: "Giải quyết tố cáo",
            legal_basis: "Luật Tố cáo 2018 (25/2018/QH14), Điều 30",
            valid_from: denunciations,
            unit: DayUnit::CalendarDays,
            days: 30,
            variants: [None; 3],
            extension: Some(ExtensionPolicy {
                days: 30,
                max_count: 2,
                note: Some(
                    "Vụ việc phức tạp: gia hạn 1 lần (tổng 60 ngày); đặc biệt phức tạp: gia hạn 2 lần (tổng 90 ngày); mỗi lần gia hạn phải có quyết định bằng văn bản.".to_owned(),
                ),
            }),
            note: format!("Tính từ ngày thụ lý. {CALENDAR_DAYS_ASSUMED} {RECHECK_2026}"),
        },
        Spec {
            id: "tiep-cong-dan-tra-loi",
            name: "Trả lời, thông báo kết quả xử lý đơn nhận khi tiếp công dân",
            legal_basis: "Luật Tiếp công dân 2013 (42/2013/QH13), Điều 28 khoản 1",
            valid_from: reception,
            unit: DayUnit::WorkingDays,
            days: 10,
            variants: [None; 3],
            extension: None,
            note: format!("Tính từ ngày nhận đơn khiếu nại, tố cáo, kiến nghị, phản ánh. {RECHECK_2026}"),
        },
        Spec {
            id: "huong-uoc-cong-nhan",
            name: "Ra quyết định công nhận hương ước, quy ước",
            legal_basis: "Nghị định 61/2023/NĐ-CP về xây dựng và thực hiện hương ước, quy ước",
            valid_from: conventions,
            unit: DayUnit::WorkingDays,
            days: 5,
            variants: [None; 3],
            extension: None,
            note: "Tính từ ngày UBND cấp xã nhận đủ hồ sơ; số điều chưa ghi.".to_owned(),
        },
    ]
    .into_iter()
    .map(Spec::into_rule)
    .collect()
}
