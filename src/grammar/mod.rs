//! Grammars are data: `grammars/*.toml` holds every pattern and word list, each rule with
//! an id, a description and worked examples. They are embedded at build time, parsed with
//! serde, compiled once, and every example is checked by `cargo test`.

use crate::error::Error;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    description: String,
    pattern: String,
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

/// A compiled rule with its examples (kept for the tests and `--explain` output).
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub file: &'static str,
    pub description: String,
    pub regex: Regex,
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

/// All grammars, compiled.
#[derive(Debug)]
pub struct Grammar {
    rules: HashMap<String, Rule>,
    lexicons: HashMap<String, Vec<String>>,
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

/// Shorthand for `grammar().lexicon(id)`.
pub fn lexicon(id: &str) -> &'static [String] {
    grammar().lexicon(id)
}

impl Grammar {
    /// Parse and compile grammar files; errors name the file, the line and the rule.
    pub fn load(files: &[(&'static str, &str)]) -> Result<Grammar, Error> {
        let mut rules = HashMap::new();
        let mut lexicons = HashMap::new();
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
        }
        Ok(Grammar { rules, lexicons })
    }

    /// The compiled regex of a rule. Asking for an unknown id is a programming error.
    pub fn rule(&self, id: &str) -> &Regex {
        match self.rules.get(id) {
            Some(r) => &r.regex,
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
