//! Synthetic notices with known facts, for scale tests of the archive (`gongwen gen-corpus`).
//!
//! Notice `i` of seed `s` is a pure function of `(s, i)`: a 市场监管局 of a city from the
//! gazetteer sends a 通知 on a category from `grammars/categories.toml`, with numbered tasks
//! carrying ratios, quotas and deadlines, a reference to an earlier notice of the corpus, a
//! contact, an annex, the signature and the date. [`Facts`] says what extraction must find.

use crate::gazetteer::{Level, Place, gazetteer};
use crate::grammar::grammar;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What a synthetic notice states (the sidecar `NAME.facts.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub doc_number: String,
    pub issuer: String,
    pub title: String,
    /// The issuer's city (full name) and province.
    pub region: String,
    pub province: String,
    /// The category every task is filed under.
    pub category: String,
    pub addressees: Vec<String>,
    pub issue_date: String,
    /// Deadline dates, sorted.
    pub deadlines: Vec<String>,
    /// Doc numbers the notice cites.
    pub references: Vec<String>,
    pub contact: String,
}

/// A generated notice: its text and its facts.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub facts: Facts,
}

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, i: u64) -> Rng {
        let mut r = Rng(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Cities of the gazetteer with their provinces, in code order.
static CITIES: LazyLock<Vec<(Place, Place)>> = LazyLock::new(|| {
    let g = gazetteer();
    let mut words: Vec<&str> = g.words().collect();
    words.sort();
    let mut cities: Vec<(Place, Place)> = words
        .iter()
        .flat_map(|w| g.candidates(w))
        .filter(|p| p.level == Level::City && p.name.ends_with('市') && p.short != p.name)
        .filter_map(|p| Some((p.clone(), g.province(p)?.clone())))
        .filter(|(_, prov)| prov.abbrev.is_some())
        .collect();
    cities.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    cities.dedup_by(|a, b| a.0.code == b.0.code);
    cities
});

/// (alias written in the text, category name) of the specific 市场监管 categories.
static CATEGORIES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    grammar()
        .categories()
        .iter()
        .filter(|c| c.domain == "市场监管" && !c.general)
        .filter_map(|c| {
            let alias = c.aliases.iter().find(|a| a.chars().count() >= 4)?.clone();
            // the name a heading with this alias is filed under
            let name = grammar()
                .classify(&format!("{alias}监督检查"))?
                .name
                .clone();
            Some((alias, name))
        })
        .collect()
});

const CODES: &[&str] = &["认证", "食品", "特设", "计量", "质监", "综"];
const TARGETS: &[&str] = &[
    "获证组织",
    "生产企业",
    "经营单位",
    "检验检测机构",
    "重点企业",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "林",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "磊", "洁", "军", "勇", "艳", "杰", "涛", "明",
];
const OFFICES: &[&str] = &[
    "认证监管科",
    "食品生产科",
    "特种设备科",
    "质量发展科",
    "综合执法科",
];
const BASES: &[&str] = &[
    "全市市场监管工作要点",
    "市场监管领域“双随机、一公开”监管工作实施方案",
    "质量强市建设工作方案",
];

fn last_day(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt())
        .map_or(28, |d| chrono::Datelike::day(&d))
}

/// The doc number of notice `i` (cited by later notices).
fn doc_number(seed: u64, i: u64) -> String {
    let mut r = Rng::new(seed, i);
    let (city, _) = r.pick(&CITIES);
    let code = *r.pick(CODES);
    let year = 2015 + (i % 10) as i32;
    let first = city.short.chars().next().unwrap_or('市');
    format!("{first}市监{code}〔{year}〕{}号", i + 1)
}

/// Notice `i` of seed `seed`.
pub fn notice(seed: u64, i: u64) -> Notice {
    let mut r = Rng::new(seed, i);
    let (city, province) = r.pick(&CITIES).clone();
    let _code = r.pick(CODES);
    let year = 2015 + (i % 10) as i32;
    let number = doc_number(seed, i);
    let (alias, category) = r.pick(&CATEGORIES).clone();
    let issuer = format!("{}市场监督管理局", city.name);
    let title = format!("{issuer}关于开展{year}年{alias}监督检查的通知");
    let addressees = vec![
        "各县（市、区）市场监管局".to_string(),
        "市局各科室".to_string(),
    ];
    let issue_month = r.range(1, 8);
    let issue_day = r.range(1, 28);
    let issue_date = format!("{year}-{issue_month:02}-{issue_day:02}");
    let mut references = Vec::new();
    let base = r.pick(BASES);
    let mut basis = format!("根据《{year}年{base}》");
    if i > 0 {
        let cited = doc_number(seed, r.below(i as usize) as u64);
        basis = format!("根据《{year}年{base}》（{cited}）");
        references.push(cited);
    }
    let mut text = String::new();
    text.push_str(&format!("\n{issuer}文件\n\n{number}\n\n{title}\n\n"));
    text.push_str(&format!("{}：\n\n", addressees.join("，")));
    text.push_str(&format!(
        "为进一步规范{alias}活动，落实监管责任，{basis}工作部署，现将{year}年全市{alias}监督检查工作安排通知如下：\n\n"
    ));
    let start = issue_month + 1;
    let end = (start + r.range(1, 3)).min(12);
    text.push_str(&format!("一、检查时间\n\n{year}年{start}月至{end}月。\n\n"));
    text.push_str("二、检查任务\n\n");
    let mut deadlines = Vec::new();
    let n_tasks = r.range(2, 4);
    let numerals = ["（一）", "（二）", "（三）", "（四）"];
    for numeral in numerals.iter().take(n_tasks as usize) {
        let target = r.pick(TARGETS);
        let pct = r.range(1, 30);
        let count = r.range(5, 200);
        let m = r.range(start, 12);
        let (when, date) = if r.below(3) == 0 {
            let d = last_day(year, m);
            (format!("{m}月底前"), format!("{year}-{m:02}-{d:02}"))
        } else {
            let d = r.range(1, 28);
            (format!("{m}月{d}日前"), format!("{year}-{m:02}-{d:02}"))
        };
        deadlines.push(date);
        text.push_str(&format!(
            "{}{alias}{target}检查。按照不低于{pct}%的比例，抽取{count}家{target}开展{alias}监督检查，请各县（市、区）局于{when}将检查情况报送市局。\n\n",
            numeral
        ));
    }
    deadlines.sort();
    deadlines.dedup();
    text.push_str("三、工作要求\n\n各地要高度重视，加强组织领导，严格依法检查，及时报送信息，确保检查工作取得实效。\n\n");
    let name = format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN));
    let office = r.pick(OFFICES);
    let phone = format!("0{}-{}", r.range(310, 999), r.range(2_000_000, 8_999_999));
    let email = format!("scjg{}@163.com", r.range(100, 99_999));
    text.push_str(&format!(
        "联系人：市局{office}{name}，联系电话：{phone}，邮箱：{email}。\n\n附件：{alias}监督检查情况统计表\n\n"
    ));
    text.push_str(&format!(
        "{issuer}\n{year}年{issue_month}月{issue_day}日\n\n（此件主动公开）\n"
    ));
    Notice {
        text,
        facts: Facts {
            doc_number: number,
            issuer,
            title,
            region: city.name.clone(),
            province: province.name.clone(),
            category,
            addressees,
            issue_date,
            deadlines,
            references,
            contact: name,
        },
    }
}

/// The file name of notice `i` under the output directory (1000 per subdirectory).
pub fn relative_path(i: u64) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{:04}/{:07}.txt", i / 1000, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_a_function_of_seed_and_index() {
        assert_eq!(notice(7, 42).text, notice(7, 42).text);
        assert_ne!(notice(7, 42).text, notice(8, 42).text);
        assert!(!CITIES.is_empty() && CATEGORIES.len() >= 5);
    }

    #[test]
    fn extraction_finds_the_facts_it_states() {
        for i in 0..30 {
            let n = notice(1, i);
            let out = crate::extract_text("synthetic.txt", &n.text);
            let d = &out.documents[0];
            let f = &n.facts;
            let ctx = format!("notice {i}:\n{}", n.text);
            assert_eq!(
                d.doc_number.as_ref().map(|x| x.value.as_str()),
                Some(f.doc_number.as_str()),
                "{ctx}"
            );
            assert_eq!(
                d.title.as_ref().map(|x| x.value.as_str()),
                Some(f.title.as_str()),
                "{ctx}"
            );
            assert_eq!(
                d.issuer.as_ref().map(|x| x.value.as_str()),
                Some(f.issuer.as_str()),
                "{ctx}"
            );
            assert_eq!(
                d.issue_date.as_ref().map(|x| x.value.as_str()),
                Some(f.issue_date.as_str()),
                "{ctx}"
            );
            assert_eq!(
                d.region.as_ref().map(|x| x.name.as_str()),
                Some(f.region.as_str()),
                "{ctx}"
            );
            let refs: Vec<&str> = d.references.iter().map(|c| c.doc_number.as_str()).collect();
            assert_eq!(refs, f.references, "{ctx}");
            let mut dl: Vec<String> = d
                .tasks
                .iter()
                .flat_map(|t| t.deadlines.iter().filter_map(|x| x.date.clone()))
                .collect();
            dl.sort();
            dl.dedup();
            assert_eq!(dl, f.deadlines, "{ctx}");
            let cats: Vec<&str> = d
                .tasks
                .iter()
                .filter_map(|t| t.category.as_deref())
                .collect();
            assert!(cats.contains(&f.category.as_str()), "{cats:?} {ctx}");
        }
    }
}
