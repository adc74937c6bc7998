//! Tiếng nói của Nhân dân: petitions (phản ánh, kiến nghị) and complaints (khiếu nại) from intake
//! to answer, on the statutory clocks of `danvan_domain::deadlines`.
//!
//! Every read and write is scoped to the handling unit; every step is time-stamped in
//! `voice_case_steps` and written to the audit log in the same transaction. The citizen follows
//! the case with a tracking code that only its SHA-256 is stored for.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{voice_attachments, voice_case_steps, voice_cases};
use crate::identity::{IdentityKey, REDACTED};
use crate::{Actor, DbError, DbResult};
use chrono::{NaiveDate, Utc};
use danvan_domain::calendar::WorkCalendar;
use danvan_domain::deadlines::{self, DueOptions};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Loại đơn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Phản ánh.
    Report,
    /// Kiến nghị.
    Recommendation,
    /// Khiếu nại lần đầu.
    ComplaintFirst,
    /// Khiếu nại lần hai.
    ComplaintSecond,
    /// Tố cáo: the denouncer's identity is sealed (see `identity`).
    Denunciation,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Report,
        Kind::Recommendation,
        Kind::ComplaintFirst,
        Kind::ComplaintSecond,
        Kind::Denunciation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Report => "phan_anh",
            Kind::Recommendation => "kien_nghi",
            Kind::ComplaintFirst => "khieu_nai_lan_dau",
            Kind::ComplaintSecond => "khieu_nai_lan_hai",
            Kind::Denunciation => "to_cao",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Report => "Phản ánh",
            Kind::Recommendation => "Kiến nghị",
            Kind::ComplaintFirst => "Khiếu nại lần đầu",
            Kind::ComplaintSecond => "Khiếu nại lần hai",
            Kind::Denunciation => "Tố cáo",
        }
    }

    fn is_complaint(self) -> bool {
        matches!(self, Kind::ComplaintFirst | Kind::ComplaintSecond)
    }

    /// The clock that runs from receipt until acceptance (or the answer, for petitions).
    fn intake_rule(self) -> &'static str {
        match self {
            Kind::ComplaintFirst | Kind::ComplaintSecond => "khieu-nai-thu-ly",
            Kind::Denunciation => "to-cao-xu-ly-ban-dau",
            Kind::Report | Kind::Recommendation => "tiep-cong-dan-tra-loi",
        }
    }

    /// The clock that runs from acceptance until the answer.
    fn resolution_rule(self) -> &'static str {
        match self {
            Kind::ComplaintFirst => "khieu-nai-lan-dau",
            Kind::ComplaintSecond => "khieu-nai-lan-hai",
            Kind::Denunciation => "to-cao-giai-quyet",
            Kind::Report | Kind::Recommendation => "tiep-cong-dan-tra-loi",
        }
    }
}

/// Lĩnh vực.
pub const TOPICS: [(&str, &str); 7] = [
    ("dat_dai", "Đất đai"),
    ("moi_truong", "Môi trường"),
    ("chinh_sach_xa_hoi", "Chính sách xã hội"),
    ("ha_tang", "Hạ tầng, giao thông"),
    ("hanh_chinh", "Thủ tục hành chính"),
    ("can_bo", "Cán bộ, công chức"),
    ("khac", "Khác"),
];

pub fn topic_label(code: &str) -> &'static str {
    TOPICS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Khác")
}

/// Where the case came from.
pub const CHANNELS: [(&str, &str); 5] = [
    ("web", "Cổng trực tuyến"),
    ("open311", "Ứng dụng phản ánh (Open311)"),
    ("desk", "Tiếp công dân trực tiếp"),
    ("letter", "Đơn gửi qua bưu điện"),
    ("phone", "Điện thoại"),
];

pub fn channel_label(code: &str) -> &'static str {
    CHANNELS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Khác")
}

