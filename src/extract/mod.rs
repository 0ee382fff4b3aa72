//! Extract: the facts of each document, from the layout the structure stage found.

pub mod annexes;
pub mod contacts;
pub mod dates;
pub mod header;
pub mod origin;
pub mod tasks;

use crate::normalize::Normalized;
use crate::spec::{Document, Region, RegionLevel, Role, Span, TextValue, Warning};
use crate::structure::{DocLayout, Layout, value};
use std::ops::Range;

/// What every extractor needs: the source (for `raw` values) and the normalized text.
pub struct Ctx<'a> {
    pub source: &'a str,
    pub norm: &'a Normalized,
    /// Byte offset of every char of `source`, plus its length.
    char_bytes: Vec<u32>,
}

impl<'a> Ctx<'a> {
    pub fn new(source: &'a str, norm: &'a Normalized) -> Self {
        let mut char_bytes: Vec<u32> = source.char_indices().map(|(i, _)| i as u32).collect();
        char_bytes.push(source.len() as u32);
        Ctx {
            source,
            norm,
            char_bytes,
        }
    }

    /// The source text of a span, as written.
    pub fn raw(&self, span: Span) -> String {
        let n = self.char_bytes.len() - 1;
        let s = self.char_bytes[span.0.min(n)] as usize;
        let e = self.char_bytes[span.1.min(n)] as usize;
        self.source[s..e.max(s)].to_string()
    }
}

