//! The archive: extracted notices in a tantivy index (`gongwen index`, `search`, `show`,
//! `export`).
//!
//! One tantivy document per extracted [`Document`](crate::spec::Document) ([`schema`]),
//! text fields cut by jieba with the project's dictionary ([`tokenizer`]), queried with a
//! small language ([`query`]), exported as Elasticsearch bulk NDJSON ([`export`]).
//! [`synth`] writes synthetic notices with known facts for scale tests.
//!
//! Indexing is incremental (a file whose SHA-256 is indexed is skipped; a changed file at
//! an indexed path replaces that path's documents), commits every `batch` files (a reader
//! sees whole batches only; after a crash or Ctrl-C a re-run goes on from the last commit)
//! and streams: files are read, extracted and handed to the writer through a bounded
//! channel, so memory does not grow with the number of files.

pub mod export;
pub mod query;
pub mod schema;
pub mod synth;
pub mod tokenizer;

use crate::error::{Error, Result};
use crate::spec::Output;
use rayon::prelude::*;
use schema::{Fields, KIND_DOC};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

/// Name of the file in the index directory that records the schema version.
const VERSION_FILE: &str = "gongwen-index.json";

/// An archive index on disk.
pub struct Archive {
    index: Index,
    fields: Fields,
    path: PathBuf,
}

fn err(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::input(&path.display().to_string(), what)
}

impl Archive {
    /// Open the index at `path`, creating it (and the directory) if there is none.
    pub fn open_or_create(path: &Path) -> Result<Archive> {
        if path.join("meta.json").is_file() {
            return Archive::open(path);
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(&path.display().to_string(), e))?;
        if std::fs::read_dir(path)
            .map_err(|e| Error::io(&path.display().to_string(), e))?
            .next()
            .is_some()
        {
            return Err(err(
                path,
                "directory is not empty and holds no index; give a new or empty directory",
            ));
        }
        let (schema, fields) = schema::schema();
        let index = Index::create_in_dir(path, schema)
            .map_err(|e| err(path, format!("cannot create the index: {e}")))?;
        std::fs::write(
            path.join(VERSION_FILE),
            format!("{{\"schema_version\": {}}}\n", schema::VERSION),
        )
        .map_err(|e| Error::io(&path.join(VERSION_FILE).display().to_string(), e))?;
        Ok(Archive::with(index, fields, path))
    }

    /// Open an existing index.
    pub fn open(path: &Path) -> Result<Archive> {
        if !path.join("meta.json").is_file() {
            return Err(err(
                path,
                "no index here (build one with `gongwen index DIR --index PATH`)",
            ));
        }
        let version = std::fs::read_to_string(path.join(VERSION_FILE)).unwrap_or_default();
        if !version.contains(&format!("\"schema_version\": {}", schema::VERSION)) {
            return Err(err(
                path,
                format!(
                    "index was built by another version of gongwen (schema {}); rebuild it into a new directory",
                    version.trim()
                ),
            ));
        }
        let index = Index::open_in_dir(path)
            .map_err(|e| err(path, format!("cannot open the index: {e}")))?;
        let (expected, fields) = schema::schema();
        if index.schema() != expected {
            return Err(err(
                path,
                "index schema differs from this gongwen's; rebuild it",
            ));
        }
        Ok(Archive::with(index, fields, path))
    }

    fn with(index: Index, fields: Fields, path: &Path) -> Archive {
        index
            .tokenizers()
            .register(tokenizer::NAME, tokenizer::analyzer());
        Archive {
            index,
            fields,
            path: path.to_path_buf(),
        }
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    fn tantivy_err(&self, e: impl std::fmt::Display) -> Error {
        err(&self.path, e)
    }

    /// A reader on the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| self.tantivy_err(e))
    }

