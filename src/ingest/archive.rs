//! Reading ZIP containers (DOCX, OFD) safely: bounded entry count, declared and actual
//! uncompressed sizes, compression ratio, entry names that try to leave the archive, and
//! XML nesting depth. Nothing is ever written to disk.

use crate::error::{Error, Result};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Most entries in an archive.
pub const MAX_ENTRIES: usize = 10_000;
/// Most uncompressed bytes the entries declare in all.
pub const MAX_DECLARED_TOTAL: u64 = 1024 * 1024 * 1024;
/// Most uncompressed bytes read from one entry.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Most uncompressed bytes read from one archive in all.
pub const MAX_READ_TOTAL: u64 = 256 * 1024 * 1024;
/// Highest compression ratio accepted for an entry larger than 1 MB (XML compresses
/// 5–30×; a zip bomb 1000×).
pub const MAX_RATIO: u64 = 200;
/// Deepest XML element nesting accepted.
pub const MAX_XML_DEPTH: usize = 256;

/// An opened archive: its safe entry names, and how much was read from it.
pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Safe entry name (as written, `/`-separated) → index.
    names: HashMap<String, usize>,
    /// Entries ignored because their name was absolute or left the archive.
    pub unsafe_names: usize,
    read_total: u64,
    pub name: String,
}

impl<'a> Archive<'a> {
    /// Open an archive and check its directory; `name` is the input's name for errors.
    pub fn open(bytes: &'a [u8], name: &str) -> Result<Archive<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Error::input(name, format!("not a readable ZIP (DOCX/OFD): {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(Error::input(
                name,
                format!(
                    "ZIP has {} entries, more than the {MAX_ENTRIES} accepted",
                    zip.len()
                ),
            ));
        }
        let mut names = HashMap::new();
        let mut unsafe_names = 0;
        let mut declared = 0u64;
        let mut zip = zip;
        for i in 0..zip.len() {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| Error::input(name, format!("broken ZIP entry {i}: {e}")))?;
            declared = declared.saturating_add(entry.size());
            let raw = entry.name().map(|n| n.to_string()).unwrap_or_default();
            if entry.enclosed_name().is_none() || raw.contains('\\') || raw.starts_with('/') {
                unsafe_names += 1;
                continue;
            }
            names.insert(raw, i);
        }
        if declared > MAX_DECLARED_TOTAL {
            return Err(Error::input(
                name,
                format!(
                    "ZIP declares {} MB uncompressed, more than the {} MB accepted (zip bomb?)",
                    declared / (1024 * 1024),
                    MAX_DECLARED_TOTAL / (1024 * 1024)
                ),
            ));
        }
        Ok(Archive {
            zip,
            names,
            unsafe_names,
            read_total: 0,
            name: name.to_string(),
        })
    }

    /// Is there a (safe) entry of this name? Names are matched as written, then
    /// case-insensitively (OFD producers differ in case).
    pub fn find(&self, entry: &str) -> Option<String> {
        let entry = entry.trim_start_matches('/');
        if self.names.contains_key(entry) {
            return Some(entry.to_string());
        }
        self.names
            .keys()
            .find(|k| k.eq_ignore_ascii_case(entry))
            .cloned()
    }

    /// Read one entry whole, within the size and ratio bounds.
    pub fn read(&mut self, entry: &str) -> Result<Vec<u8>> {
        let Some(found) = self.find(entry) else {
            return Err(self.error(format!("entry {entry} is missing")));
        };
        let index = self.names[&found];
        let name = self.name.clone();
        let mut file = self
            .zip
            .by_index(index)
            .map_err(|e| Error::input(&name, format!("entry {found}: {e}")))?;
        let compressed = file.compressed_size().max(1);
        let limit = MAX_ENTRY_BYTES.min(MAX_READ_TOTAL - self.read_total);
        let mut out = Vec::new();
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::input(&name, format!("entry {found}: {e}")))?;
        let len = out.len() as u64;
        if len > limit {
            return Err(Error::input(
                &name,
                format!(
                    "entry {found} is larger than the {} MB read from one archive (zip bomb?)",
                    limit / (1024 * 1024)
                ),
            ));
        }
        if len > 1024 * 1024 && len / compressed > MAX_RATIO {
            return Err(Error::input(
                &name,
                format!(
                    "entry {found} expands {}× (more than {MAX_RATIO}×: zip bomb?)",
                    len / compressed
                ),
            ));
        }
        self.read_total += len;
        Ok(out)
    }

    /// An error about this archive.
    pub fn error(&self, why: impl std::fmt::Display) -> Error {
        Error::input(&self.name, why)
    }
}

/// Resolve `rel` against the directory of `base` (both archive paths), refusing `..` that
/// leaves the archive.
pub fn resolve(base: &str, rel: &str) -> Option<String> {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A streaming XML reader over an entry that refuses documents nested deeper than
/// [`MAX_XML_DEPTH`]. `next` yields events with the depth after the event.
pub struct Xml<'b> {
    reader: quick_xml::Reader<&'b [u8]>,
    buf: Vec<u8>,
    depth: usize,
    entry: String,
}

impl<'b> Xml<'b> {
    pub fn new(bytes: &'b [u8], entry: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(bytes);
        reader.config_mut().trim_text(false);
        Xml {
            reader,
            buf: Vec::new(),
            depth: 0,
            entry: entry.to_string(),
        }
    }

    /// The next event (owned), or None at the end; errors say which entry and why.
    pub fn next(&mut self) -> Result<Option<Event<'static>>, String> {
        self.buf.clear();
        let event = self
            .reader
            .read_event_into(&mut self.buf)
            .map_err(|e| format!("{}: bad XML: {e}", self.entry))?
            .into_owned();
        match &event {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_XML_DEPTH {
                    return Err(format!(
                        "{}: XML nested deeper than {MAX_XML_DEPTH} levels",
                        self.entry
                    ));
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof => return Ok(None),
            _ => {}
        }
        Ok(Some(event))
    }
}

/// The local name of an element (`w:p` → `p`, `ofd:TextCode` → `TextCode`).
pub fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(p) => &name[p + 1..],
        None => name,
    }
}

/// The unescaped text of a text or CDATA event ("" for others).
pub fn text_of(event: &Event) -> String {
    match event {
        Event::Text(t) => t.xml10_content().into_owned(),
        Event::CData(t) => t.xml10_content().into_owned(),
        Event::GeneralRef(r) => entity(r.as_ref()).map(String::from).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The five predefined XML entities and character references (`&#x4E00;`).
fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// An attribute's unescaped value by local name.
pub fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_keeps_paths_inside_the_archive() {
        assert_eq!(
            resolve("Doc_0/Document.xml", "Pages/Page_0/Content.xml").as_deref(),
            Some("Doc_0/Pages/Page_0/Content.xml")
        );
        assert_eq!(
            resolve("OFD.xml", "/Doc_0/Document.xml").as_deref(),
            Some("Doc_0/Document.xml")
        );
        assert_eq!(resolve("Doc_0/Document.xml", "../../etc/passwd"), None);
    }

    #[test]
    fn deep_xml_is_refused() {
        let deep = "<a>".repeat(MAX_XML_DEPTH + 10);
        let mut xml = Xml::new(deep.as_bytes(), "x.xml");
        let err = loop {
            match xml.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("no error"),
                Err(e) => break e,
            }
        };
        assert!(err.contains("deeper"), "{err}");
    }
}
