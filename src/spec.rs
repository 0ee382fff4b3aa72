//! The output contract (`../shared/spec/task-spec.md`, schema `gongwen.task-spec/1`).
//!
//! These types are serialized as the JSON that `gongwen extract` prints; `gongwen schema`
//! prints their JSON Schema (generated with schemars). Keys may be added, never renamed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Schema identifier written into every output object.
pub const SCHEMA_ID: &str = "gongwen.task-spec/1";

/// `[start, end)` in Unicode-scalar (char) offsets into the extracted text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Span(pub usize, pub usize);

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span(start, end.max(start))
    }
    pub fn start(&self) -> usize {
        self.0
    }
    pub fn end(&self) -> usize {
        self.1
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.0 <= other.0 && other.1 <= self.1
    }
}

/// Where a value was read, for paged and recognised sources; both keys are absent for
/// plain text (and the whole object adds nothing to the JSON then).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Origin {
    /// The 1-based page the value's span starts on (PDF, OFD, images; DOCX at its page breaks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Text recognised by OCR: the recogniser's lowest word confidence over the span, in
    /// percent. Below [`LOW_OCR_CONFIDENCE`] the value also gets an `ocr-low-confidence`
    /// warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<u8>,
}

/// OCR confidence (percent) under which a value is flagged for checking.
pub const LOW_OCR_CONFIDENCE: u8 = 60;

/// One output object per input file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Output {
    pub schema: String,
    pub source: Source,
    pub documents: Vec<Document>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Pdf,
    Docx,
    Ofd,
    Html,
    Image,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The path as given on the command line (`-` for standard input).
    pub path: String,
    /// SHA-256 of the input bytes, lowercase hex.
    pub sha256: String,
    pub format: Format,
    /// Detected character encoding of a text input (`utf-8`, `gb18030`, `utf-16le`…).
    pub encoding: Option<String>,
    /// Page count for paged formats (DOCX: pages as Word last laid them out, when it
    /// recorded them); null for text.
    pub pages: Option<u32>,
    pub ocr: bool,
    /// Length of the extracted text in chars (what spans index into).
    pub chars: usize,
    /// Paged formats (PDF, OFD, images; DOCX where Word recorded page breaks): the char
    /// offset where each page starts in the extracted text, so a span's page is the number
    /// of starts at or before its start. Absent for unpaged formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_starts: Option<Vec<usize>>,
}

impl Source {
    /// The 1-based page a char offset of the extracted text is on (None when unpaged).
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        crate::ingest::page_of(self.page_starts.as_deref().unwrap_or(&[]), offset)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Stable machine-readable code, e.g. `no-title`.
    pub code: String,
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The notice itself (a relay notice is primary).
    Primary,
    /// The original carried inside a relay, or the document a 印发 notice issues.
    Relayed,
}

/// A text value with its source span. `value` is normalized, `span` points at the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TextValue {
    pub value: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

/// 发文字号, e.g. `赣市监办认监〔2023〕4号`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocNumber {
    /// Canonical form: `〔〕` around the year, no spaces.
    pub value: String,
    /// 机关代字, e.g. `赣市监办认监`.
    pub prefix: String,
    pub year: i32,
    /// 发文顺序号 (kept as written: usually digits).
    pub serial: u32,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

/// A resolved calendar date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DateValue {
    /// ISO `YYYY-MM-DD`.
    pub value: String,
    /// The source text as written.
    pub raw: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

/// A cited document: a relay (转发) or any reference with a doc number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Citation {
    pub doc_number: String,
    /// The cited title without `《》`, when the citation gives one.
    pub title: Option<String>,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    pub role: Role,
    pub span: Span,
    pub issuer: Option<TextValue>,
    pub doc_number: Option<DocNumber>,
    pub title: Option<TextValue>,
    pub doc_type: Option<String>,
    pub addressees: Vec<TextValue>,
    pub issue_date: Option<DateValue>,
    pub disclosure: Option<String>,
    /// The issuer's administrative region, from the gazetteer (宜春市市场监督管理局 → 宜春市).
    pub region: Option<Region>,
    pub relays: Vec<Citation>,
    pub references: Vec<Citation>,
    pub tasks: Vec<Task>,
    pub contacts: Vec<Contact>,
    pub annexes: Vec<Annex>,
}

