//! The archive's query language, parsed with nom.
//!
//! ```text
//! query   = clause*                          (AND of every clause, separated by spaces)
//! clause  = key (":" | "：") value | value   (a bare value is free text)
//! key     = issuer | region | category | deadline | issued | cites | cited-by | number
//!         | type | role | title | addressee | task-region | path | sha256
//! value   = '"' [^"]* '"' | [^ \t\n"]+
//! dates   = date | date? ".." date?          (deadline:, issued:; bounds inclusive)
//! date    = YYYY-MM-DD | YYYY-MM | YYYY-Qn | YYYYQn | YYYY   (a span: its first day as
//!           a lower bound, its last day as an upper bound)
//! ```
//!
//! `issuer:福建 category:强制性产品认证 deadline:2024-10-01..2024-12-31 认证`

use chrono::{Datelike, NaiveDate};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while_m_n, take_while1};
use nom::character::complete::{char, one_of, satisfy};
use nom::combinator::{all_consuming, map_res, opt, recognize};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};
use std::fmt;

/// A parsed query: the clauses, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Free text over title and full text; `quoted` when written in `"…"`.
    Text { text: String, quoted: bool },
    /// `key:value`.
    Field { key: Key, value: String },
    /// `deadline:…` or `issued:…`.
    Dates { key: DateKey, range: DateRange },
}

/// Keys taking a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The issuer's region (full or short name, or any division above it) or its name.
    Issuer,
    /// The issuer's region only.
    Region,
    /// A task category: its name or an alias from `grammars/categories.toml`.
    Category,
    /// Documents whose references or relays include this doc number.
    Cites,
    /// Documents cited by the document with this doc number.
    CitedBy,
    /// This exact doc number.
    Number,
    /// 文种 (通知, 意见…).
    Type,
    /// `primary` or `relayed`.
    Role,
    /// Words of the title.
    Title,
    /// Words of the addressees.
    Addressee,
    /// A region named by a task's ratios or quotas.
    TaskRegion,
    /// The source path, exactly.
    Path,
    /// The source file's SHA-256.
    Sha256,
}

/// Keys taking dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKey {
    /// Any task deadline (or a recurring one's first occurrence).
    Deadline,
    /// The issue date (成文日期).
    Issued,
}

/// Inclusive date bounds; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

const KEYS: &[(&str, Key)] = &[
    ("issuer", Key::Issuer),
    ("region", Key::Region),
    ("category", Key::Category),
    ("cites", Key::Cites),
    ("cited-by", Key::CitedBy),
    ("number", Key::Number),
    ("type", Key::Type),
    ("role", Key::Role),
    ("title", Key::Title),
    ("addressee", Key::Addressee),
    ("task-region", Key::TaskRegion),
    ("path", Key::Path),
    ("sha256", Key::Sha256),
];

const DATE_KEYS: &[(&str, DateKey)] =
    &[("deadline", DateKey::Deadline), ("issued", DateKey::Issued)];

impl Key {
    pub fn name(self) -> &'static str {
        KEYS.iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }
}

impl DateKey {
    pub fn name(self) -> &'static str {
        DATE_KEYS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }
}

/// A query that does not parse: where (char offset) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query, at char {at}: {message}")]
pub struct QueryError {
    pub at: usize,
    pub message: String,
}

/// Every key the language knows, for messages and `--help`.
pub fn key_names() -> Vec<&'static str> {
    KEYS.iter()
        .map(|(n, _)| *n)
        .chain(DATE_KEYS.iter().map(|(n, _)| *n))
        .collect()
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `key` of `key:value`: an ASCII letter, then ASCII letters, digits and `-`.
fn key(i: &str) -> IResult<&str, &str> {
    recognize((
        satisfy(|c| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '-'),
    ))
    .parse(i)
}

fn colon(i: &str) -> IResult<&str, char> {
    one_of(":：").parse(i)
}

