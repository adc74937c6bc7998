//! Query latency over 10,000 generated plan-like documents (2–5 KB each) in an on-disk index.
//!
//! The index is built once, before the first benchmark; its build time and size are printed.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Instant;

use danvan_search::{IndexDoc, SearchIndex};

const DOCS: usize = 10_000;

fn main() {
    divan::main();
    let _ = std::fs::remove_dir_all(&*DIR);
}

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("danvan-search-bench-{}", std::process::id()))
});

static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    let _ = std::fs::remove_dir_all(&*DIR);
    let docs = generate(DOCS);
    let bytes: usize = docs.iter().map(|d| d.title.len() + d.body.len()).sum();
    let index = SearchIndex::open_or_create(&DIR).expect("open index");
    let started = Instant::now();
    index.upsert(&docs, 1).expect("index documents");
    let elapsed = started.elapsed();
    eprintln!(
        "indexed {DOCS} documents ({:.1} MB of text) in {:.2} s; index on disk: {:.1} MB",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        folder_size(&DIR) as f64 / 1e6,
    );
    index
});

#[divan::bench(args = ["công tác", "cong tac dan van", "593-QĐ/TU", "xyzzy quux"])]
fn search(bencher: divan::Bencher, query: &str) {
    let index = &*INDEX;
    bencher.bench(|| {
        index
            .search(divan::black_box(query), 10, 0)
            .expect("search")
    });
}

/// Latency of a small write: one document replaced and committed durably.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn upsert_one(bencher: divan::Bencher) {
    let index = &*INDEX;
    let doc = generate(1).remove(0);
    bencher.bench(|| index.upsert(std::slice::from_ref(&doc), 2).expect("upsert"));
}

fn folder_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| match entry.metadata() {
                    Ok(meta) if meta.is_dir() => folder_size(&entry.path()),
                    Ok(meta) => meta.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// SplitMix64: deterministic, so every run indexes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KINDS: &[&str] = &[
    "Kế hoạch",
    "Báo cáo",
    "Nghị quyết",
    "Chỉ thị",
    "Thông báo",
    "Quyết định",
];

const SUBJECTS: &[&str] = &[
    "công tác dân vận",
    "phong trào thi đua \"Dân vận khéo\"",
    "quy chế dân chủ ở cơ sở",
    "xây dựng nông thôn mới",
    "công tác kiểm tra, giám sát",
    "công tác tuyên giáo",
    "cải cách hành chính",
    "chuyển đổi số",
    "giảm nghèo bền vững",
    "công tác dân tộc, tôn giáo",
    "xây dựng Đảng và hệ thống chính trị",
    "bảo đảm an ninh trật tự",
    "phát triển kinh tế - xã hội",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
];

const ACTORS: &[&str] = &[
    "các cấp ủy, tổ chức đảng",
    "Ban Thường vụ Tỉnh ủy",
    "Ban Dân vận Huyện ủy",
    "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban nhân dân các xã, thị trấn",
    "Hội đồng nhân dân",
    "Hội Liên hiệp Phụ nữ",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Hội Nông dân",
    "Hội Cựu chiến binh",
    "Liên đoàn Lao động",
    "chi bộ",
    "đảng viên",
    "cán bộ, công chức, viên chức",
    "đồng bào dân tộc thiểu số",
    "các tầng lớp nhân dân",
    "người đứng đầu cơ quan, đơn vị",
];

const VERBS: &[&str] = &[
    "tiếp tục quán triệt",
    "triển khai thực hiện",
    "nâng cao chất lượng",
    "đổi mới nội dung, phương thức",
    "tăng cường",
    "chỉ đạo thực hiện",
    "tuyên truyền, vận động",
    "kiểm tra, đôn đốc",
    "phối hợp chặt chẽ trong",
    "sơ kết, tổng kết",
    "nhân rộng mô hình",
    "phát huy vai trò",
    "đẩy mạnh",
];

