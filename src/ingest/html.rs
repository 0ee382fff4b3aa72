//! HTML: a government site's page for one notice. The page is parsed with `scraper`
//! (html5ever); navigation, scripts, styles, page header and footer are dropped (tags and
//! id/class hints from `grammars/ingest.toml`); the content container is found by text
//! density: from `<body>`, step into the child that holds nearly all of the text that is
//! not link text, while there is one. A page heading outside the container (the notice
//! title shown above the text) is put first when the container does not repeat it.
//! Block elements become lines, table rows tab-separated cells.

use super::Pages;
use super::text::decode_text;
use crate::chars::squash;
use crate::error::{Error, Result};
use crate::grammar::{lexicon, rule};
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use encoding_rs::Encoding;
use scraper::{Html, Node};
use std::collections::{HashMap, HashSet};

/// A child holding at least this share of its parent's non-link text is the content.
const DESCEND_SHARE: f64 = 0.75;
/// A hinted container (nav, footer…) with less text than this, or mostly links, is dropped.
const HINTED_MAX_TEXT: usize = 300;

/// Does the input start like an HTML document?
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    rule("html_start").is_match(&String::from_utf8_lossy(head))
}

/// Read the notice text of an HTML page; returns it with the encoding used.
pub fn read(bytes: &[u8], name: &str) -> Result<(Pages, String)> {
    let (html, encoding) = decode(bytes).map_err(|why| Error::input(name, why))?;
    let text = page_text(&html);
    if text.trim().is_empty() {
        return Err(Error::input(name, "HTML page has no text content"));
    }
    Ok((Pages::single(text), encoding))
}

/// Decode with the charset the page declares, else as a text input would be.
fn decode(bytes: &[u8]) -> Result<(String, String), String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let declared = rule("html_meta_charset")
        .captures(&head)
        .and_then(|c| c.name("label"))
        .and_then(|l| Encoding::for_label(l.as_str().as_bytes()));
    if let Some(enc) = declared
        && Encoding::for_bom(bytes).is_none()
    {
        let enc = if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
            encoding_rs::GB18030
        } else {
            enc
        };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        // pages that declare one charset and are written in another are common:
        // trust the bytes when the declaration does not decode them
        if !had_errors {
            return Ok((text.into_owned(), enc.name().to_ascii_lowercase()));
        }
    }
    decode_text(bytes).map(|(t, e)| (t, e.to_string()))
}

/// Per element: its text chars (no whitespace) and how many of them are link text.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    text: usize,
    link: usize,
}

impl Counts {
    fn content(&self) -> usize {
        self.text - self.link.min(self.text)
    }
}

fn element_name<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

fn is_boilerplate_tag(name: &str) -> bool {
    lexicon("html_boilerplate").iter().any(|w| w == name)
}

/// Do the id/class words of an element hit one of the hint words?
fn hinted(node: &NodeRef<Node>, hints: &str) -> bool {
    let Some(e) = node.value().as_element() else {
        return false;
    };
    let words = lexicon(hints);
    let tokens = e
        .id()
        .into_iter()
        .chain(e.classes())
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .map(|t| t.to_ascii_lowercase());
    tokens
        .into_iter()
        .any(|t| !t.is_empty() && words.contains(&t))
}

/// Text counts of every element, and the elements dropped as page furniture. Iterative
/// (no recursion), so a deeply nested page cannot overflow the stack.
fn measure(doc: &Html) -> (HashMap<NodeId, Counts>, HashSet<NodeId>) {
    let mut counts: HashMap<NodeId, Counts> = HashMap::new();
    let mut dropped: HashSet<NodeId> = HashSet::new();
    let mut stack: Vec<(NodeId, Counts)> = Vec::new();
    let mut skip = 0usize;
    let mut in_link = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Some(name) = element_name(&node) {
                    if skip > 0 || is_boilerplate_tag(name) {
                        skip += 1;
                        dropped.insert(node.id());
                        continue;
                    }
                    if name == "a" {
                        in_link += 1;
                    }
                    stack.push((node.id(), Counts::default()));
                } else if let Some(t) = node.value().as_text()
                    && skip == 0
                    && let Some((_, c)) = stack.last_mut()
                {
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    c.text += n;
                    if in_link > 0 {
                        c.link += n;
                    }
                }
            }
            Edge::Close(node) => {
                let Some(name) = element_name(&node) else {
                    continue;
                };
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if name == "a" {
                    in_link = in_link.saturating_sub(1);
                }
                let Some((id, c)) = stack.pop() else {
                    continue;
                };
                counts.insert(id, c);
                let furniture = hinted(&node, "html_boilerplate_hints")
                    && (c.text < HINTED_MAX_TEXT || c.link * 2 >= c.text);
                if furniture {
                    dropped.insert(id);
                } else if let Some((_, parent)) = stack.last_mut() {
                    parent.text += c.text;
                    parent.link += c.link;
                }
            }
        }
    }
    (counts, dropped)
}

/// The notice text of a parsed page.
fn page_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let (counts, dropped) = measure(&doc);
    let body = doc
        .tree
        .root()
        .descendants()
        .find(|n| element_name(n) == Some("body"))
        .unwrap_or(doc.tree.root());
    let content = |n: &NodeRef<Node>| counts.get(&n.id()).map(Counts::content).unwrap_or(0);
    let mut container = body;
    loop {
        let best = container
            .children()
            .filter(|c| c.value().is_element() && !dropped.contains(&c.id()))
            .max_by_key(|c| content(c));
        match best {
            Some(child) if content(&child) as f64 >= DESCEND_SHARE * content(&container) as f64 => {
                container = child;
            }
            _ => break,
        }
    }
    let text = render(container, &dropped);
    match heading_before(&doc, container, &dropped) {
        Some(h) if !squash(&text).contains(&squash(&h)) => format!("{h}\n{text}"),
        _ => text,
    }
}

