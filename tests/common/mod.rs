//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gongwen::spec::{Document, Output};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository (tests that read it skip when it is absent).
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.is_dir().then_some(p)
}

pub fn extract(path: &Path) -> Output {
    gongwen::extract_path(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn corpus(name: &str) -> Output {
    extract(&root().join("corpus").join(name))
}

/// Canonical values of a document, for one-line assertions.
pub fn number(d: &Document) -> Option<&str> {
    d.doc_number.as_ref().map(|n| n.value.as_str())
}

pub fn names(d: &Document) -> Vec<&str> {
    d.contacts
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect()
}

pub fn phones(d: &Document) -> Vec<String> {
    let mut v: Vec<String> = d.contacts.iter().flat_map(|c| c.phones.clone()).collect();
    v.sort();
    v.dedup();
    v
}

pub fn emails(d: &Document) -> Vec<String> {
    let mut v: Vec<String> = d.contacts.iter().flat_map(|c| c.emails.clone()).collect();
    v.sort();
    v.dedup();
    v
}

pub fn addressees(d: &Document) -> Vec<&str> {
    d.addressees.iter().map(|a| a.value.as_str()).collect()
}

/// Every span of an output lies inside the extracted text.
pub fn assert_spans_inside(out: &Output) {
    let n = out.source.chars;
    let json = serde_json::to_value(out).unwrap();
    fn walk(v: &serde_json::Value, n: usize) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Array(s)) = m.get("span") {
                    let (a, b) = (
                        s[0].as_u64().unwrap() as usize,
                        s[1].as_u64().unwrap() as usize,
                    );
                    assert!(a <= b && b <= n, "span [{a},{b}] outside 0..{n}");
                }
                m.values().for_each(|x| walk(x, n));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, n)),
            _ => {}
        }
    }
    walk(&json, n);
}

/// A ZIP archive (deflated) of the given entries: DOCX/OFD fixtures and hostile archives.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}
