//! Contacts: 联系人 blocks with names, phones (area codes inherited), fax and mailboxes.

use super::Ctx;
use crate::chars::{is_han, squash};
use crate::grammar::{lexicon, rule};
use crate::spec::Contact;
use std::ops::Range;

/// A 联系人 block: names and the numbers and mailboxes written with them.
#[derive(Debug, Default)]
struct Block {
    range: Range<usize>,
    names: Vec<String>,
    org: Option<String>,
    phones: Vec<String>,
    fax: Vec<String>,
    emails: Vec<String>,
}

/// Contacts of a document, from the byte ranges of its own lines (annex bodies excluded).
pub fn contacts(ctx: &Ctx, lines: &[Range<usize>]) -> Vec<Contact> {
    let text = ctx.norm.text.as_str();
    let mut blocks: Vec<Block> = Vec::new();
    let mut loose = Block::default();
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k].clone();
        let t = &text[line.clone()];
        let labels: Vec<_> = rule("names_label").find_iter(t).collect();
        // a person's mailbox named as where to send (报送至区市场监管局林欢OA邮箱)
        for c in rule("recipient_mailbox").captures_iter(t) {
            let (Some(name), Some(m)) = (c.name("name"), c.get(0)) else {
                continue;
            };
            let office = lexicon("org_endings")
                .iter()
                .any(|e| name.as_str().ends_with(e.as_str()));
            if !is_name(name.as_str()) || office {
                continue;
            }
            blocks.push(Block {
                range: line.start + m.start()..line.start + m.end(),
                names: vec![name.as_str().to_string()],
                org: c.name("org").map(|o| squash(o.as_str())),
                ..Default::default()
            });
        }
        if labels.is_empty() {
            harvest(text, line.clone(), None, &mut loose);
            k += 1;
            continue;
        }
        // text before the first label is not part of any block
        harvest(
            text,
            line.start..line.start + labels[0].start(),
            None,
            &mut loose,
        );
        for (n, m) in labels.iter().enumerate() {
            let next_label = labels.get(n + 1).map(|l| l.start()).unwrap_or(t.len());
            let rest = &t[m.end()..next_label];
            // a block runs to the end of its sentence
            let end = m.end() + sentence_end(rest);
            let mut block = Block {
                range: line.start + m.start()..line.start + end,
                ..Default::default()
            };
            parse_names(&t[m.end()..end], &mut block);
            harvest(
                text,
                line.start + m.end()..line.start + end,
                Some(&t[m.start()..m.end()]),
                &mut block,
            );
            if end < next_label {
                harvest(
                    text,
                    line.start + end..line.start + next_label,
                    None,
                    &mut loose,
                );
            }
            blocks.push(block);
        }
        // continuation lines: 联系电话：… / 邮箱：… right below the names
        while k + 1 < lines.len() {
            let nt = text[lines[k + 1].clone()].trim_start();
            let continues = lexicon("continuation_labels")
                .iter()
                .any(|l| nt.starts_with(l.as_str()));
            if !continues || rule("names_label").is_match(nt) {
                break;
            }
            k += 1;
            if let Some(b) = blocks.last_mut() {
                b.range.end = lines[k].end;
                harvest(text, lines[k].clone(), None, b);
            }
        }
        k += 1;
    }
    let mut out = Vec::new();
    for b in blocks.iter().chain(std::iter::once(&loose)) {
        let span = ctx.norm.span(b.range.clone());
        if b.names.is_empty() {
            if !b.phones.is_empty() || !b.emails.is_empty() || !b.fax.is_empty() {
                out.push(Contact {
                    origin: Default::default(),
                    name: None,
                    org: b.org.clone(),
                    phones: b.phones.clone(),
                    fax: b.fax.clone(),
                    emails: b.emails.clone(),
                    span,
                });
            }
            continue;
        }
        for name in &b.names {
            out.push(Contact {
                origin: Default::default(),
                name: Some(name.clone()),
                org: b.org.clone(),
                phones: b.phones.clone(),
                fax: b.fax.clone(),
                emails: b.emails.clone(),
                span,
            });
        }
    }
    out
}

/// Bytes to the end of the sentence that holds a contact block.
fn sentence_end(rest: &str) -> usize {
    let mut in_email = false;
    for (i, c) in rest.char_indices() {
        match c {
            '@' => in_email = true,
            '。' | '）' | ')' => return i,
            '.' if in_email => {}
            c if c.is_whitespace() && in_email => in_email = false,
            _ => {}
        }
    }
    rest.len()
}

