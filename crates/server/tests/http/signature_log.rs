//! The tamper-evident signature list, as a signer and an outside checker meet it, on both
//! backends: the receipt in a real confirmation mail (received by the SMTP sink) verifies on the
//! check page, the thanks page names the entry, checkpoints are signed notes that open with the
//! key `/log/key` serves, proofs as JSON verify, and bad receipts get a clear error.

use undersigned::config::Options;
use undersigned_core::checkpoint::VerifierKey;
use undersigned_core::tlog::{self, Hash};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";

fn unhex(text: &str) -> Hash {
    let bytes: Vec<u8> =
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
    bytes.try_into().unwrap()
}

/// Signs as `email`, confirms through the mail's link; returns the leaf hash the mail's receipt
/// gave and the page the confirmation led to.
async fn sign_and_confirm(app: &TestApp, sink: &SmtpSink, email: &str, name: &str) -> (String, String) {
    let fields = [("name", name), ("email", email), ("country", "HK"), ("display", "first-initial")];
    let signed = app.submit(DEMO, &format!("{DEMO}/sign"), &fields).await;
    assert_eq!(signed.status, 303);
    let mail = sink.one_for(email).await;
    let text = mail.text();
    let leaf = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Leaf hash: "))
        .unwrap_or_else(|| panic!("a receipt in the mail: {text}"))
        .to_owned();
    assert!(text.lines().any(|l| l.trim().starts_with("Salt (")), "{text}");
    let check_url = format!("{}{DEMO}/log/check?leaf={leaf}", app.base);
    assert!(text.contains(&check_url), "{text}");
    assert!(mail.html().contains(&format!("href=\"{check_url}\"")));
    let link = mail.link(&format!("{}/s/confirm/", app.base)).unwrap();
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    let confirmed = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, 303);
    (leaf, confirmed.location().to_owned())
}

async fn a_receipt_from_the_confirmation_mail_verifies(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, Options { smtp_url: Some(sink.url()), ..Options::default() }).await;

    let (leaf, thanks) = sign_and_confirm(&app, &sink, "chan@example.org", "Chan Tai Man").await;
    assert_eq!(thanks, format!("{DEMO}/thanks?leaf=0"));
    let page = app.get(&thanks).await;
    assert!(strip_tags(&page.body).contains("Your signature is entry 0 in the campaign"));

    // The checkpoint: a signed note the instance's key opens.
    let key = app.get("/log/key").await;
    assert_eq!(key.header("content-type"), "text/plain; charset=utf-8");
    let key = VerifierKey::parse(&key.body).unwrap();
    let first = app.get(&format!("{DEMO}/log/checkpoint")).await;
    let checkpoint = key.open(&first.body).unwrap();
    assert_eq!(checkpoint.origin, "127.0.0.1/c/release-cai-guangye");
    assert_eq!(checkpoint.size, 1);
    assert_eq!(checkpoint.root, unhex(&leaf));

    // The check page, without script: a form that GETs, the answer written by the server.
    let checked = app.get(&format!("{DEMO}/log/check?leaf={leaf}")).await;
    assert_eq!(checked.status, 200);
    let said = strip_tags(&checked.body);
    assert!(said.contains("Verified: your signature is entry 0 of the 1 in the log"), "{said}");
    assert!(said.contains("name: Chan M.\ncountry: HK") || said.contains("name: Chan M. country: HK"), "the public form only: {said}");
    assert!(!checked.body.contains("chan@example.org"));

    // A second and third signer; a consistency proof from the first checkpoint to the new one.
    let (second, _) = sign_and_confirm(&app, &sink, "lee@example.org", "Lee Wing").await;
    sign_and_confirm(&app, &sink, "wong@example.org", "Wong Siu Ming").await;
    let later = key.open(&app.get(&format!("{DEMO}/log/checkpoint")).await.body).unwrap();
    assert_eq!(later.size, 3);
    let consistency = app.get(&format!("{DEMO}/log/consistency?from=1&to=3")).await;
    let json: serde_json::Value = serde_json::from_str(&consistency.body).unwrap();
    let proof: Vec<Hash> =
        json["proof"].as_array().unwrap().iter().map(|h| unhex(h.as_str().unwrap())).collect();
    assert!(tlog::verify_consistency(1, 3, &checkpoint.root, &later.root, &proof));
    assert!(!tlog::verify_consistency(1, 3, &[0; 32], &later.root, &proof));

    // An inclusion proof as JSON, by leaf hash.
    let proof = app.get(&format!("{DEMO}/log/proof?leaf={second}")).await;
    let json: serde_json::Value = serde_json::from_str(&proof.body).unwrap();
    assert_eq!((json["index"].as_u64(), json["tree_size"].as_u64()), (Some(1), Some(3)));
    let path: Vec<Hash> =
        json["proof"].as_array().unwrap().iter().map(|h| unhex(h.as_str().unwrap())).collect();
    assert!(tlog::verify_inclusion(&unhex(&second), 1, 3, &path, &later.root));
    assert_eq!(key.open(json["checkpoint"].as_str().unwrap()).unwrap(), later);

    // Bad receipts and bad requests: a clear error, what was typed kept.
    let malformed = app.get(&format!("{DEMO}/log/check?leaf=not-a-hash")).await;
    assert_eq!(malformed.status, 422);
    assert!(malformed.field_error("leaf").unwrap().contains("must be 64 characters"));
    assert_eq!(malformed.input_value("leaf").as_deref(), Some("not-a-hash"));
    let unknown = app.get(&format!("{DEMO}/log/check?leaf={}", "ab".repeat(32))).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.field_error("leaf").unwrap().contains("No entry of this campaign"));
    let bad = app.get(&format!("{DEMO}/log/proof?index=7")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("leaf 7 is not in a tree of 3 leaves"), "{}", bad.body);
    assert_eq!(app.get(&format!("{DEMO}/log/consistency?from=4")).await.status, 400);
    assert_eq!(app.get("/c/no-such-campaign/log/checkpoint").await.status, 404);
}

on_both_backends!(a_receipt_from_the_confirmation_mail_verifies);
