//! The campaign model: what a task system receives for one document of a notice.
//!
//! Derived from the task spec ([`crate::spec::Output`]) only: one [`Campaign`] per document,
//! one [`CampaignTask`] per spec task, one [`Milestone`] per deadline (annex indexes resolved
//! to annex titles), the document's contacts. `gongwen schema --campaign` prints its JSON Schema.

use crate::spec::{Contact, Document, Output, Period, Quota, Ratio, Role, Span, Warning};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Schema identifier written into every campaign.
pub const CAMPAIGN_SCHEMA_ID: &str = "gongwen.campaign/1";

/// One document of a notice, as a campaign for a task system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Campaign {
    pub schema: String,
    /// Idempotency key: `DOC_NUMBER|SHA256` (doc number and source hash), or `SHA256#INDEX`
    /// (document index in the file) when the document has no doc number of its own.
    pub key: String,
    pub source: CampaignSource,
    pub role: Role,
    /// 发文字号, canonical (`赣市监办认监〔2023〕4号`).
    pub doc_number: Option<String>,
    pub title: Option<String>,
    /// 文种 (通知, 通报, 意见…).
    pub doc_type: Option<String>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// 主送机关.
    pub addressees: Vec<String>,
    /// 成文日期, ISO `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    pub disclosure: Option<String>,
    /// The originals this document relays (转发), by doc number.
    pub relays: Vec<Link>,
    /// The relay notices that forward this document, by doc number: from the same file, or
    /// from an earlier feed when the state store knows them.
    pub relayed_by: Vec<Link>,
    /// Key of the campaign this one replaces: the same document from an earlier version of
    /// the same file (the file changed and was fed again).
    pub supersedes: Option<String>,
    /// True when the document yields no task: the campaign still exists, with its warnings.
    pub no_tasks: bool,
    pub tasks: Vec<CampaignTask>,
    pub contacts: Vec<Contact>,
    /// The document's 附件 list.
    pub annexes: Vec<AnnexRef>,
    /// Extraction warnings inside the document's extent or about the whole file, plus
    /// `no-tasks` when there is no task.
    pub warnings: Vec<Warning>,
}

/// Where a campaign comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CampaignSource {
    /// The file path as it was fed.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Position of the document in the file (0 = first).
    pub document_index: usize,
    /// How many documents the file holds.
    pub documents: usize,
    /// The document's extent in the extracted text (`gongwen text FILE`); null when the
    /// file yielded no document.
    pub span: Option<Span>,
}

/// A link to another document by doc number; `campaign` is its campaign key when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    /// Always set in `relays`; null in `relayed_by` for a relay without a doc number.
    pub doc_number: Option<String>,
    pub title: Option<String>,
    pub campaign: Option<String>,
}

/// One task of the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CampaignTask {
    /// Outline path, e.g. `二.（三）`.
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    pub targets: Vec<String>,
    pub quotas: Vec<Quota>,
    pub ratios: Vec<Ratio>,
    pub period: Option<Period>,
    /// One per deadline of the task.
    pub milestones: Vec<Milestone>,
    pub span: Span,
}

/// One deadline of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Milestone {
    /// ISO date; null for relative deadlines (`收到通知后10个工作日内`).
    pub date: Option<String>,
    pub raw: String,
    pub action: Option<String>,
    pub deliverables: Vec<String>,
    /// Annexes to hand in, with their titles from the 附件 list.
    pub annexes: Vec<AnnexRef>,
    pub span: Span,
}

/// An annex by index, with its title when the 附件 list has that index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnexRef {
    pub index: u32,
    pub title: Option<String>,
}

impl Campaign {
    /// The `Idempotency-Key` a webhook receives: SHA-256 (hex) of [`Campaign::key`], which
    /// is doc number + source hash (ASCII, unlike the doc number).
    pub fn idempotency_key(&self) -> String {
        hex(&Sha256::digest(self.key.as_bytes()))
    }
}

/// Lowercase hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The campaigns of one extracted file: one per document, or a single `no_tasks` campaign
/// carrying the warnings when the file yields no document at all.
pub fn campaigns(out: &Output) -> Vec<Campaign> {
    let docs = &out.documents;
    if docs.is_empty() {
        return vec![empty_campaign(out)];
    }
    let keys: Vec<String> = (0..docs.len()).map(|i| key_of(out, i)).collect();
    docs.iter()
        .enumerate()
        .map(|(i, doc)| campaign_of(out, i, doc, &keys))
        .collect()
}