const GOALS: &[&str] = &[
    "nhằm củng cố niềm tin của nhân dân đối với Đảng",
    "góp phần hoàn thành thắng lợi nhiệm vụ chính trị của địa phương",
    "bảo đảm đúng tiến độ và hiệu quả",
    "để nâng cao đời sống vật chất và tinh thần của nhân dân",
    "tạo sự đồng thuận trong xã hội",
    "theo đúng quy định của Điều lệ Đảng",
    "gắn với việc thực hiện các chỉ tiêu kinh tế - xã hội",
    "trong tình hình mới",
    "trên địa bàn huyện",
    "ở cơ sở",
];

const HEADINGS: &[&str] = &[
    "I. MỤC ĐÍCH, YÊU CẦU",
    "II. NỘI DUNG, NHIỆM VỤ",
    "III. GIẢI PHÁP",
    "IV. TỔ CHỨC THỰC HIỆN",
];

const SYMBOL_KINDS: &[&str] = &[
    "QĐ/TU", "NQ/TW", "CT/TW", "KH/HU", "KL/TW", "HD/BDVTW", "QĐ-UBND",
];

fn symbol(rng: &mut Rng) -> String {
    format!("{}-{}", 1 + rng.below(5_000), rng.pick(SYMBOL_KINDS))
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let start = out.len();
    match rng.below(4) {
        0 => out.push_str(&format!(
            "Căn cứ {} số {} ngày {} tháng {} năm {} về {}",
            rng.pick(KINDS).to_lowercase(),
            symbol(rng),
            1 + rng.below(28),
            1 + rng.below(12),
            2015 + rng.below(10),
            rng.pick(SUBJECTS),
        )),
        1 => out.push_str(&format!(
            "{} {} {}, {}",
            rng.pick(ACTORS),
            rng.pick(VERBS),
            rng.pick(SUBJECTS),
            rng.pick(GOALS),
        )),
        2 => out.push_str(&format!(
            "{} {} {} và {} {}",
            rng.pick(VERBS),
            rng.pick(SUBJECTS),
            rng.pick(GOALS),
            rng.pick(VERBS),
            rng.pick(SUBJECTS),
        )),
        _ => out.push_str(&format!(
            "Phấn đấu đến năm {} có {}% {} tham gia {}",
            2025 + rng.below(6),
            50 + rng.below(50),
            rng.pick(ACTORS),
            rng.pick(SUBJECTS),
        )),
    }
    // Sentences start with a capital letter, as in real documents.
    let first = out[start..].chars().next().unwrap_or(' ');
    let upper: String = first.to_uppercase().collect();
    out.replace_range(start..start + first.len_utf8(), &upper);
    out.push_str(". ");
}

fn generate(count: usize) -> Vec<IndexDoc> {
    let mut rng = Rng(0x0000_DA7A_5EED);
    (0..count)
        .map(|i| {
            let kind = rng.pick(KINDS);
            let title = format!(
                "{kind} {} {} năm {}",
                rng.pick(VERBS),
                rng.pick(SUBJECTS),
                2015 + rng.below(10)
            );
            let target = 2_000 + rng.below(3_000);
            let mut body = String::with_capacity(target + 300);
            let mut heading = 0;
            while body.len() < target {
                if rng.below(6) == 0 && heading < HEADINGS.len() {
                    body.push_str(HEADINGS[heading]);
                    body.push('\n');
                    heading += 1;
                }
                sentence(&mut rng, &mut body);
            }
            IndexDoc {
                id: i as i64 + 1,
                title,
                body,
                kind: kind.to_owned(),
                unit_id: Some(1 + rng.below(200) as i64),
                issued_on: Some(format!(
                    "20{:02}-{:02}-{:02}",
                    15 + rng.below(10),
                    1 + rng.below(12),
                    1 + rng.below(28)
                )),
            }
        })
        .collect()
}
