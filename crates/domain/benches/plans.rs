//! Roll-up of a province plan cascaded to its units: 60 province tasks (7 sections, 53
//! bullets), each unit deriving all 60 in its own plan, 105 units (~6,400 tasks). Goal: the
//! whole tree plus the units × sections matrix well under 10 ms on one core.
//!
//! Run: `cargo bench -p danvan-domain --bench plans`. Data comes from a fixed-seed generator.

use std::sync::LazyLock;

use danvan_domain::plans::{
    RollupMethod, RollupRules, RollupTask, TaskStatus, rollup_tree, unit_section_matrix,
};

fn main() {
    divan::main();
}

const UNITS: i64 = 105;
const BULLETS: [u32; 7] = [5, 6, 2, 3, 4, 5, 28];

struct Data {
    tasks: Vec<RollupTask>,
    sections: Vec<u32>,
    units: Vec<i64>,
}

fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn status(r: u64) -> (u8, TaskStatus) {
    match r % 20 {
        0 => (0, TaskStatus::KhongThucHienDuoc),
        1..=3 => (0, TaskStatus::ChuaThucHien),
        4..=7 => (100, TaskStatus::HoanThanh),
        8 => ((r >> 8) as u8 % 60, TaskStatus::ChamTienDo),
        _ => ((r >> 8) as u8 % 101, TaskStatus::DangThucHien),
    }
}

/// Province sections → province bullets; each unit's section task hangs under the province
/// section (the cascade link) and its bullet tasks under its own section.
static DATA: LazyLock<Data> = LazyLock::new(|| {
    let mut rng = 42u64;
    let mut tasks = Vec::new();
    let mut sections = Vec::new();
    let task = |tasks: &mut Vec<RollupTask>, parent: Option<u32>, unit: i64, rng: &mut u64| {
        let r = next(rng);
        let (progress, status) = status(r);
        tasks.push(RollupTask {
            id: tasks.len() as i64,
            parent,
            unit,
            progress,
            status,
            weight: (!r.is_multiple_of(3)).then_some(((r >> 20) % 5 + 1) as f64),
            method: if unit.rem_euclid(2) == 0 {
                RollupMethod::Weighted
            } else {
                RollupMethod::Simple
            },
        });
        (tasks.len() - 1) as u32
    };
    for &n in &BULLETS {
        let s = task(&mut tasks, None, 0, &mut rng);
        sections.push(s);
        for _ in 0..n {
            task(&mut tasks, Some(s), 0, &mut rng);
        }
    }
    for unit in 1..=UNITS {
        for (k, &n) in BULLETS.iter().enumerate() {
            let s = task(&mut tasks, Some(sections[k]), unit, &mut rng);
            for _ in 0..n {
                task(&mut tasks, Some(s), unit, &mut rng);
            }
        }
    }
    Data {
        tasks,
        sections,
        units: (1..=UNITS).collect(),
    }
});

#[divan::bench(sample_count = 50)]
fn rollup_province_cascade(bencher: divan::Bencher) {
    let data = &*DATA;
    let rules = RollupRules::default();
    println!("tasks: {}", data.tasks.len());
    bencher.bench(|| {
        let r = rollup_tree(divan::black_box(&data.tasks), &rules).expect("valid tree");
        let m = unit_section_matrix(&data.tasks, &r, &data.sections, &data.units, &rules);
        (r, m)
    });
}