/// `DOC_NUMBER|SHA256` when the doc number is unique in the file, else `SHA256#INDEX`.
fn key_of(out: &Output, index: usize) -> String {
    let number = out.documents[index].doc_number.as_ref().map(|n| &n.value);
    let unique = number.filter(|n| {
        out.documents
            .iter()
            .filter(|d| d.doc_number.as_ref().map(|x| &x.value) == Some(*n))
            .count()
            == 1
    });
    match unique {
        Some(n) => format!("{n}|{}", out.source.sha256),
        None => format!("{}#{index}", out.source.sha256),
    }
}

fn campaign_of(out: &Output, index: usize, doc: &Document, keys: &[String]) -> Campaign {
    let docs = &out.documents;
    let key_by_number = |number: &str| {
        docs.iter()
            .position(|d| d.doc_number.as_ref().is_some_and(|n| n.value == number))
            .map(|i| keys[i].clone())
    };
    let relays = doc
        .relays
        .iter()
        .map(|c| Link {
            doc_number: Some(c.doc_number.clone()),
            title: c.title.clone(),
            campaign: key_by_number(&c.doc_number),
        })
        .collect();
    let relayed_by = match &doc.doc_number {
        Some(n) => docs
            .iter()
            .enumerate()
            .filter(|(j, d)| *j != index && d.relays.iter().any(|c| c.doc_number == n.value))
            .map(|(j, d)| Link {
                doc_number: d.doc_number.as_ref().map(|n| n.value.clone()),
                title: d.title.as_ref().map(|t| t.value.clone()),
                campaign: Some(keys[j].clone()),
            })
            .collect(),
        None => Vec::new(),
    };
    let tasks: Vec<CampaignTask> = doc
        .tasks
        .iter()
        .map(|t| CampaignTask {
            id: t.id.clone(),
            title: t.title.clone(),
            category: t.category.clone(),
            targets: t.targets.clone(),
            quotas: t.quotas.clone(),
            ratios: t.ratios.clone(),
            period: t.period.clone(),
            milestones: t
                .deadlines
                .iter()
                .map(|d| Milestone {
                    date: d.date.clone(),
                    raw: d.raw.clone(),
                    action: d.action.clone(),
                    deliverables: d.deliverables.clone(),
                    annexes: d
                        .annexes
                        .iter()
                        .map(|&i| AnnexRef {
                            index: i,
                            title: annex_title(out, index, i),
                        })
                        .collect(),
                    span: d.span,
                })
                .collect(),
            span: t.span,
        })
        .collect();
    let mut warnings: Vec<Warning> = out
        .warnings
        .iter()
        .filter(|w| w.span.is_none_or(|s| doc.span.contains(&s)))
        .cloned()
        .collect();
    let no_tasks = tasks.is_empty();
    if no_tasks {
        warnings.push(no_tasks_warning());
    }
    Campaign {
        schema: CAMPAIGN_SCHEMA_ID.into(),
        key: keys[index].clone(),
        source: CampaignSource {
            path: out.source.path.clone(),
            sha256: out.source.sha256.clone(),
            document_index: index,
            documents: docs.len(),
            span: Some(doc.span),
        },
        role: doc.role,
        doc_number: doc.doc_number.as_ref().map(|n| n.value.clone()),
        title: doc.title.as_ref().map(|t| t.value.clone()),
        doc_type: doc.doc_type.clone(),
        issuer: doc.issuer.as_ref().map(|t| t.value.clone()),
        addressees: doc.addressees.iter().map(|a| a.value.clone()).collect(),
        issue_date: doc.issue_date.as_ref().map(|d| d.value.clone()),
        disclosure: doc.disclosure.clone(),
        relays,
        relayed_by,
        supersedes: None,
        no_tasks,
        tasks,
        contacts: doc.contacts.clone(),
        annexes: doc
            .annexes
            .iter()
            .map(|a| AnnexRef {
                index: a.index,
                title: Some(a.title.clone()),
            })
            .collect(),
        warnings,
    }
}

