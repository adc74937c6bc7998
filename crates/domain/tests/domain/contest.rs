//! The quiz contest rules: settings, bank import, draw, timing, scoring, attempt limits,
//! ranking and prizes, statistics and registration.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use danvan_domain::contest::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 3, h, m, s).unwrap()
}

/// `n` questions; option `id * 10` is always correct; topics cycle over three, difficulty 1–3.
fn bank(n: i64) -> Vec<Question> {
    (0..n)
        .map(|id| Question {
            id,
            text: format!("Câu hỏi {id}"),
            options: (0..4)
                .map(|o| QuestionOption {
                    id: id * 10 + o,
                    text: format!("Phương án {o} của câu {id}"),
                })
                .collect(),
            correct_option: id * 10,
            topic: Some(["Lịch sử", "Pháp luật", "Dân vận"][(id % 3) as usize].to_owned()),
            difficulty: Some((id % 3 + 1) as u8),
        })
        .collect()
}

fn settings_k(k: u16) -> RoundSettings {
    RoundSettings {
        questions_per_attempt: k,
        ..RoundSettings::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Settings

#[test]
fn default_settings_are_valid_and_use_the_documented_tie_break() {
    let s = RoundSettings::default();
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(
        s.tie_break,
        vec![
            TieKey::CorrectDesc,
            TieKey::PredictionErrorAsc,
            TieKey::DurationAsc,
            TieKey::SubmittedAtAsc
        ]
    );
    assert_eq!(
        s.effective_tie_break().last(),
        Some(&TieKey::ContestantIdAsc)
    );
    assert_eq!(s.prize_total(), 16);
}

#[test]
fn settings_out_of_range_are_refused_in_vietnamese() {
    let cases: Vec<(RoundSettings, &str)> = vec![
        (settings_k(0), "số câu hỏi mỗi lượt thi"),
        (settings_k(101), "số câu hỏi mỗi lượt thi"),
        (
            RoundSettings {
                time_limit_secs: 0,
                ..RoundSettings::default()
            },
            "thời gian làm bài",
        ),
        (
            RoundSettings {
                time_limit_secs: 7_201,
                ..RoundSettings::default()
            },
            "thời gian làm bài",
        ),
        (
            RoundSettings {
                grace_secs: 61,
                ..RoundSettings::default()
            },
            "gia hạn",
        ),
        (
            RoundSettings {
                max_attempts: Some(0),
                ..RoundSettings::default()
            },
            "số lượt thi tối đa",
        ),
        (
            RoundSettings {
                tie_break: vec![TieKey::CorrectDesc, TieKey::CorrectDesc],
                ..RoundSettings::default()
            },
            "lặp lại",
        ),
        (
            RoundSettings {
                min_correct_for_prize: Some(21),
                ..RoundSettings::default()
            },
            "tối thiểu",
        ),
        (
            RoundSettings {
                prizes: vec![PrizeTier {
                    name: "Giải Nhất".into(),
                    count: 0,
                    value_vnd: None,
                }],
                ..RoundSettings::default()
            },
            "Giải Nhất",
        ),
    ];
    for (s, needle) in cases {
        let err = s.validate().unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("Cấu hình vòng thi không hợp lệ"), "{msg}");
        assert!(msg.contains(needle), "{msg} should mention {needle}");
    }
}

#[test]
fn strata_must_add_up_to_k() {
    let stratum = |topic: &str, count| Stratum {
        topic: Some(topic.into()),
        difficulty: None,
        count,
    };
    let mut s = RoundSettings {
        stratify: vec![stratum("Lịch sử", 7), stratum("Pháp luật", 8)],
        ..RoundSettings::default()
    };
    let msg = s.validate().unwrap_err().to_string();
    assert!(msg.contains("(15)") && msg.contains("(20)"), "{msg}");
    s.stratify.push(stratum("Dân vận", 5));
    assert_eq!(s.validate(), Ok(()));
    s.stratify.push(stratum("Dân vận", 0));
    assert!(s.validate().is_err());
}

#[test]
fn settings_json_fills_defaults_and_round_trips() {
    let s: RoundSettings = serde_json::from_str(
        r#"{"questions_per_attempt":10,"max_attempts":null,"counting":"first",
            "prediction_target":"participants","tie_break":["correct_desc","duration_asc","started_at_asc"]}"#,
    )
    .unwrap();
    assert_eq!(s.questions_per_attempt, 10);
    assert_eq!(s.max_attempts, None);
    assert_eq!(s.counting, Counting::First);
    assert_eq!(s.time_limit_secs, 600);
    assert_eq!(s.validate(), Ok(()));
    let back: RoundSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    assert!(serde_json::from_str::<RoundSettings>(r#"{"unknown_field":1}"#).is_err());
}

// ---------------------------------------------------------------------------------------------
// Questions and CSV

#[test]
fn question_rules() {
    let good = bank(1).remove(0);
    assert_eq!(validate_question(&good), Ok(()));

    let mut two = good.clone();
    two.options.truncate(2);
    let msg = validate_question(&two).unwrap_err().to_string();
    assert!(msg.contains("từ 3 đến 4 phương án"), "{msg}");

    let mut five = good.clone();
    five.options.push(QuestionOption {
        id: 99,
        text: "Thêm".into(),
    });
    assert!(validate_question(&five).is_err());

    let mut wrong_key = good.clone();
    wrong_key.correct_option = 12345;
    let msg = validate_question(&wrong_key).unwrap_err().to_string();
    assert!(msg.contains("đáp án đúng không nằm trong"), "{msg}");

    let mut dup_text = good.clone();
    dup_text.options[2].text = "  PHƯƠNG ÁN 0   của câu 0".into();
    let msg = validate_question(&dup_text).unwrap_err().to_string();
    assert!(
        msg.contains("phương án C trùng nội dung với phương án A"),
        "{msg}"
    );

    let mut tones_differ = good.clone();
    tones_differ.options[0].text = "bảo".into();
    tones_differ.options[1].text = "bão".into();
    assert_eq!(validate_question(&tones_differ), Ok(()));

    let mut dup_id = good.clone();
    dup_id.options[3].id = dup_id.options[2].id;
    assert!(validate_question(&dup_id).is_err());

    let mut empty = good.clone();
    empty.options[1].text = "   ".into();
    assert!(
        validate_question(&empty)
            .unwrap_err()
            .to_string()
            .contains("phương án B đang trống")
    );

    let mut blank = good;
    blank.text = " ".into();
    assert!(validate_question(&blank).is_err());
}

#[test]
fn csv_import_reads_quotes_newlines_bom_and_diacritic_headers() {
    let csv = "\u{FEFF}STT,Câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Chủ đề,Độ khó\r\n\
               1,\"Theo Bác Hồ, \"\"dân vận khéo\"\" là gì?\",Khéo léo,\"Vận động\nnhân dân\",Cả hai,,c,Dân vận,khó\r\n\
               2,Năm thành lập Đảng?,1930,1945,1954,1975,A,,1\r\n";
    let rows = import_csv(csv);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let q = rows[0].as_ref().unwrap();
    assert_eq!(q.text, "Theo Bác Hồ, \"dân vận khéo\" là gì?");
    assert_eq!(q.options, vec!["Khéo léo", "Vận động\nnhân dân", "Cả hai"]);
    assert_eq!(q.correct, 2);
    assert_eq!(q.topic.as_deref(), Some("Dân vận"));
    assert_eq!(q.difficulty, Some(3));
    let q = rows[1].as_ref().unwrap();
    assert_eq!(q.options.len(), 4);
    assert_eq!(
        (q.correct, q.topic.as_deref(), q.difficulty),
        (0, None, Some(1))
    );
}

#[test]
fn csv_import_accepts_semicolons_from_vietnamese_excel() {
    let csv = "cau_hoi;phuong_an_a;phuong_an_b;phuong_an_c;dap_an\nHỏi?;Một, hai;Ba;Bốn;B\n";
    let rows = import_csv(csv);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].as_ref().unwrap().options[0], "Một, hai");
}

