use crate::{TempDir, run, stderr, stdout};

#[test]
fn api_key_create_prints_a_new_key_once_and_stores_only_its_hash() {
    let dir = TempDir::new("apikey");
    let first = run(&[
        "api-key",
        "create",
        "--name",
        "Ứng dụng phản ánh",
        "--scope",
        "open311",
        "--data",
        dir.arg(),
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let key = stdout(&first).trim().to_string();
    assert!(key.starts_with("dv_") && key.len() == 67, "{key}");
    assert!(stderr(&first).contains("chỉ hiển thị một lần"));
    let second = run(&[
        "api-key",
        "create",
        "--name",
        "Khác",
        "--scope",
        "open311",
        "--data",
        dir.arg(),
    ]);
    assert_ne!(stdout(&second).trim(), key);
    for file in ["danvan.db", "danvan.db-wal"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&key),
            "the key itself is not in {file}"
        );
    }

    let bad = run(&[
        "api-key",
        "create",
        "--name",
        "x",
        "--scope",
        "admin",
        "--data",
        dir.arg(),
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("phạm vi “admin” không hợp lệ"));
}