/// Names after a 联系人 label: split on separators, 处室 prefixes become the org.
fn parse_names(after: &str, block: &mut Block) {
    let stop = rule("names_stop")
        .find(after)
        .map(|m| m.start())
        .unwrap_or(after.len());
    let run = &after[..stop];
    for token in run.split(['，', ',', '、', ' ', '和', '及', '/', '；', '\u{3000}']) {
        let token = squash(token.trim_matches(['：', ':']));
        if token.is_empty() || token.contains(['X', 'x', '*', '×', '某']) {
            continue;
        }
        let (org, name) = split_org(&token);
        if let Some(org) = org {
            block.org.get_or_insert(org);
        }
        if let Some(name) = name
            && !block.names.contains(&name)
        {
            block.names.push(name);
        }
    }
}

fn is_name(s: &str) -> bool {
    let n = s.chars().count();
    if !s.chars().all(is_han) {
        return false;
    }
    if lexicon("name_titles")
        .iter()
        .any(|t| s.ends_with(t.as_str()))
    {
        return (3..=5).contains(&n);
    }
    (2..=4).contains(&n)
}

/// `省局认证检测处林洁` → (org `省局认证检测处`, name `林洁`); `认监处` → (org, none).
fn split_org(token: &str) -> (Option<String>, Option<String>) {
    if is_name(token)
        && !lexicon("org_units")
            .iter()
            .any(|u| token.ends_with(u.as_str()) && token.chars().count() >= 3)
    {
        return (None, Some(token.to_string()));
    }
    // the last unit ending that leaves a name after it
    let mut best: Option<usize> = None;
    for u in lexicon("org_units") {
        let mut from = 0;
        while let Some(p) = token[from..].find(u.as_str()) {
            let end = from + p + u.len();
            if is_name(&token[end..]) && best.is_none_or(|b| end > b) {
                best = Some(end);
            }
            from = end;
        }
    }
    match best {
        Some(end) => (
            Some(token[..end].to_string()),
            Some(token[end..].to_string()),
        ),
        None if token.chars().count() >= 3
            && lexicon("org_units")
                .iter()
                .any(|u| token.ends_with(u.as_str())) =>
        {
            (Some(token.to_string()), None)
        }
        None if is_name(token) => (None, Some(token.to_string())),
        None => (None, None),
    }
}

/// How far back (bytes) a value's label is looked for: a label stands close to its value,
/// and an unbounded look-back over a text without sentence breaks is quadratic.
const LABEL_LOOKBACK: usize = 512;

/// The part of `t[..at]` since the last sentence break (at most [`LABEL_LOOKBACK`] bytes
/// back): where a value's label stands.
fn sentence_before(t: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(LABEL_LOOKBACK);
    while !t.is_char_boundary(from) {
        from += 1;
    }
    let before = &t[from..at];
    before
        .rfind(['。', '；', ';'])
        .map(|p| &before[p..])
        .unwrap_or(before)
}