#[test]
fn csv_import_reports_each_bad_row_and_keeps_the_good_ones() {
    let csv = "cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,phuong_an_d,dap_an\n\
               Câu tốt?,A1,B1,C1,,A\n\
               Thiếu đáp án?,A2,B2,C2,D2,\n\
               Hai phương án?,A3,B3,,,A\n\
               Đáp án E?,A4,B4,C4,D4,E\n\
               \n\
               Đáp án D mà không có D?,A5,B5,C5,,D\n\
               Phương án trùng?,Có,có,Không,,A\n\
               Câu tốt nữa?,A6,B6,C6,D6,d\n";
    let rows = import_csv(csv);
    assert_eq!(rows.len(), 7, "blank rows are skipped: {rows:?}");
    assert!(rows[0].is_ok());
    assert!(rows[6].is_ok());
    let err = |i: usize| rows[i].clone().unwrap_err();
    assert_eq!(err(1).row, 3);
    assert!(err(1).message.contains("thiếu đáp án"), "{}", err(1));
    assert_eq!(err(2).row, 4);
    assert!(
        err(2).message.contains("từ 3 đến 4 phương án"),
        "{}",
        err(2)
    );
    assert_eq!(err(3).row, 5);
    assert!(err(3).message.contains("\"E\" không hợp lệ"), "{}", err(3));
    assert_eq!(
        err(4).row,
        7,
        "the blank row still counts as a spreadsheet row"
    );
    assert!(
        err(4).message.contains("không có phương án D"),
        "{}",
        err(4)
    );
    assert!(err(5).message.contains("trùng nội dung"), "{}", err(5));
    assert_eq!(err(1).to_string(), format!("Dòng 3: {}", err(1).message));
}

#[test]
fn csv_import_header_and_quote_problems() {
    let rows = import_csv("cau_hoi,phuong_an_a,phuong_an_b\nX,1,2\n");
    assert_eq!(rows.len(), 1);
    let e = rows[0].clone().unwrap_err();
    assert_eq!(e.row, 1);
    assert!(
        e.message.contains("phuong_an_c") && e.message.contains("dap_an"),
        "{e}"
    );

    assert_eq!(import_csv("").len(), 1);
    assert!(import_csv("\u{FEFF}").first().unwrap().is_err());

    let rows = import_csv(
        "cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an\nOk?,1,2,3,A\n\"Chưa đóng,1,2,3,A\n",
    );
    assert_eq!(rows.len(), 2);
    assert!(rows[0].is_ok());
    let e = rows[1].clone().unwrap_err();
    assert_eq!(e.row, 3);
    assert!(e.message.contains("ngoặc kép"), "{e}");

    let rows =
        import_csv("cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an,do_kho\nX?,1,2,3,A,9\n");
    assert!(rows[0].clone().unwrap_err().message.contains("độ khó"));
}

#[test]
fn csv_export_has_bom_and_crlf() {
    let out = export_csv(&bank(2));
    assert!(out.starts_with("\u{FEFF}cau_hoi,phuong_an_a"));
    assert!(out.contains("\r\nCâu hỏi 1,"));
    let rows = import_csv(&out);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(Result::is_ok));
}

fn cell_text() -> impl Strategy<Value = String> {
    // Commas, quotes, semicolons and line breaks inside cells, Vietnamese letters; import trims
    // and NFC-normalises, so generated text is already in that form.
    "[a-zA-Zà-ỹĐđ0-9 ,;\"\n?]{1,30}"
        .prop_map(|s| danvan_domain::text::normalize(s.trim()))
        .prop_filter("non-empty after trimming", |s| !s.is_empty())
}

fn new_question() -> impl Strategy<Value = NewQuestion> {
    (
        cell_text(),
        prop::collection::vec(cell_text(), 3..=4),
        0usize..4,
        prop::option::of(
            "[A-Za-zà-ỹ]{1,10}( [a-zà-ỹ]{1,8})?".prop_map(|t| danvan_domain::text::normalize(&t)),
        ),
        prop::option::of(1u8..=5),
    )
        .prop_filter_map(
            "valid question",
            |(text, options, correct, topic, difficulty)| {
                let lower: HashSet<String> = options.iter().map(|o| o.to_lowercase()).collect();
                (lower.len() == options.len() && correct < options.len()).then_some(NewQuestion {
                    text,
                    options,
                    correct,
                    topic,
                    difficulty,
                })
            },
        )
}

proptest! {
    #[test]
    fn csv_export_import_round_trip(questions in prop::collection::vec(new_question(), 0..8)) {
        let mut next = 0i64;
        let stored: Vec<Question> = questions
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, q)| q.into_question(i as i64, || { next += 1; next }))
            .collect();
        for q in &stored {
            prop_assert_eq!(validate_question(q), Ok(()));
        }
        let back: Vec<NewQuestion> = import_csv(&export_csv(&stored))
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, questions);
    }

    #[test]
    fn csv_import_never_panics(input in "(?s).{0,300}") {
        let _ = import_csv(&input);
    }
}

// ---------------------------------------------------------------------------------------------
// Draw

fn ids(a: &DrawnAttempt) -> Vec<i64> {
    a.questions.iter().map(|q| q.question_id).collect()
}

#[test]
fn draw_is_reproducible_from_the_seed_and_varies_with_it() {
    let bank = bank(1_000);
    let s = RoundSettings::default();
    let none = HashSet::new();
    let a = draw(&bank, &s, 42, &none).unwrap();
    let b = draw(&bank, &s, 42, &none).unwrap();
    let c = draw(&bank, &s, 43, &none).unwrap();
    assert_eq!(a, b);
    assert_ne!(ids(&a), ids(&c));
    assert_eq!(a.questions.len(), 20);
    let distinct: HashSet<i64> = ids(&a).into_iter().collect();
    assert_eq!(distinct.len(), 20);
    for dq in &a.questions {
        let mut order = dq.option_order.clone();
        order.sort_unstable();
        let expected: Vec<i64> = (0..4).map(|o| dq.question_id * 10 + o).collect();
        assert_eq!(order, expected, "options are a permutation");
    }
    // Option order is shuffled too: across 20 questions, the correct option is not always first.
    assert!(
        a.questions
            .iter()
            .any(|dq| dq.option_order[0] != dq.question_id * 10)
    );
}

#[test]
fn draw_question_order_differs_between_attempts_on_a_small_bank() {
    // With K equal to the bank size every attempt has the same questions; the order differs.
    let bank = bank(20);
    let a = draw(&bank, &settings_k(20), 1, &HashSet::new()).unwrap();
    let b = draw(&bank, &settings_k(20), 2, &HashSet::new()).unwrap();
    let (mut sa, mut sb) = (ids(&a), ids(&b));
    assert_ne!(sa, sb);
    sa.sort_unstable();
    sb.sort_unstable();
    assert_eq!(sa, sb);
}

