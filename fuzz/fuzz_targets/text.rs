//! Normalize, structure and extract on arbitrary UTF-8 text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let out = gongwen::extract_text("fuzz.txt", text);
    let chars = text.chars().count();
    for d in &out.documents {
        assert!(d.span.1 <= chars, "document span past the text");
    }
});
