use crate::accounts::user_on;
use chrono::Duration;
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::ratelimit::{self, Limit};
use danvan_db::sessions;
use danvan_db::testing::{Backend, fresh};

async fn sessions_store_only_a_hash(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let (uid, _) = user_on(c, "canbo.s", "06529", Role::Viewer).await;
    let (token, row) = sessions::create(c, uid, None).await.unwrap();
    assert_ne!(row.token_hash, token);
    assert_eq!(row.csrf_token.len(), 64);
    let (found, user) = sessions::lookup(c, &token).await.unwrap().unwrap();
    assert_eq!(user.id, uid);
    assert_eq!(found.token_hash, row.token_hash);
    assert!(
        sessions::lookup(c, &row.token_hash)
            .await
            .unwrap()
            .is_none(),
        "the stored hash is not a token"
    );
    sessions::delete(c, &row.token_hash).await.unwrap();
    assert!(sessions::lookup(c, &token).await.unwrap().is_none());
}
both_backends!(session_hash, sessions_store_only_a_hash);

async fn rate_limits_count_per_key(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let limit = Limit {
        max: 3,
        window: Duration::minutes(15),
    };
    for _ in 0..3 {
        assert!(ratelimit::hit(c, "login:user:x", limit).await.unwrap());
    }
    assert!(!ratelimit::hit(c, "login:user:x", limit).await.unwrap());
    assert!(
        ratelimit::is_blocked(c, "login:user:x", limit)
            .await
            .unwrap()
    );
    assert!(
        !ratelimit::is_blocked(c, "login:user:y", limit)
            .await
            .unwrap()
    );
    ratelimit::clear(c, "login:user:x").await.unwrap();
    assert!(
        !ratelimit::is_blocked(c, "login:user:x", limit)
            .await
            .unwrap()
    );
    let expired = Limit {
        max: 1,
        window: Duration::zero(),
    };
    assert!(ratelimit::hit(c, "k", expired).await.unwrap());
    assert!(
        ratelimit::hit(c, "k", expired).await.unwrap(),
        "a passed window starts again"
    );
}
both_backends!(rate_limits, rate_limits_count_per_key);
