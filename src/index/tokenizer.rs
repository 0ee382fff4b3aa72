//! The archive's Chinese tokenizer: jieba-rs with the project's dictionary
//! ([`crate::segment`]), in search mode (a long word also gives the dictionary words inside
//! it: 强制性产品认证 → 强制, 强制性, 产品, 认证, 强制性产品认证), so a query word finds
//! the longer words that contain it. Punctuation and spaces are dropped, ASCII is
//! lowercased, full-width letters and digits are folded to ASCII.
//!
//! HMM is off on both sides: a new word is then cut into single characters the same way in
//! the text and in the query, whatever its context.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name under which the tokenizer is registered in every index.
pub const NAME: &str = "gongwen_zh";

/// jieba search-mode tokenizer for tantivy.
#[derive(Clone, Default)]
pub struct JiebaTokenizer;

/// The tokens of one text, computed up front (jieba returns a vector anyway).
pub struct JiebaTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        JiebaTokenStream {
            tokens: tokens(text),
            index: 0,
        }
    }
}

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// The analyzer registered as [`NAME`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(JiebaTokenizer)
}

/// Tokens of a text: byte offsets into it, positions counting the words of the default cut
/// (the sub-words search mode adds share the position of the word they come from, so a
/// phrase of whole words still matches).
pub fn tokens(text: &str) -> Vec<Token> {
    let (folded, origin) = fold(text);
    let jieba = crate::segment::jieba();
    let mut words: Vec<_> = jieba
        .cut_for_search(&folded, false)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .collect();
    // in text order (search mode gives a word's sub-words before the word; tantivy's
    // snippets and positions want offsets that never go back), a word before its parts
    words.sort_by_key(|t| (t.byte_start, std::cmp::Reverse(t.byte_end)));
    let mut out = Vec::with_capacity(words.len());
    let mut position = 0usize;
    let mut last_end = 0usize;
    for t in words {
        // a token inside the one before shares its position
        if !out.is_empty() && t.byte_start >= last_end {
            position += 1;
        }
        last_end = last_end.max(t.byte_end);
        out.push(Token {
            offset_from: origin[t.byte_start],
            offset_to: origin[t.byte_end],
            position,
            text: t.word.to_lowercase(),
            position_length: 1,
        });
    }
    out
}

/// Full-width ASCII (`ＣＣＣ`, `１２`) folded to ASCII and the ideographic space to a space,
/// so jieba sees `CCC` whole; with the byte offset in `text` of every byte offset of the
/// folded text (and of its end).
fn fold(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let f = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        folded.push(f);
        origin.extend(std::iter::repeat_n(at, f.len_utf8()));
    }
    origin.push(text.len());
    (folded, origin)
}

/// The terms a query word is searched as (the same cut as the indexed text).
pub fn terms(text: &str) -> Vec<String> {
    let mut v: Vec<String> = tokens(text).into_iter().map(|t| t.text).collect();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn search_mode_gives_sub_words_and_the_whole() {
        let t = texts("开展强制性产品认证监督检查");
        for w in ["强制性产品认证", "产品", "认证", "监督检查"] {
            assert!(t.iter().any(|x| x == w), "{w} not in {t:?}");
        }
    }

    #[test]
    fn punctuation_dropped_ascii_folded() {
        let t = texts("对ＣＣＣ认证、3C产品：");
        assert!(t.iter().all(|w| w != "、" && w != "："), "{t:?}");
        assert!(t.iter().any(|w| w == "ccc"), "{t:?}");
    }

    #[test]
    fn offsets_point_at_the_source() {
        let s = "宜春市市场监督管理局关于开展ＣＣＣ认证检查的通知";
        for tok in tokens(s) {
            let src = &s[tok.offset_from..tok.offset_to];
            assert_eq!(fold(src).0.to_lowercase(), tok.text);
        }
    }

    #[test]
    fn offsets_and_positions_never_go_back() {
        let ts = tokens("福建省市场监管局关于开展强制性产品认证监督检查的通知");
        assert!(ts.windows(2).all(|w| w[0].position <= w[1].position));
        assert!(ts.windows(2).all(|w| w[0].offset_from <= w[1].offset_from));
    }

    #[test]
    fn places_from_the_gazetteer_stay_whole() {
        assert!(texts("宜春市场监管局负责").iter().any(|w| w == "宜春"));
    }
}