/// The last page heading (h1–h3 or a title-hinted element) before the container.
fn heading_before(
    doc: &Html,
    container: NodeRef<Node>,
    dropped: &HashSet<NodeId>,
) -> Option<String> {
    let mut found = None;
    let mut skip = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) if node.id() == container.id() => break,
            Edge::Open(node) => {
                if skip > 0 || dropped.contains(&node.id()) {
                    if node.value().is_element() {
                        skip += 1;
                    }
                    continue;
                }
                let heading = matches!(element_name(&node), Some("h1" | "h2" | "h3"))
                    || hinted(&node, "html_heading_hints");
                if heading {
                    let text = render(node, dropped);
                    let len = squash(&text).chars().count();
                    if (4..=120).contains(&len) && !text.trim().contains('\n') {
                        found = Some(text.trim().to_string());
                    }
                }
            }
            Edge::Close(node) => {
                if skip > 0 && node.value().is_element() {
                    skip -= 1;
                }
            }
        }
    }
    found
}

/// The text of a subtree: block elements on their own lines, table cells tab-separated,
/// whitespace runs of the markup collapsed to one space, empty lines dropped.
fn render(root: NodeRef<Node>, dropped: &HashSet<NodeId>) -> String {
    let blocks = lexicon("html_blocks");
    let is_block = |name: &str| blocks.iter().any(|b| b == name);
    let mut out = String::new();
    let mut skip = 0usize;
    // cells seen in each open table row
    let mut rows: Vec<usize> = Vec::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip > 0 || dropped.contains(&node.id()) {
                    if node.value().is_element() {
                        skip += 1;
                    }
                    continue;
                }
                match node.value() {
                    Node::Text(t) => push_collapsed(&mut out, t),
                    Node::Element(e) => match e.name() {
                        "br" => out.push('\n'),
                        "tr" => {
                            out.push('\n');
                            rows.push(0);
                        }
                        "td" | "th" => {
                            if let Some(n) = rows.last_mut() {
                                if *n > 0 {
                                    out.push('\t');
                                }
                                *n += 1;
                            }
                        }
                        name if is_block(name) && rows.is_empty() => out.push('\n'),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip > 0 {
                    if node.value().is_element() {
                        skip -= 1;
                    }
                    continue;
                }
                match element_name(&node) {
                    Some("tr") => {
                        rows.pop();
                        out.push('\n');
                    }
                    Some(name) if is_block(name) && rows.is_empty() => out.push('\n'),
                    _ => {}
                }
            }
        }
    }
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        let line = line.trim_matches(' ');
        if !line.trim().is_empty() {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Append markup text with runs of ASCII whitespace collapsed to one space (the page's
/// own spaces, `&nbsp;` and U+3000, are kept).
fn push_collapsed(out: &mut String, text: &str) {
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
            continue;
        }
        if space && !out.ends_with([' ', '\n', '\t']) && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.ends_with([' ', '\n', '\t']) && !out.is_empty() {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title>
<style>.x{}</style><script>var a = "不是正文";</script></head><body>
<div class="header"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<div class="nav"><ul><li><a href="/1">机构概况</a></li><li><a href="/2">政策法规</a></li></ul></div>
<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/t">通知公告</a></div>
<div class="article"><h1 class="title">关于开展认证监督检查的通知</h1>
<div class="info">发布时间：2024-06-20 来源：本局</div>
<div id="zoom"><p>闽市监认证〔2024〕215号</p><p>各设区市市场监管局：</p>
<p>　　为加强认证监管，现将有关事项通知如下。一是开展检查，二是报送总结，三是加强宣传，四是做好信息公开工作，确保各项任务按期完成。</p>
<table><tr><td>序号</td><td>单位</td></tr><tr><td>1</td><td>省计量院</td></tr></table>
<p>联系人：林洁，电话：0591-87530956</p></div></div></div>
<div class="footer">版权所有：福建省市场监督管理局 电话：0591-00000000</div>
</body></html>"#;

    #[test]
    fn main_content_without_navigation_with_the_heading() {
        let text = page_text(PAGE);
        assert!(
            text.starts_with("关于开展认证监督检查的通知\n闽市监认证〔2024〕215号\n"),
            "{text}"
        );
        assert!(text.contains("序号\t单位\n1\t省计量院\n"), "{text}");
        assert!(text.contains("联系人：林洁，电话：0591-87530956"), "{text}");
        for junk in [
            "首页",
            "机构概况",
            "当前位置",
            "版权所有",
            "不是正文",
            "发布时间",
        ] {
            assert!(!text.contains(junk), "{junk} in {text}");
        }
    }

    #[test]
    fn declared_charset_decodes_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>关于开展检查的通知</p></body></html>",
        );
        assert!(looks_like_html(&bytes));
        let (pages, enc) = read(&bytes, "x.html").unwrap();
        assert_eq!(enc, "gb18030");
        assert_eq!(pages.texts[0], "关于开展检查的通知\n");
    }

    #[test]
    fn deeply_nested_markup_does_not_overflow() {
        let page = format!(
            "<html><body>{}<p>正文内容</p>{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        assert!(page_text(&page).contains("正文内容"));
    }
}
