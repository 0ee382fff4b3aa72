//! Explicit assertions of the facts that matter, one notice at a time.

mod common;

use common::*;
use gongwen::spec::Role;

#[test]
fn seed_relay_holds_relay_and_original() {
    let out = corpus("000_6ef2ac40ccdeb165.txt");
    assert_eq!(out.documents.len(), 2);
    let (relay, orig) = (&out.documents[0], &out.documents[1]);
    assert_eq!((relay.role, orig.role), (Role::Primary, Role::Relayed));
    assert_eq!(number(relay), Some("宜市市监认发〔2023〕3号"));
    assert_eq!(number(orig), Some("赣市监办认监〔2023〕4号"));
    let n = orig.doc_number.as_ref().unwrap();
    assert_eq!(
        (n.prefix.as_str(), n.year, n.serial),
        ("赣市监办认监", 2023, 4)
    );
    assert_eq!(relay.issuer.as_ref().unwrap().value, "宜春市市场监督管理局");
    assert_eq!(
        relay.title.as_ref().unwrap().value,
        "宜春市市场监督管理局转发关于开展2023年认证专项监督检查工作的通知"
    );
    assert_eq!(
        addressees(relay),
        ["各县（市、区）市场监督管理局", "直属各分局"]
    );
    assert_eq!(
        addressees(orig),
        ["各设区市、赣江新区市场监管局", "各省直管县（市）市场监管局"]
    );
    assert_eq!(
        relay
            .relays
            .iter()
            .map(|r| r.doc_number.as_str())
            .collect::<Vec<_>>(),
        ["赣市监办认监〔2023〕4号"]
    );
    assert!(
        relay.issue_date.is_none(),
        "the relay has no 成文日期 of its own"
    );
    assert_eq!(orig.issue_date.as_ref().unwrap().value, "2023-05-26");
    assert_eq!(relay.disclosure.as_deref(), Some("主动公开"));
    assert_eq!(orig.disclosure.as_deref(), Some("公开发布"));
    // the original cites 市监认证函〔2023〕83号 (written with a PDF space) but is not it
    assert_eq!(
        orig.references
            .iter()
            .map(|r| r.doc_number.as_str())
            .collect::<Vec<_>>(),
        ["市监认证函〔2023〕83号"]
    );
    assert_eq!(names(relay), ["闵振东", "蔡琍"]);
    assert_eq!(phones(relay), ["0795-7206782"]);
    assert_eq!(names(orig), ["郑明国", "喻靖勇"]);
    assert_eq!(
        phones(orig),
        ["0791-86355635", "0791-86355828"],
        "area code inherited"
    );
    assert_eq!(
        emails(orig),
        ["jxsjrzc@amr.jiangxi.gov.cn"],
        "no trailing period"
    );
    assert!(relay.annexes.is_empty());
    let titles: Vec<_> = orig
        .annexes
        .iter()
        .map(|a| (a.index, a.title.as_str()))
        .collect();
    assert_eq!(
        titles[2],
        (3, "有机产品认证监督检查情况统计表"),
        "the list wins over the body's wording"
    );
    assert_eq!(titles.len(), 5);
    let table = orig.annexes[0].table.as_ref().expect("annex 1 has a table");
    assert!(
        table.columns.iter().any(|c| c.contains("产品名称")),
        "{:?}",
        table.columns
    );
}

#[test]
fn seed_fujian_notice() {
    let out = corpus("003_50dae97726b0998a.txt");
    assert_eq!(out.documents.len(), 1);
    let d = &out.documents[0];
    assert_eq!(number(d), Some("闽市监认证〔2024〕215号"));
    assert_eq!(
        d.title.as_ref().unwrap().value,
        "福建省市场监管局关于开展强制性产品认证监督检查的通知"
    );
    assert_eq!(names(d), ["林洁"]);
    assert_eq!(d.contacts[0].org.as_deref(), Some("省局认证检测处"));
    assert_eq!(emails(d), ["fjrzjc@163.com"]);
    assert_eq!(d.references[0].doc_number, "闽市监认证〔2024〕32号");
    assert!(d.relays.is_empty(), "cited as a basis, not forwarded");
    assert_eq!(d.annexes.len(), 4);
}

