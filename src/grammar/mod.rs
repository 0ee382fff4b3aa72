//! Grammars are data: `grammars/*.toml` holds every pattern and word list, each rule with
//! an id, a description and worked examples. They are embedded at build time, parsed with
//! serde, compiled once, and every example is checked by `cargo test`.

use crate::error::Error;
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The embedded grammar files: (file name, contents).
pub const FILES: &[(&str, &str)] = &[
    ("header.toml", include_str!("../../grammars/header.toml")),
    (
        "contacts.toml",
        include_str!("../../grammars/contacts.toml"),
    ),
    ("annexes.toml", include_str!("../../grammars/annexes.toml")),
    ("tasks.toml", include_str!("../../grammars/tasks.toml")),
    (
        "categories.toml",
        include_str!("../../grammars/categories.toml"),
    ),
    ("ingest.toml", include_str!("../../grammars/ingest.toml")),
    ("ocr.toml", include_str!("../../grammars/ocr.toml")),
];

/// Version of the grammar format this code reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    version: u32,
    description: String,
    #[serde(default)]
    rules: Vec<RuleDef>,
    #[serde(default)]
    lexicons: BTreeMap<String, LexiconDef>,
    #[serde(default)]
    categories: Vec<Category>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    description: String,
    pattern: String,
    /// Literals a text must hold (any one) for the pattern to match: a cheap test that
    /// skips the regex on most lines. Every example and every corpus match is checked.
    #[serde(default)]
    needs: Vec<String>,
    /// A rewrite rule: the replacement template (`${name}` for captures).
    #[serde(default)]
    replace: Option<String>,
    /// A rewrite rule: chars mapped inside the capture `fix` (or the whole match).
    #[serde(default)]
    map: BTreeMap<String, String>,
    #[serde(default)]
    examples: Vec<Example>,
}

/// A worked example: `text` must match; the whole match and named captures are checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// Expected whole match; absent with `no_match = true`.
    #[serde(rename = "match")]
    pub expect: Option<String>,
    #[serde(default)]
    pub captures: BTreeMap<String, String>,
    #[serde(default)]
    pub no_match: bool,
    /// For a rewrite rule: the whole text after [`Rule::rewrite`] (checked instead of the
    /// match; equal to `text` for an example the rule must leave alone).
    pub output: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconDef {
    description: String,
    words: Vec<String>,
}

/// An inspection or work category (强制性产品认证, 安全生产检查…): the name tasks carry,
/// the words that name it in a text, and worked examples classified by a test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub name: String,
    /// The department family it belongs to (市场监管, 通用…).
    pub domain: String,
    pub aliases: Vec<String>,
    /// A catch-all (监督检查): a document's own category wins over it.
    #[serde(default)]
    pub general: bool,
    /// Texts that must classify as this category.
    pub examples: Vec<String>,
}

/// A compiled rule with its examples (kept for the tests and `--explain` output).
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub file: &'static str,
    pub description: String,
    pub regex: Regex,
    pub needs: Vec<String>,
    /// Bits of the first characters of `needs` (see [`Probe`]); 0 when it needs nothing.
    need_mask: u64,
    pub examples: Vec<Example>,
    /// Rewrite rules only: the replacement template, or the char map of `fix`.
    pub rewrite: Rewrite,
    /// Position in the grammar files (rewrites of a file apply in file order).
    order: usize,
}

/// What a rule does besides matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// A match-only rule.
    None,
    /// `regex.replace_all(text, template)`.
    Template(String),
    /// Inside every match, each char of the capture `fix` (or of the whole match when the
    /// rule has no `fix`) found in the map becomes its replacement.
    Map(Vec<(char, String)>),
}

impl Rule {
    /// Apply a rewrite rule to `text` (a match-only rule returns it unchanged).
    pub fn rewrite<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match &self.rewrite {
            Rewrite::None => std::borrow::Cow::Borrowed(text),
            Rewrite::Template(t) => self.regex.replace_all(text, t.as_str()),
            Rewrite::Map(map) => self.regex.replace_all(text, |c: &regex::Captures| {
                let whole = c.get(0).map(|m| m.range()).unwrap_or(0..0);
                let fix = c.name("fix").map(|m| m.range()).unwrap_or(whole.clone());
                let mut out = String::with_capacity(whole.len());
                out.push_str(&text[whole.start..fix.start]);
                for ch in text[fix.clone()].chars() {
                    match map.iter().find(|(k, _)| *k == ch) {
                        Some((_, to)) => out.push_str(to),
                        None => out.push(ch),
                    }
                }
                out.push_str(&text[fix.end..whole.end]);
                out
            }),
        }
    }
}

