//! Demonstration accounts and records, written by us for trying the product. Idempotent: a second
//! run changes nothing.

use crate::accounts::{self, NewUser};
use crate::authz::Role;
use crate::contacts::{self, ContactInput};
use crate::entities::{units, users};
use crate::{Actor, DbError, DbResult};
use chrono::NaiveDate;
use danvan_domain::units::valid_on;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Every demo account shares this password; it is printed at start so testers can sign in.
pub const DEMO_PASSWORD: &str = "danvan-demo-2024";

/// A demo login to print.
pub struct DemoLogin {
    pub username: &'static str,
    pub description: &'static str,
}

struct DemoUser {
    username: &'static str,
    full_name: &'static str,
    unit_code: &'static str,
    role: Role,
    description: &'static str,
}

const USERS: &[DemoUser] = &[
    DemoUser {
        username: "admin",
        full_name: "Nguyễn Văn Quản",
        unit_code: "20",
        role: Role::ProvinceAdmin,
        description: "quản trị tỉnh",
    },
    DemoUser {
        username: "lanhdao.bdv",
        full_name: "Hoàng Thị Lan",
        unit_code: "ORG-BTGDVTU",
        role: Role::Leader,
        description: "lãnh đạo Ban Tuyên giáo và Dân vận Tỉnh ủy",
    },
    DemoUser {
        username: "qt.locbinh",
        full_name: "Lương Văn Minh",
        unit_code: "06529",
        role: Role::UnitAdmin,
        description: "quản trị xã Lộc Bình",
    },
    DemoUser {
        username: "canbo.locbinh",
        full_name: "Vi Thị Hoa",
        unit_code: "06529",
        role: Role::Specialist,
        description: "cán bộ xã Lộc Bình",
    },
    DemoUser {
        username: "canbo.dinhlap",
        full_name: "Nông Văn Tuấn",
        unit_code: "06613",
        role: Role::Specialist,
        description: "cán bộ xã Đình Lập",
    },
];

/// Today's unit with this code (codes are reused, so pick the version valid on `day`).
pub async fn unit_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
    day: NaiveDate,
) -> DbResult<units::Model> {
    units::Entity::find()
        .filter(units::Column::Code.eq(code))
        .all(conn)
        .await?
        .into_iter()
        .find(|u| valid_on(u.valid_from, u.valid_to, day))
        .ok_or(DbError::NotFound("đơn vị"))
}

/// Loads the demo data if it is not there yet and returns the logins to print.
pub async fn load<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    today: NaiveDate,
) -> DbResult<Vec<DemoLogin>> {
    let actor = Actor::system();
    for u in USERS {
        let exists = users::Entity::find()
            .filter(users::Column::Username.eq(u.username))
            .one(conn)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let unit = unit_by_code(conn, u.unit_code, today).await?;
        let user = accounts::create_user_unchecked(
            conn,
            &actor,
            NewUser {
                username: u.username,
                full_name: u.full_name,
                email: None,
                password: DEMO_PASSWORD,
                must_change_password: false,
            },
            Some(unit.id),
        )
        .await?;
        accounts::assign_role_unchecked(conn, &actor, user.id, unit.id, u.role).await?;
        if u.role == Role::Specialist {
            let admin_scope = crate::authz::Scope::load(conn, user.id).await?;
            contacts::create(
                conn,
                &admin_scope,
                &actor,
                unit.id,
                ContactInput {
                    full_name: u.full_name,
                    position: "Cán bộ phụ trách công tác dân vận",
                    phone: "0205 3800 000",
                    email: "",
                },
            )
            .await?;
        }
    }
    Ok(USERS
        .iter()
        .map(|u| DemoLogin {
            username: u.username,
            description: u.description,
        })
        .collect())
}

/// Title of the demo contest.
pub const DEMO_CONTEST: &str = "Cuộc thi trắc nghiệm trên Internet tìm hiểu phong trào thi đua \"Dân vận khéo\" tỉnh Lạng Sơn năm 2024";

/// Creates the open demo contest (if missing) and returns its round: open since an hour ago
/// for 30 days, 20 questions from a bank of 210, 10 minutes, no required optional fields.
pub async fn load_contest<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> DbResult<i64> {
    use crate::contest::admin::question_from;
    use crate::contest::demo_bank::{FACTS, STEMS};
    use crate::entities::{contest_rounds, contests};
    use sea_orm::{ActiveModelTrait, QueryOrder, Set, TransactionSession};

    if let Some(existing) = contests::Entity::find()
        .filter(contests::Column::Title.eq(DEMO_CONTEST))
        .one(conn)
        .await?
        && let Some(round) = contest_rounds::Entity::find()
            .filter(contest_rounds::Column::ContestId.eq(existing.id))
            .order_by_asc(contest_rounds::Column::Id)
            .one(conn)
            .await?
    {
        return Ok(round.id);
    }
    let province = unit_by_code(conn, "20", crate::contest::vn_date(now)).await?;
    let settings = danvan_domain::contest::RoundSettings {
        max_attempts: Some(3),
        ..Default::default()
    };
    let txn = conn.begin().await?;
    let contest = contests::ActiveModel {
        title: Set(DEMO_CONTEST.into()),
        unit_id: Set(province.id),
        min_age: Set(Some(12)),
        require_national_id: Set(false),
        require_unit: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let round = contest_rounds::ActiveModel {
        contest_id: Set(contest.id),
        name: Set("Tuần thi thứ nhất".into()),
        opens_at: Set(now - chrono::Duration::hours(1)),
        closes_at: Set(now + chrono::Duration::days(30)),
        settings: Set(
            serde_json::to_string(&settings).map_err(|e| DbError::Internal(e.to_string()))?
        ),
        frozen_at: Set(None),
        stats: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (i, stem) in STEMS.iter().enumerate() {
        for (question, correct, wrong, topic) in FACTS {
            // Rotate the right answer through the positions so the bank has no favourite letter.
            let pos = i % 4;
            let mut options: Vec<&str> = wrong.to_vec();
            options.insert(pos, correct);
            let text = format!("{stem}{question}");
            let mut q = question_from(&text, &options, pos);
            q.topic = Some((*topic).into());
            crate::contest::admin::add_question_in(&txn, round.id, q).await?;
        }
    }
    txn.commit().await?;
    Ok(round.id)
}
