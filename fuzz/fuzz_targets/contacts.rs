//! Contacts (names, phones with inherited area codes, fax, mailboxes) on arbitrary text
//! placed in a notice's 联系人 block.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let notice = format!("关于开展检查的通知\n各有关单位：\n联系人：{text}\n联系电话：{text}\n传真：{text}\n");
    let _ = gongwen::extract_text("fuzz.txt", &notice);
});