impl Rule {
    /// Can the pattern match `text` at all (does it hold one of the needed literals)?
    pub fn may_match(&self, text: &str) -> bool {
        self.needs.is_empty() || self.needs.iter().any(|n| text.contains(n.as_str()))
    }

    /// Can the pattern match the probed text? A cheaper, weaker test than [`Rule::may_match`]:
    /// it only asks whether the first character of a needed literal occurs.
    pub fn may_match_probed(&self, probe: Probe) -> bool {
        self.need_mask == 0 || probe.0 & self.need_mask != 0
    }
}

/// Which first characters of the rules' needed literals a text holds, one bit each: found
/// in one pass over a line, then every rule's prefilter is a mask test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe(u64);

/// All grammars, compiled.
#[derive(Debug)]
pub struct Grammar {
    rules: HashMap<String, Rule>,
    lexicons: HashMap<String, Vec<String>>,
    /// First characters of needed literals and their probe bits, sorted by character.
    need_bits: Vec<(char, u64)>,
    /// Probe bit index + 1 of every BMP character (0: not a needed first character).
    need_table: Box<[u8]>,
    categories: Vec<Category>,
    /// Leftmost-longest matcher over every category alias; pattern i is `alias_of[i]`.
    category_matcher: aho_corasick::AhoCorasick,
    alias_of: Vec<usize>,
}

static GRAMMAR: LazyLock<Grammar> = LazyLock::new(|| match Grammar::load(FILES) {
    Ok(g) => g,
    // The files are embedded and every one is checked by the test suite; a failure here
    // is a build of broken grammar data, not a runtime condition.
    Err(e) => panic!("embedded grammar is invalid: {e}"),
});

/// The embedded grammar, compiled on first use.
pub fn grammar() -> &'static Grammar {
    &GRAMMAR
}

/// Shorthand for `grammar().rule(id)`.
pub fn rule(id: &str) -> &'static Regex {
    grammar().rule(id)
}

/// The matches of a rule in `text`, skipping the regex when the text lacks the literals the
/// rule needs.
pub fn scan<'t>(id: &str, text: &'t str) -> impl Iterator<Item = regex::Captures<'t>> + 't {
    scan_probed(id, text, grammar().probe(text))
}

/// [`scan`] with the text's [`Probe`] computed once by the caller for many rules.
pub fn scan_probed<'t>(
    id: &str,
    text: &'t str,
    probe: Probe,
) -> impl Iterator<Item = regex::Captures<'t>> + 't {
    let r = grammar().compiled(id);
    r.may_match_probed(probe)
        .then(|| r.regex.captures_iter(text))
        .into_iter()
        .flatten()
}

/// Shorthand for `grammar().lexicon(id)`.
pub fn lexicon(id: &str) -> &'static [String] {
    grammar().lexicon(id)
}

