//! Property tests of the small parsers and of the pipeline's invariants.

mod common;

use gongwen::extract::dates::{Date, parse_date};
use gongwen::extract::header::parse_doc_number;
use gongwen::extract::tasks::clause_facts;
use proptest::prelude::*;

const BRACKETS: &[(&str, &str)] = &[
    ("〔", "〕"),
    ("[", "]"),
    ("【", "】"),
    ("（", "）"),
    ("(", ")"),
    ("［", "］"),
    ("﹝", "﹞"),
];

fn cn_year(y: u32) -> String {
    y.to_string()
        .chars()
        .map(|c| {
            "〇一二三四五六七八九"
                .chars()
                .nth(c.to_digit(10).unwrap() as usize)
                .unwrap()
        })
        .collect()
}

fn cn_small(n: u32) -> String {
    let d = |k: u32| {
        "〇一二三四五六七八九"
            .chars()
            .nth(k as usize)
            .unwrap()
            .to_string()
    };
    match n {
        1..=9 => d(n),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n - 10)),
        _ => format!(
            "{}十{}",
            d(n / 10),
            if n.is_multiple_of(10) {
                String::new()
            } else {
                d(n % 10)
            }
        ),
    }
}

proptest! {
    #[test]
    fn doc_number_any_bracket_and_spacing(
        prefix in "[赣闽沪京浙粤][市省区县]?[监卫发教财农][办认综]?[发函字]?",
        year in 1990u32..2030,
        serial in 1u32..2000,
        b in 0usize..7,
        sp in " {0,2}",
    ) {
        let (l, r) = BRACKETS[b];
        let text = format!("（{prefix}{sp}{l}{sp}{year}{sp}{r}{sp}{serial}{sp}号）");
        let (p, range) = parse_doc_number(&text).expect("parses");
        prop_assert_eq!(p.value, format!("{prefix}〔{year}〕{serial}号"));
        prop_assert_eq!((p.year as u32, p.serial), (year, serial));
        prop_assert!(text[range].ends_with('号'));
    }

    #[test]
    fn dates_arabic_and_chinese(y in 1990i32..2100, m in 1u32..=12, d in 1u32..=31, chinese in any::<bool>()) {
        let valid = gongwen::extract::dates::Date::new(y, m, d);
        let text = if chinese { format!("{}年{}月{}日", cn_year(y as u32), cn_small(m), cn_small(d)) } else { format!("{y}年{m}月{d}日") };
        match valid {
            Some(date) => prop_assert_eq!(parse_date(&text).map(|x| x.0), Some(date)),
            None => prop_assert!(parse_date(&text).is_none()),
        }
    }

    #[test]
    fn phones_inherit_the_area_code(area in "0[1-9][0-9]{1,2}", a in "[2-8][0-9]{6,7}", b in "[2-8][0-9]{6,7}") {
        let text = format!("关于开展检查的通知\n各有关单位：\n联系人：张三，联系电话：{area}-{a}，{b}。");
        let out = gongwen::extract_text("p.txt", &text);
        let phones = common::phones(&out.documents[0]);
        let mut want = vec![format!("{area}-{a}"), format!("{area}-{b}")];
        want.sort();
        want.dedup();
        prop_assert_eq!(phones, want);
    }

    #[test]
    fn normalize_maps_every_byte_into_the_source(s in "[\\PC\n\t 　]{0,300}") {
        let n = gongwen::normalize::normalize(&s);
        let len = s.chars().count();
        let span = n.span(0..n.text.len());
        prop_assert!(span.1 <= len);
        for (i, _) in n.text.char_indices() {
            prop_assert!(n.source_offset(i) < len.max(1));
        }
    }

    #[test]
    fn extract_never_panics_and_spans_stay_inside(s in "([\\PC]|\n|[一二三四五六（）、，。：；0-9〔〕号月日年附件联系人电话文件通知关于])*") {
        let out = gongwen::extract_text("p.txt", &s);
        common::assert_spans_inside(&out);
    }

    /// Every resolved deadline and period is a real calendar date, and a date written
    /// without a year never lands before the issue date minus the 30-day rollover window.
    #[test]
    fn resolved_dates_are_valid_and_not_long_before_the_issue_date(
        iy in 1995i32..2090, im in 1u32..=12, id in 1u32..=28,
        m in 1u32..=12, d in 1u32..=31, m2 in 1u32..=12, d2 in 1u32..=31,
        form in 0usize..7, chinese in any::<bool>(),
    ) {
        let issue = Date::new(iy, im, id).unwrap();
        let n = |k: u32| if chinese { cn_small(k) } else { k.to_string() };
        let phrase = match form {
            0 => format!("请于{}月{}日前报送总结。", n(m), n(d)),
            1 => format!("{}月底前完成检查。", n(m)),
            2 => format!("{}月{}日至{}月{}日开展检查。", n(m), n(d), n(m2), n(d2)),
            3 => format!("{}月下旬前完成。", n(m)),
            4 => format!("截止时间为{}月{}日。", n(m), n(d)),
            5 => format!("从即日起至{}月{}日开展检查。", n(m), n(d)),
            _ => format!("{}月至{}月开展检查。", n(m), n(m2)),
        };
        let f = clause_facts(&phrase, Some(issue), None);
        let floor = issue.day_number() - 30;
        let parse = |s: &str| -> Date {
            let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
            Date::new(p[0] as i32, p[1], p[2]).unwrap_or_else(|| panic!("invalid date {s} from {phrase}"))
        };
        for dl in &f.deadlines {
            if let Some(s) = &dl.date {
                let date = parse(s);
                prop_assert!(date.day_number() >= floor, "{phrase}: {s} before {issue:?} - 30 days");
            }
        }
        for p in &f.periods {
            let (start, end) = (parse(p.start.as_deref().unwrap()), parse(p.end.as_deref().unwrap()));
            prop_assert!(start <= end, "{phrase}: {start:?} after {end:?}");
            prop_assert!(start.day_number() >= floor, "{phrase}: starts before the window");
        }
    }
}
