//! HTML pages: charset, boilerplate removal, content container by text density.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongwen::ingest::fuzzing::html(data);
});
