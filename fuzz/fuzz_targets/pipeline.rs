//! The whole pipeline on arbitrary bytes: sniff, read (text, DOCX, OFD, HTML), normalize,
//! structure, extract. PDFs and images are left to `pdf` (they would run poppler/Tesseract).
#![no_main]

use gongwen::spec::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if matches!(gongwen::ingest::sniff(data), Some(Format::Pdf | Format::Image)) {
        return;
    }
    if let Ok(ex) = gongwen::ingest::ingest_bytes(data, "fuzz") {
        let _ = gongwen::extract_extracted("fuzz", &ex);
    }
});