    /// The files in the index: every SHA-256, and path → SHA-256.
    pub fn indexed_files(&self) -> Result<(HashSet<String>, HashMap<String, String>)> {
        let searcher = self.reader()?.searcher();
        let mut shas = HashSet::new();
        let mut paths = HashMap::new();
        let (mut sha, mut path) = (String::new(), String::new());
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let (Some(sha_col), Some(path_col)) = (
                ff.str("sha256").map_err(|e| self.tantivy_err(e))?,
                ff.str("path").map_err(|e| self.tantivy_err(e))?,
            ) else {
                continue;
            };
            for doc in seg.doc_ids_alive() {
                let (Some(s), Some(p)) = (
                    sha_col.term_ords(doc).next(),
                    path_col.term_ords(doc).next(),
                ) else {
                    continue;
                };
                sha.clear();
                path.clear();
                sha_col
                    .ord_to_str(s, &mut sha)
                    .map_err(|e| self.tantivy_err(e))?;
                path_col
                    .ord_to_str(p, &mut path)
                    .map_err(|e| self.tantivy_err(e))?;
                if !shas.contains(sha.as_str()) {
                    shas.insert(sha.clone());
                }
                if paths.get(path.as_str()) != Some(&sha) {
                    paths.insert(path.clone(), sha.clone());
                }
            }
        }
        Ok((shas, paths))
    }

    /// Number of extracted documents in the index (markers of empty files not counted).
    pub fn count_documents(&self) -> Result<usize> {
        let searcher = self.reader()?.searcher();
        searcher
            .search(&self.kind_doc(), &tantivy::collector::Count)
            .map_err(|e| self.tantivy_err(e))
    }

    fn kind_doc(&self) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_DOC),
            IndexRecordOption::Basic,
        )
    }
}

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Files per commit.
    pub batch: usize,
    /// Extraction threads (0: every core).
    pub threads: usize,
    /// The writer's memory budget in MB (split between its threads).
    pub memory_mb: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            batch: 1000,
            threads: 0,
            memory_mb: 128,
        }
    }
}

/// What happened to the files of a run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IndexReport {
    /// Files extracted and added.
    pub indexed: usize,
    /// Of those, files that replaced an older version at the same path.
    pub replaced: usize,
    /// Files skipped: their SHA-256 was indexed already.
    pub skipped: usize,
    /// Documents added.
    pub documents: usize,
    /// Commits made.
    pub commits: usize,
    /// `path: reason` of each file that failed.
    pub failed: Vec<String>,
}

/// Progress events, for a progress bar or a log.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// One more file done (indexed, skipped or failed).
    File,
    /// A commit is durable: `files` files done so far in this run.
    Committed { files: usize },
}

enum Outcome {
    /// Bytes already indexed (possibly under another path).
    Skipped {
        path: String,
        sha256: String,
    },
    Failed(String),
    Extracted {
        path: String,
        sha256: String,
        docs: Vec<TantivyDocument>,
    },
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Read, hash and (unless known) extract one file.
fn process(path: &Path, known: &HashSet<String>, fields: &Fields) -> Outcome {
    let name = path.display().to_string();
    // the key of a file: its absolute path, so `dir/` and `./dir/` are the same file
    let key = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > crate::ingest::MAX_INPUT_BYTES);
    if too_big {
        // let the reader say why, in its words
        return match crate::ingest::ingest_path(path) {
            Err(e) => Outcome::Failed(e.to_string()),
            Ok(_) => Outcome::Failed(format!("{name}: file too large")),
        };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(Error::io(&name, e).to_string()),
    };
    let sha256 = sha256_hex(&bytes);
    if known.contains(&sha256) {
        return Outcome::Skipped { path: key, sha256 };
    }
    let run = || -> Result<(Output, String)> {
        let ex = crate::ingest::ingest_bytes(&bytes, &name)?;
        let out = crate::extract_extracted(&name, &ex);
        Ok((out, ex.text))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok((out, text))) => Outcome::Extracted {
            docs: schema::documents(fields, &out, &key, &text),
            path: key,
            sha256,
        },
        Ok(Err(e)) => Outcome::Failed(e.to_string()),
        Err(_) => Outcome::Failed(format!(
            "{name}: internal error while extracting (please report)"
        )),
    }
}