/// An administrative division.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Region {
    /// Full name (宜春市).
    pub name: String,
    /// Short form (宜春).
    pub short: String,
    /// Division code (2 digits province, 4 city, 6 county).
    pub code: String,
    pub level: RegionLevel,
    /// The province's full name.
    pub province: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

/// An actionable item of the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Task {
    /// Outline path, e.g. `二.（三）` or `一.3`.
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    pub targets: Vec<String>,
    pub quotas: Vec<Quota>,
    pub ratios: Vec<Ratio>,
    pub period: Option<Period>,
    pub deadlines: Vec<Deadline>,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

/// A count to reach: `抽取 50 家` → 50 家; `不少于2名` → at least 2 名.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quota {
    pub count: u32,
    pub unit: String,
    pub comparator: Option<Comparator>,
    /// Places the count is for (`南昌市10家` → `["南昌"]`); `[]` = the whole task.
    pub regions: Vec<String>,
    pub raw: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
    Exactly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ratio {
    /// A fraction: `5%` is 0.05, `全覆盖` is 1.0.
    pub value: f64,
    pub comparator: Option<Comparator>,
    /// Short region names the value applies to (`["南昌","九江"]`, `["其他"]`); `[]` = everywhere.
    pub regions: Vec<String>,
    pub raw: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    pub start: Option<String>,
    pub end: Option<String>,
    pub raw: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Deadline {
    /// ISO date; null for a recurring deadline (see `rrule`) and for a relative deadline
    /// that cannot be placed on the calendar (`收到通知后10个工作日内`).
    pub date: Option<String>,
    pub raw: String,
    pub action: Option<String>,
    pub deliverables: Vec<String>,
    pub annexes: Vec<u32>,
    /// RFC 5545 recurrence rule of a recurring deadline (`每月5日前` → `FREQ=MONTHLY;BYMONTHDAY=5`).
    pub rrule: Option<String>,
    /// A recurring deadline's first occurrence on or after the issue date.
    pub first_occurrence: Option<String>,
    /// A deadline counted from an event (`收到通知后10个工作日内`).
    pub relative: Option<Relative>,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

/// How far a relative deadline lies after its anchor event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Relative {
    pub amount: u32,
    pub unit: RelativeUnit,
    /// The event it counts from, as written (`收到通知后`).
    pub anchor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelativeUnit {
    WorkingDay,
    Day,
    Week,
    Month,
}

/// One person of a 联系人 block (or a block without names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contact {
    pub name: Option<String>,
    pub org: Option<String>,
    pub phones: Vec<String>,
    pub fax: Vec<String>,
    pub emails: Vec<String>,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Annex {
    pub index: u32,
    pub title: String,
    pub span: Span,
    #[serde(flatten)]
    pub origin: Origin,
    pub table: Option<Table>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Document {
    /// Visit every value that carries an [`Origin`], with the name of its field and its
    /// span, in document order (header fields, tasks with their values, contacts, annexes).
    pub fn visit_origins(&mut self, f: &mut impl FnMut(&'static str, Span, &mut Origin)) {
        if let Some(v) = &mut self.issuer {
            f("issuer", v.span, &mut v.origin);
        }
        if let Some(v) = &mut self.doc_number {
            f("doc_number", v.span, &mut v.origin);
        }
        if let Some(v) = &mut self.title {
            f("title", v.span, &mut v.origin);
        }
        for v in &mut self.addressees {
            f("addressee", v.span, &mut v.origin);
        }
        if let Some(v) = &mut self.issue_date {
            f("issue_date", v.span, &mut v.origin);
        }
        for v in &mut self.relays {
            f("relay", v.span, &mut v.origin);
        }
        for v in &mut self.references {
            f("reference", v.span, &mut v.origin);
        }
        for t in &mut self.tasks {
            f("task", t.span, &mut t.origin);
            for v in &mut t.quotas {
                f("quota", v.span, &mut v.origin);
            }
            for v in &mut t.ratios {
                f("ratio", v.span, &mut v.origin);
            }
            if let Some(v) = &mut t.period {
                f("period", v.span, &mut v.origin);
            }
            for v in &mut t.deadlines {
                f("deadline", v.span, &mut v.origin);
            }
        }
        for v in &mut self.contacts {
            f("contact", v.span, &mut v.origin);
        }
        for v in &mut self.annexes {
            f("annex", v.span, &mut v.origin);
        }
    }
}
