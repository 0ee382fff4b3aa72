//! Deadline exports: the iCalendar file must parse with a real RFC 5545 parser (the
//! `icalendar` crate's) and hold one event per dated deadline and period; the CSV opens
//! as UTF-8 (BOM) with one row per deadline.

mod common;

use gongwen::output::{ics, table};
use icalendar::parser::{read_calendar, unfold};
use std::collections::HashSet;

fn prop<'a>(c: &'a icalendar::parser::Component<'a>, name: &str) -> Option<String> {
    c.properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.val.as_str().to_string())
}

#[test]
fn ics_parses_and_has_one_event_per_dated_deadline_and_period() {
    let out = common::corpus("000_6ef2ac40ccdeb165.txt");
    let dated: usize = out
        .documents
        .iter()
        .flat_map(|d| &d.tasks)
        .map(|t| {
            t.deadlines.iter().filter(|d| d.date.is_some()).count() + t.period.is_some() as usize
        })
        .sum();
    let text = ics::render(std::slice::from_ref(&out));
    assert!(text.contains("\r\n"), "RFC 5545 lines end with CRLF");
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).expect("valid iCalendar");
    assert!(
        cal.properties
            .iter()
            .any(|p| p.name.as_str() == "VERSION" && p.val.as_str() == "2.0")
    );
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), dated);
    let mut uids = HashSet::new();
    for e in &events {
        for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            assert!(prop(e, required).is_some(), "{required} missing");
        }
        assert!(uids.insert(prop(e, "UID").unwrap()), "UIDs are unique");
    }
    let starts: Vec<String> = events.iter().filter_map(|e| prop(e, "DTSTART")).collect();
    assert!(starts.contains(&"20230910".to_string()), "{starts:?}");
    assert!(events.iter().any(|e| {
        prop(e, "SUMMARY")
            .is_some_and(|s| s.contains("报送") && s.contains("赣市监办认监〔2023〕4号"))
    }));
}

#[test]
fn ics_carries_recurrence_rules() {
    let out = gongwen::extract_text(
        "r.txt",
        "关于报送统计数据的通知\n各区：\n一、每月5日前报送上月统计数据。\n二、请于2024年3月31日前报送年度总结。\n\n某某局\n2024年3月6日\n",
    );
    let text = ics::render(std::slice::from_ref(&out));
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).expect("valid iCalendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    let rrule: Vec<String> = events.iter().filter_map(|e| prop(e, "RRULE")).collect();
    assert_eq!(rrule, ["FREQ=MONTHLY;BYMONTHDAY=5"]);
    let recurring = events.iter().find(|e| prop(e, "RRULE").is_some()).unwrap();
    assert_eq!(prop(recurring, "DTSTART").as_deref(), Some("20240405"));
}

#[test]
fn csv_has_bom_header_and_one_row_per_deadline() {
    let out = common::corpus("000_6ef2ac40ccdeb165.txt");
    let deadlines: usize = out
        .documents
        .iter()
        .flat_map(|d| &d.tasks)
        .map(|t| t.deadlines.len().max(1))
        .sum();
    let text = table::render(std::slice::from_ref(&out));
    let body = text.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "file");
    let date_col = headers.iter().position(|h| h == "date").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), deadlines);
    assert!(rows.iter().any(|row| &row[date_col] == "2023-09-10"));
    assert!(rows.iter().all(|row| row.len() == headers.len()));
}