/// `"…"` (no escapes) or a run of non-space chars.
fn value(i: &str) -> IResult<&str, (&str, bool)> {
    alt((
        delimited(char('"'), take_while(|c| c != '"'), char('"')).map(|v| (v, true)),
        take_while1(|c: char| !is_space(c) && c != '"').map(|v| (v, false)),
    ))
    .parse(i)
}

fn digits<'a>(n: usize) -> impl Parser<&'a str, Output = u32, Error = nom::error::Error<&'a str>> {
    map_res(
        take_while_m_n(n, n, |c: char| c.is_ascii_digit()),
        str::parse::<u32>,
    )
}

/// A date span: (first day, last day).
fn span(i: &str) -> IResult<&str, (NaiveDate, NaiveDate)> {
    let (rest, year) = digits(4).parse(i)?;
    let year = year as i32;
    let day = preceded(char('-'), digits(2));
    let month = preceded(char('-'), digits(2));
    let quarter = preceded(
        alt((tag("-Q"), tag("-q"), tag("Q"), tag("q"))),
        one_of("1234"),
    );
    let (rest, parts) = opt(alt((
        (month, opt(day)).map(|(m, d)| (Some(m), d, None)),
        quarter.map(|q| (None, None, q.to_digit(10))),
    )))
    .parse(rest)?;
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify));
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).ok_or_else(fail);
    let last_of = |m: u32| -> Result<NaiveDate, _> {
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).ok_or_else(fail)
    };
    let span = match parts {
        None => (ymd(1, 1)?, ymd(12, 31)?),
        Some((Some(m), Some(d), _)) => (ymd(m, d)?, ymd(m, d)?),
        Some((Some(m), None, _)) => (ymd(m, 1)?, last_of(m)?),
        Some((None, _, Some(q))) => (ymd(3 * q - 2, 1)?, last_of(3 * q)?),
        Some(_) => return Err(fail()),
    };
    Ok((rest, span))
}

/// `date`, `date..date`, `..date`, `date..`.
fn date_range(i: &str) -> IResult<&str, DateRange> {
    alt((
        (opt(span), tag(".."), opt(span)).map(|(a, _, b)| DateRange {
            from: a.map(|s| s.0),
            to: b.map(|s| s.1),
        }),
        span.map(|(a, b)| DateRange {
            from: Some(a),
            to: Some(b),
        }),
    ))
    .parse(i)
}

/// Parse a query string.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let mut clauses = Vec::new();
    let mut rest = input;
    let at = |rest: &str| input[..input.len() - rest.len()].chars().count();
    loop {
        rest = rest.trim_start_matches(is_space);
        if rest.is_empty() {
            break;
        }
        let start = rest;
        // key:value
        if let Ok((after, k)) = (key, colon).map(|(k, _)| k).parse(rest) {
            let (after, (v, _)) = value(after).map_err(|_| QueryError {
                at: at(after),
                message: format!("`{k}:` needs a value"),
            })?;
            let lower = k.to_ascii_lowercase();
            if let Some((_, key)) = KEYS.iter().find(|(n, _)| *n == lower) {
                if v.trim().is_empty() {
                    return Err(QueryError {
                        at: at(start),
                        message: format!("`{k}:` needs a value"),
                    });
                }
                clauses.push(Clause::Field {
                    key: *key,
                    value: v.trim().to_string(),
                });
            } else if let Some((_, key)) = DATE_KEYS.iter().find(|(n, _)| *n == lower) {
                let range = all_consuming(date_range)
                    .parse(v)
                    .map(|(_, r)| r)
                    .map_err(|_| QueryError {
                        at: at(start),
                        message: format!(
                            "`{k}:{v}` is not a date or date range (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, or FROM..TO)"
                        ),
                    })?;
                if let (Some(a), Some(b)) = (range.from, range.to)
                    && a > b
                {
                    return Err(QueryError {
                        at: at(start),
                        message: format!("`{k}:{v}`: the range ends before it starts"),
                    });
                }
                clauses.push(Clause::Dates { key: *key, range });
            } else {
                return Err(QueryError {
                    at: at(start),
                    message: format!("unknown field `{k}` (known: {})", key_names().join(", ")),
                });
            }
            rest = after;
            continue;
        }
        let (after, (v, quoted)) = value(rest).map_err(|_| QueryError {
            at: at(rest),
            message: "unclosed `\"`".into(),
        })?;
        if !v.trim().is_empty() {
            clauses.push(Clause::Text {
                text: v.to_string(),
                quoted,
            });
        }
        rest = after;
    }
    Ok(Query { clauses })
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        if self.from.is_some() && self.from == self.to {
            write!(f, "{}", d(self.from))
        } else {
            write!(f, "{}..{}", d(self.from), d(self.to))
        }
    }
}