#[test]
fn spans_point_at_the_source_text() {
    let path = root().join("corpus/003_50dae97726b0998a.txt");
    let out = extract(&path);
    let text: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
    let d = &out.documents[0];
    let at = |s: gongwen::spec::Span| text[s.0..s.1].iter().collect::<String>();
    assert_eq!(
        at(d.doc_number.as_ref().unwrap().span),
        "闽市监认证〔2024〕215号"
    );
    // the title's source keeps the PDF space the value drops
    assert_eq!(
        at(d.title.as_ref().unwrap().span),
        "福建省市场监管局关于开展 强制性产品认证监督检查的通知"
    );
}

#[test]
fn gb18030_file_is_detected() {
    let out = corpus("f08_nn-edu-canteen-check-gb18030.txt");
    assert_eq!(out.source.encoding.as_deref(), Some("gb18030"));
    assert!(
        names(&out.documents[0]).contains(&"黄䶮"),
        "a name only GB18030 decodes"
    );
}

#[test]
fn chinese_numeral_issue_date() {
    let out = corpus("f02_sc-eco-credit-rules-comment-letter.txt");
    let d = &out.documents[0];
    assert_eq!(d.issue_date.as_ref().unwrap().value, "2022-03-15");
    assert_eq!(d.doc_type.as_deref(), Some("函"));
    assert!(d.doc_number.is_none());
}

#[test]
fn fax_is_kept_apart_from_phones() {
    let out = corpus("f03_bj-chaoyang-food-sampling-bulletin.txt");
    let d = &out.documents[0];
    assert_eq!(d.doc_type.as_deref(), Some("通报"));
    assert_eq!(number(d), Some("朝市监发〔2021〕27号"));
    let fax: Vec<_> = d.contacts.iter().flat_map(|c| c.fax.clone()).collect();
    assert_eq!(fax, ["010-65091238"]);
    assert!(!phones(d).contains(&"010-65091238".to_string()));
    assert!(phones(d).contains(&"13911862457".to_string()));
}

#[test]
fn joint_issuers_are_joined() {
    let out = corpus("f04_gd-hrss-fin-joint-internship-opinion.txt");
    let issuer = &out.documents[0].issuer.as_ref().unwrap().value;
    assert!(
        issuer.contains("广东省人力资源和社会保障厅") && issuer.contains("广东省财政厅"),
        "{issuer}"
    );
}

#[test]
fn relay_of_a_relay_gives_three_documents() {
    let out = corpus("f05_hn-youxian-relay-zhuzhou-relay-mine-flood-check.txt");
    let numbers: Vec<_> = out
        .documents
        .iter()
        .map(|d| number(d).unwrap_or("-"))
        .collect();
    assert_eq!(
        numbers,
        [
            "攸应急发〔2024〕21号",
            "株应急发〔2024〕35号",
            "湘应急〔2024〕52号"
        ]
    );
    assert_eq!(out.documents[1].relays[0].doc_number, "湘应急〔2024〕52号");
}

#[test]
fn issued_rules_follow_their_cover_notice() {
    let out = corpus("f06_ah-amr-issue-lab-spotcheck-measures.txt");
    assert_eq!(out.documents.len(), 2);
    assert_eq!(out.documents[1].role, Role::Relayed);
    assert_eq!(out.documents[1].doc_type.as_deref(), Some("办法"));
}

#[test]
fn single_unnumbered_annex_loses_its_extension() {
    let out = corpus("f09_xa-trade-data-single-xlsx.txt");
    let a = &out.documents[0].annexes;
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].index, 1);
    assert!(!a[0].title.ends_with(".xlsx"), "{}", a[0].title);
}

#[test]
fn web_dump_on_one_line() {
    let out = corpus("f10_fz-web-flood-site-check.txt");
    let d = &out.documents[0];
    assert_eq!(number(d), Some("榕建〔2021〕56号"));
    assert!(d.title.as_ref().unwrap().value.ends_with("的通知"));
    assert_eq!(names(d), ["王文彬"]);
    assert_eq!(phones(d), ["0591-83701234"]);
}

#[test]
fn regression_hotline_is_not_a_contact() {
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n投诉举报电话：23111753，电子邮箱：45288663@qq.com。\n联系人：汪老师021-53950537。",
    );
    let d = &out.documents[0];
    assert_eq!(phones(d), ["021-53950537"]);
    assert!(emails(d).is_empty());
}

#[test]
fn regression_lead_words_are_not_part_of_a_doc_number() {
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n检查要求见省局赣市监办认监〔2023〕4号文件详情。",
    );
    assert_eq!(
        out.documents[0].references[0].doc_number,
        "赣市监办认监〔2023〕4号"
    );
}

