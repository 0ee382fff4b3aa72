//! The 发文字号 parser on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some((parts, range)) = gongwen::extract::header::parse_doc_number(text) {
        assert!(text.get(range).is_some(), "range off char boundaries");
        assert!(!parts.prefix.is_empty());
    }
    let _ = gongwen::extract::header::doc_type_of(text);
});
