//! Origins: the page each value's span starts on and, for recognised text, how sure the
//! recogniser was of it. Filled in after extraction from the reader's page map and
//! per-char OCR confidence; a value read with low confidence also gets a warning.

use crate::ingest::{Extracted, page_of};
use crate::spec::{Document, LOW_OCR_CONFIDENCE, Warning};

/// Set the `origin` of every value of `documents`; warn on values recognised with a
/// confidence below [`LOW_OCR_CONFIDENCE`].
pub fn locate(documents: &mut [Document], ex: &Extracted, warnings: &mut Vec<Warning>) {
    let paged = !ex.page_starts.is_empty();
    let confidence = &ex.confidence;
    if !paged && confidence.is_empty() {
        return;
    }
    // char offset → byte offset, only needed to quote low-confidence values
    let mut bytes: Option<Vec<usize>> = None;
    for doc in documents {
        doc.visit_origins(&mut |field, span, origin| {
            if paged {
                origin.page = page_of(&ex.page_starts, span.start());
            }
            if confidence.is_empty() {
                return;
            }
            let lowest = confidence
                .get(span.start()..span.end().min(confidence.len()))
                .and_then(|c| c.iter().copied().min());
            origin.ocr_confidence = lowest;
            // a task spans a whole item: its values are flagged one by one instead
            if field == "task" || lowest.is_none_or(|c| c >= LOW_OCR_CONFIDENCE) {
                return;
            }
            let at = bytes.get_or_insert_with(|| {
                ex.text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([ex.text.len()])
                    .collect()
            });
            let quoted = at
                .get(span.start())
                .zip(at.get(span.end()))
                .map(|(&s, &e)| ex.text[s..e].trim())
                .unwrap_or_default();
            let quoted: String = quoted.chars().take(40).collect();
            let page = origin.page.map(|p| format!(" on page {p}")).unwrap_or_default();
            warnings.push(Warning {
                code: "ocr-low-confidence".into(),
                message: format!(
                    "{field} `{quoted}`{page} was recognised with {}% confidence: check it against the scan",
                    lowest.unwrap_or_default()
                ),
                span: Some(span),
            });
        });
    }
}
