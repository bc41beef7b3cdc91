//! Outlook `.msg` files from a public corpus read the same as their `.eml` twins
//! (`tests/msg-oracle/`, see its SOURCES.md): the same recipients in the same fields,
//! sender, subject, body and named attachments with the same bytes. The comparison
//! with the outside oracle (`extract_msg`) is `cargo xtask test "msg oracle"`.

use std::path::{Path, PathBuf};

use sendguard_core::{Address, Draft};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/msg-oracle/corpus")
}

fn keys(list: &[Address]) -> Vec<String> {
    list.iter().map(Address::key).collect()
}

/// Named attachments and their bytes (the twins' converter adds the RTF body as an
/// unnamed part, which the `.eml` reader calls `attachment-N`).
fn named(draft: &Draft) -> Vec<(String, Option<Vec<u8>>)> {
    draft
        .attachments
        .iter()
        .filter(|a| {
            !(a.name.starts_with("attachment-")
                && a.name["attachment-".len()..]
                    .bytes()
                    .all(|b| b.is_ascii_digit()))
        })
        .map(|a| (a.name.clone(), a.content.clone()))
        .collect()
}

fn normalized(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_string()
}

#[test]
fn msg_files_read_the_same_as_their_eml_twins() {
    let mut twins = 0;
    let mut recipients = 0;
    let mut attachments = 0;
    for entry in std::fs::read_dir(corpus().join("email-outlook-message")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "msg") {
            continue;
        }
        let twin = path.with_extension("eml");
        let msg = Draft::from_msg(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let eml = Draft::from_eml(&std::fs::read(&twin).unwrap()).unwrap();
        let name = path.display();
        assert_eq!(keys(&msg.to), keys(&eml.to), "{name}: To");
        assert_eq!(keys(&msg.cc), keys(&eml.cc), "{name}: Cc");
        assert_eq!(keys(&msg.bcc), keys(&eml.bcc), "{name}: Bcc");
        assert_eq!(
            msg.from.as_ref().map(Address::key),
            eml.from.as_ref().map(Address::key),
            "{name}: From"
        );
        assert_eq!(msg.subject, eml.subject, "{name}: Subject");
        assert_eq!(normalized(&msg.body), normalized(&eml.body), "{name}: body");
        assert_eq!(named(&msg), named(&eml), "{name}: attachments");
        twins += 1;
        recipients += msg.to.len() + msg.cc.len() + msg.bcc.len();
        attachments += named(&msg).len();
    }
    println!("{twins} twins, {recipients} recipients, {attachments} named attachments equal");
    assert_eq!(twins, 6, "every twin of the corpus compared");
    assert!(attachments >= 1);
}

#[test]
fn every_corpus_msg_reads_and_its_checks_run() {
    let policy = sendguard_core::Policy::default();
    let mut read = 0;
    for directory in std::fs::read_dir(corpus()).unwrap() {
        for entry in std::fs::read_dir(directory.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| ext != "msg") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            assert!(sendguard_core::looks_like_msg(&bytes));
            let draft = Draft::from_msg(&bytes)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let _report = sendguard_core::check(&draft, &policy);
            read += 1;
        }
    }
    assert!(read >= 24, "{read}");
}

#[test]
fn the_200_recipient_message_has_all_200() {
    let bytes = std::fs::read(corpus().join("msgreader/200 recipients.msg")).unwrap();
    let draft = Draft::from_msg(&bytes).unwrap();
    assert_eq!(draft.to.len(), 200);
    assert!(
        draft
            .to
            .iter()
            .all(|a| a.address.ends_with("@xmailserver.test"))
    );
}