#[test]
fn notice_without_header_gives_warnings_not_a_crash() {
    let out = gongwen::extract_text("x.txt", "请各单位认真落实。\n谢谢。");
    assert!(out.warnings.iter().any(|w| w.code == "no-title"));
    assert_spans_inside(&out);
}

#[test]
fn seed_deadlines_ratios_and_periods() {
    let out = corpus("000_6ef2ac40ccdeb165.txt");
    let dates = |d: &gongwen::spec::Document| {
        let mut v: Vec<String> = d
            .tasks
            .iter()
            .flat_map(|t| t.deadlines.iter().filter_map(|x| x.date.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(
        dates(&out.documents[0]),
        ["2023-08-19", "2023-09-09", "2023-09-16", "2023-10-14"]
    );
    assert_eq!(
        dates(&out.documents[1]),
        [
            "2023-08-31",
            "2023-09-10",
            "2023-09-30",
            "2023-10-10",
            "2023-10-31"
        ]
    );
    // 9月10日前报送…统计表（附件1）
    let links: Vec<(String, u32)> = out.documents[1]
        .tasks
        .iter()
        .flat_map(|t| {
            t.deadlines
                .iter()
                .flat_map(|d| d.annexes.iter().map(move |a| (d.date.clone().unwrap(), *a)))
        })
        .collect();
    assert!(links.contains(&("2023-09-10".into(), 1)));
    assert!(links.contains(&("2023-10-10".into(), 5)));
    let ratios: Vec<(f64, Vec<String>)> = out.documents[1]
        .tasks
        .iter()
        .flat_map(|t| t.ratios.iter().map(|r| (r.value, r.regions.clone())))
        .collect();
    assert!(ratios.contains(&(0.1, vec!["其他".to_string()])));
    assert!(ratios.contains(&(0.3, vec!["赣州".to_string()])));
    assert!(ratios.iter().any(|(v, r)| *v == 0.05 && r.len() == 7));
    // 2022 年底前注册的 (a condition) and 数据截至2023年6月30日 (a cutoff) are not deadlines
    assert!(!dates(&out.documents[1]).contains(&"2022-12-31".to_string()));
    assert!(!dates(&out.documents[1]).contains(&"2023-06-30".to_string()));

    let out = corpus("003_50dae97726b0998a.txt");
    let periods: Vec<_> = out.documents[0]
        .tasks
        .iter()
        .filter_map(|t| t.period.clone())
        .collect();
    assert_eq!(periods.len(), 1);
    assert_eq!(
        (periods[0].start.as_deref(), periods[0].end.as_deref()),
        (Some("2024-08-01"), Some("2024-11-30"))
    );
}

#[test]
fn regression_hotline_number_inside_a_phone_number() {
    // 010-2123150 contains 12315 (the consumer hotline); it must not hide the next number
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n联系人：张三，联系电话：010-2123150，3000000。",
    );
    assert_eq!(phones(&out.documents[0]), ["010-2123150", "010-3000000"]);
}

/// A flattened dump with no spaces at all (OCR/PDF text put on one line) holding a cover
/// letter, the 印发 notice it carries and the 方案 that notice issues: broke nothing apart
/// before, so every date after the first document landed in the wrong one.
#[test]
fn dense_one_line_dump_splits_into_its_documents() {
    let text = "福建省商务厅福建省商务厅关于征求《关于印发<2024年度家电以旧换新工作方案>的通知》意见的函省发展改革委、省财政厅、省市场监管局:为做好2024年度家电以旧换新工作，我们起草了《2024年度家电以旧换新工作方案》，现征求贵单位意见。请于6月10日前将意见反馈我厅。联系人:张三，联系电话:0591-87654321。福建省商务厅2024年6月3日福建省以旧换新工作领导小组办公室关于印发《2024年度家电以旧换新工作方案》的通知各设区市商务局，平潭综合实验区经济发展局:现将《2024年度家电以旧换新工作方案》印发给你们，请认真贯彻执行。福建省以旧换新工作领导小组办公室2024年6月日2024年度家电以旧换新工作方案为扩大消费，制定本方案。一、工作目标(一)补贴范围。各地9月30日前完成首批补贴发放，10月31日前报送工作总结。附件:工作情况统计表";
    let out = gongwen::extract_text("dense.txt", text);
    let titles: Vec<&str> = out
        .documents
        .iter()
        .filter_map(|d| d.title.as_ref().map(|t| t.value.as_str()))
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[0].ends_with("意见的函"), "{titles:?}");
    assert!(titles[1].ends_with("的通知"), "{titles:?}");
    assert_eq!(titles[2], "2024年度家电以旧换新工作方案");
    let first = &out.documents[0];
    assert_eq!(first.issue_date.as_ref().unwrap().value, "2024-06-03");
    assert_eq!(first.addressees.len(), 1, "one 、-list of three offices");
    let dates = |d: &gongwen::spec::Document| -> Vec<String> {
        d.tasks
            .iter()
            .flat_map(|t| &t.deadlines)
            .filter_map(|x| x.date.clone())
            .collect()
    };
    assert_eq!(dates(first), ["2024-06-10"]);
    assert_eq!(dates(&out.documents[2]), ["2024-09-30", "2024-10-31"]);
    assert_eq!(out.documents[2].annexes[0].title, "工作情况统计表");
}

/// 201: the person whose mailbox material goes to was named only inside the sentence
/// (`报送至区市场监管局林欢旧OA邮箱`), with no 联系人 label, and was lost.
#[test]
fn recipient_named_inside_a_sentence_is_a_contact() {
    let out = gongwen::extract_text(
        "r.txt",
        "关于报送抽查计划的通知\n各成员单位：\n请于1月28日前将抽查计划盖章报送至区市场监管局林欢旧OA邮箱。材料发送至省局认证处邮箱。\n\n某某局\n2022年1月10日\n",
    );
    let names: Vec<&str> = out.documents[0]
        .contacts
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect();
    assert_eq!(names, ["林欢"]);
    assert_eq!(
        out.documents[0].contacts[0].org.as_deref(),
        Some("区市场监管局")
    );
}

#[test]
fn regression_url_encoding_is_not_a_ratio() {
    // a download link a PDF wrapped, so it is not stripped as markdown: `%E9%99%84` held
    // `99%` and `84%`, read as ratios
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n一、抽查比例不低于5%。\n附件：https://x.gov.cn/download?fileName=%E9%99%84%E4%BB%B61.docx\n",
    );
    let ratios: Vec<f64> = out.documents[0]
        .tasks
        .iter()
        .flat_map(|t| t.ratios.iter().map(|r| r.value))
        .collect();
    assert_eq!(ratios, [0.05]);
}

