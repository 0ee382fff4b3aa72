//! The archive's tantivy schema: one tantivy document per extracted [`Document`], with
//! every header fact, the full text, task facts and the source file.

use crate::spec::{Document, Output, Role};
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, TantivyDocument};

/// Schema version, stored in the index directory; a mismatch asks for a new index.
pub const VERSION: u32 = 1;

/// `kind` of a tantivy document holding an extracted document.
pub const KIND_DOC: &str = "doc";
/// `kind` of the marker of a file that gave no document (so a re-run skips it too).
pub const KIND_EMPTY: &str = "empty";

/// The fields, by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `SHA256:N`: the file and the document's index in it (unique).
    pub id: Field,
    pub kind: Field,
    pub sha256: Field,
    pub path: Field,
    pub role: Field,
    /// Document index within the file (stored).
    pub ordinal: Field,
    /// 发文字号 exactly as extracted (raw string).
    pub number: Field,
    /// 发文字号, tokenized.
    pub number_text: Field,
    pub title: Field,
    pub issuer: Field,
    /// The issuer's region and every division above it: full names, short forms, the
    /// province's one-character abbreviation.
    pub region: Field,
    pub addressees: Field,
    pub doc_type: Field,
    pub disclosure: Field,
    pub issue_date: Field,
    pub body: Field,
    pub category: Field,
    /// Regions named by ratios and quotas.
    pub task_region: Field,
    pub deadline: Field,
    pub relays: Field,
    pub references: Field,
    /// The document's JSON (`gongwen show`).
    pub json: Field,
}

fn zh_text(stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(super::tokenizer::NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { opts.set_stored() } else { opts }
}

fn date() -> DateOptions {
    DateOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored()
        .set_precision(DateTimePrecision::Seconds)
}

/// Build the schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        sha256: b.add_text_field("sha256", STRING | STORED | FAST),
        path: b.add_text_field("path", STRING | STORED | FAST),
        role: b.add_text_field("role", STRING | STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        number: b.add_text_field("doc_number", STRING | STORED),
        number_text: b.add_text_field("doc_number_text", zh_text(false)),
        title: b.add_text_field("title", zh_text(true)),
        issuer: b.add_text_field("issuer", zh_text(true)),
        region: b.add_text_field("region", STRING | STORED),
        addressees: b.add_text_field("addressees", zh_text(true)),
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        disclosure: b.add_text_field("disclosure", STRING | STORED),
        issue_date: b.add_date_field("issue_date", date()),
        body: b.add_text_field("body", zh_text(true)),
        category: b.add_text_field("category", STRING | STORED),
        task_region: b.add_text_field("task_region", STRING | STORED),
        deadline: b.add_date_field("deadline", date()),
        relays: b.add_text_field("relays", STRING | STORED),
        references: b.add_text_field("references", STRING | STORED),
        json: b.add_text_field("json", STORED),
    };
    (b.build(), fields)
}

/// A `YYYY-MM-DD` date as a tantivy date (midnight UTC); `None` if it is not one.
pub fn iso_date(s: &str) -> Option<DateTime> {
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    let date = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(days_to_date(date_to_days(date)))
}

/// Days since 1970-01-01.
pub fn date_to_days(d: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(d.num_days_from_ce()) - 719_163
}

pub fn days_to_date(days: i64) -> DateTime {
    DateTime::from_timestamp_secs(days * 86_400)
}

/// A tantivy date back as `YYYY-MM-DD`.
pub fn date_iso(d: DateTime) -> String {
    let days = d.into_timestamp_secs().div_euclid(86_400);
    chrono::NaiveDate::from_num_days_from_ce_opt((days + 719_163) as i32)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Every name the issuer's region answers to: itself and the divisions above it, full and
/// short, and the province's abbreviation (宜春市 → 宜春市, 宜春, 江西省, 江西, 赣).
pub fn region_terms(region: &crate::spec::Region) -> Vec<String> {
    let gaz = crate::gazetteer::gazetteer();
    let mut v = vec![
        region.name.clone(),
        region.short.clone(),
        region.province.clone(),
    ];
    if let Some(place) = gaz.candidates(&region.name).find(|p| p.code == region.code) {
        let mut cur = Some(place);
        while let Some(p) = cur {
            v.push(p.name.clone());
            v.push(p.short.clone());
            if let Some(a) = p.abbrev {
                v.push(a.to_string());
            }
            cur = gaz.parent(p);
        }
    } else if let Some(p) = gaz.lookup(&region.province) {
        v.push(p.short.clone());
        if let Some(a) = p.abbrev {
            v.push(a.to_string());
        }
    }
    v.retain(|s| !s.is_empty());
    v.sort();
    v.dedup();
    v
}

/// The tantivy documents of one extracted file: one per document, or one `empty` marker.
pub fn documents(f: &Fields, out: &Output, path: &str, text: &str) -> Vec<TantivyDocument> {
    let sha = &out.source.sha256;
    if out.documents.is_empty() {
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, format!("{sha}:empty"));
        doc.add_text(f.kind, KIND_EMPTY);
        doc.add_text(f.sha256, sha);
        doc.add_text(f.path, path);
        return vec![doc];
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
    out.documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let body = &text[byte_at(d.span.start())..byte_at(d.span.end())];
            document(f, d, i, sha, path, body)
        })
        .collect()
}