#[test]
fn draw_honours_strata() {
    let bank = bank(300);
    let stratum = |topic: Option<&str>, difficulty, count| Stratum {
        topic: topic.map(str::to_owned),
        difficulty,
        count,
    };
    let s = RoundSettings {
        stratify: vec![
            stratum(Some("Lịch sử"), None, 7),
            stratum(None, Some(2), 8),
            stratum(Some("Dân vận"), Some(3), 5),
        ],
        ..RoundSettings::default()
    };
    assert_eq!(s.validate(), Ok(()));
    let by_id: HashMap<i64, &Question> = bank.iter().map(|q| (q.id, q)).collect();
    for seed in 0..50 {
        let a = draw(&bank, &s, seed, &HashSet::new()).unwrap();
        let qs: Vec<&Question> = ids(&a).iter().map(|id| by_id[id]).collect();
        let count = |f: &dyn Fn(&Question) -> bool| qs.iter().filter(|q| f(q)).count();
        assert_eq!(count(&|q| q.topic.as_deref() == Some("Lịch sử")), 7);
        assert_eq!(count(&|q| q.difficulty == Some(2)), 8);
        assert_eq!(count(&|q| q.topic.as_deref() == Some("Dân vận")), 5);
        assert_eq!(qs.len(), 20);
    }
}

#[test]
fn draw_refuses_a_bank_or_stratum_too_small() {
    let err = draw(&bank(19), &settings_k(20), 0, &HashSet::new()).unwrap_err();
    assert_eq!(
        err,
        ContestError::BankTooSmall {
            needed: 20,
            available: 19
        }
    );
    assert_eq!(
        err.to_string(),
        "Ngân hàng câu hỏi chỉ có 19 câu, không đủ 20 câu cho một lượt thi"
    );

    let s = RoundSettings {
        questions_per_attempt: 5,
        stratify: vec![
            Stratum {
                topic: Some("Lịch sử".into()),
                difficulty: None,
                count: 4,
            },
            Stratum {
                topic: Some("Không có".into()),
                difficulty: None,
                count: 1,
            },
        ],
        ..RoundSettings::default()
    };
    let err = draw(&bank(30), &s, 0, &HashSet::new()).unwrap_err();
    assert!(matches!(
        err,
        ContestError::StratumTooSmall {
            needed: 1,
            available: 0,
            ..
        }
    ));
    assert!(err.to_string().contains("chủ đề \"Không có\""), "{err}");
}

#[test]
fn draw_prefers_questions_not_seen_before() {
    let bank = bank(30);
    let seen: HashSet<i64> = (0..10).collect();
    for seed in 0..20 {
        let a = draw(&bank, &settings_k(20), seed, &seen).unwrap();
        assert!(
            ids(&a).iter().all(|id| !seen.contains(id)),
            "only unseen when enough"
        );
    }
    let seen: HashSet<i64> = (0..25).collect();
    let a = draw(&bank, &settings_k(20), 7, &seen).unwrap();
    let unseen_drawn = ids(&a).iter().filter(|id| !seen.contains(id)).count();
    assert_eq!(unseen_drawn, 5, "all five unseen questions, then seen ones");
    // Large bank, many seen: still only unseen ones.
    let big = danvan_domain_bank_1000();
    let seen: HashSet<i64> = (0..900).collect();
    let a = draw(&big, &settings_k(20), 3, &seen).unwrap();
    assert!(ids(&a).iter().all(|id| *id >= 900));
}

fn danvan_domain_bank_1000() -> Vec<Question> {
    bank(1_000)
}

#[test]
fn public_view_has_no_answer_key() {
    let bank = bank(50);
    let a = draw(&bank, &settings_k(10), 9, &HashSet::new()).unwrap();
    let by_id: HashMap<i64, &Question> = bank.iter().map(|q| (q.id, q)).collect();
    let public = public_questions(&a, |id| by_id.get(&id).copied()).unwrap();
    assert_eq!(public.len(), 10);
    for (pq, dq) in public.iter().zip(&a.questions) {
        assert_eq!(pq.id, dq.question_id);
        let shown: Vec<i64> = pq.options.iter().map(|o| o.id).collect();
        assert_eq!(shown, dq.option_order, "options in the drawn order");
    }
    let json = serde_json::to_string(&public).unwrap();
    for leak in ["correct", "topic", "difficulty", "dap_an"] {
        assert!(!json.contains(leak), "{leak} leaked: {json}");
    }
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&String> = value[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "options", "text"]);

    let missing = public_questions(&a, |_| None).unwrap_err();
    assert!(matches!(missing, ContestError::UnknownQuestion(_)));
}

// ---------------------------------------------------------------------------------------------
// Timing and scoring

#[test]
fn grace_boundary_is_inclusive_to_the_millisecond() {
    let clock = AttemptClock {
        started_at: at(10, 0, 0),
        time_limit_secs: 600,
        grace_secs: 3,
    };
    assert_eq!(clock.deadline(), at(10, 10, 0));
    let last = at(10, 10, 3);
    assert!(clock.accepts_at(at(10, 0, 0)));
    assert!(clock.accepts_at(clock.deadline()));
    assert!(clock.accepts_at(last));
    assert!(!clock.expired(last));
    let late = last + TimeDelta::milliseconds(1);
    assert!(!clock.accepts_at(late));
    assert!(clock.expired(late));
}

#[test]
fn duration_is_capped_at_the_limit_and_never_negative() {
    let clock = AttemptClock::new(at(10, 0, 0), &RoundSettings::default());
    assert_eq!(
        clock.duration_ms(at(10, 0, 45) + TimeDelta::milliseconds(123)),
        45_123
    );
    assert_eq!(
        clock.duration_ms(at(10, 10, 2)),
        600_000,
        "grace adds no time"
    );
    assert_eq!(clock.duration_ms(at(9, 59, 0)), 0);
    assert_eq!(clock.remaining_ms(at(10, 9, 0)), 60_000);
    assert_eq!(clock.remaining_ms(at(11, 0, 0)), 0);
}

#[test]
fn scoring_counts_last_answers_ignores_foreign_questions_and_bad_options() {
    let bank = bank(100);
    let a = draw(&bank, &settings_k(5), 5, &HashSet::new()).unwrap();
    let q: Vec<i64> = ids(&a);
    let key = |id: i64| (id < 100).then_some(id * 10);
    let answers = vec![
        (q[0], q[0] * 10 + 1), // wrong first…
        (q[0], q[0] * 10),     // …then corrected: counts
        (q[1], q[1] * 10),     // right…
        (q[1], q[1] * 10 + 2), // …then changed to wrong: wrong
        (q[2], q[2] * 10),
        (q[3], 999_999), // not one of its options: wrong
        (5_000, 50_000), // not in the attempt: ignored
    ];
    let s = score(&a, &answers, key);
    assert_eq!(
        s,
        Score {
            correct: 2,
            answered: 3,
            total: 5
        }
    );
    assert!(!s.is_perfect());
    let all: Vec<(i64, i64)> = q.iter().map(|&id| (id, id * 10)).collect();
    assert!(score(&a, &all, key).is_perfect());
    assert_eq!(score(&a, &[], key).correct, 0);
}

// ---------------------------------------------------------------------------------------------
// Attempt limits

fn summary(id: i64, started: DateTime<Utc>, submitted: Option<DateTime<Utc>>) -> AttemptSummary {
    AttemptSummary {
        attempt_id: id,
        started_at: started,
        submitted_at: submitted,
    }
}

