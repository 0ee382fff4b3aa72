//! Chinese word segmentation: jieba-rs with the project's dictionary added, so place names
//! (from the gazetteer), category names and domain terms (获证组织, 双随机一公开) stay whole.
//! jieba always splits at punctuation, so `双随机、一公开` comes out as 双随机 / 、 / 一 / 公开.
//!
//! Used wherever words matter rather than patterns: title similarity in the relay diff and
//! the archive index's tokenizer. Built once per process (≈0.1 s).

use crate::gazetteer::gazetteer;
use crate::grammar::{grammar, lexicon};
use jieba_rs::Jieba;
use std::sync::LazyLock;

/// Frequency given to dictionary words: high enough to beat a split into common words.
const USER_FREQ: usize = 50_000;

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::new();
    for w in user_words() {
        j.add_word(&w, Some(USER_FREQ), Some("nz"));
    }
    j
});

/// The words added to jieba's dictionary: places, category aliases and domain terms.
pub fn user_words() -> Vec<String> {
    let mut words: Vec<String> = gazetteer().words().map(str::to_string).collect();
    words.extend(
        grammar()
            .categories()
            .iter()
            .flat_map(|c| c.aliases.iter().chain(std::iter::once(&c.name)))
            .filter(|w| w.chars().count() >= 2)
            .cloned(),
    );
    words.extend(lexicon("domain_terms").iter().cloned());
    words.sort();
    words.dedup();
    words
}

/// The segmenter, built on first use.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// A word of a text with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub range: std::ops::Range<usize>,
}

/// Segment a text into words (HMM on, for names and new words), with byte ranges.
pub fn words(text: &str) -> Vec<Word<'_>> {
    jieba()
        .cut(text, true)
        .into_iter()
        .map(|t| Word {
            text: t.word,
            range: t.byte_start..t.byte_end,
        })
        .collect()
}

/// The content words of a text: no punctuation, spaces or single-character function words.
pub fn content_words(text: &str) -> Vec<&str> {
    jieba()
        .cut(text, true)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().count() >= 2 || w.chars().all(crate::chars::is_han) && !is_stop(w))
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .collect()
}

fn is_stop(w: &str) -> bool {
    lexicon("stop_words").iter().any(|s| s == w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_terms_stay_whole() {
        let t = "各地要对辖区内获证组织开展双随机一公开检查，宜春市场监管局负责";
        let ws: Vec<&str> = words(t).iter().map(|w| w.text).collect();
        assert!(ws.contains(&"获证组织"), "{ws:?}");
        assert!(ws.contains(&"双随机一公开"), "{ws:?}");
        assert!(ws.contains(&"宜春"), "{ws:?}");
        for w in words(t) {
            assert_eq!(&t[w.range.clone()], w.text);
        }
    }
}
