//! PDF ingestion in-process: lopdf/pdf-extract under catch_unwind, page by page.
//! (The poppler and Tesseract fallbacks are subprocesses with time limits, not fuzzed.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongwen::ingest::fuzzing::pdf_text_layer(data);
});
