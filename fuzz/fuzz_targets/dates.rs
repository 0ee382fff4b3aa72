//! Date parsers and the date/deadline/period facts of a clause on arbitrary text.
#![no_main]

use gongwen::extract::dates::{Date, first_year, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some((_, range)) = parse_date(text) {
        assert!(text.get(range).is_some(), "range off char boundaries");
    }
    let _ = first_year(text);
    let issue = Date::new(2024, 2, 29);
    let _ = gongwen::extract::tasks::clause_facts(text, issue, None);
    let _ = gongwen::extract::tasks::clause_facts(text, None, Some(2024));
});
