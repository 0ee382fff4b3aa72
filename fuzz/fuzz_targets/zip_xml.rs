//! DOCX and OFD: the bounded ZIP reader, then the XML readers; and the XML readers alone
//! (word/document.xml, an OFD page's Content.xml), which a mutated zip rarely reaches.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        gongwen::ingest::fuzzing::zip(data);
    } else {
        gongwen::ingest::fuzzing::xml(data);
    }
});