impl Grammar {
    /// Parse and compile grammar files; errors name the file, the line and the rule.
    pub fn load(files: &[(&'static str, &str)]) -> Result<Grammar, Error> {
        let mut rules = HashMap::default();
        let mut lexicons = HashMap::default();
        let mut categories: Vec<Category> = Vec::new();
        for &(file, text) in files {
            let def: FileDef = toml::from_str(text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| text[..s.start].lines().count().max(1))
                    .unwrap_or(0);
                Error::Grammar {
                    file: format!("{file}:{line}"),
                    reason: e.message().to_string(),
                }
            })?;
            if def.version != FORMAT_VERSION {
                return Err(Error::Grammar {
                    file: file.into(),
                    reason: format!(
                        "version {} (this build reads version {FORMAT_VERSION})",
                        def.version
                    ),
                });
            }
            let _ = def.description;
            for r in def.rules {
                let regex = Regex::new(&r.pattern).map_err(|e| Error::Grammar {
                    file: file.into(),
                    reason: format!("rule {}: {e}", r.id),
                })?;
                if r.examples.is_empty() {
                    return Err(Error::Grammar {
                        file: file.into(),
                        reason: format!("rule {} has no examples", r.id),
                    });
                }
                let rewrite = rewrite_of(file, &r)?;
                let id = r.id.clone();
                let rule = Rule {
                    id: r.id,
                    file,
                    description: r.description,
                    regex,
                    need_mask: 0,
                    needs: r.needs,
                    examples: r.examples,
                    rewrite,
                    order: rules.len(),
                };
                if rules.insert(id.clone(), rule).is_some() {
                    return Err(Error::Grammar {
                        file: file.into(),
                        reason: format!("rule {id} defined twice"),
                    });
                }
            }
            for (id, lex) in def.lexicons {
                let _ = lex.description;
                if lexicons.insert(id.clone(), lex.words).is_some() {
                    return Err(Error::Grammar {
                        file: file.into(),
                        reason: format!("lexicon {id} defined twice"),
                    });
                }
            }
            for c in def.categories {
                if c.aliases.is_empty() || c.examples.is_empty() {
                    return Err(Error::Grammar {
                        file: file.into(),
                        reason: format!("category {} needs aliases and examples", c.name),
                    });
                }
                categories.push(c);
            }
        }
        let (aliases, alias_of): (Vec<&str>, Vec<usize>) = categories
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.aliases.iter().map(move |a| (a.as_str(), i)))
            .unzip();
        let category_matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&aliases)
            .map_err(|e| Error::Grammar {
                file: "categories".into(),
                reason: e.to_string(),
            })?;
        // one bit per distinct first character of a needed literal; past 64 characters a
        // rule's prefilter is skipped (mask 0: always try the regex)
        let mut need_bits: Vec<(char, u64)> = Vec::new();
        for r in rules.values() {
            for c in r.needs.iter().filter_map(|n| n.chars().next()) {
                if !need_bits.iter().any(|(k, _)| *k == c) && need_bits.len() < 64 {
                    need_bits.push((c, 1u64 << need_bits.len()));
                }
            }
        }
        need_bits.sort_unstable();
        for r in rules.values_mut() {
            let bits: Option<u64> = r
                .needs
                .iter()
                .map(|n| {
                    let c = n.chars().next()?;
                    need_bits
                        .binary_search_by_key(&c, |(k, _)| *k)
                        .ok()
                        .map(|i| need_bits[i].1)
                })
                .try_fold(0u64, |acc, b| b.map(|b| acc | b));
            r.need_mask = bits.unwrap_or(0);
        }
        let mut need_table = vec![0u8; 0x10000].into_boxed_slice();
        for (c, bit) in &need_bits {
            if let Some(slot) = need_table.get_mut(*c as usize) {
                *slot = bit.trailing_zeros() as u8 + 1;
            }
        }
        Ok(Grammar {
            need_table,
            need_bits,
            rules,
            lexicons,
            categories,
            category_matcher,
            alias_of,
        })
    }

    /// The probe of a text: which needed first characters it holds.
    pub fn probe(&self, text: &str) -> Probe {
        let mut bits = 0u64;
        for c in text.chars() {
            let slot = match self.need_table.get(c as usize) {
                Some(&slot) => slot,
                // outside the BMP: look it up among the (few) needed characters
                None => self
                    .need_bits
                    .binary_search_by_key(&c, |(k, _)| *k)
                    .map_or(0, |i| self.need_bits[i].1.trailing_zeros() as u8 + 1),
            };
            if slot != 0 {
                bits |= 1 << (slot - 1);
            }
        }
        Probe(bits)
    }

    /// Every category, specific before general.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// Every category alias named in `text`, in text order: (category, byte range).
    pub fn categories_in<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (&'a Category, std::ops::Range<usize>)> + 'a {
        self.category_matcher.find_iter(text).map(|m| {
            (
                &self.categories[self.alias_of[m.pattern().as_usize()]],
                m.range(),
            )
        })
    }

    /// The category a text names: of those it names, the first in file order (the files
    /// list specific categories before general ones).
    pub fn classify(&self, text: &str) -> Option<&Category> {
        self.category_matcher
            .find_iter(text)
            .map(|m| self.alias_of[m.pattern().as_usize()])
            .min()
            .map(|i| &self.categories[i])
    }

    /// The compiled regex of a rule. Asking for an unknown id is a programming error.
    pub fn rule(&self, id: &str) -> &Regex {
        &self.compiled(id).regex
    }

    /// A compiled rule with its needs and examples.
    pub fn compiled(&self, id: &str) -> &Rule {
        match self.rules.get(id) {
            Some(r) => r,
            None => panic!("no grammar rule {id:?}"),
        }
    }

    pub fn lexicon(&self, id: &str) -> &[String] {
        match self.lexicons.get(id) {
            Some(words) => words,
            None => panic!("no grammar lexicon {id:?}"),
        }
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }

    /// The rewrite rules of one grammar file, in file order.
    pub fn rewrites(&self, file: &str) -> Vec<&Rule> {
        let mut v: Vec<&Rule> = self
            .rules
            .values()
            .filter(|r| r.file == file && r.rewrite != Rewrite::None)
            .collect();
        v.sort_by_key(|r| r.order);
        v
    }

    /// Check every worked example of every rule; returns one message per failure.
    pub fn check_examples(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for rule in self.rules.values() {
            for ex in &rule.examples {
                if let Some(want) = &ex.output {
                    let got = rule.rewrite(&ex.text);
                    if got != want.as_str() {
                        failures.push(format!(
                            "{}: rule {}: {:?} rewritten to {:?}, expected {:?}",
                            rule.file, rule.id, ex.text, got, want
                        ));
                    }
                    continue;
                }
                let found = rule.regex.captures(&ex.text);
                match (found, ex.no_match) {
                    (None, true) => {}
                    (Some(c), true) => failures.push(format!(
                        "{}: rule {}: {:?} should not match, matched {:?}",
                        rule.file, rule.id, ex.text, &c[0]
                    )),
                    (None, false) => failures.push(format!(
                        "{}: rule {}: {:?} did not match",
                        rule.file, rule.id, ex.text
                    )),
                    (Some(c), false) => {
                        if !rule.may_match(&ex.text) {
                            failures.push(format!(
                                "{}: rule {}: {:?} matches but holds none of needs {:?}",
                                rule.file, rule.id, ex.text, rule.needs
                            ));
                        }
                        if let Some(want) = &ex.expect
                            && &c[0] != want
                        {
                            failures.push(format!(
                                "{}: rule {}: {:?} matched {:?}, expected {:?}",
                                rule.file, rule.id, ex.text, &c[0], want
                            ));
                        }
                        for (name, want) in &ex.captures {
                            let got = c.name(name).map(|m| m.as_str());
                            if got != Some(want.as_str()) {
                                failures.push(format!(
                                    "{}: rule {}: {:?} capture {name} = {:?}, expected {:?}",
                                    rule.file, rule.id, ex.text, got, want
                                ));
                            }
                        }
                    }
                }
            }
        }
        for c in &self.categories {
            for ex in &c.examples {
                let got = self.classify(ex).map(|k| k.name.as_str());
                if got != Some(c.name.as_str()) {
                    failures.push(format!(
                        "categories: {:?} classified as {got:?}, expected {:?}",
                        ex, c.name
                    ));
                }
            }
        }
        failures
    }
}