/// The title of annex `index` for document `doc`: from its own 附件 list, else (a relay
/// notice whose deadlines point at the annexes of the original it carries) from the other
/// documents of the same file, in order.
fn annex_title(out: &Output, doc: usize, index: u32) -> Option<String> {
    let find = |d: &Document| {
        d.annexes
            .iter()
            .find(|a| a.index == index)
            .map(|a| a.title.clone())
    };
    find(&out.documents[doc]).or_else(|| {
        out.documents
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != doc)
            .find_map(|(_, d)| find(d))
    })
}

fn no_tasks_warning() -> Warning {
    Warning {
        code: "no-tasks".into(),
        message: "the document yields no task".into(),
        span: None,
    }
}

fn empty_campaign(out: &Output) -> Campaign {
    let mut warnings = out.warnings.clone();
    warnings.push(no_tasks_warning());
    Campaign {
        schema: CAMPAIGN_SCHEMA_ID.into(),
        key: format!("{}#0", out.source.sha256),
        source: CampaignSource {
            path: out.source.path.clone(),
            sha256: out.source.sha256.clone(),
            document_index: 0,
            documents: 0,
            span: None,
        },
        role: Role::Primary,
        doc_number: None,
        title: None,
        doc_type: None,
        issuer: None,
        addressees: Vec::new(),
        issue_date: None,
        disclosure: None,
        relays: Vec::new(),
        relayed_by: Vec::new(),
        supersedes: None,
        no_tasks: true,
        tasks: Vec::new(),
        contacts: Vec::new(),
        annexes: Vec::new(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELAY: &str = "宜春市市场监督管理局文件\n\n宜市市监认发〔2023〕3号\n\n宜春市市场监督管理局转发关于开展认证监督检查工作的通知\n\n各县市区市场监管局：\n\n现将《江西省市场监管局办公室关于开展认证监督检查工作的通知》（赣市监办认监〔2023〕4号）转发给你们，请认真贯彻落实。\n\n宜春市市场监督管理局\n2023年7月20日\n\n江西省市场监督管理局办公室文件\n\n赣市监办认监〔2023〕4号\n\n江西省市场监管局办公室关于开展认证监督检查工作的通知\n\n各设区市市场监管局：\n\n一、工作任务\n\n（一）强制性产品认证监督检查。请于9月10日前报送检查工作总结和统计表（附件1）。\n\n附件：1.强制性产品认证监督检查情况统计表\n\n江西省市场监督管理局办公室\n2023年7月10日\n";

    #[test]
    fn relay_and_original_link_each_other_in_one_file() {
        let out = crate::extract_text("relay.txt", RELAY);
        let cs = campaigns(&out);
        assert_eq!(cs.len(), out.documents.len());
        let relay = cs.iter().find(|c| !c.relays.is_empty());
        let Some(relay) = relay else {
            panic!("a relay campaign: {cs:#?}")
        };
        let original = cs
            .iter()
            .find(|c| c.doc_number.as_deref() == Some("赣市监办认监〔2023〕4号"))
            .expect("the original's campaign");
        assert_eq!(
            relay.relays[0].doc_number.as_deref(),
            Some("赣市监办认监〔2023〕4号")
        );
        assert_eq!(
            relay.relays[0].campaign.as_deref(),
            Some(original.key.as_str())
        );
        assert_eq!(
            original.relayed_by[0].campaign.as_deref(),
            Some(relay.key.as_str())
        );
        assert!(original.key.starts_with("赣市监办认监〔2023〕4号|"));
    }

    #[test]
    fn a_text_without_document_is_one_no_tasks_campaign() {
        let out = crate::extract_text("x.txt", "随便写的一行字。");
        let cs = campaigns(&out);
        assert_eq!(cs.len(), 1);
        assert!(cs[0].no_tasks);
        assert!(cs[0].warnings.iter().any(|w| w.code == "no-tasks"));
    }

    #[test]
    fn idempotency_key_is_ascii_hex() {
        let out = crate::extract_text("relay.txt", RELAY);
        let k = campaigns(&out)[0].idempotency_key();
        assert_eq!(k.len(), 64);
        assert!(k.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