#[test]
fn attempt_in_progress_is_resumed() {
    let s = RoundSettings::default();
    let prev = [
        summary(1, at(8, 0, 0), Some(at(8, 5, 0))),
        summary(2, at(9, 0, 0), None),
    ];
    let refusal = can_start(&prev, &s, at(9, 5, 0)).unwrap_err();
    assert_eq!(refusal, StartRefusal::InProgress { attempt_id: 2 });
    assert!(refusal.to_string().contains("tiếp tục lượt thi"));
    let json = serde_json::to_value(&refusal).unwrap();
    assert_eq!(json["reason"], "in_progress");
    assert_eq!(json["attempt_id"], 2);
    // Once its time and grace are over it no longer blocks.
    assert_eq!(can_start(&prev, &s, at(9, 10, 4)), Ok(()));
}

#[test]
fn attempt_limit_counts_every_started_attempt() {
    let s = RoundSettings {
        max_attempts: Some(2),
        ..RoundSettings::default()
    };
    let prev = [
        summary(1, at(8, 0, 0), Some(at(8, 5, 0))),
        summary(2, at(9, 0, 0), None), // abandoned, expired: still used up
    ];
    let refusal = can_start(&prev, &s, at(12, 0, 0)).unwrap_err();
    assert_eq!(refusal, StartRefusal::LimitReached { max: 2 });
    assert_eq!(
        refusal.to_string(),
        "Bạn đã sử dụng hết 2 lượt thi của vòng thi này."
    );
    assert_eq!(can_start(&prev[..1], &s, at(12, 0, 0)), Ok(()));
    let unlimited = RoundSettings {
        max_attempts: None,
        ..RoundSettings::default()
    };
    let many: Vec<AttemptSummary> = (0..50)
        .map(|i| summary(i, at(1, 0, 0), Some(at(1, 1, 0))))
        .collect();
    assert_eq!(can_start(&many, &unlimited, at(12, 0, 0)), Ok(()));
}

