use crate::{TempDir, run, stderr, stdout};
use danvan_db::testing::{Backend, fresh};

fn count(json: &str) -> usize {
    serde_json::from_str::<Vec<serde_json::Value>>(json)
        .expect("JSON array")
        .len()
}

/// `--data DIR` on SQLite, `--database-url` on PostgreSQL: same answers.
async fn location(b: Backend, dir: &TempDir) -> (Vec<String>, Option<danvan_db::testing::TestDb>) {
    match b {
        Backend::Sqlite => (vec!["--data".into(), dir.arg().into()], None),
        Backend::Postgres => {
            let t = fresh(b).await;
            (
                vec!["--database-url".into(), t.db.config.url.clone()],
                Some(t),
            )
        }
    }
}

async fn units_list_follows_the_reforms(b: Backend) {
    let dir = TempDir::new(&format!("units-{b:?}"));
    let (loc, _keep) = location(b, &dir).await;
    let list = |at: &str, kind: &str| {
        let mut args = vec!["units", "list", "--at", at, "--kind", kind, "--json"];
        args.extend(loc.iter().map(String::as_str));
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        count(&stdout(&o))
    };
    assert_eq!(list("2024-06-01", "commune"), 200);
    assert_eq!(list("2024-12-15", "commune"), 194);
    assert_eq!(list("2025-07-15", "commune"), 65);
    assert_eq!(list("2024-06-01", "district"), 11);
    assert_eq!(list("2025-07-15", "district"), 0);

    let mut args = vec!["units", "list", "--at", "2025-07-15", "--kind", "commune"];
    args.extend(loc.iter().map(String::as_str));
    let text = stdout(&run(&args));
    assert!(text.contains("Phường Lương Văn Tri"));
    assert!(text.contains("Tổng: 65 đơn vị tại ngày 15/07/2025"));

    let mut args = vec!["units", "history", "Khánh Xuân"];
    args.extend(loc.iter().map(String::as_str));
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Xã Khánh Xuân"));
    assert!(text.contains("01/07/2025  Hợp nhất"));
    assert!(text.contains("→ Xã Lộc Bình"));
    assert!(text.contains("1672/NQ-UBTVQH15"));
}
danvan_db::both_backends!(units_list, units_list_follows_the_reforms);

#[test]
fn bad_arguments_get_clear_vietnamese_errors() {
    let dir = TempDir::new("bad");
    let o = run(&["units", "list", "--at", "30/6/2025", "--data", dir.arg()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("ngày “30/6/2025” không hợp lệ"),
        "{}",
        stderr(&o)
    );
    let o = run(&["units", "list", "--kind", "galaxy", "--data", dir.arg()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("loại đơn vị “galaxy” không hợp lệ"));
    let o = run(&["units", "history", "Không Có Xã Này", "--data", dir.arg()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("không tìm thấy đơn vị"));
    let o = run(&[
        "units",
        "list",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("không kết nối được cơ sở dữ liệu"));
    assert!(!stderr(&o).contains("panicked"));
}