/// Trạng thái xử lý.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Đã tiếp nhận.
    Received,
    /// Đã thụ lý.
    Accepted,
    /// Không thụ lý (with a reason).
    Refused,
    /// Đang giải quyết.
    InProgress,
    /// Đã giải quyết, có trả lời.
    Resolved,
    /// Đã kết thúc.
    Closed,
    /// Tạm đình chỉ: the clock is stopped.
    Paused,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Received,
        Status::Accepted,
        Status::Refused,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
        Status::Paused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Accepted => "accepted",
            Status::Refused => "refused",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Paused => "paused",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::Accepted => "Đã thụ lý",
            Status::Refused => "Không thụ lý",
            Status::InProgress => "Đang giải quyết",
            Status::Resolved => "Đã giải quyết",
            Status::Closed => "Đã kết thúc",
            Status::Paused => "Tạm đình chỉ giải quyết",
        }
    }

    /// Statuses whose clock is still running.
    pub const OPEN: [Status; 3] = [Status::Received, Status::Accepted, Status::InProgress];
    /// Statuses still waiting for an answer (the handler's queue), including a stopped clock.
    pub const PENDING: [Status; 4] = [
        Status::Received,
        Status::Accepted,
        Status::InProgress,
        Status::Paused,
    ];
}

pub fn status_label(s: &str) -> &'static str {
    Status::parse(s).map(Status::label).unwrap_or("")
}

pub fn kind_label(s: &str) -> &'static str {
    Kind::parse(s).map(Kind::label).unwrap_or("")
}

/// Due date of `rule_id` for an event on `from`, with the version used.
fn due(
    rule_id: &str,
    from: NaiveDate,
    opts: DueOptions,
    cal: &WorkCalendar,
) -> DbResult<(NaiveDate, String)> {
    let set = deadlines::builtin_rules();
    let rule = set
        .rule_for(rule_id, from)
        .map_err(|e| DbError::Internal(e.to_string()))?;
    let day = rule
        .due_from(from, opts, cal)
        .map_err(|e| DbError::Internal(e.to_string()))?;
    let version = rule
        .valid_from
        .map(|d| d.to_string())
        .unwrap_or_else(|| "-".into());
    Ok((day, version))
}

/// Crockford base32 without I, L, O, U, so a code read aloud or copied by hand stays unambiguous.
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 16 symbols of 5 bits: 80 bits from the OS-seeded CSPRNG, far beyond guessing at any rate limit.
const CODE_LEN: usize = 16;

/// A new tracking code, shown to the citizen once, grouped by four for reading.
pub fn new_tracking_code() -> String {
    let mut bytes = [0u8; CODE_LEN];
    rand::fill(&mut bytes);
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[(*b & 31) as usize] as char)
        .collect();
    symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Canonical form of a typed code: upper case, no separators; `None` if it cannot be one of ours.
pub fn normalise_code(code: &str) -> Option<String> {
    let canon: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (canon.len() == CODE_LEN && canon.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(canon)
}

fn hash_code(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// What a citizen or a desk officer submits.
pub struct NewCase<'a> {
    pub kind: &'a str,
    pub topic: &'a str,
    pub channel: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub citizen_name: &'a str,
    pub citizen_contact: &'a str,
    /// Nơi xảy ra: a unit valid on `received_on`; the case is routed to it.
    pub place_unit_id: i64,
    pub received_on: NaiveDate,
    /// The public form's one-time key; a second submission with it is refused.
    pub submission_key: Option<&'a str>,
    /// The reception session the case was raised at (desk entry).
    pub reception_session_id: Option<i64>,
    /// Files sent with the case, already checked with [`check_upload`].
    pub attachments: Option<Attachments<'a>>,
}

/// Files to store with a new case, and the folder they go to.
pub struct Attachments<'a> {
    pub dir: &'a Path,
    pub files: &'a [Upload],
}