/// Index `files` into `archive`. Failures of single files are in the report; an `Err` is
/// a failure of the index itself (the work committed until then stays).
pub fn index_files(
    archive: &Archive,
    files: &[PathBuf],
    opts: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexReport> {
    let (known, paths) = archive.indexed_files()?;
    let f = archive.fields;
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let writer_threads = threads.clamp(1, 4);
    let memory = (opts.memory_mb.max(16 * writer_threads)) * 1024 * 1024;
    let mut writer = archive
        .index
        .writer_with_num_threads::<TantivyDocument>(writer_threads, memory)
        .map_err(|e| {
            archive.tantivy_err(format!(
                "cannot write the index (is another `gongwen index` running on it?): {e}"
            ))
        })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| archive.tantivy_err(e))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Outcome>(4 * threads);
    let mut report = IndexReport::default();
    let batch = opts.batch.max(1);
    std::thread::scope(|scope| -> Result<()> {
        let known = &known;
        scope.spawn(move || {
            pool.install(|| {
                files.par_iter().for_each_with(tx, |tx, file| {
                    // a closed channel means the writer side stopped on an error
                    let _ = tx.send(process(file, known, &f));
                });
            });
        });
        let mut seen: HashSet<String> = HashSet::new();
        let (mut pending, mut done) = (0usize, 0usize);
        for outcome in rx {
            done += 1;
            match outcome {
                Outcome::Skipped { path, sha256 } => {
                    report.skipped += 1;
                    // the file at an indexed path now holds bytes indexed under another
                    // path: its old documents go
                    if paths.get(&path).is_some_and(|old| *old != sha256) {
                        writer.delete_term(Term::from_field_text(f.path, &path));
                        report.replaced += 1;
                        pending += 1;
                    }
                }
                Outcome::Failed(why) => report.failed.push(why),
                Outcome::Extracted { path, sha256, docs } => {
                    if !seen.insert(sha256.clone()) {
                        // the same bytes twice in this run (a copy under another name)
                        report.skipped += 1;
                    } else {
                        if paths.get(&path).is_some_and(|old| *old != sha256) {
                            writer.delete_term(Term::from_field_text(f.path, &path));
                            report.replaced += 1;
                        }
                        report.indexed += 1;
                        report.documents += docs
                            .iter()
                            .filter(|d| {
                                d.get_first(f.kind).and_then(|v| v.as_str()) == Some(KIND_DOC)
                            })
                            .count();
                        for d in docs {
                            writer.add_document(d).map_err(|e| archive.tantivy_err(e))?;
                        }
                        pending += 1;
                    }
                }
            }
            progress(Progress::File);
            if pending >= batch {
                writer.commit().map_err(|e| archive.tantivy_err(e))?;
                report.commits += 1;
                pending = 0;
                progress(Progress::Committed { files: done });
            }
        }
        if pending > 0 {
            writer.commit().map_err(|e| archive.tantivy_err(e))?;
            report.commits += 1;
            progress(Progress::Committed { files: done });
        }
        Ok(())
    })?;
    writer
        .wait_merging_threads()
        .map_err(|e| archive.tantivy_err(e))?;
    Ok(report)
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f32,
    /// `SHA256:N`: the file and the document's index in it.
    pub id: String,
    pub doc_number: Option<String>,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub issue_date: Option<String>,
    pub doc_type: Option<String>,
    pub role: Option<String>,
    pub categories: Vec<String>,
    pub deadlines: Vec<String>,
    pub path: Option<String>,
    pub sha256: Option<String>,
    /// The best passage of the full text for the free-text words, if any.
    pub snippet: Option<Snippet>,
}

/// A passage with its highlighted words: `[start, end)` char offsets into `text`.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

impl Snippet {
    /// The passage with the highlights wrapped in `open`/`close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let chars: Vec<char> = self.text.chars().collect();
        let mut out = String::new();
        let mut at = 0;
        for &[s, e] in &self.highlights {
            if s < at || e > chars.len() || s >= e {
                continue;
            }
            out.extend(&chars[at..s]);
            out.push_str(open);
            out.extend(&chars[s..e]);
            out.push_str(close);
            at = e;
        }
        out.extend(&chars[at..]);
        out
    }
}

fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn stored_strs(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn stored_dates(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_datetime().map(schema::date_iso))
        .collect()
}