#[test]
fn cooldown_counts_from_the_end_of_the_last_attempt() {
    let s = RoundSettings {
        cooldown_secs: 3_600,
        ..RoundSettings::default()
    };
    let prev = [summary(1, at(8, 0, 0), Some(at(8, 4, 30)))];
    let refusal = can_start(&prev, &s, at(8, 5, 0)).unwrap_err();
    assert_eq!(
        refusal,
        StartRefusal::Cooldown {
            remaining_secs: 3_570
        }
    );
    assert_eq!(
        refusal.to_string(),
        "Bạn cần chờ thêm 59 phút 30 giây trước khi bắt đầu lượt thi tiếp theo."
    );
    let almost = at(9, 4, 29) + TimeDelta::milliseconds(500);
    assert_eq!(
        can_start(&prev, &s, almost),
        Err(StartRefusal::Cooldown { remaining_secs: 1 })
    );
    assert_eq!(can_start(&prev, &s, at(9, 4, 30)), Ok(()));
    // An attempt left open ends at its deadline (08:10 here).
    let open = [summary(1, at(8, 0, 0), None)];
    assert_eq!(
        can_start(&open, &s, at(8, 20, 0)),
        Err(StartRefusal::Cooldown {
            remaining_secs: 3_000
        })
    );
    let long = RoundSettings {
        cooldown_secs: 7_200,
        ..RoundSettings::default()
    };
    let msg = can_start(&prev, &long, at(8, 4, 30))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("2 giờ trước khi"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// Ranking

#[allow(clippy::too_many_arguments)]
fn result(
    attempt_id: i64,
    contestant_id: i64,
    correct: u16,
    prediction: Option<i64>,
    duration_ms: u64,
    started_at_ms: i64,
    submitted_at_ms: i64,
) -> AttemptResult {
    AttemptResult {
        attempt_id,
        contestant_id,
        correct,
        total: 20,
        prediction,
        duration_ms,
        started_at_ms,
        submitted_at_ms,
        excluded: false,
        eligible: true,
    }
}

fn order(r: &Ranking) -> Vec<i64> {
    r.entries.iter().map(|e| e.contestant_id).collect()
}

fn prizes(r: &Ranking) -> Vec<(i64, Option<&str>)> {
    r.entries
        .iter()
        .map(|e| (e.contestant_id, e.prize.as_deref()))
        .collect()
}

fn small_prizes() -> Vec<PrizeTier> {
    vec![
        PrizeTier {
            name: "Giải Nhất".into(),
            count: 1,
            value_vnd: Some(5_000_000),
        },
        PrizeTier {
            name: "Giải Nhì".into(),
            count: 2,
            value_vnd: None,
        },
    ]
}

#[test]
fn default_tie_break_order_is_correct_prediction_duration_submission_then_id() {
    // Target = participants = 6, so a prediction of 11 or 1 is 5 away, 10 is 4 away.
    let settings = RoundSettings {
        prediction_target: PredictionTarget::Participants,
        ..RoundSettings::default()
    };
    let results = vec![
        result(1, 12, 20, Some(11), 100, 0, 1_000), // A
        result(2, 6, 20, Some(1), 100, 0, 1_001),   // B: as A, submitted 1 ms later
        result(3, 11, 20, Some(11), 99, 0, 5_000),  // C: 1 ms faster than A
        result(4, 10, 20, Some(10), 500, 0, 9_000), // D: closer prediction
        result(5, 30, 19, Some(6), 1, 0, 0),        // E: one wrong answer, perfect otherwise
        result(6, 2, 20, Some(1), 100, 0, 1_001),   // F: tied with B in everything, lower id
    ];
    let r = rank(&results, &settings);
    assert_eq!(r.actual_target, 6);
    assert_eq!(order(&r), vec![10, 11, 12, 2, 6, 30]);
    let ranks: Vec<u32> = r.entries.iter().map(|e| e.rank).collect();
    assert_eq!(ranks, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(r.entries[0].prediction_error, Some(4));
    assert_eq!(r.entries[5].prediction_error, Some(0));
}

#[test]
fn missing_prediction_ranks_after_any_prediction() {
    let settings = RoundSettings {
        prediction_target: PredictionTarget::Participants,
        ..RoundSettings::default()
    };
    let r = rank(
        &[
            result(1, 1, 20, None, 10, 0, 10),
            result(2, 2, 20, Some(1_000_000), 500, 0, 500),
        ],
        &settings,
    );
    assert_eq!(order(&r), vec![2, 1]);
    assert_eq!(r.entries[1].prediction_error, None);
}

#[test]
fn configured_order_without_prediction_uses_duration_then_start() {
    let settings = RoundSettings {
        prediction_target: PredictionTarget::None,
        tie_break: vec![
            TieKey::CorrectDesc,
            TieKey::DurationAsc,
            TieKey::StartedAtAsc,
        ],
        ..RoundSettings::default()
    };
    let r = rank(
        &[
            result(1, 1, 20, Some(5), 300, 50, 350),
            result(2, 2, 20, None, 300, 40, 340),
            result(3, 3, 20, None, 200, 90, 290),
        ],
        &settings,
    );
    assert_eq!(order(&r), vec![3, 2, 1]);
    assert_eq!(r.actual_target, 0);
    assert!(r.entries.iter().all(|e| e.prediction_error.is_none()));
}

#[test]
fn excluded_contestant_is_listed_but_the_prize_goes_to_the_next() {
    let settings = RoundSettings {
        prizes: small_prizes(),
        ..RoundSettings::default()
    };
    let mut organiser = result(1, 1, 20, Some(0), 10, 0, 10);
    organiser.excluded = true;
    let results = vec![
        organiser,
        result(2, 2, 20, Some(0), 20, 0, 20),
        result(3, 3, 19, Some(0), 20, 0, 20),
        result(4, 4, 18, Some(0), 20, 0, 20),
        result(5, 5, 17, Some(0), 20, 0, 20),
    ];
    let r = rank(&results, &settings);
    assert_eq!(
        prizes(&r),
        vec![
            (1, None),
            (2, Some("Giải Nhất")),
            (3, Some("Giải Nhì")),
            (4, Some("Giải Nhì")),
            (5, None),
        ]
    );
    assert!(r.entries[0].excluded && r.entries[0].rank == 1);
    assert_eq!(r.participants, 4, "the organiser is not counted");
    assert_eq!(r.all_correct, 1);
    assert_eq!(r.actual_target, 1);
}

#[test]
fn one_prize_per_person_even_with_several_top_attempts() {
    let settings = RoundSettings {
        prizes: small_prizes(),
        prediction_target: PredictionTarget::Attempts,
        ..RoundSettings::default()
    };
    let results = vec![
        result(1, 7, 20, Some(6), 30, 0, 30),
        result(2, 7, 20, Some(6), 31, 100, 131),
        result(3, 7, 20, Some(6), 32, 200, 232),
        result(4, 8, 19, Some(6), 40, 0, 40),
        result(5, 9, 18, Some(6), 40, 0, 40),
        result(6, 9, 15, Some(6), 40, 0, 40),
    ];
    let r = rank(&results, &settings);
    assert_eq!(
        r.actual_target, 6,
        "attempts target counts every eligible attempt"
    );
    assert_eq!(
        prizes(&r),
        vec![
            (7, Some("Giải Nhất")),
            (8, Some("Giải Nhì")),
            (9, Some("Giải Nhì"))
        ]
    );
    assert_eq!(
        r.entries[0].attempt_id, 1,
        "the fastest of the perfect attempts counts"
    );
    assert_eq!(r.entries[0].perfect_attempts, 3);
}

#[test]
fn best_and_first_counting() {
    let results = vec![
        result(1, 1, 10, Some(1), 50, 1_000, 1_050), // first attempt of 1
        result(2, 1, 20, Some(1), 90, 5_000, 5_090), // better, later
        result(3, 2, 15, Some(1), 60, 2_000, 2_060),
    ];
    let best = rank(&results, &RoundSettings::default());
    assert_eq!(order(&best), vec![1, 2]);
    assert_eq!(best.entries[0].attempt_id, 2);
    assert_eq!(best.all_correct, 1);

    let first_settings = RoundSettings {
        counting: Counting::First,
        ..RoundSettings::default()
    };
    let first = rank(&results, &first_settings);
    assert_eq!(order(&first), vec![2, 1]);
    assert_eq!(first.entries[1].attempt_id, 1);
    assert_eq!(first.entries[1].correct, 10);
    assert_eq!(
        first.all_correct, 0,
        "only the first attempt counts for the target too"
    );
}

#[test]
fn ineligible_attempts_are_ignored_and_min_correct_gates_prizes() {
    let settings = RoundSettings {
        prizes: small_prizes(),
        min_correct_for_prize: Some(20),
        prediction_target: PredictionTarget::Participants,
        ..RoundSettings::default()
    };
    let mut disqualified = result(1, 1, 20, Some(2), 1, 0, 1);
    disqualified.eligible = false;
    let results = vec![
        disqualified,
        result(2, 2, 20, Some(2), 50, 0, 50),
        result(3, 3, 19, Some(2), 10, 0, 10),
    ];
    let r = rank(&results, &settings);
    assert_eq!(order(&r), vec![2, 3]);
    assert_eq!(r.actual_target, 2);
    assert_eq!(prizes(&r), vec![(2, Some("Giải Nhất")), (3, None)]);
}

#[test]
fn perfect_attempts_key_breaks_ties() {
    let settings = RoundSettings {
        prediction_target: PredictionTarget::None,
        tie_break: vec![TieKey::CorrectDesc, TieKey::PerfectAttemptsDesc],
        ..RoundSettings::default()
    };
    let r = rank(
        &[
            result(1, 1, 20, None, 10, 0, 10),
            result(2, 2, 20, None, 10, 0, 10),
            result(3, 2, 20, None, 10, 0, 10),
        ],
        &settings,
    );
    assert_eq!(order(&r), vec![2, 1]);
}

fn attempt_strategy() -> impl Strategy<Value = AttemptResult> {
    (
        1i64..25,
        0u16..=5,
        prop::option::of(0i64..40),
        0u64..1_000,
        0i64..10_000,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.9),
    )
        .prop_map(
            |(contestant_id, correct, prediction, duration_ms, started, excluded, eligible)| {
                AttemptResult {
                    attempt_id: 0,
                    contestant_id,
                    correct,
                    total: 5,
                    prediction,
                    duration_ms,
                    started_at_ms: started,
                    submitted_at_ms: started + duration_ms as i64,
                    excluded,
                    eligible,
                }
            },
        )
}

proptest! {
    #[test]
    fn ranking_is_a_permutation_with_consistent_ranks_and_prizes(
        mut results in prop::collection::vec(attempt_strategy(), 0..80),
        first in any::<bool>(),
        target in 0usize..4,
        min_correct in prop::option::of(0u16..=5),
    ) {
        for (i, r) in results.iter_mut().enumerate() {
            r.attempt_id = i as i64;
        }
        let settings = RoundSettings {
            questions_per_attempt: 5,
            counting: if first { Counting::First } else { Counting::Best },
            prediction_target: [
                PredictionTarget::AllCorrectCount,
                PredictionTarget::Participants,
                PredictionTarget::Attempts,
                PredictionTarget::None,
            ][target],
            prizes: small_prizes(),
            min_correct_for_prize: min_correct,
            ..RoundSettings::default()
        };
        let r = rank(&results, &settings);
        let mut listed: Vec<i64> = order(&r);
        listed.sort_unstable();
        let mut eligible: Vec<i64> =
            results.iter().filter(|a| a.eligible).map(|a| a.contestant_id).collect();
        eligible.sort_unstable();
        eligible.dedup();
        prop_assert_eq!(listed, eligible);
        let ranks: Vec<u32> = r.entries.iter().map(|e| e.rank).collect();
        prop_assert_eq!(ranks, (1..=r.entries.len() as u32).collect::<Vec<_>>());
        for pair in r.entries.windows(2) {
            prop_assert!(pair[0].correct >= pair[1].correct, "correct count never rises");
        }
        let awarded: Vec<&RankedEntry> = r.entries.iter().filter(|e| e.prize.is_some()).collect();
        prop_assert!(awarded.len() as u64 <= settings.prize_total());
        prop_assert!(awarded.iter().all(|e| !e.excluded));
        prop_assert!(awarded.iter().all(|e| min_correct.is_none_or(|m| e.correct >= m)));
        // Prizes are handed down the list: no unawarded deserving person above a winner.
        if let Some(last) = awarded.last() {
            let deserving_before = r.entries.iter()
                .take_while(|e| e.rank < last.rank)
                .filter(|e| !e.excluded && min_correct.is_none_or(|m| e.correct >= m))
                .count();
            prop_assert_eq!(deserving_before + 1, awarded.len());
        }
        // Every entry's attempt is an eligible attempt of that person.
        for e in &r.entries {
            let a = &results[e.attempt_id as usize];
            prop_assert!(a.eligible && a.contestant_id == e.contestant_id);
        }
        let non_excluded = r.entries.iter().filter(|e| !e.excluded).count() as u64;
        prop_assert_eq!(r.participants, non_excluded);
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics and collective prizes

fn info(
    id: i64,
    unit: Option<i64>,
    gender: Gender,
    birth: NaiveDate,
    group: &str,
) -> ContestantInfo {
    ContestantInfo {
        contestant_id: id,
        unit_id: unit,
        commune_id: unit.map(|u| u * 100),
        gender,
        birth_date: birth,
        group: Some(group.to_owned()),
    }
}

#[test]
fn round_statistics_and_breakdowns() {
    let round_date = d(2024, 6, 10);
    let mut excluded = result(9, 9, 20, None, 1, 0, 1);
    excluded.excluded = true;
    let mut invalid = result(10, 4, 20, None, 1, 0, 1);
    invalid.eligible = false;
    let results = vec![
        result(1, 1, 20, None, 10, 0, 10),
        result(2, 1, 18, None, 10, 0, 10),
        result(3, 2, 20, None, 10, 0, 10),
        result(4, 3, 5, None, 10, 0, 10),
        result(5, 5, 0, None, 10, 0, 10),
        excluded,
        invalid,
    ];
    let people = vec![
        info(1, Some(1), Gender::Nam, d(2006, 6, 11), "Học sinh"), // 17 on the round date
        info(2, Some(1), Gender::Nu, d(2006, 6, 10), "Học sinh"),  // 18 that day
        info(3, Some(2), Gender::Nu, d(1960, 1, 1), "Đảng viên"),  // 64
        info(9, Some(2), Gender::Nam, d(1980, 1, 1), "Cán bộ"),
    ];
    let s = stats(&results, &people, round_date);
    assert_eq!((s.participants, s.attempts, s.all_correct), (4, 5, 2));
    assert_eq!(s.people_by_best_correct.len(), 21);
    assert_eq!(s.people_by_best_correct[20], 2);
    assert_eq!(s.people_by_best_correct[5], 1);
    assert_eq!(s.people_by_best_correct[0], 1);
    assert_eq!(s.attempts_by_correct[18], 1);
    assert_eq!(s.without_profile, 1);
    assert_eq!(s.by_unit[0].key, Some(1));
    assert_eq!(
        (
            s.by_unit[0].participants,
            s.by_unit[0].attempts,
            s.by_unit[0].all_correct
        ),
        (2, 3, 2)
    );
    let age = |band: Option<AgeBand>| {
        s.by_age_band
            .iter()
            .find(|b| b.key == band)
            .map_or(0, |b| b.participants)
    };
    assert_eq!(age(Some(AgeBand::Under18)), 1);
    assert_eq!(age(Some(AgeBand::From18To30)), 1);
    assert_eq!(age(Some(AgeBand::Over60)), 1);
    assert_eq!(age(None), 1);
    assert_eq!(s.by_age_band.last().unwrap().key, None, "unknown last");
    let genders: Vec<(Option<Gender>, u64)> = s
        .by_gender
        .iter()
        .map(|b| (b.key, b.participants))
        .collect();
    assert_eq!(
        genders,
        vec![(Some(Gender::Nam), 1), (Some(Gender::Nu), 2), (None, 1)]
    );
    assert_eq!(s.by_group[0].key.as_deref(), Some("Học sinh"));
    assert_eq!(s.by_group[0].participants, 2);
    assert_eq!(age_on(d(2006, 6, 11), round_date), Some(17));
    assert_eq!(age_on(d(2030, 1, 1), round_date), None);
    assert_eq!(AgeBand::of(46).label(), "46–60 tuổi");
}

#[test]
fn collective_ranking_handles_missing_and_zero_headcounts() {
    let tallies = vec![
        UnitTally {
            unit_id: 1,
            participants: 50,
            total_correct: 900,
            prizes: vec!["Giải Nhất".into()],
        },
        UnitTally {
            unit_id: 2,
            participants: 80,
            total_correct: 1_000,
            prizes: vec![],
        },
        UnitTally {
            unit_id: 3,
            participants: 10,
            total_correct: 200,
            prizes: vec!["Giải Nhì".into(), "Giải Ba".into()],
        },
        UnitTally {
            unit_id: 4,
            participants: 5,
            total_correct: 100,
            prizes: vec![],
        },
    ];
    let headcounts: HashMap<i64, u64> = [(1, 100), (2, 400), (3, 0)].into_iter().collect();
    let points: HashMap<String, u32> = [("Giải Nhất", 10), ("Giải Nhì", 8), ("Giải Ba", 6)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();

    let by_rate = collective_ranking(
        &tallies,
        &headcounts,
        &points,
        CollectiveFormula::ParticipationRate,
    );
    let units: Vec<i64> = by_rate.entries.iter().map(|e| e.unit_id).collect();
    assert_eq!(units, vec![1, 2], "units without a headcount are not rated");
    assert_eq!(by_rate.missing_headcount, vec![3, 4]);
    assert_eq!(by_rate.entries[0].participation_rate_bp, Some(5_000));
    assert_eq!(by_rate.entries[1].participation_rate_bp, Some(2_000));

    let composite = collective_ranking(
        &tallies,
        &headcounts,
        &points,
        CollectiveFormula::PointsPlusRate,
    );
    assert_eq!(composite.entries[0].score_hundredths, 5_000 + 1_000);
    assert_eq!(composite.entries[0].prize_points, 10);

    let by_people = collective_ranking(
        &tallies,
        &headcounts,
        &points,
        CollectiveFormula::Participants,
    );
    let units: Vec<i64> = by_people.entries.iter().map(|e| e.unit_id).collect();
    assert_eq!(
        units,
        vec![2, 1, 3, 4],
        "counting people needs no headcount"
    );
    assert_eq!(by_people.missing_headcount, vec![3, 4], "still reported");

    let csb = collective_ranking(
        &tallies,
        &headcounts,
        &points,
        CollectiveFormula::ParticipantsPlusScore,
    );
    assert_eq!(csb.entries[0].unit_id, 2);
    assert_eq!(csb.entries[0].score_hundredths, 108_000);
    assert_eq!(csb.entries[0].rank, 1);
}

#[test]
fn unit_tallies_come_from_the_ranking() {
    let settings = RoundSettings {
        prizes: small_prizes(),
        ..RoundSettings::default()
    };
    let mut organiser = result(4, 4, 20, None, 1, 0, 1);
    organiser.excluded = true;
    let r = rank(
        &[
            result(1, 1, 20, None, 10, 0, 10),
            result(2, 2, 19, None, 10, 0, 10),
            result(3, 3, 18, None, 10, 0, 10),
            organiser,
        ],
        &settings,
    );
    // Contestant 3 has no unit.
    let unit_of: HashMap<i64, i64> = [(1, 7), (2, 7), (4, 7)].into_iter().collect();
    let tallies = unit_tallies(&r, &unit_of);
    assert_eq!(
        tallies,
        vec![UnitTally {
            unit_id: 7,
            participants: 2,
            total_correct: 39,
            prizes: vec!["Giải Nhất".into(), "Giải Nhì".into()],
        }]
    );
}

// ---------------------------------------------------------------------------------------------
// Registration

fn input() -> RegistrationInput {
    RegistrationInput {
        full_name: "  Nguyễn   Văn  An ".into(),
        birth_date: d(1990, 5, 20),
        gender: Gender::Nam,
        phone: "+84 912.345.678".into(),
        national_id: Some("020 090 123456".into()),
        unit_id: Some(3),
        group: Some(" Đảng viên ".into()),
    }
}

fn rules() -> RegistrationRules {
    RegistrationRules {
        min_age: Some(14),
        require_national_id: true,
        require_unit: true,
    }
}

#[test]
fn registration_is_normalised() {
    use unicode_normalization::UnicodeNormalization;
    let mut i = input();
    i.full_name = i.full_name.nfd().collect();
    let clean = validate_registration(&i, &rules(), d(2024, 6, 10)).unwrap();
    assert_eq!(clean.full_name, "Nguyễn Văn An");
    assert_eq!(clean.phone, "0912345678");
    assert_eq!(
        clean.national_id,
        Some(NationalId {
            kind: NationalIdKind::Cccd,
            number: "020090123456".into()
        })
    );
    assert_eq!(clean.age, 34);
    assert_eq!(clean.group.as_deref(), Some("Đảng viên"));
    assert!(clean.flags.is_empty());

    for phone in [
        "0912345678",
        "84912345678",
        "0084 912 345 678",
        "091-234-5678",
    ] {
        let mut i = input();
        i.phone = phone.into();
        assert_eq!(
            validate_registration(&i, &rules(), d(2024, 6, 10))
                .unwrap()
                .phone,
            "0912345678",
            "{phone}"
        );
    }
    let mut cmnd = input();
    cmnd.national_id = Some("123456789".into());
    let clean = validate_registration(&cmnd, &rules(), d(2024, 6, 10)).unwrap();
    assert_eq!(clean.national_id.unwrap().kind, NationalIdKind::Cmnd);
}

#[test]
fn registration_errors_are_reported_per_field_in_vietnamese() {
    let bad = RegistrationInput {
        full_name: "A".into(),
        birth_date: d(2012, 1, 1),
        gender: Gender::Nu,
        phone: "024 3825 1234".into(),
        national_id: Some("999123456789".into()),
        unit_id: None,
        group: None,
    };
    let errors = validate_registration(&bad, &rules(), d(2024, 6, 10)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["full_name", "birth_date", "phone", "national_id", "unit_id"]
    );
    let msg = |f: &str| {
        errors
            .iter()
            .find(|e| e.field == f)
            .unwrap()
            .message
            .clone()
    };
    assert!(msg("full_name").contains("từ 2 đến 100 ký tự"));
    assert_eq!(
        msg("birth_date"),
        "Người dự thi phải từ đủ 14 tuổi trở lên (tính đến ngày 10/06/2024)."
    );
    assert!(msg("phone").contains("số di động Việt Nam"));
    assert!(msg("national_id").contains("mã tỉnh"));
    assert_eq!(msg("unit_id"), "Vui lòng chọn đơn vị.");

    let mut i = input();
    i.full_name = "Nguyễn Văn 4n".into();
    i.national_id = None;
    i.phone = "0123".into();
    let errors = validate_registration(&i, &rules(), d(2024, 6, 10)).unwrap_err();
    assert_eq!(errors.len(), 3);
    assert!(errors[0].message.contains("chữ cái"));
    assert_eq!(errors[2].message, "Vui lòng nhập số CCCD/CMND.");

    let mut i = input();
    i.national_id = Some("12345".into());
    let errors =
        validate_registration(&i, &RegistrationRules::default(), d(2024, 6, 10)).unwrap_err();
    assert!(errors[0].message.contains("12 chữ số"));

    let mut future = input();
    future.birth_date = d(2030, 1, 1);
    let errors =
        validate_registration(&future, &RegistrationRules::default(), d(2024, 6, 10)).unwrap_err();
    assert_eq!(errors[0].message, "Ngày sinh không được sau ngày thi.");
}

#[test]
fn turning_the_minimum_age_on_the_contest_day_is_enough() {
    let mut i = input();
    i.birth_date = d(2010, 6, 10);
    i.national_id = None;
    let r = RegistrationRules {
        min_age: Some(14),
        ..RegistrationRules::default()
    };
    assert!(validate_registration(&i, &r, d(2024, 6, 10)).is_ok());
    assert!(validate_registration(&i, &r, d(2024, 6, 9)).is_err());
}

#[test]
fn a_parents_cccd_is_accepted_but_flagged() {
    let mut child = input();
    child.birth_date = d(2008, 3, 1); // CCCD 020 0 90…: a man born in 1990
    let clean = validate_registration(&child, &rules(), d(2024, 6, 10)).unwrap();
    assert_eq!(
        clean.flags,
        vec![RegistrationFlag::NationalIdOfAnotherPerson]
    );
    let mut woman = input();
    woman.gender = Gender::Nu;
    woman.national_id = Some("001190123456".into());
    assert!(
        validate_registration(&woman, &rules(), d(2024, 6, 10))
            .unwrap()
            .flags
            .is_empty()
    );
}

#[test]
fn duplicates_are_flagged_not_merged() {
    let day = d(2024, 6, 10);
    let a = validate_registration(&input(), &rules(), day).unwrap();
    let mut same_person = input();
    same_person.full_name = "NGUYEN VAN AN".into();
    same_person.national_id = Some("001090999999".into());
    let b = validate_registration(&same_person, &rules(), day).unwrap();
    let mut shares_id = input();
    shares_id.full_name = "Nguyễn Thị Bình".into();
    shares_id.birth_date = d(2010, 1, 1);
    let c = validate_registration(&shares_id, &rules(), day).unwrap();
    assert_eq!(
        duplicate_keys(&a).person,
        "nguyen van an|1990-05-20|0912345678"
    );
    assert_eq!(duplicate_keys(&a).person, duplicate_keys(&b).person);
    let groups = find_duplicates(&[a, b, c]);
    assert_eq!(
        groups,
        vec![
            DuplicateGroup {
                kind: DuplicateKind::NationalId,
                key: "020090123456".into(),
                indices: vec![0, 2],
            },
            DuplicateGroup {
                kind: DuplicateKind::NameBirthDatePhone,
                key: "nguyen van an|1990-05-20|0912345678".into(),
                indices: vec![0, 1],
            },
        ]
    );
}

#[test]
fn draw_is_stable_across_releases() {
    // A stored seed must replay the same questions forever; this pins the PRNG and the
    // algorithm. Changing it invalidates stored attempts.
    let a = draw(&bank(100), &settings_k(5), 2024, &HashSet::new()).unwrap();
    assert_eq!(ids(&a), vec![7, 15, 5, 77, 78]);
    assert_eq!(a.questions[0].option_order, vec![73, 71, 72, 70]);
    assert_eq!(a.questions[4].option_order, vec![783, 782, 780, 781]);
}

proptest! {
    #[test]
    fn draw_invariants_hold_for_any_bank_and_seen_set(
        n in 0i64..60,
        k in 1u16..=30,
        seed in any::<u64>(),
        seen in prop::collection::hash_set(0i64..60, 0..60),
    ) {
        let bank = bank(n);
        match draw(&bank, &settings_k(k), seed, &seen) {
            Err(e) => prop_assert!(n < i64::from(k), "{}", e),
            Ok(a) => {
                let got = ids(&a);
                prop_assert_eq!(got.len(), usize::from(k));
                let distinct: HashSet<i64> = got.iter().copied().collect();
                prop_assert_eq!(distinct.len(), got.len());
                prop_assert!(got.iter().all(|id| (0..n).contains(id)));
                let unseen_in_bank = (0..n).filter(|id| !seen.contains(id)).count();
                let unseen_drawn = got.iter().filter(|id| !seen.contains(id)).count();
                prop_assert_eq!(unseen_drawn, unseen_in_bank.min(usize::from(k)));
            }
        }
    }

    #[test]
    fn registration_never_panics(
        name in "\\PC{0,120}",
        phone in "[+0-9 .()-]{0,16}",
        national_id in prop::option::of("[0-9 a]{0,14}"),
        days in -40_000i64..40_000,
    ) {
        let i = RegistrationInput {
            full_name: name,
            birth_date: d(2000, 1, 1) + TimeDelta::days(days),
            gender: Gender::Khac,
            phone,
            national_id,
            unit_id: None,
            group: None,
        };
        let _ = validate_registration(&i, &rules(), d(2024, 6, 10));
    }
}

#[test]
fn extreme_timestamps_do_not_panic() {
    let clock = AttemptClock {
        started_at: DateTime::<Utc>::MAX_UTC,
        time_limit_secs: 7_200,
        grace_secs: 60,
    };
    assert!(clock.accepts_at(at(10, 0, 0)));
    assert_eq!(clock.duration_ms(DateTime::<Utc>::MIN_UTC), 0);
    let s = RoundSettings {
        cooldown_secs: 3_600,
        ..RoundSettings::default()
    };
    let prev = [summary(
        1,
        DateTime::<Utc>::MAX_UTC,
        Some(DateTime::<Utc>::MAX_UTC),
    )];
    assert!(can_start(&prev, &s, at(10, 0, 0)).is_err());
}

// ---------------------------------------------------------------------------------------------
// Organiser settings typed into forms, the bank check, collective prizes over rounds

#[test]
fn strata_are_read_as_organisers_type_them_and_written_back() {
    let strata =
        parse_strata("Lịch sử, 2: 5\n\n  Pháp luật, dân chủ: 3 \n*, 1: 2\nDân vận:10").unwrap();
    assert_eq!(
        strata,
        vec![
            Stratum {
                topic: Some("Lịch sử".into()),
                difficulty: Some(2),
                count: 5
            },
            Stratum {
                topic: Some("Pháp luật, dân chủ".into()),
                difficulty: None,
                count: 3
            },
            Stratum {
                topic: None,
                difficulty: Some(1),
                count: 2
            },
            Stratum {
                topic: Some("Dân vận".into()),
                difficulty: None,
                count: 10
            },
        ]
    );
    assert_eq!(parse_strata(&strata_text(&strata)).unwrap(), strata);
    for bad in ["Lịch sử 5", "Lịch sử: năm", "Lịch sử, 9: 5", "Lịch sử: -1"] {
        let e = parse_strata(bad).unwrap_err().to_string();
        assert!(e.contains(bad) && e.contains("Lịch sử, 2: 5"), "{e}");
    }
    assert_eq!(parse_strata(" \n").unwrap(), vec![]);
}

#[test]
fn tie_keys_round_trip_through_their_form_codes() {
    for k in TieKey::CHOICES {
        assert_eq!(TieKey::from_code(k.code()), Some(k));
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(
            json,
            format!("\"{}\"", k.code()),
            "the code is the stored name"
        );
        assert!(!k.label().is_empty());
    }
    assert_eq!(TieKey::from_code("sai"), None);
}

#[test]
fn the_bank_check_sees_what_every_start_would_meet() {
    let b = bank(30); // 10 questions per topic, difficulty = topic index + 1
    assert_eq!(check_bank(&b, &settings_k(20)), Ok(()));
    assert!(matches!(
        check_bank(&b[..10], &settings_k(20)),
        Err(ContestError::BankTooSmall {
            needed: 20,
            available: 10
        })
    ));
    let mut s = settings_k(12);
    s.stratify = parse_strata("Lịch sử, 1: 10\nPháp luật: 2").unwrap();
    assert_eq!(check_bank(&b, &s), Ok(()));
    s.stratify = parse_strata("Lịch sử, 2: 10\nPháp luật: 2").unwrap();
    let e = check_bank(&b, &s).unwrap_err();
    assert!(
        e.to_string().contains("\"Lịch sử\", độ khó 2") && e.to_string().contains("chỉ còn 0"),
        "{e}"
    );
}

#[test]
fn collective_prizes_over_rounds_average_the_rate_and_add_the_rest() {
    let tally = |unit_id, participants, total_correct, prizes: &[&str]| UnitTally {
        unit_id,
        participants,
        total_correct,
        prizes: prizes.iter().map(|p| (*p).to_owned()).collect(),
    };
    let rounds = vec![
        vec![tally(1, 50, 500, &["Giải Nhất"]), tally(2, 10, 100, &[])],
        vec![
            tally(1, 30, 300, &[]),
            tally(2, 40, 400, &["Giải Ba"]),
            tally(3, 5, 50, &[]),
        ],
    ];
    let headcounts: HashMap<i64, u64> = [(1, 100), (2, 50), (4, 20)].into_iter().collect();
    let mut settings = CollectiveSettings::default();
    assert_eq!(settings.formula, CollectiveFormula::ParticipationRate);
    let r = collective_over_rounds(&rounds, &headcounts, &settings);
    // Unit 1: (50 + 30) / (100 × 2) = 40 %; unit 2: (10 + 40) / (50 × 2) = 50 %; unit 4 took no
    // part: 0 %; unit 3 has no headcount.
    let got: Vec<(i64, Option<u64>, Option<u64>)> = r
        .entries
        .iter()
        .map(|e| (e.unit_id, e.participation_rate_bp, e.headcount))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, Some(5_000), Some(50)),
            (1, Some(4_000), Some(100)),
            (4, Some(0), Some(20))
        ]
    );
    assert_eq!(r.missing_headcount, vec![3]);

    settings.formula = CollectiveFormula::PointsPlusRate;
    let r = collective_over_rounds(&rounds, &headcounts, &settings);
    let scores: Vec<(i64, u64)> = r
        .entries
        .iter()
        .map(|e| (e.unit_id, e.score_hundredths))
        .collect();
    assert_eq!(
        scores[..2],
        [(2, 5_000 + 600), (1, 4_000 + 1_000)],
        "50 + 6 beats 40 + 10"
    );

    settings.formula = CollectiveFormula::ParticipantsPlusScore;
    let r = collective_over_rounds(&rounds, &headcounts, &settings);
    assert_eq!(r.entries[0].unit_id, 1);
    assert_eq!(r.entries[0].score_hundredths, (80 + 800) * 100);
    assert_eq!(r.entries.len(), 4, "no headcount needed");
    for f in CollectiveFormula::ALL {
        assert_eq!(CollectiveFormula::from_code(f.code()), Some(f));
        assert!(f.explain().starts_with("Điểm = "));
    }
    settings.prizes = MAX_COLLECTIVE_PRIZES + 1;
    assert!(settings.validate().is_err());
}

#[test]
fn headcount_files_name_units_by_code_or_name() {
    let csv =
        "\u{FEFF}Mã đơn vị/tên;Số người\n20;1.200\nXã Lộc Bình;350\n;12\nHuyện Cao Lộc;nhiều\n\n";
    let lines = parse_headcounts(csv.as_bytes()).unwrap();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        Ok(HeadcountLine {
            row: 2,
            unit: "20".into(),
            headcount: 1_200
        })
    );
    assert_eq!(lines[1].as_ref().unwrap().unit, "Xã Lộc Bình");
    assert!(lines[2].clone().unwrap_err().message.contains("thiếu mã"));
    let e = lines[3].clone().unwrap_err();
    assert_eq!(e.row, 5);
    assert!(e.message.contains("“nhiều”"), "{e}");
    let no_header = parse_headcounts(b"20,5\n").unwrap();
    assert_eq!(no_header.len(), 1, "a first row with a number is data");
}