fn needs_quotes(v: &str) -> bool {
    v.chars().any(is_space) || recognize((key, colon)).parse(v).is_ok()
}

impl fmt::Display for Query {
    /// The canonical text of a query (parses back to the same query).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .clauses
            .iter()
            .map(|c| match c {
                Clause::Text { text, quoted } if *quoted || needs_quotes(text) => {
                    format!("\"{text}\"")
                }
                Clause::Text { text, .. } => text.clone(),
                Clause::Field { key, value } if needs_quotes(value) => {
                    format!("{}:\"{value}\"", key.name())
                }
                Clause::Field { key, value } => format!("{}:{value}", key.name()),
                Clause::Dates { key, range } => format!("{}:{range}", key.name()),
            })
            .collect();
        write!(f, "{}", parts.join(" "))
    }
}

/// A range's bounds as days since 1970-01-01 (inclusive).
pub fn days(range: &DateRange) -> (Option<i64>, Option<i64>) {
    let d = |d: NaiveDate| i64::from(d.num_days_from_ce()) - 719_163;
    (range.from.map(d), range.to.map(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn field(key: Key, value: &str) -> Clause {
        Clause::Field {
            key,
            value: value.into(),
        }
    }

    #[test]
    fn the_example_of_the_issue() {
        let q = parse("issuer:福建 category:强制性产品认证 deadline:2024-10-01..2024-12-31 认证")
            .unwrap();
        assert_eq!(
            q.clauses,
            vec![
                field(Key::Issuer, "福建"),
                field(Key::Category, "强制性产品认证"),
                Clause::Dates {
                    key: DateKey::Deadline,
                    range: DateRange {
                        from: Some(date("2024-10-01")),
                        to: Some(date("2024-12-31"))
                    }
                },
                Clause::Text {
                    text: "认证".into(),
                    quoted: false
                },
            ]
        );
    }

    #[test]
    fn doc_numbers_and_full_width_colon() {
        let q = parse("cites:闽市监认证〔2024〕32号 number：赣市监办认监〔2023〕4号").unwrap();
        assert_eq!(
            q.clauses,
            vec![
                field(Key::Cites, "闽市监认证〔2024〕32号"),
                field(Key::Number, "赣市监办认监〔2023〕4号")
            ]
        );
        let q = parse("cited-by:闽市监认证〔2024〕215号").unwrap();
        assert_eq!(
            q.clauses,
            vec![field(Key::CitedBy, "闽市监认证〔2024〕215号")]
        );
    }

    #[test]
    fn date_spans() {
        let r = |s: &str| match &parse(s).unwrap().clauses[0] {
            Clause::Dates { range, .. } => *range,
            c => panic!("{c:?}"),
        };
        let both = |a: &str, b: &str| DateRange {
            from: Some(date(a)),
            to: Some(date(b)),
        };
        assert_eq!(r("deadline:2024-Q4"), both("2024-10-01", "2024-12-31"));
        assert_eq!(r("deadline:2024q1"), both("2024-01-01", "2024-03-31"));
        assert_eq!(r("deadline:2024-02"), both("2024-02-01", "2024-02-29"));
        assert_eq!(r("issued:2023"), both("2023-01-01", "2023-12-31"));
        assert_eq!(r("issued:2024-10-25"), both("2024-10-25", "2024-10-25"));
        assert_eq!(
            r("deadline:2024-10..2024-11"),
            both("2024-10-01", "2024-11-30")
        );
        assert_eq!(
            r("deadline:..2024-06-30"),
            DateRange {
                from: None,
                to: Some(date("2024-06-30"))
            }
        );
        assert_eq!(
            r("deadline:2024-07-01.."),
            DateRange {
                from: Some(date("2024-07-01")),
                to: None
            }
        );
    }

    #[test]
    fn quoted_values_and_phrases() {
        let q = parse(r#"issuer:"福建省 市场监督管理局" "监督 检查""#).unwrap();
        assert_eq!(
            q.clauses,
            vec![
                field(Key::Issuer, "福建省 市场监督管理局"),
                Clause::Text {
                    text: "监督 检查".into(),
                    quoted: true
                }
            ]
        );
    }

    #[test]
    fn errors_say_where_and_what() {
        let e = parse("认证 colour:red").unwrap_err();
        assert_eq!(e.at, 3);
        assert!(e.message.contains("unknown field `colour`"), "{e}");
        let e = parse("deadline:2024-13-01").unwrap_err();
        assert!(e.message.contains("not a date"), "{e}");
        let e = parse("deadline:2024-12-01..2024-01-01").unwrap_err();
        assert!(e.message.contains("ends before"), "{e}");
        assert!(
            parse("issuer:")
                .unwrap_err()
                .message
                .contains("needs a value")
        );
        assert!(parse("\"open").unwrap_err().message.contains("unclosed"));
    }

    #[test]
    fn empty_and_blank_queries_have_no_clause() {
        assert_eq!(parse("").unwrap().clauses, vec![]);
        assert_eq!(parse("  \t ").unwrap().clauses, vec![]);
    }

    #[test]
    fn words_with_colons_that_are_not_keys_are_text() {
        let q = parse("10:30 认证").unwrap();
        assert_eq!(q.clauses.len(), 2);
        assert!(matches!(&q.clauses[0], Clause::Text { text, .. } if text == "10:30"));
    }

    fn clause() -> impl Strategy<Value = Clause> {
        let word = "[^\\s\"]{1,8}".prop_filter("not a key:value", |w| {
            recognize((key, colon)).parse(w.as_str()).is_err()
        });
        let date = (1990i32..2100, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        prop_oneof![
            (word.clone(), any::<bool>()).prop_map(|(text, quoted)| Clause::Text { text, quoted }),
            (0..KEYS.len(), "[^\\s\"]{1,8}").prop_map(|(k, value)| Clause::Field {
                key: KEYS[k].1,
                value
            }),
            (
                0..DATE_KEYS.len(),
                proptest::option::of(date.clone()),
                proptest::option::of(date)
            )
                .prop_map(|(k, a, b)| {
                    let (a, b) = match (a, b) {
                        (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                        x => x,
                    };
                    Clause::Dates {
                        key: DATE_KEYS[k].1,
                        range: DateRange { from: a, to: b },
                    }
                })
                .prop_filter("open both ways", |c| !matches!(
                    c,
                    Clause::Dates {
                        range: DateRange {
                            from: None,
                            to: None
                        },
                        ..
                    }
                )),
        ]
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_query_like_input(s in "(issuer|deadline|cites|x)?[:：]?[0-9Q.\\-\"]{0,12} ?[福建认证\"]{0,4}") {
            let _ = parse(&s);
        }

        #[test]
        fn display_parses_back(clauses in proptest::collection::vec(clause(), 0..5)) {
            let q = Query { clauses };
            let text = q.to_string();
            let back = parse(&text).unwrap();
            // an unquoted word parses back unquoted, quoted stays quoted
            let norm = |q: &Query| q.clauses.iter().map(|c| match c {
                Clause::Text { text, .. } => Clause::Text { text: text.clone(), quoted: false },
                c => c.clone(),
            }).collect::<Vec<_>>();
            prop_assert_eq!(norm(&back), norm(&q), "{}", text);
        }
    }
}