#[test]
fn regression_title_wrapped_before_its_own_doc_type() {
    // a relay title whose cited title ends `…的通知》` at a line end, and whose own `的通知`
    // wrapped onto the next line: the tail belongs to the title
    let out = gongwen::extract_text(
        "x.pdf.txt",
        "攸县应急管理局文件\n攸应急发〔2024〕21号\n攸县应急管理局关于转发《株洲市应急管理局关于转发〈湖南省\n应急管理厅关于开展2024年非煤矿山汛期安全专项检查的通知〉的通知》\n的通知\n各乡镇人民政府：\n现将文件转发给你们，请认真贯彻执行。\n",
    );
    let title = &out.documents[0].title.as_ref().unwrap().value;
    assert!(
        title.starts_with("攸县应急管理局关于转发《株洲市"),
        "{title}"
    );
    assert!(title.ends_with("检查的通知〉的通知》的通知"), "{title}");
}

#[test]
fn regression_region_list_after_a_list_of_products() {
    // OCR dropped the comma between the lead-in and the places (`为重点，杭州、…`), and the
    // clause lists products with 、 before the places: the places are still the ratio's
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n（一）消防产品。以火灾报警产品、灭火器、消防水带等获证生产企业为重点杭州、宁波、温州、金华抽查比例不低于辖区获证组织的20%，其他地区不低于30%。\n",
    );
    let ratios: Vec<(f64, Vec<String>)> = out.documents[0]
        .tasks
        .iter()
        .flat_map(|t| t.ratios.iter().map(|r| (r.value, r.regions.clone())))
        .collect();
    assert_eq!(ratios[0].1, ["杭州", "宁波", "温州", "金华"]);
    assert_eq!(ratios[1].1, ["其他"]);
}

#[test]
fn regression_mailbox_domain_read_in_capitals() {
    // a scan read `163.Com`: a domain is case-insensitive and written in lower case
    let out = gongwen::extract_text(
        "x.txt",
        "关于开展检查的通知\n各有关单位：\n联系人：李明，邮箱：nnjytwyk@163.Com。\n",
    );
    assert_eq!(out.documents[0].contacts[0].emails, ["nnjytwyk@163.com"]);
}