/// Build the output document for one layout.
pub fn document(
    ctx: &Ctx,
    layout: &Layout,
    doc: &DocLayout,
    warnings: &mut Vec<Warning>,
) -> Document {
    let norm = ctx.norm;
    let line_range =
        |li: Range<usize>| -> Vec<Range<usize>> { li.map(|i| layout.lines[i].clone()).collect() };
    let doc_span = {
        let first = layout.lines[doc.lines.start].start;
        let last = layout.lines[doc.lines.end.saturating_sub(1).max(doc.lines.start)].end;
        norm.span(first..last)
    };
    let role = doc.role.unwrap_or(Role::Primary);

    let doc_number = doc.number.as_ref().and_then(|r| header::doc_number(ctx, r));
    let title = doc.title.as_ref().map(|r| header::text_value(ctx, r));

    // issuer: banner, else signature, else the title's own 发文机关, else the page's 来源
    let issuer = if !doc.banner.is_empty() {
        Some(joined(ctx, &doc.banner))
    } else if !doc.signature.is_empty() {
        Some(joined(ctx, &doc.signature))
    } else if let (Some(t), Some(r)) = (&title, &doc.title) {
        let text = &norm.text[r.clone()];
        header::issuer_from_title(text)
            .map(|(p, _)| header::text_value(ctx, &(r.start..r.start + p)))
            .filter(|_| !t.value.is_empty())
    } else {
        None
    }
    .or_else(|| {
        doc.meta_source
            .as_ref()
            .filter(|_| role == Role::Primary)
            .map(|r| header::text_value(ctx, r))
    });

    let body_lines = line_range(doc.body.clone());
    let body_text: String = body_lines
        .iter()
        .map(|r| &norm.text[r.clone()])
        .collect::<Vec<_>>()
        .join("\n");
    let doc_type = title
        .as_ref()
        .and_then(|t| header::doc_type_of(&t.value))
        .or_else(|| header::doc_type_from_closing(&body_text));
    let addressees = doc
        .addressee
        .as_ref()
        .map(|r| header::addressees(ctx, r))
        .unwrap_or_default();
    let issue_date = doc
        .date
        .as_ref()
        .and_then(|r| header::date_value(ctx, r))
        .or_else(|| {
            doc.meta_date
                .as_ref()
                .filter(|_| role == Role::Primary)
                .and_then(|r| header::date_value(ctx, r))
        });
    let disclosure = doc.disclosure.as_ref().map(|r| value(norm, r));

    // the document's own lines: header to tail, without annex bodies
    let own_end = doc
        .tail
        .end
        .max(doc.body.end)
        .max(doc.lines.start + 1)
        .min(doc.lines.end);
    let main_lines = line_range(doc.body.start.min(own_end)..own_end);
    let annex_lines: Vec<Range<usize>> = doc
        .annex_bodies
        .iter()
        .flat_map(|b| line_range(b.lines.clone()))
        .collect();
    let mut cite_ranges = main_lines.clone();
    if let Some(t) = &doc.title {
        cite_ranges.insert(0, t.clone());
    }
    cite_ranges.extend(annex_lines.iter().cloned());
    let own_number = doc_number.as_ref().map(|d| d.value.as_str());
    let (relays, references) = header::citations(ctx, &cite_ranges, own_number);

    let contacts = contacts::contacts(ctx, &main_lines);
    let list = annexes::annex_list(ctx, &main_lines);
    let bodies = annexes::annex_bodies(ctx, layout, &doc.annex_bodies);
    let annexes = annexes::merge(list, bodies);

    let years = dates::YearContext {
        year: issue_date
            .as_ref()
            .and_then(|d| d.value.get(..4)?.parse().ok())
            .or(doc_number.as_ref().map(|n| n.year))
            .or_else(|| {
                // no date and no number: the year the title or the body first writes
                let title_text = title.as_ref().map(|t| t.value.as_str()).unwrap_or("");
                dates::first_year(title_text).or_else(|| dates::first_year(&body_text))
            }),
        issue: issue_date.as_ref().and_then(|d| {
            let p: Vec<u32> = d.value.split('-').filter_map(|x| x.parse().ok()).collect();
            dates::Date::new(*p.first()? as i32, *p.get(1)?, *p.get(2)?)
        }),
    };
    let mut tasks = tasks::tasks(
        ctx,
        &main_lines,
        years,
        title.as_ref().map(|t| t.value.as_str()),
    );
    // annex bodies belong to the document: a 责任书 or 方案 attached may set its own windows
    for body in &doc.annex_bodies {
        let n = body.index.unwrap_or(1);
        let annex_title = annexes
            .iter()
            .find(|a| a.index == n)
            .map(|a| a.title.as_str());
        for mut t in tasks::tasks(ctx, &line_range(body.lines.clone()), years, annex_title) {
            t.id = format!("附件{n}.{}", t.id);
            tasks.push(t);
        }
    }
    let indices: Vec<u32> = annexes.iter().map(|a| a.index).collect();
    tasks::resolve_bare_annexes(&mut tasks, &indices);
    let region = issuer.as_ref().and_then(|i| region_of(&i.value));
    if title.is_none() {
        warnings.push(Warning {
            code: "no-title".into(),
            message: "no title found in the document header".into(),
            span: Some(doc_span),
        });
    }
    if issuer.is_none() {
        warnings.push(Warning {
            code: "no-issuer".into(),
            message: "no issuer: no 发文机关标志, signature or 来源".into(),
            span: Some(doc_span),
        });
    }

    Document {
        role,
        span: doc_span,
        issuer,
        doc_number,
        title,
        doc_type,
        addressees,
        issue_date,
        disclosure,
        region,
        relays,
        references,
        tasks,
        contacts,
        annexes,
    }
}

/// The region of an issuer (the first of a joint notice's issuers that names one).
fn region_of(issuer: &str) -> Option<Region> {
    let g = crate::gazetteer::gazetteer();
    let place = issuer.split('、').find_map(|i| g.region_of(i))?;
    Some(Region {
        name: place.name.clone(),
        short: place.short.clone(),
        code: place.code.clone(),
        level: match place.level {
            crate::gazetteer::Level::Province => RegionLevel::Province,
            crate::gazetteer::Level::City => RegionLevel::City,
            crate::gazetteer::Level::County => RegionLevel::County,
        },
        province: g
            .province(place)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    })
}

/// Several issuer lines (a joint notice) as one value joined with `、`.
fn joined(ctx: &Ctx, ranges: &[Range<usize>]) -> TextValue {
    let value = ranges
        .iter()
        .map(|r| value(ctx.norm, r))
        .collect::<Vec<_>>()
        .join("、");
    let start = ranges.first().map(|r| r.start).unwrap_or(0);
    let end = ranges.last().map(|r| r.end).unwrap_or(start);
    TextValue {
        origin: Default::default(),
        value,
        span: ctx.norm.span(start..end),
    }
}
