use crate::day;
use danvan_db::both_backends;
use danvan_db::testing::{Backend, fresh};
use danvan_db::units::History;
use danvan_domain::units::{EventKind, UnitKind};

async fn commune_counts_follow_the_reforms(b: Backend) {
    let t = fresh(b).await;
    let h = History::load(&t.db.conn).await.unwrap();
    let communes = |d: &str| h.tree_on(day(d), Some(UnitKind::Commune)).len();
    assert_eq!(communes("2024-06-01"), 200);
    assert_eq!(communes("2024-11-30"), 200);
    assert_eq!(communes("2024-12-01"), 194);
    assert_eq!(communes("2025-06-30"), 194);
    assert_eq!(communes("2025-07-01"), 65);
    let districts = |d: &str| h.tree_on(day(d), Some(UnitKind::District)).len();
    assert_eq!(districts("2024-06-01"), 11);
    assert_eq!(districts("2025-07-01"), 0);
    // Communes hang under their district in 2024 and directly under the province in 2025.
    let tree_2024 = h.tree_on(day("2024-06-01"), None);
    let (loc_binh_tt, depth) = tree_2024
        .iter()
        .find(|(u, _)| u.name == "Thị trấn Lộc Bình")
        .copied()
        .unwrap();
    assert_eq!(depth, 2);
    assert_eq!(
        h.get(loc_binh_tt.parent_id.unwrap()).unwrap().name,
        "Huyện Lộc Bình"
    );
    let tree_2025 = h.tree_on(day("2025-07-01"), None);
    let (xa, depth) = tree_2025
        .iter()
        .find(|(u, _)| u.name == "Xã Lộc Bình")
        .copied()
        .unwrap();
    assert_eq!(depth, 1);
    assert_eq!(h.get(xa.parent_id.unwrap()).unwrap().name, "Tỉnh Lạng Sơn");
}
both_backends!(commune_counts, commune_counts_follow_the_reforms);

async fn old_records_resolve_to_todays_successor(b: Backend) {
    let t = fresh(b).await;
    let h = History::load(&t.db.conn).await.unwrap();
    let khanh_xuan = h.find_by_name("Khánh Xuân");
    assert_eq!(khanh_xuan.len(), 1, "one unit is named Khánh Xuân");
    let old = khanh_xuan[0];
    let now: Vec<&str> = h
        .successors_on(old.id, day("2026-01-01"))
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(now, ["Xã Lộc Bình"]);
    // Before the reform the unit is its own successor: records keep pointing at it.
    assert_eq!(h.successors_on(old.id, day("2025-01-01"))[0].id, old.id);
    let line = h.line_of(old.id);
    assert_eq!(line.len(), 1);
    assert_eq!(line[0].kind, EventKind::Merge);
    assert!(
        line[0]
            .legal_basis
            .as_deref()
            .unwrap()
            .contains("1672/NQ-UBTVQH15")
    );
    let from: Vec<&str> = line[0].from.iter().map(|u| u.name.as_str()).collect();
    assert!(from.contains(&"Thị trấn Lộc Bình") && from.contains(&"Xã Khánh Xuân"));
}
both_backends!(successors, old_records_resolve_to_todays_successor);

async fn december_2024_absorptions_are_recorded(b: Backend) {
    let t = fresh(b).await;
    let h = History::load(&t.db.conn).await.unwrap();
    let vinh_tien = h.find_by_name("vinh tien");
    assert_eq!(vinh_tien.len(), 1);
    assert_eq!(vinh_tien[0].valid_to, Some(day("2024-11-30")));
    let after: Vec<&str> = h
        .successors_on(vinh_tien[0].id, day("2024-12-01"))
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(after, ["Xã Khánh Long"]);
    // Khánh Long continued through 2024 and was merged again in 2025: both events are in its line.
    let khanh_long = h.find_by_name("Khánh Long");
    let kinds: Vec<EventKind> = h.line_of(khanh_long[0].id).iter().map(|s| s.kind).collect();
    assert!(kinds.contains(&EventKind::Absorb), "{kinds:?}");
}
both_backends!(absorptions, december_2024_absorptions_are_recorded);

async fn organisations_sit_in_the_tree(b: Backend) {
    let t = fresh(b).await;
    let h = History::load(&t.db.conn).await.unwrap();
    let party_2024: Vec<&str> = h
        .tree_on(day("2024-06-01"), Some(UnitKind::Party))
        .iter()
        .map(|(u, _)| u.name.as_str())
        .collect();
    assert!(party_2024.contains(&"Ban Dân vận Tỉnh ủy"));
    assert!(party_2024.contains(&"Huyện ủy Lộc Bình"));
    assert!(party_2024.contains(&"Thành ủy Lạng Sơn"));
    let party_2026: Vec<&str> = h
        .tree_on(day("2026-01-01"), Some(UnitKind::Party))
        .iter()
        .map(|(u, _)| u.name.as_str())
        .collect();
    assert!(!party_2026.contains(&"Ban Dân vận Tỉnh ủy"));
    assert!(
        !party_2026.contains(&"Huyện ủy Lộc Bình"),
        "district committees end on 30/6/2025"
    );
    assert!(party_2026.contains(&"Ban Tuyên giáo và Dân vận Tỉnh ủy"));
    // Nothing is orphaned on any reform boundary: every unit's parent exists that day.
    for d in ["2024-06-01", "2024-12-01", "2025-03-01", "2025-07-01"] {
        for (u, depth) in h.tree_on(day(d), None) {
            if u.parent_id.is_some() {
                assert!(
                    depth > 0,
                    "{} has a parent that is not valid on {d}",
                    u.name
                );
            }
        }
    }
}
both_backends!(organisations, organisations_sit_in_the_tree);

async fn reference_data_loads_once(b: Backend) {
    let t = fresh(b).await;
    let again = danvan_db::reference::load_if_empty(&t.db.conn)
        .await
        .unwrap();
    assert_eq!(
        again, 0,
        "a second start must not duplicate the reference data"
    );
}
both_backends!(reference_once, reference_data_loads_once);