impl Archive {
    /// Turn a parsed query into a tantivy query (`cited-by:` looks the citing document up).
    pub fn compile(&self, q: &query::Query, searcher: &Searcher) -> Result<Box<dyn TQuery>> {
        use query::{Clause, DateKey, Key};
        let f = &self.fields;
        let term = |field, v: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        let filter =
            |q: Box<dyn TQuery>| -> Box<dyn TQuery> { Box::new(ConstScoreQuery::new(q, 0.0)) };
        let any = |qs: Vec<Box<dyn TQuery>>| -> Box<dyn TQuery> {
            Box::new(BooleanQuery::new(
                qs.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        // every word of `text` in `field`
        let all_words = |field, text: &str| -> Box<dyn TQuery> {
            let terms = tokenizer::terms(text);
            if terms.is_empty() {
                return Box::new(EmptyQuery);
            }
            Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| (Occur::Must, term(field, t)))
                    .collect(),
            ))
        };
        let mut must: Vec<(Occur, Box<dyn TQuery>)> =
            vec![(Occur::Must, filter(Box::new(self.kind_doc())))];
        for c in &q.clauses {
            let clause: Box<dyn TQuery> = match c {
                Clause::Text { text, quoted } => {
                    let terms = tokenizer::terms(text);
                    if terms.is_empty() {
                        continue;
                    }
                    let per_term = |t: &String| -> Box<dyn TQuery> {
                        any(vec![
                            Box::new(BoostQuery::new(term(f.title, t), 3.0)),
                            term(f.body, t),
                            Box::new(BoostQuery::new(term(f.number_text, t), 2.0)),
                        ])
                    };
                    if *quoted {
                        // every word of the phrase
                        Box::new(BooleanQuery::new(
                            terms.iter().map(|t| (Occur::Must, per_term(t))).collect(),
                        ))
                    } else {
                        // any of the word's parts; the whole word and more parts rank higher
                        any(terms.iter().map(per_term).collect())
                    }
                }
                Clause::Field { key, value } => filter(match key {
                    Key::Issuer => any(vec![term(f.region, value), all_words(f.issuer, value)]),
                    Key::Region => term(f.region, value),
                    Key::Category => {
                        let g = crate::grammar::grammar();
                        let name = g
                            .categories()
                            .iter()
                            .find(|c| c.name == *value)
                            .or_else(|| g.classify(value))
                            .map(|c| c.name.clone())
                            .ok_or_else(|| {
                                err(
                                    Path::new("query"),
                                    format!(
                                        "`category:{value}` names no category of grammars/categories.toml"
                                    ),
                                )
                            })?;
                        term(f.category, &name)
                    }
                    Key::Cites => {
                        let n = canonical_number(value);
                        any(vec![term(f.references, &n), term(f.relays, &n)])
                    }
                    Key::CitedBy => {
                        let n = canonical_number(value);
                        let cited = self.cited_by(searcher, &n)?;
                        if cited.is_empty() {
                            Box::new(EmptyQuery)
                        } else {
                            any(cited.iter().map(|c| term(f.number, c)).collect())
                        }
                    }
                    Key::Number => term(f.number, &canonical_number(value)),
                    Key::Type => term(f.doc_type, value),
                    Key::Role => term(f.role, value),
                    Key::Title => all_words(f.title, value),
                    Key::Addressee => all_words(f.addressees, value),
                    Key::TaskRegion => any(vec![
                        term(f.task_region, value),
                        term(
                            f.task_region,
                            &crate::gazetteer::gazetteer()
                                .lookup(value)
                                .map_or(value.clone(), |p| p.short.clone()),
                        ),
                    ]),
                    Key::Path => term(f.path, value),
                    Key::Sha256 => term(f.sha256, &value.to_ascii_lowercase()),
                }),
                Clause::Dates { key, range } => {
                    let field = match key {
                        DateKey::Deadline => f.deadline,
                        DateKey::Issued => f.issue_date,
                    };
                    let (from, to) = query::days(range);
                    let bound = |d: Option<i64>| match d {
                        Some(d) => {
                            Bound::Included(Term::from_field_date(field, schema::days_to_date(d)))
                        }
                        None => Bound::Unbounded,
                    };
                    if from.is_none() && to.is_none() {
                        continue;
                    }
                    filter(Box::new(RangeQuery::new(bound(from), bound(to))))
                }
            };
            must.push((Occur::Must, clause));
        }
        if must.len() == 1 {
            must.push((Occur::Must, filter(Box::new(AllQuery))));
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    /// The doc numbers the documents numbered `number` cite.
    fn cited_by(&self, searcher: &Searcher, number: &str) -> Result<Vec<String>> {
        let f = &self.fields;
        let q = TermQuery::new(
            Term::from_field_text(f.number, number),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&q, &TopDocs::with_limit(100).order_by_score())
            .map_err(|e| self.tantivy_err(e))?;
        let mut out = Vec::new();
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.tantivy_err(e))?;
            out.extend(stored_strs(&doc, f.references));
            out.extend(stored_strs(&doc, f.relays));
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Run a query; best first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let parsed = query::parse(text).map_err(|e| err(Path::new(text), e))?;
        let searcher = self.reader()?.searcher();
        self.search_parsed(&searcher, &parsed, limit)
    }

    /// Run a parsed query on a searcher (reuse both to time many queries).
    pub fn search_parsed(
        &self,
        searcher: &Searcher,
        parsed: &query::Query,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let f = &self.fields;
        let q = self.compile(parsed, searcher)?;
        let has_text = parsed
            .clauses
            .iter()
            .any(|c| matches!(c, query::Clause::Text { .. }));
        let top_docs = TopDocs::with_limit(limit.max(1));
        let top: Vec<(f32, DocAddress)> = if has_text {
            searcher
                .search(&q, &top_docs.order_by_score())
                .map_err(|e| self.tantivy_err(e))?
        } else {
            // filters only: every hit scores the same; newest first
            searcher
                .search(
                    &q,
                    &top_docs.order_by_fast_field::<tantivy::DateTime>(
                        "issue_date",
                        tantivy::Order::Desc,
                    ),
                )
                .map_err(|e| self.tantivy_err(e))?
                .into_iter()
                .map(|(_, addr)| (0.0, addr))
                .collect()
        };
        let mut snippets = if has_text && !top.is_empty() {
            let mut g =
                SnippetGenerator::create(searcher, &*q, f.body).map_err(|e| self.tantivy_err(e))?;
            g.set_max_num_chars(160);
            Some(g)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.tantivy_err(e))?;
            let snippet = snippets.as_mut().and_then(|g| {
                let s = g.snippet_from_doc(&doc);
                if s.is_empty() {
                    return None;
                }
                let frag = s.fragment();
                let char_at = |b: usize| frag.get(..b).map(|p| p.chars().count());
                Some(Snippet {
                    text: frag.to_string(),
                    highlights: s
                        .highlighted()
                        .iter()
                        .filter_map(|r| Some([char_at(r.start)?, char_at(r.end)?]))
                        .filter(|[a, b]| a < b)
                        .collect(),
                })
            });
            hits.push(Hit {
                score,
                id: stored_str(&doc, f.id).unwrap_or_default(),
                doc_number: stored_str(&doc, f.number),
                title: stored_str(&doc, f.title),
                issuer: stored_str(&doc, f.issuer),
                issue_date: stored_dates(&doc, f.issue_date).into_iter().next(),
                doc_type: stored_str(&doc, f.doc_type),
                role: stored_str(&doc, f.role),
                categories: stored_strs(&doc, f.category),
                deadlines: stored_dates(&doc, f.deadline),
                path: stored_str(&doc, f.path),
                sha256: stored_str(&doc, f.sha256),
                snippet,
            });
        }
        Ok(hits)
    }