fn document(
    f: &Fields,
    d: &Document,
    ordinal: usize,
    sha: &str,
    path: &str,
    body: &str,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.id, format!("{sha}:{ordinal}"));
    doc.add_text(f.kind, KIND_DOC);
    doc.add_text(f.sha256, sha);
    doc.add_text(f.path, path);
    doc.add_text(
        f.role,
        match d.role {
            Role::Primary => "primary",
            Role::Relayed => "relayed",
        },
    );
    doc.add_u64(f.ordinal, ordinal as u64);
    if let Some(n) = &d.doc_number {
        doc.add_text(f.number, &n.value);
        doc.add_text(f.number_text, &n.value);
    }
    if let Some(t) = &d.title {
        doc.add_text(f.title, &t.value);
    }
    if let Some(t) = &d.issuer {
        doc.add_text(f.issuer, &t.value);
    }
    if let Some(r) = &d.region {
        for t in region_terms(r) {
            doc.add_text(f.region, t);
        }
    }
    for a in &d.addressees {
        doc.add_text(f.addressees, &a.value);
    }
    if let Some(t) = &d.doc_type {
        doc.add_text(f.doc_type, t);
    }
    if let Some(t) = &d.disclosure {
        doc.add_text(f.disclosure, t);
    }
    if let Some(date) = d.issue_date.as_ref().and_then(|v| iso_date(&v.value)) {
        doc.add_date(f.issue_date, date);
    }
    doc.add_text(f.body, body);
    let mut categories = Vec::new();
    let mut regions = Vec::new();
    let mut deadlines = Vec::new();
    for t in &d.tasks {
        categories.extend(t.category.iter().cloned());
        regions.extend(t.ratios.iter().flat_map(|r| r.regions.iter().cloned()));
        regions.extend(t.quotas.iter().flat_map(|q| q.regions.iter().cloned()));
        deadlines.extend(t.deadlines.iter().filter_map(|dl| {
            dl.date
                .as_deref()
                .or(dl.first_occurrence.as_deref())
                .and_then(iso_date)
        }));
    }
    for v in [&mut categories, &mut regions] {
        v.sort();
        v.dedup();
    }
    deadlines.sort();
    deadlines.dedup();
    for c in categories {
        doc.add_text(f.category, c);
    }
    for r in regions {
        doc.add_text(f.task_region, r);
    }
    for dl in deadlines {
        doc.add_date(f.deadline, dl);
    }
    let mut relays: Vec<&str> = d.relays.iter().map(|c| c.doc_number.as_str()).collect();
    relays.sort();
    relays.dedup();
    for r in relays {
        doc.add_text(f.relays, r);
    }
    let mut refs: Vec<&str> = d.references.iter().map(|c| c.doc_number.as_str()).collect();
    refs.sort();
    refs.dedup();
    for r in refs {
        doc.add_text(f.references, r);
    }
    doc.add_text(
        f.json,
        serde_json::to_string(d).unwrap_or_else(|_| "null".into()),
    );
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in ["2024-10-25", "1999-01-01", "2024-02-29"] {
            assert_eq!(date_iso(iso_date(s).unwrap()), s);
        }
        assert!(iso_date("2024-13-01").is_none());
        assert!(iso_date("soon").is_none());
    }

    #[test]
    fn a_city_answers_to_its_province() {
        let r = crate::spec::Region {
            name: "宜春市".into(),
            short: "宜春".into(),
            code: "3609".into(),
            level: crate::spec::RegionLevel::City,
            province: "江西省".into(),
        };
        let t = region_terms(&r);
        for w in ["宜春市", "宜春", "江西省", "江西", "赣"] {
            assert!(t.iter().any(|x| x == w), "{w} not in {t:?}");
        }
    }
}
