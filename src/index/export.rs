//! Elasticsearch / OpenSearch export: bulk NDJSON (an action line and a source line per
//! document) and the index mapping, with the Chinese analyzer of a plugin
//! (`analysis-ik`: `ik_max_word` to index, `ik_smart` to search; or `analysis-smartcn`).

use super::schema::{Fields, date_iso};
use super::{Archive, stored_str, stored_strs};
use crate::error::{Error, Result};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::Write;
use tantivy::TantivyDocument;
use tantivy::schema::Value as _;

/// The Chinese analyzer the mapping names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Analyzer {
    /// `analysis-ik` plugin: `ik_max_word` at index time, `ik_smart` at search time.
    Ik,
    /// `analysis-smartcn` plugin: `smartcn`.
    Smartcn,
    /// No plugin: the built-in `standard` analyzer (one token per Han character).
    Standard,
}

impl Analyzer {
    fn index_and_search(self) -> (&'static str, &'static str) {
        match self {
            Analyzer::Ik => ("ik_max_word", "ik_smart"),
            Analyzer::Smartcn => ("smartcn", "smartcn"),
            Analyzer::Standard => ("standard", "standard"),
        }
    }
}

/// The fields analyzed as Chinese text.
pub const TEXT_FIELDS: &[&str] = &["title", "issuer", "addressees", "body", "doc_number.text"];

/// The index mapping (`PUT INDEX` body).
pub fn mapping(analyzer: Analyzer) -> Value {
    let (index, search) = analyzer.index_and_search();
    let text = json!({"type": "text", "analyzer": index, "search_analyzer": search});
    let keyword = json!({"type": "keyword"});
    let date = json!({"type": "date", "format": "yyyy-MM-dd"});
    json!({
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "doc_number": {"type": "keyword", "fields": {"text": text}},
                "title": text,
                "issuer": text,
                "region": keyword,
                "addressees": text,
                "doc_type": keyword,
                "disclosure": keyword,
                "issue_date": date,
                "role": keyword,
                "categories": keyword,
                "task_regions": keyword,
                "deadlines": date,
                "relays": keyword,
                "references": keyword,
                "path": keyword,
                "sha256": keyword,
                "body": text,
                "document": {"type": "object", "enabled": false}
            }
        }
    })
}

/// The `_source` of a stored document.
fn source(f: &Fields, doc: &TantivyDocument) -> Value {
    let dates = |field| -> Vec<String> {
        doc.get_all(field)
            .filter_map(|v| v.as_datetime().map(date_iso))
            .collect()
    };
    let document: Value = stored_str(doc, f.json)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(Value::Null);
    json!({
        "id": stored_str(doc, f.id),
        "doc_number": stored_str(doc, f.number),
        "title": stored_str(doc, f.title),
        "issuer": stored_str(doc, f.issuer),
        "region": stored_strs(doc, f.region),
        "addressees": stored_strs(doc, f.addressees),
        "doc_type": stored_str(doc, f.doc_type),
        "disclosure": stored_str(doc, f.disclosure),
        "issue_date": dates(f.issue_date).into_iter().next(),
        "role": stored_str(doc, f.role),
        "categories": stored_strs(doc, f.category),
        "task_regions": stored_strs(doc, f.task_region),
        "deadlines": dates(f.deadline),
        "relays": stored_strs(doc, f.relays),
        "references": stored_strs(doc, f.references),
        "path": stored_str(doc, f.path),
        "sha256": stored_str(doc, f.sha256),
        "body": stored_str(doc, f.body),
        "document": document,
    })
}

/// Write every document as bulk NDJSON for `index_name`; returns the number written.
pub fn write_bulk(archive: &Archive, index_name: &str, out: &mut dyn Write) -> Result<usize> {
    let mut n = 0;
    let io = |e: std::io::Error| Error::io("export output", e);
    archive.for_each_document(|f, doc| {
        let id = stored_str(doc, f.id).unwrap_or_default();
        let action = json!({"index": {"_index": index_name, "_id": id}});
        writeln!(out, "{action}").map_err(io)?;
        writeln!(out, "{}", source(f, doc)).map_err(io)?;
        n += 1;
        Ok(())
    })?;
    out.flush().map_err(io)?;
    Ok(n)
}

/// Check a bulk body against the bulk API's rules: newline-terminated; every action line
/// is `{"index":{"_index":…,"_id":…}}` followed by exactly one source object; ids unique.
/// Returns the number of documents, or the first broken rule (1-based line).
pub fn check_bulk(body: &str) -> std::result::Result<usize, String> {
    if body.is_empty() {
        return Ok(0);
    }
    if !body.ends_with('\n') {
        return Err("the body does not end with a newline".into());
    }
    let lines: Vec<&str> = body[..body.len() - 1].split('\n').collect();
    if !lines.len().is_multiple_of(2) {
        return Err(format!(
            "{} lines: an action without its source",
            lines.len()
        ));
    }
    let mut ids = HashSet::new();
    for (i, pair) in lines.chunks(2).enumerate() {
        let at = 2 * i + 1;
        let action: Value =
            serde_json::from_str(pair[0]).map_err(|e| format!("line {at}: not JSON: {e}"))?;
        let obj = action
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.get("index"))
            .and_then(Value::as_object)
            .ok_or_else(|| format!("line {at}: not an {{\"index\":{{…}}}} action"))?;
        let (Some(Value::String(_)), Some(Value::String(id))) = (obj.get("_index"), obj.get("_id"))
        else {
            return Err(format!("line {at}: action without a string _index and _id"));
        };
        if !ids.insert(id.clone()) {
            return Err(format!("line {at}: _id {id} repeated"));
        }
        let source: Value = serde_json::from_str(pair[1])
            .map_err(|e| format!("line {}: source not JSON: {e}", at + 1))?;
        if !source.is_object() {
            return Err(format!("line {}: source is not an object", at + 1));
        }
    }
    Ok(lines.len() / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_rules() {
        let ok = "{\"index\":{\"_index\":\"g\",\"_id\":\"a\"}}\n{\"x\":1}\n";
        assert_eq!(check_bulk(ok), Ok(1));
        assert!(check_bulk(&ok[..ok.len() - 1]).is_err());
        assert!(check_bulk(&ok.repeat(2)).unwrap_err().contains("repeated"));
        assert!(check_bulk("{\"index\":{\"_index\":\"g\",\"_id\":\"a\"}}\n").is_err());
        assert!(check_bulk("{\"delete\":{\"_index\":\"g\",\"_id\":\"a\"}}\n{}\n").is_err());
    }

    #[test]
    fn mapping_names_the_plugin_analyzer_on_text_fields() {
        let m = mapping(Analyzer::Ik);
        let p = &m["mappings"]["properties"];
        assert_eq!(p["title"]["analyzer"], "ik_max_word");
        assert_eq!(p["body"]["search_analyzer"], "ik_smart");
        assert_eq!(p["doc_number"]["type"], "keyword");
        assert_eq!(p["doc_number"]["fields"]["text"]["analyzer"], "ik_max_word");
        assert_eq!(
            mapping(Analyzer::Smartcn)["mappings"]["properties"]["issuer"]["analyzer"],
            "smartcn"
        );
    }
}
