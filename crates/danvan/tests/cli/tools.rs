use crate::{TempDir, run, stderr, stdout};

#[test]
fn lunar_dates_as_json() {
    let o = run(&["calendar", "lunar", "2024-02-10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"day": 1, "month": 1, "year": 2024, "leap": false})
    );
    // Tết 2007 fell on 17/2 in Việt Nam (UTC+7), a day before China's.
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["calendar", "lunar", "2007-02-17"]))).unwrap();
    assert_eq!((v["day"].as_u64(), v["month"].as_u64()), (Some(1), Some(1)));
    let o = run(&["calendar", "lunar", "2024-13-01"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("không hợp lệ"));
}

#[test]
fn deadlines_skip_weekends_and_tet() {
    let due = |args: &[&str]| {
        let mut all = vec!["deadline"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_string()
    };
    // 10 working days from Friday 24/1/2025 cross the weekend and the Tết holidays.
    assert_eq!(
        due(&["--rule", "tiep-cong-dan-tra-loi", "--from", "2025-01-24"]),
        "2025-02-14"
    );
    assert_eq!(
        due(&["--rule", "khieu-nai-lan-dau", "--from", "2024-03-01"]),
        "2024-04-01"
    );
    // 60 days (complex, remote area) end on 30/4/2024, a holiday like 1/5: the last day rolls to 2/5.
    assert_eq!(
        due(&[
            "--rule",
            "khieu-nai-lan-dau",
            "--from",
            "2024-03-01",
            "--complex",
            "--remote"
        ]),
        "2024-05-02"
    );
    let dir = TempDir::new("holidays");
    let file = dir.path().join("nghi.txt");
    std::fs::write(&file, "# không có ngày nghỉ lễ nào\n").unwrap();
    assert_eq!(
        due(&[
            "--rule",
            "tiep-cong-dan-tra-loi",
            "--from",
            "2025-01-24",
            "--holidays",
            file.to_str().unwrap()
        ]),
        "2025-02-07"
    );
    std::fs::write(&file, "2025-01-27\nngay-sai\n").unwrap();
    let o = run(&[
        "deadline",
        "--rule",
        "tiep-cong-dan-tra-loi",
        "--from",
        "2025-01-24",
        "--holidays",
        file.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains('2'),
        "the error names the bad line: {}",
        stderr(&o)
    );
    let o = run(&["deadline", "--rule", "khong-co", "--from", "2025-01-24"]);
    assert!(!o.status.success());
}