/// A file from a form.
pub struct Upload {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_ATTACHMENTS: usize = 3;

/// Checks a file's size and type, by its name and by its first bytes, so a renamed executable
/// is not accepted as a PDF. Returns the content type to serve it with.
pub fn check_upload(filename: &str, bytes: &[u8]) -> DbResult<&'static str> {
    let shown: String = filename.chars().take(80).collect();
    if bytes.is_empty() {
        return Err(DbError::invalid(format!("Tệp “{shown}” rỗng.")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(DbError::invalid(format!(
            "Tệp “{shown}” lớn hơn 5 MB; vui lòng gửi tệp nhỏ hơn."
        )));
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (magic, content_type): (&[u8], &'static str) = match ext.as_str() {
        "pdf" => (b"%PDF-", "application/pdf"),
        "jpg" | "jpeg" => (b"\xFF\xD8\xFF", "image/jpeg"),
        "png" => (b"\x89PNG\r\n\x1A\n", "image/png"),
        "docx" => (
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        _ => {
            return Err(DbError::invalid(format!(
                "Tệp “{shown}” không đúng định dạng; chỉ nhận PDF, JPG, PNG, DOCX."
            )));
        }
    };
    if !bytes.starts_with(magic) {
        return Err(DbError::invalid(format!(
            "Nội dung tệp “{shown}” không phải {}.",
            ext.to_uppercase()
        )));
    }
    Ok(content_type)
}

/// Writes a case's files and their rows inside the case's transaction; returns the paths
/// written so they can be removed if the transaction does not commit.
async fn store_attachments<C: ConnectionTrait>(
    txn: &C,
    key: &IdentityKey,
    case: &voice_cases::Model,
    att: &Attachments<'_>,
    written: &mut Vec<std::path::PathBuf>,
) -> DbResult<()> {
    if att.files.len() > MAX_ATTACHMENTS {
        return Err(DbError::invalid(format!(
            "Chỉ gửi được tối đa {MAX_ATTACHMENTS} tệp đính kèm."
        )));
    }
    std::fs::create_dir_all(att.dir)
        .map_err(|e| DbError::Internal(format!("thư mục tệp đính kèm: {e}")))?;
    for file in att.files {
        let mut name = [0u8; 16];
        rand::fill(&mut name);
        let stored_name = hex::encode(name);
        let bytes = if case.protected {
            key.seal_bytes(&stored_name, &file.bytes)?
        } else {
            file.bytes.clone()
        };
        let path = att.dir.join(&stored_name);
        std::fs::write(&path, bytes)
            .map_err(|e| DbError::Internal(format!("ghi tệp đính kèm: {e}")))?;
        written.push(path);
        let filename = if case.protected {
            key.seal("attachment_name", &file.filename)?
        } else {
            file.filename.chars().take(200).collect()
        };
        voice_attachments::ActiveModel {
            case_id: Set(case.id),
            filename: Set(filename),
            content_type: Set(file.content_type.to_string()),
            size: Set(file.bytes.len() as i64),
            stored_name: Set(stored_name),
            sealed: Set(case.protected),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn validate(input: &NewCase<'_>) -> DbResult<Kind> {
    let kind = Kind::parse(input.kind).ok_or_else(|| {
        DbError::invalid("Vui lòng chọn loại đơn (phản ánh, kiến nghị, khiếu nại).")
    })?;
    if !TOPICS.iter().any(|(c, _)| *c == input.topic) {
        return Err(DbError::invalid("Vui lòng chọn lĩnh vực."));
    }
    if !CHANNELS.iter().any(|(c, _)| *c == input.channel) {
        return Err(DbError::invalid("Kênh tiếp nhận không hợp lệ."));
    }
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(DbError::invalid(
            "Vui lòng nhập tiêu đề (tối đa 200 ký tự).",
        ));
    }
    let body = input.body.trim();
    if body.chars().count() < 10 || body.chars().count() > 10_000 {
        return Err(DbError::invalid("Nội dung đơn cần từ 10 đến 10.000 ký tự."));
    }
    if input.citizen_name.chars().count() > 120 || input.citizen_contact.chars().count() > 200 {
        return Err(DbError::invalid(
            "Họ tên tối đa 120 ký tự, thông tin liên hệ tối đa 200 ký tự.",
        ));
    }
    if kind.is_complaint() && input.citizen_name.trim().is_empty() {
        // Luật Khiếu nại Điều 8: a complaint states the complainant's name and address.
        return Err(DbError::invalid(
            "Đơn khiếu nại phải ghi rõ họ tên và địa chỉ người khiếu nại.",
        ));
    }
    if kind == Kind::Denunciation && input.citizen_name.trim().is_empty() {
        // Luật Tố cáo Điều 23: a denunciation states the denouncer's name and address.
        return Err(DbError::invalid(
            "Đơn tố cáo phải ghi rõ họ tên, địa chỉ người tố cáo (được giữ bí mật).",
        ));
    }
    Ok(kind)
}

async fn step<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    case: &voice_cases::Model,
    action: &str,
    note: Option<String>,
) -> DbResult<()> {
    voice_case_steps::ActiveModel {
        case_id: Set(case.id),
        at: Set(Utc::now()),
        action: Set(action.to_string()),
        status: Set(case.status.clone()),
        note: Set(note.clone()),
        username: Set(actor.username.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        Entry {
            action: &format!("voice.{action}"),
            entity: "voice_case",
            entity_id: Some(case.id.to_string()),
            unit_id: Some(case.handling_unit_id),
            detail: Some(json!({"status": case.status, "note": note, "due_on": case.due_on})),
        },
    )
    .await
}

/// Files a new case and returns it with the tracking code (shown once, stored only hashed).
/// Public intake passes no scope; desk entry checks `Write` on the place first.
pub async fn submit<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: Option<&Scope>,
    actor: &Actor,
    key: &IdentityKey,
    input: NewCase<'_>,
) -> DbResult<(voice_cases::Model, String)> {
    let kind = validate(&input)?;
    if let Some(scope) = scope {
        scope.require(Permission::Write, input.place_unit_id)?;
    }
    let place = crate::units::get(conn, input.place_unit_id)
        .await
        .map_err(|_| DbError::invalid("Vui lòng chọn xã, phường nơi xảy ra sự việc."))?;
    if !danvan_domain::units::valid_on(place.valid_from, place.valid_to, input.received_on) {
        return Err(DbError::invalid(
            "Đơn vị đã chọn không còn tồn tại vào ngày nhận đơn.",
        ));
    }
    if let Some(session) = input.reception_session_id {
        let s = crate::entities::reception_sessions::Entity::find_by_id(session)
            .one(conn)
            .await?
            .ok_or_else(|| DbError::invalid("Buổi tiếp công dân không tồn tại."))?;
        if let Some(scope) = scope {
            scope.require(Permission::Write, s.unit_id)?;
        }
    }
    // The admin-entered official holiday schedules take precedence over the built-in rules.
    let cal = crate::calendar::work_calendar(conn).await?;
    let (due_on, version) = due(
        kind.intake_rule(),
        input.received_on,
        DueOptions::default(),
        &cal,
    )?;
    let protected = kind == Kind::Denunciation;
    let seal = |field: &str, value: &str| -> DbResult<Option<String>> {
        match opt(value) {
            Some(v) if protected => key.seal(field, &v).map(Some),
            other => Ok(other),
        }
    };
    let citizen_name = seal("citizen_name", input.citizen_name)?;
    let citizen_contact = seal("citizen_contact", input.citizen_contact)?;
    let code = new_tracking_code();
    let hash = hash_code(&normalise_code(&code).unwrap_or_default());
    let now = Utc::now();
    let txn = conn.begin().await?;
    if let Some(key) = input.submission_key {
        let seen = voice_cases::Entity::find()
            .filter(voice_cases::Column::SubmissionKey.eq(key))
            .count(&txn)
            .await?;
        if seen > 0 {
            return Err(DbError::conflict(
                "Đơn này đã được gửi trước đó; không tạo thêm đơn trùng. Vui lòng dùng mã tra cứu đã nhận.",
            ));
        }
    }
    let saved = voice_cases::ActiveModel {
        tracking_hash: Set(hash),
        submission_key: Set(input.submission_key.map(str::to_string)),
        kind: Set(kind.as_str().to_string()),
        topic: Set(input.topic.to_string()),
        channel: Set(input.channel.to_string()),
        title: Set(input.title.trim().to_string()),
        body: Set(input.body.trim().to_string()),
        protected: Set(protected),
        citizen_name: Set(citizen_name),
        citizen_contact: Set(citizen_contact),
        place_unit_id: Set(Some(place.id)),
        handling_unit_id: Set(place.id),
        assigned_to: Set(None),
        reception_session_id: Set(input.reception_session_id),
        status: Set(Status::Received.as_str().to_string()),
        complex: Set(false),
        remote: Set(false),
        received_on: Set(input.received_on),
        accepted_on: Set(None),
        rule_id: Set(Some(kind.intake_rule().to_string())),
        rule_version: Set(Some(version)),
        due_on: Set(Some(due_on)),
        extensions: Set(0),
        paused_on: Set(None),
        duplicate_of: Set(None),
        refusal_reason: Set(None),
        answer: Set(None),
        resolved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        crate::error::on_unique(
            e,
            "Đơn này đã được gửi trước đó; không tạo thêm đơn trùng. Vui lòng dùng mã tra cứu đã nhận.",
        )
    })?;
    let mut written = Vec::new();
    let stored = async {
        if let Some(att) = &input.attachments {
            store_attachments(&txn, key, &saved, att, &mut written).await?;
        }
        step(&txn, actor, &saved, "receive", None).await?;
        txn.commit().await?;
        DbResult::Ok(())
    }
    .await;
    if let Err(e) = stored {
        // Nothing half-stored: the rows rolled back, so the files go too.
        for path in written {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    Ok((saved, code))
}

/// What the public lookup shows: status and answer, nothing about the citizen or the staff.
pub struct PublicView {
    pub kind: &'static str,
    pub title: String,
    pub status: &'static str,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub refusal_reason: Option<String>,
    pub answer: Option<String>,
}

/// Looks a case up by its tracking code. A malformed or unknown code answers the same "not found".
pub async fn lookup<C: ConnectionTrait>(conn: &C, code: &str) -> DbResult<PublicView> {
    let case = find_by_code(conn, code).await?;
    Ok(public_view(case))
}

/// The case behind a tracking code, for the public views built here and in the Open311 API.
pub async fn find_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> DbResult<voice_cases::Model> {
    let canon = normalise_code(code).ok_or(DbError::NotFound("đơn"))?;
    // Looking up by the hash means no comparison with the secret code runs in the database or here.
    voice_cases::Entity::find()
        .filter(voice_cases::Column::TrackingHash.eq(hash_code(&canon)))
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("đơn"))
}

fn public_view(case: voice_cases::Model) -> PublicView {
    PublicView {
        kind: kind_label(&case.kind),
        title: case.title,
        status: status_label(&case.status),
        received_on: case.received_on,
        due_on: case.due_on,
        refusal_reason: case.refusal_reason,
        answer: case.answer,
    }
}

/// A case with its steps, for staff of the handling unit.
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: i64,
) -> DbResult<(voice_cases::Model, Vec<voice_case_steps::Model>)> {
    let case = voice_cases::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("đơn"))?;
    // Out-of-scope cases answer "not found" so ids cannot be probed.
    if !scope.allows(Permission::Read, case.handling_unit_id) {
        return Err(DbError::NotFound("đơn"));
    }
    let steps = voice_case_steps::Entity::find()
        .filter(voice_case_steps::Column::CaseId.eq(id))
        .order_by_asc(voice_case_steps::Column::Id)
        .all(conn)
        .await?;
    Ok((case, steps))
}

/// One line of the queue: only what the list shows, so 100,000 cases stay cheap.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct QueueRow {
    pub id: i64,
    pub kind: String,
    pub topic: String,
    pub title: String,
    pub status: String,
    pub handling_unit_id: i64,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
}

pub const QUEUE_LIMIT: u64 = 100;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Việc cần xử lý: every open case in scope, the nearest deadline first.
    Open,
    /// Quá hạn: open cases whose due date has passed. Cases of a unit's subtree show up for the
    /// superior unit too, which is how an overdue case escalates.
    Overdue,
}

/// The handler's queue or the overdue list, with the total count.
pub async fn queue<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    which: Queue,
    today: NaiveDate,
) -> DbResult<(Vec<QueueRow>, u64)> {
    let statuses: &[Status] = match which {
        Queue::Open => &Status::PENDING,
        Queue::Overdue => &Status::OPEN,
    };
    let mut cond = Condition::all()
        .add(voice_cases::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
    if !scope.is_province_admin() {
        cond =
            cond.add(voice_cases::Column::HandlingUnitId.is_in(scope.units_for(Permission::Read)));
    }
    if which == Queue::Overdue {
        cond = cond.add(voice_cases::Column::DueOn.lt(today));
    }
    let query = voice_cases::Entity::find().filter(cond);
    let total = query.clone().count(conn).await?;
    let rows = query
        .select_only()
        .columns([
            voice_cases::Column::Id,
            voice_cases::Column::Kind,
            voice_cases::Column::Topic,
            voice_cases::Column::Title,
            voice_cases::Column::Status,
            voice_cases::Column::HandlingUnitId,
            voice_cases::Column::ReceivedOn,
            voice_cases::Column::DueOn,
        ])
        .order_by_asc(voice_cases::Column::DueOn)
        .order_by_asc(voice_cases::Column::Id)
        .limit(QUEUE_LIMIT)
        .into_model::<QueueRow>()
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// A workflow step a handler takes.
pub enum Action<'a> {
    /// Thụ lý on `on`; starts the resolution clock.
    Accept {
        on: NaiveDate,
        complex: bool,
        remote: bool,
    },
    /// Không thụ lý, with the reason the citizen will read.
    Refuse { reason: &'a str },
    /// Bắt đầu giải quyết.
    Start,
    /// Gia hạn by `days`, with the decision it rests on.
    Extend { days: u32, basis: &'a str },
    /// Chuyển đơn to the competent unit.
    Transfer { to_unit: i64, reason: &'a str },
    /// Trả lời, kết luận.
    Resolve { answer: &'a str },
    /// Kết thúc.
    Close,
    /// Đơn trùng: closes this case as a repeat of `of`, which carries the answer.
    Duplicate { of: i64 },
    /// Tạm đình chỉ (Luật Tố cáo Điều 31): stops the clock on `on`, with the reason.
    Pause { on: NaiveDate, reason: &'a str },
    /// Tiếp tục: restarts the clock on `on`; the stopped days are added to the due date.
    Resume { on: NaiveDate },
}

fn required(text: &str, what: &str) -> DbResult<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 10_000 {
        return Err(DbError::invalid(format!(
            "Vui lòng nhập {what} (tối đa 10.000 ký tự)."
        )));
    }
    Ok(t.to_string())
}

fn wrong_state(case: &voice_cases::Model) -> DbError {
    DbError::conflict(format!(
        "Không thể thực hiện thao tác này khi đơn đang ở trạng thái “{}”.",
        status_label(&case.status)
    ))
}

/// Applies one workflow step, checking the scope, the state and the statutory rules.
pub async fn act<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    action: Action<'_>,
) -> DbResult<voice_cases::Model> {
    let (case, _) = get(conn, scope, id).await?;
    scope.require(Permission::Write, case.handling_unit_id)?;
    let status = Status::parse(&case.status).ok_or_else(|| wrong_state(&case))?;
    let kind = Kind::parse(&case.kind).ok_or_else(|| wrong_state(&case))?;
    let cal = crate::calendar::work_calendar(conn).await?;
    let mut am: voice_cases::ActiveModel = case.clone().into();
    let (name, note) = match action {
        Action::Accept {
            on,
            complex,
            remote,
        } => {
            if status != Status::Received {
                return Err(wrong_state(&case));
            }
            if on < case.received_on {
                return Err(DbError::invalid(
                    "Ngày thụ lý không được trước ngày nhận đơn.",
                ));
            }
            let (due_on, version) = due(
                kind.resolution_rule(),
                on,
                DueOptions { complex, remote },
                &cal,
            )?;
            am.status = Set(Status::Accepted.as_str().into());
            am.accepted_on = Set(Some(on));
            am.complex = Set(complex);
            am.remote = Set(remote);
            am.rule_id = Set(Some(kind.resolution_rule().into()));
            am.rule_version = Set(Some(version));
            am.due_on = Set(Some(due_on));
            am.assigned_to = Set(actor.user_id);
            ("accept", None)
        }
        Action::Refuse { reason } => {
            if status != Status::Received {
                return Err(wrong_state(&case));
            }
            let reason = required(reason, "lý do không thụ lý")?;
            am.status = Set(Status::Refused.as_str().into());
            am.refusal_reason = Set(Some(reason.clone()));
            am.due_on = Set(None);
            ("refuse", Some(reason))
        }
        Action::Start => {
            if status != Status::Accepted {
                return Err(wrong_state(&case));
            }
            am.status = Set(Status::InProgress.as_str().into());
            ("start", None)
        }
        Action::Extend { days, basis } => {
            if !matches!(status, Status::Accepted | Status::InProgress) {
                return Err(wrong_state(&case));
            }
            let basis = required(basis, "căn cứ gia hạn")?;
            let (Some(rule_id), Some(from), Some(current)) =
                (case.rule_id.as_deref(), case.accepted_on, case.due_on)
            else {
                return Err(wrong_state(&case));
            };
            let rule = deadlines::builtin_rules()
                .rule_for(rule_id, from)
                .map_err(|e| DbError::invalid(e.to_string()))?;
            let policy = rule.extension.as_ref().ok_or_else(|| {
                DbError::invalid(format!("Thời hạn “{}” không được gia hạn.", rule.name))
            })?;
            if case.extensions >= i32::from(policy.max_count) {
                return Err(DbError::invalid(format!(
                    "Thời hạn “{}” chỉ được gia hạn tối đa {} lần.",
                    rule.name, policy.max_count
                )));
            }
            let new_due = deadlines::extend(current, days, rule, &cal)
                .map_err(|e| DbError::invalid(e.to_string()))?;
            am.due_on = Set(Some(new_due));
            am.extensions = Set(case.extensions + 1);
            ("extend", Some(format!("{days} ngày; căn cứ: {basis}")))
        }
        Action::Transfer { to_unit, reason } => {
            if status != Status::Received {
                return Err(wrong_state(&case));
            }
            let reason = required(reason, "lý do chuyển đơn")?;
            let target = crate::units::get(conn, to_unit)
                .await
                .map_err(|_| DbError::invalid("Đơn vị nhận chuyển không tồn tại."))?;
            if target.id == case.handling_unit_id {
                return Err(DbError::invalid("Đơn đang thuộc đơn vị này."));
            }
            am.handling_unit_id = Set(target.id);
            (
                "transfer",
                Some(format!("Chuyển tới {}: {reason}", target.name)),
            )
        }
        Action::Resolve { answer } => {
            if !matches!(status, Status::Accepted | Status::InProgress) {
                return Err(wrong_state(&case));
            }
            let answer = required(answer, "nội dung trả lời")?;
            am.status = Set(Status::Resolved.as_str().into());
            am.answer = Set(Some(answer));
            am.resolved_at = Set(Some(Utc::now()));
            ("resolve", None)
        }
        Action::Close => {
            if !matches!(status, Status::Resolved | Status::Refused) {
                return Err(wrong_state(&case));
            }
            am.status = Set(Status::Closed.as_str().into());
            ("close", None)
        }
        Action::Duplicate { of } => {
            if !matches!(
                status,
                Status::Received | Status::Accepted | Status::InProgress
            ) {
                return Err(wrong_state(&case));
            }
            let original = get(conn, scope, of)
                .await
                .map_err(|_| {
                    DbError::invalid(format!("Không tìm thấy đơn số {of} trong phạm vi của bạn."))
                })?
                .0;
            if original.id == case.id || original.duplicate_of.is_some() {
                return Err(DbError::invalid(
                    "Hãy chọn đơn gốc (không phải chính đơn này hay một đơn trùng khác).",
                ));
            }
            am.status = Set(Status::Closed.as_str().into());
            am.duplicate_of = Set(Some(original.id));
            am.due_on = Set(None);
            am.answer = Set(Some(format!(
                "Đơn trùng nội dung với đơn đã tiếp nhận ngày {}; kết quả được trả lời theo đơn đó.",
                original.received_on.format("%d/%m/%Y")
            )));
            (
                "duplicate",
                Some(format!("Trùng với đơn số {}", original.id)),
            )
        }
        Action::Pause { on, reason } => {
            if kind != Kind::Denunciation
                || !matches!(status, Status::Accepted | Status::InProgress)
            {
                return Err(DbError::conflict(
                    "Chỉ tạm đình chỉ được đơn tố cáo đã thụ lý (Luật Tố cáo, Điều 31).",
                ));
            }
            let reason = required(reason, "lý do tạm đình chỉ")?;
            am.status = Set(Status::Paused.as_str().into());
            am.paused_on = Set(Some(on));
            ("pause", Some(reason))
        }
        Action::Resume { on } => {
            let (Status::Paused, Some(paused_on), Some(due_on)) =
                (status, case.paused_on, case.due_on)
            else {
                return Err(wrong_state(&case));
            };
            if on < paused_on {
                return Err(DbError::invalid(
                    "Ngày tiếp tục không được trước ngày tạm đình chỉ.",
                ));
            }
            // The stopped days do not count toward the period.
            let stopped = (on - paused_on).num_days().max(0) as u64;
            am.status = Set(Status::InProgress.as_str().into());
            am.paused_on = Set(None);
            am.due_on = Set(due_on.checked_add_days(chrono::Days::new(stopped)));
            ("resume", Some(format!("Dừng {stopped} ngày")))
        }
    };
    am.updated_at = Set(Utc::now());
    let txn = conn.begin().await?;
    let saved = am.update(&txn).await?;
    step(&txn, actor, &saved, name, note).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Who sent the case, as the reader may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: Option<String>,
    pub contact: Option<String>,
    /// Whether the identity is protected by the Luật Tố cáo (shown with a notice).
    pub protected: bool,
}

/// Only the handler assigned to the denunciation and the head (leader) of the handling unit
/// itself may know the denouncer (Luật Tố cáo Điều 56): not verifiers, not admins, not the
/// superior units.
pub fn may_see_identity(scope: &Scope, case: &voice_cases::Model) -> bool {
    case.assigned_to == Some(scope.user_id)
        || scope.assignments.iter().any(|(unit, role)| {
            *unit == case.handling_unit_id && *role == crate::authz::Role::Leader
        })
}

/// The sender of a case for this reader. A protected identity is decrypted only for those
/// entitled, and each such reading is written to the audit log; everyone else reads the notice.
pub async fn identity<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    key: &IdentityKey,
    case: &voice_cases::Model,
) -> DbResult<Identity> {
    if !scope.allows(Permission::Read, case.handling_unit_id) {
        return Err(DbError::NotFound("đơn"));
    }
    if !case.protected {
        return Ok(Identity {
            name: case.citizen_name.clone(),
            contact: case.citizen_contact.clone(),
            protected: false,
        });
    }
    if !may_see_identity(scope, case) {
        return Ok(Identity {
            name: Some(REDACTED.to_string()),
            contact: Some(REDACTED.to_string()),
            protected: true,
        });
    }
    let open = |field: &str, v: &Option<String>| -> DbResult<Option<String>> {
        v.as_deref().map(|s| key.open(field, s)).transpose()
    };
    let identity = Identity {
        name: open("citizen_name", &case.citizen_name)?,
        contact: open("citizen_contact", &case.citizen_contact)?,
        protected: true,
    };
    audit::record(
        conn,
        actor,
        Entry {
            action: "voice.identity.read",
            entity: "voice_case",
            entity_id: Some(case.id.to_string()),
            unit_id: Some(case.handling_unit_id),
            detail: None,
        },
    )
    .await?;
    Ok(identity)
}

/// An attachment as a reader of the case sees it.
pub struct AttachmentLine {
    pub id: i64,
    pub filename: String,
    pub size: i64,
    /// Whether this reader may download it.
    pub available: bool,
}

/// The attachments of a case for this reader; names of sealed files are redacted unless the
/// reader may see the denouncer's identity.
pub async fn attachments<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    key: &IdentityKey,
    case: &voice_cases::Model,
) -> DbResult<Vec<AttachmentLine>> {
    if !scope.allows(Permission::Read, case.handling_unit_id) {
        return Err(DbError::NotFound("đơn"));
    }
    let entitled = may_see_identity(scope, case);
    voice_attachments::Entity::find()
        .filter(voice_attachments::Column::CaseId.eq(case.id))
        .order_by_asc(voice_attachments::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| {
            let available = !a.sealed || entitled;
            let filename = match (a.sealed, entitled) {
                (false, _) => a.filename,
                (true, true) => key.open("attachment_name", &a.filename)?,
                (true, false) => REDACTED.to_string(),
            };
            Ok(AttachmentLine {
                id: a.id,
                filename,
                size: a.size,
                available,
            })
        })
        .collect()
}

/// One attachment's bytes for download: scoped like the case; sealed files only for those who
/// may see the identity, each such download audited.
pub async fn attachment<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    key: &IdentityKey,
    dir: &Path,
    case_id: i64,
    id: i64,
) -> DbResult<(String, String, Vec<u8>)> {
    let (case, _) = get(conn, scope, case_id).await?;
    let a = voice_attachments::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|a| a.case_id == case.id)
        .ok_or(DbError::NotFound("tệp đính kèm"))?;
    if a.sealed && !may_see_identity(scope, &case) {
        return Err(DbError::Forbidden);
    }
    // Stored names are our own hex; anything else would be a tampered row.
    if !a.stored_name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DbError::NotFound("tệp đính kèm"));
    }
    let raw =
        std::fs::read(dir.join(&a.stored_name)).map_err(|_| DbError::NotFound("tệp đính kèm"))?;
    let (filename, bytes) = if a.sealed {
        audit::record(
            conn,
            actor,
            Entry {
                action: "voice.identity.attachment",
                entity: "voice_case",
                entity_id: Some(case.id.to_string()),
                unit_id: Some(case.handling_unit_id),
                detail: Some(json!({"attachment": a.id})),
            },
        )
        .await?;
        (
            key.open("attachment_name", &a.filename)?,
            key.open_bytes(&a.stored_name, &raw)?,
        )
    } else {
        (a.filename, raw)
    };
    Ok((filename, a.content_type, bytes))
}