    /// The stored JSON of every document numbered `number` (or of the one with that id).
    pub fn show(&self, number: &str) -> Result<Vec<serde_json::Value>> {
        let f = &self.fields;
        let searcher = self.reader()?.searcher();
        // `SHA256:N` (a search hit's id) or a doc number
        let is_id = number.split_once(':').is_some_and(|(sha, n)| {
            sha.len() == 64
                && sha.bytes().all(|b| b.is_ascii_hexdigit())
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        let term = if is_id {
            Term::from_field_text(f.id, &number.to_ascii_lowercase())
        } else {
            Term::from_field_text(f.number, &canonical_number(number))
        };
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher
            .search(&q, &TopDocs::with_limit(1000).order_by_score())
            .map_err(|e| self.tantivy_err(e))?;
        let mut out = Vec::new();
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.tantivy_err(e))?;
            let json = stored_str(&doc, f.json).unwrap_or_default();
            out.push(serde_json::from_str(&json).map_err(|e| {
                self.tantivy_err(format!(
                    "stored document {} is not JSON: {e}",
                    stored_str(&doc, f.id).unwrap_or_default()
                ))
            })?);
        }
        Ok(out)
    }

    /// Visit every stored document (extracted documents only), in index order.
    pub fn for_each_document(
        &self,
        mut visit: impl FnMut(&Fields, &TantivyDocument) -> Result<()>,
    ) -> Result<()> {
        let searcher = self.reader()?.searcher();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc_id in seg.doc_ids_alive() {
                let doc: TantivyDocument = searcher
                    .doc(DocAddress::new(ord as u32, doc_id))
                    .map_err(|e| self.tantivy_err(e))?;
                if stored_str(&doc, self.fields.kind).as_deref() == Some(KIND_DOC) {
                    visit(&self.fields, &doc)?;
                }
            }
        }
        Ok(())
    }
}

/// A doc number in the canonical form extraction gives (`〔〕`, no spaces), or as given.
pub fn canonical_number(s: &str) -> String {
    let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    crate::extract::header::parse_doc_number(&squashed)
        .filter(|(_, r)| r.start == 0 && r.end == squashed.len())
        .map_or(squashed, |(n, _)| n.value)
}
