use danvan_domain::reception::{Host, shortfall};

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a_commune_chair_receives_every_week() {
    // March 2026: weeks starting Monday 2, 9, 16, 23, 30.
    let every_thursday = [
        d("2026-03-05"),
        d("2026-03-12"),
        d("2026-03-19"),
        d("2026-03-26"),
        d("2026-04-02"),
    ];
    assert_eq!(
        shortfall(Host::CommuneChair, 2026, 3, &every_thursday),
        None
    );
    let gap = shortfall(Host::CommuneChair, 2026, 3, &every_thursday[..3]).unwrap();
    assert!(
        gap.contains("23/03–29/03") && gap.contains("30/03–05/04"),
        "{gap}"
    );
    assert!(!gap.contains("16/03"), "{gap}");
}

#[test]
fn monthly_minimums_differ_by_host() {
    let one = [d("2026-03-10")];
    assert_eq!(shortfall(Host::ProvinceChair, 2026, 3, &one), None);
    assert_eq!(shortfall(Host::AgencyHead, 2026, 3, &one), None);
    let secretary = shortfall(Host::CommuneSecretary, 2026, 3, &one).unwrap();
    assert!(
        secretary.contains("có 1 ngày") && secretary.contains("cần ít nhất 2"),
        "{secretary}"
    );
    // The same day twice is one day; a day of another month does not count.
    let twice = [d("2026-03-10"), d("2026-03-10"), d("2026-04-01")];
    assert!(shortfall(Host::CommuneSecretary, 2026, 3, &twice).is_some());
    assert!(shortfall(Host::ProvinceSecretary, 2026, 4, &[]).is_some());
    for h in Host::ALL {
        assert_eq!(Host::parse(h.as_str()), Some(h));
    }
}
