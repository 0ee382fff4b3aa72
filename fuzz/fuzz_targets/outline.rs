//! Outline markers (一、 （一） 1. （1） ①) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(m) = gongwen::structure::outline::marker(text) {
        assert!(m.len <= text.len(), "marker longer than the line");
        assert!(text.is_char_boundary(m.len) || text.trim_start().len() < text.len());
    }
});
