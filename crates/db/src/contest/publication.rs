//! Công bố kết quả: after a round is frozen, organisers publish its results; from then on
//! anyone may read the winners (name and unit only, never a phone number or a birth date) and
//! the round's figures, as announcements in the press do.

use super::admin::{FrozenSummary, frozen_summary, get_round, names, unit_names};
use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{contest_results, contest_rounds, contests};
use crate::{Actor, DbError, DbResult};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionSession,
    TransactionTrait,
};
use serde_json::json;

/// How many units the announcement lists by number of participants ("top 10 đơn vị").
pub const TOP_UNITS: usize = 10;

/// Publishes the frozen results of a round. Only once, and only after the freeze.
pub async fn announce_round<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    round_id: i64,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let (contest, round) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    if round.stats.is_none() {
        return Err(DbError::conflict(
            "Chỉ công bố kết quả sau khi đã chốt kết quả vòng thi.",
        ));
    }
    let txn = conn.begin().await?;
    let updated = contest_rounds::Entity::update_many()
        .col_expr(
            contest_rounds::Column::AnnouncedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(contest_rounds::Column::Id.eq(round_id))
        .filter(contest_rounds::Column::AnnouncedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DbError::conflict("Kết quả vòng thi đã được công bố."));
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.round.announce",
            entity: "contest_round",
            entity_id: Some(round_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"announced_at": now})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A winner as published: no contact data.
#[derive(Debug, Clone)]
pub struct PublishedWinner {
    pub rank: i32,
    pub prize: String,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub correct: i32,
    pub total: i32,
    pub duration_ms: i64,
}

/// Everything the public results page shows.
#[derive(Debug, Clone)]
pub struct PublishedResults {
    pub contest_title: String,
    pub round_name: String,
    pub announced_at: DateTime<Utc>,
    pub summary: FrozenSummary,
    pub winners: Vec<PublishedWinner>,
    /// The units with the most participants, with their counts.
    pub top_units: Vec<(String, u64)>,
}

/// The published results of a round, for anyone; `None` while they are not published (the
/// round's existence is no secret: its page is public).
pub async fn published<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
) -> DbResult<Option<PublishedResults>> {
    let round = contest_rounds::Entity::find_by_id(round_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("vòng thi"))?;
    let (Some(announced_at), Some(summary)) = (round.announced_at, frozen_summary(&round)) else {
        return Ok(None);
    };
    let contest = contests::Entity::find_by_id(round.contest_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("cuộc thi"))?;
    let rows = contest_results::Entity::find()
        .filter(contest_results::Column::RoundId.eq(round_id))
        .filter(contest_results::Column::Prize.is_not_null())
        .order_by_asc(contest_results::Column::Rank)
        .all(conn)
        .await?;
    let people = names(conn, rows.iter().map(|r| r.contestant_id).collect()).await?;
    let top: Vec<_> = summary
        .stats
        .by_unit
        .iter()
        .filter_map(|b| b.key.map(|k| (k, b.participants)))
        .take(TOP_UNITS)
        .collect();
    let top_names = unit_names(conn, top.iter().map(|(k, _)| *k).collect()).await?;
    let winners = rows
        .into_iter()
        .filter_map(|r| {
            let (full_name, unit_name) = people.get(&r.contestant_id)?.clone();
            Some(PublishedWinner {
                rank: r.rank,
                prize: r.prize?,
                full_name,
                unit_name,
                correct: r.correct,
                total: r.total,
                duration_ms: r.duration_ms,
            })
        })
        .collect();
    let top_units = top
        .into_iter()
        .filter_map(|(k, n)| Some((top_names.get(&k)?.clone(), n)))
        .collect();
    Ok(Some(PublishedResults {
        contest_title: contest.title,
        round_name: round.name,
        announced_at,
        summary,
        winners,
        top_units,
    }))
}