/// The rewrite of a rule definition: `replace` or `map`, not both.
fn rewrite_of(file: &str, r: &RuleDef) -> Result<Rewrite, Error> {
    let err = |reason: String| Error::Grammar {
        file: file.into(),
        reason: format!("rule {}: {reason}", r.id),
    };
    match (&r.replace, r.map.is_empty()) {
        (Some(_), false) => Err(err("has both replace and map".into())),
        (Some(t), true) => Ok(Rewrite::Template(t.clone())),
        (None, true) => Ok(Rewrite::None),
        (None, false) => {
            let mut map = Vec::new();
            for (from, to) in &r.map {
                let mut chars = from.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => map.push((c, to.clone())),
                    _ => return Err(err(format!("map key {from:?} is not one char"))),
                }
            }
            Ok(Rewrite::Map(map))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_example_holds() {
        let failures = grammar().check_examples();
        assert!(
            failures.is_empty(),
            "grammar examples failed:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn load_errors_name_file_and_line() {
        let err = Grammar::load(&[(
            "bad.toml",
            "version = 1\ndescription = \"x\"\n[[rules]]\nid = 3\n",
        )])
        .unwrap_err();
        assert!(err.to_string().starts_with("grammars/bad.toml:"), "{err}");
        let err = Grammar::load(&[(
            "bad.toml",
            "version = 1\ndescription = \"x\"\n[[rules]]\nid = \"r\"\ndescription = \"d\"\npattern = \"(\"\n[[rules.examples]]\ntext = \"a\"\n",
        )])
        .unwrap_err();
        assert!(err.to_string().contains("rule r"), "{err}");
    }
}