/// Phones, faxes and mailboxes in `range`. `label` is the block's own label (phones right
/// after a 联系人 label count); elsewhere a number needs a phone label before it in its
/// sentence, or a line of its own.
fn harvest(text: &str, range: Range<usize>, label: Option<&str>, into: &mut Block) {
    if range.start >= range.end {
        return;
    }
    let t = &text[range.clone()];
    let emails: Vec<Range<usize>> = rule("email").find_iter(t).map(|m| m.range()).collect();
    for m in emails.iter().cloned() {
        if rule("hotline_label").is_match(sentence_before(t, m.start)) {
            continue; // a public complaints mailbox, not a contact
        }
        let e = t[m].trim_end_matches(['.', '-', '_']);
        let local = e.split('@').next().unwrap_or("");
        if local.chars().all(|c| matches!(c, 'X' | 'x' | '*')) {
            continue;
        }
        // a domain is case-insensitive: written lower case (`163.Com` from a scan is 163.com)
        let e = match e.split_once('@') {
            Some((local, domain)) => format!("{local}@{}", domain.to_ascii_lowercase()),
            None => e.to_string(),
        };
        if !into.emails.iter().any(|x| x.eq_ignore_ascii_case(&e)) {
            into.emails.push(e);
        }
    }
    let only_numbers = t
        .chars()
        .all(|c| c.is_ascii_digit() || " -/、，,；;（）()".contains(c))
        && t.chars().any(|c| c.is_ascii_digit());
    let mut area: Option<String> = None;
    let mut last_end = 0usize;
    for c in rule("phone").captures_iter(t) {
        let m = c.get(0).expect("whole match");
        let before = t[..m.start()].chars().next_back();
        let after = t[m.end()..].chars().next();
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '@' || b == '.' || b == '_')
            || after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '@')
        {
            continue;
        }
        // emails and URLs hold digits too
        if emails
            .iter()
            .any(|e| e.start <= m.start() && m.end() <= e.end)
        {
            continue;
        }
        let sentence = sentence_before(t, m.start());
        if rule("hotline_label").is_match(sentence) {
            continue; // a public complaints hotline, not a contact
        }
        let phone_label = rule("phone_label")
            .find_iter(sentence)
            .last()
            .map(|l| l.end());
        let fax_label = rule("fax_label")
            .find_iter(sentence)
            .last()
            .map(|l| l.end());
        let labelled =
            label.is_some() || phone_label.is_some() || fax_label.is_some() || only_numbers;
        if !labelled {
            continue;
        }
        let is_fax = match (fax_label, phone_label) {
            (Some(f), Some(p)) => f > p,
            (Some(_), None) => true,
            _ => false,
        };
        let number = if let Some(mobile) = c.name("mobile") {
            mobile.as_str().to_string()
        } else if let (Some(a), Some(l)) = (c.name("area"), c.name("local")) {
            area = Some(a.as_str().to_string());
            format!("{}-{}", a.as_str(), l.as_str())
        } else if let Some(b) = c.name("bare") {
            let joined = t[last_end..m.start()]
                .chars()
                .all(|c| " ，,、/；;或和及".contains(c));
            match (&area, joined && last_end > 0) {
                (Some(a), true) => format!("{a}-{}", b.as_str()),
                _ => b.as_str().to_string(),
            }
        } else {
            continue;
        };
        last_end = m.end();
        let list = if is_fax {
            &mut into.fax
        } else {
            &mut into.phones
        };
        if !list.contains(&number) {
            list.push(number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn run(src: &str) -> Vec<Contact> {
        let norm = normalize(src);
        let lines: Vec<Range<usize>> = {
            let mut v = Vec::new();
            let mut s = 0;
            for l in norm.text.split('\n') {
                v.push(s..s + l.len());
                s += l.len() + 1;
            }
            v
        };
        let ctx = Ctx::new(src, &norm);
        contacts(&ctx, &lines)
    }

    #[test]
    fn area_code_is_inherited_and_names_split() {
        let c = run(
            "联系人：认监处 郑明国 喻靖勇\n\n联系电话：0791-86355635，86355828；\n\n材料报送邮箱：jxsjrzc@amr.jiangxi.gov.cn.",
        );
        let names: Vec<_> = c.iter().filter_map(|c| c.name.clone()).collect();
        assert_eq!(names, ["郑明国", "喻靖勇"]);
        assert_eq!(c[0].org.as_deref(), Some("认监处"));
        assert_eq!(c[0].phones, ["0791-86355635", "0791-86355828"]);
        assert_eq!(c[0].emails, ["jxsjrzc@amr.jiangxi.gov.cn"]);
    }

    #[test]
    fn several_names_on_one_line_share_a_phone() {
        let c = run("联系人：闵振东，蔡琍 联系电话：0795-7206782");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].name.as_deref(), Some("蔡琍"));
        assert_eq!(c[1].phones, ["0795-7206782"]);
    }

    #[test]
    fn org_prefix_and_trailing_punctuation() {
        let c =
            run("联系人：省局认证检测处林洁，联系电话：0591-87530956，\n邮箱：fjrzjc@163.com。");
        assert_eq!(c[0].name.as_deref(), Some("林洁"));
        assert_eq!(c[0].org.as_deref(), Some("省局认证检测处"));
        assert_eq!(c[0].emails, ["fjrzjc@163.com"]);
    }

    #[test]
    fn fax_is_not_a_phone() {
        let c = run(
            "9月15日前报送总结（联系人：区公安消防支队 林炎；电话：18106065119；传真：0591-2438119）。",
        );
        assert_eq!(c[0].name.as_deref(), Some("林炎"));
        let all_phones: Vec<_> = c.iter().flat_map(|c| c.phones.clone()).collect();
        let all_fax: Vec<_> = c.iter().flat_map(|c| c.fax.clone()).collect();
        assert_eq!(all_phones, ["18106065119"]);
        assert_eq!(all_fax, ["0591-2438119"]);
    }

    #[test]
    fn masked_values_are_not_facts() {
        let c = run("联系人:XXX、XXX，联系电话:8708XXXX（兼传真)，邮箱:XXX@shandong.cn.");
        assert!(
            c.iter()
                .all(|c| c.name.is_none() && c.phones.is_empty() && c.emails.is_empty()),
            "{c:?}"
        );
    }

    #[test]
    fn title_name_glued_to_number() {
        let c = run("联系人：汪老师021-53950537，电子邮箱：1148743673@qq.com。");
        assert_eq!(c[0].name.as_deref(), Some("汪老师"));
        assert_eq!(c[0].phones, ["021-53950537"]);
    }
}
