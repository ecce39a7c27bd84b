//! A signer's private fields (the name when not shown in full, city, affiliation, comment) end to
//! end on both backends: signed and confirmed through the real server and mail, a dump of the
//! database made with its own tools holds none of them in clear (nor an endorsement's contact
//! name; only the public form of the name), while the manage page and the organisers' export
//! show them and the public list never does. Once the campaign's owner has a key of their own
//! (made by Debian's `age-keygen`), they are sealed to it: the server itself cannot open them,
//! and the real `age -d` can, from the database or from the export.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::keys::Keys;
use undersigned_core::{Email, Slug};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::data_key::{count, dump, endorse, follow};
use crate::data_seal::{blob, said, spawn_known, undersigned};
use crate::keys::{age_decrypt, export, keygen, register_and_activate};
use crate::support::TestApp;
use crate::tokens::organiser;

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const MANAGE: &str = "/c/release-cai-guangye/manage";
const ORG: &str = "/organise/c/release-cai-guangye";

/// What the signers typed that only the organisers may read.
const PRIVATE: [&str; 7] = [
    "Hidden Chan Siu Fung",
    "Sham Shui Po",
    "Kwai Chung Dockers",
    "Words for the organisers only",
    "Wong Siu Ming",
    "Tsuen Wan",
    "Container Terminal 9",
];

/// The two signers sign with private fields (each twice, the same choices) and confirm by mail,
/// and an organisation endorses with its contact's name ("Sam Lee") and confirms.
async fn sign_with_private_fields(app: &TestApp, sink: &SmtpSink) {
    let before = count(app).await;
    for (email, display, [name, city, affiliation, comment]) in SIGNERS {
        let fields = [
            ("name", name),
            ("email", email),
            ("country", "HK"),
            ("display", display),
            ("city", city),
            ("affiliation", affiliation),
            ("comment", comment),
        ];
        assert_eq!(app.new_browser().submit(DEMO, SIGN, &fields).await.status, 303);
        // The same choices again (a second click) make no new revision: the first link still confirms.
        assert_eq!(app.new_browser().submit(DEMO, SIGN, &fields).await.status, 303);
        assert_eq!(follow(app, sink, email, 1, "/s/confirm/").await.status, 303, "{email}");
    }
    assert_eq!(count(app).await, before + 2);
    assert_eq!(endorse(app, "office@union.example").await.status, 303);
    assert_eq!(follow(app, sink, "office@union.example", 1, "/e/confirm/").await.status, 200);
}

const SIGNERS: [(&str, &str, [&str; 4]); 2] = [
    ("hidden@signers.example", "hidden", [PRIVATE[0], PRIVATE[1], PRIVATE[2], PRIVATE[3]]),
    ("initial@signers.example", "first-initial", [PRIVATE[4], PRIVATE[5], PRIVATE[6], ""]),
];

async fn a_dump_holds_no_private_field_in_clear(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), sign_rate_limit: Some(0), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    sign_with_private_fields(&app, &sink).await;

    let dump = dump(db);
    assert!(
        dump.contains("Seamen") && !dump.contains("Sam Lee"),
        "the organisation is public, its contact not"
    );
    assert!(dump.contains("Wong M."), "the public form of a first-initial name stays readable");
    for clear in PRIVATE {
        assert!(!dump.contains(clear), "{clear} is in the dump");
    }

    // The public list shows the listed signer as chosen (never a city, affiliation or comment),
    // the hidden one not at all; the signer's own manage page and the owners' export show the rest.
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(list.body.contains("Wong M."), "{}", list.body);
    for private in PRIVATE {
        assert!(!list.body.contains(private), "{private} on the public list");
    }
    app.new_browser().submit(MANAGE, MANAGE, &[("email", "hidden@signers.example")]).await;
    // Two confirmation mails (one per submission), then the manage link.
    let mails = sink.wait_for("hidden@signers.example", 3).await;
    let manage =
        mails.iter().find_map(|m| m.link(&format!("{}/s/manage/", app.base))).expect("a manage link");
    let page = app.get(&app.path_of(&manage)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(PRIVATE[0]), "{}", page.body);
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let csv = owner.submit(ORG, &format!("{ORG}/export.csv"), &[]).await;
    assert_eq!(csv.status, 200);
    for clear in PRIVATE {
        assert!(csv.body.contains(clear), "{clear} is not in the export: {}", csv.body);
    }
    let listed = said(&undersigned(db, &["endorsement", "list"]));
    assert!(listed.contains("contact: Sam Lee <office@union.example>"), "{listed}");
    app.stop().await;
}

/// Signs and confirms with `display`, `name` and `city`.
async fn sign_with(app: &TestApp, sink: &SmtpSink, email: &str, name: &str, display: &str, city: &str) {
    let fields = [("name", name), ("email", email), ("country", "HK"), ("display", display), ("city", city)];
    assert_eq!(app.new_browser().submit(DEMO, SIGN, &fields).await.status, 303);
    assert_eq!(follow(app, sink, email, 1, "/s/confirm/").await.status, 303, "{email}");
}

async fn private_fields_in_clear_are_sealed_by_the_data_seal_command(db: &TestDb) {
    let (app, sink) = spawn_known(db).await;
    let signers = [
        ("hidden@before.example", PRIVATE[0], "hidden"),
        ("initial@before.example", PRIVATE[4], "first-initial"),
    ];
    for (email, name, display) in signers {
        sign_with(&app, &sink, email, name, display, "placeholder").await;
    }
    // As a version before the sealed private fields wrote them: in clear, the full name too.
    let campaign = db.store().await.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await;
    let campaign = campaign.unwrap().unwrap();
    let keys = Keys::new([3; 32]);
    let mut sql = String::new();
    for ((email, name, _), (city, affiliation)) in
        signers.iter().zip([(PRIVATE[1], PRIVATE[2]), (PRIVATE[5], PRIVATE[6])])
    {
        let key = keys.email_key(campaign.id, &Email::parse("email", email).unwrap().canonical());
        sql.push_str(&format!(
            "UPDATE signatures SET name = '{name}', city = '{city}', affiliation = '{affiliation}', comment = NULL,
                 private_sealed = NULL, private_digest = NULL WHERE email_key = {};\n",
            blob(db, &key)
        ));
    }
    db.raw(&sql).await;
    assert!(dump(db).contains(PRIVATE[0]), "in clear before the command");
    // Read meanwhile as they are: the public list shows the public form only.
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(list.body.contains("Wong M.") && !list.body.contains(PRIVATE[0]), "{}", list.body);

    // One row, stopped; then the rest; then nothing.
    let out = undersigned(db, &["data", "seal", "--batch-size", "1", "--limit", "1"]);
    assert_eq!(said(&out), "sealed 1 rows; 1 still in clear: run `undersigned data seal` again");
    let out = undersigned(db, &["data", "seal", "--batch-size", "1"]);
    assert_eq!(said(&out), "sealed 1 rows; none is left in clear");
    assert_eq!(said(&undersigned(db, &["data", "seal"])), "sealed 0 rows; none is left in clear");
    let dump = dump(db);
    assert!(dump.contains("Wong M."));
    for clear in PRIVATE.iter().filter(|c| **c != PRIVATE[3]) {
        assert!(!dump.contains(clear), "{clear} is in the dump");
    }
    // The owners' export still shows them.
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let csv = owner.submit(ORG, &format!("{ORG}/export.csv"), &[]).await;
    for clear in PRIVATE.iter().filter(|c| **c != PRIVATE[3]) {
        assert!(csv.body.contains(clear), "{clear} is not in the export: {}", csv.body);
    }
    assert_eq!(count(&app).await, 15 + 2);
    app.stop().await;
}

/// `base64 -d | age -d -i identity`, as an organiser opens one sealed cell.
fn open_cell(identity: &Path, cell: &str) -> Result<String, String> {
    let mut child = Command::new("base64")
        .arg("-d")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("base64 (coreutils)");
    child.stdin.take().unwrap().write_all(cell.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "a cell is base64: {cell}");
    age_decrypt(identity, &out.stdout).map(|clear| String::from_utf8(clear).unwrap())
}

/// Each signature's stored private fields and the ids of the keys they are sealed to, by address
/// (in the order of `emails`), read from the database directly.
async fn stored(db: &TestDb, column: &str, ids: &str, table: &str) -> Vec<(String, String)> {
    let sealed =
        db.raw_texts(&format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY id")).await;
    let ids =
        db.raw_texts(&format!("SELECT {ids} FROM {table} WHERE {column} IS NOT NULL ORDER BY id")).await;
    sealed.into_iter().zip(ids).collect()
}

/// The base64 age files in a text (an export's `private_sealed` cells).
fn sealed_cells(text: &str) -> Vec<&str> {
    // "age-encryption.org/v1" in base64.
    text.match_indices("YWdlLWVuY3J5cHRpb24ub3JnL3Yx")
        .map(|(at, _)| {
            let rest = &text[at..];
            let end =
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

async fn sealed_to_the_owners_key_only_the_real_age_opens_the_private_fields(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), sign_rate_limit: Some(0), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let store = db.store().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let user = store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id;
    let (identity, public) = keygen(dir.path(), "key.txt");
    let first = register_and_activate(&owner, store.as_ref(), user, &identity, &public).await;
    sign_with_private_fields(&app, &sink).await;

    // (a) A dump holds none of them; what is stored is no data-key value (the server's key, which
    // a dump taken with it would open) but an age file that the owner's key opens, and names it.
    let dump = dump(db);
    assert!(dump.contains("Wong M.") && !dump.contains("Sam Lee"));
    for clear in PRIVATE {
        assert!(!dump.contains(clear), "{clear} is in the dump");
    }
    let rows = stored(db, "private_sealed", "private_key_ids", "signatures").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    for ((sealed, ids), (_, _, [name, city, affiliation, _])) in rows.iter().zip(SIGNERS) {
        assert!(!sealed.starts_with("datakey:"), "{sealed}");
        assert_eq!(ids, &first.to_string());
        let opened = open_cell(&identity, sealed).expect("the owner's key opens the row");
        for clear in [name, city, affiliation] {
            assert!(opened.contains(clear), "{clear} not in {opened}");
        }
    }
    let (other, _) = keygen(dir.path(), "other.txt");
    assert!(open_cell(&other, &rows[0].0).is_err(), "only the owner's key opens it");
    let contacts = stored(db, "contact_name_sealed", "contact_name_key_ids", "endorsements").await;
    assert_eq!(contacts.len(), 1);
    assert!(open_cell(&identity, &contacts[0].0).unwrap().contains("Sam Lee"));

    // The mails greet with the public form only (the hidden signer: without a name).
    for mail in sink.wait_for("hidden@signers.example", 2).await {
        assert!(!mail.text().contains(PRIVATE[0]) && mail.text().starts_with("Hello,"), "{}", mail.text());
    }

    // (b) The export opens with the real age: the rows, and in them cells that open too.
    let (export, _) = export(&owner, &[("emails", "1")]).await;
    let csv = String::from_utf8(age_decrypt(&identity, &export).expect("the export opens")).unwrap();
    assert!(csv.contains("hidden@signers.example") && csv.contains("Wong M."), "{csv}");
    assert!(csv.lines().next().unwrap().contains("private_sealed"), "{csv}");
    let cells = sealed_cells(&csv);
    assert_eq!(cells.len(), 2, "{csv}");
    let opened: Vec<String> = cells.iter().map(|c| open_cell(&identity, c).unwrap()).collect();
    for clear in PRIVATE.iter().filter(|c| !c.is_empty()) {
        assert!(opened.iter().any(|o| o.contains(clear)), "{clear} in no cell: {opened:?}");
    }

    // (c) The public list and the signer's manage page show no private field, and say why; the
    // moderation page names the endorsement's contact by address and says its name is sealed.
    let moderation = owner.get("/organise/c/release-cai-guangye/moderation").await;
    assert_eq!(moderation.status, 200);
    assert!(
        moderation.body.contains("office@union.example")
            && moderation.body.contains("name sealed to the owners’ keys")
            && !moderation.body.contains("Sam Lee"),
        "{}",
        moderation.body
    );
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Wong M."));
    for clear in PRIVATE {
        assert!(!list.body.contains(clear), "{clear} on the public list");
    }
    app.new_browser().submit(MANAGE, MANAGE, &[("email", "initial@signers.example")]).await;
    let mails = sink.wait_for("initial@signers.example", 3).await;
    let manage = mails.iter().find_map(|m| m.link(&format!("{}/s/manage/", app.base))).expect("a link");
    let page = app.get(&app.path_of(&manage)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Wong M.") && page.body.contains("sealed to the organisers"), "{}", page.body);
    for clear in PRIVATE {
        assert!(!page.body.contains(clear), "{clear} on the manage page");
    }
    // The name can be hidden, not shown more than the server knows of it.
    assert!(!page.body.contains("value=\"full\""), "{}", page.body);
    let path = app.path_of(&manage);
    let saved = app.submit(&path, &path, &[("display", "hidden")]).await;
    assert_eq!(saved.status, 303);
    assert_eq!(app.get(&path).await.status, 200);

    // (d) A new key: the next signatures are sealed to it; the rows before keep the first.
    let (identity2, public2) = keygen(dir.path(), "second.txt");
    let second = register_and_activate(&owner, store.as_ref(), user, &identity2, &public2).await;
    let fields = [
        ("name", "Lee Ka Yan"),
        ("email", "later@signers.example"),
        ("country", "HK"),
        ("display", "full"),
        ("city", "Yau Tsim Mong"),
    ];
    assert_eq!(app.new_browser().submit(DEMO, SIGN, &fields).await.status, 303);
    assert_eq!(follow(&app, &sink, "later@signers.example", 1, "/s/confirm/").await.status, 303);
    let rows = stored(db, "private_sealed", "private_key_ids", "signatures").await;
    let ids: Vec<&str> = rows.iter().map(|(_, ids)| ids.as_str()).collect();
    assert_eq!(ids, [first.to_string(), first.to_string(), second.to_string()]);
    assert!(open_cell(&identity2, &rows[2].0).unwrap().contains("Yau Tsim Mong"));
    assert!(open_cell(&identity, &rows[2].0).is_err(), "not to the retired key");
    assert!(open_cell(&identity, &rows[0].0).is_ok(), "the old rows still open with the old key");
    app.stop().await;
}

async fn values_under_the_data_key_are_sealed_again_to_the_owners_key_by_the_data_seal_command(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), sign_rate_limit: Some(0), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    sign_with_private_fields(&app, &sink).await;
    let before = stored(db, "private_sealed", "private_key_ids", "signatures").await;
    assert!(
        before.iter().all(|(sealed, ids)| sealed.starts_with("datakey:") && ids.is_empty()),
        "{before:?}"
    );
    // No key yet: nothing to do.
    assert_eq!(said(&undersigned(db, &["data", "seal"])), "sealed 0 rows; none is left in clear");

    let store = db.store().await;
    let dir = tempfile::tempdir().unwrap();
    let owner = organiser(&app, store.as_ref(), "owner@example.org", Some(Role::Owner), false).await;
    let user = store.user_by_email("owner@example.org").await.unwrap().unwrap().0.id;
    let (identity, public) = keygen(dir.path(), "key.txt");
    let key = register_and_activate(&owner, store.as_ref(), user, &identity, &public).await;

    // One row, stopped; then the rest (a signature and the endorsement's contact); then nothing.
    let out = undersigned(db, &["data", "seal", "--batch-size", "1", "--limit", "1"]);
    // Under the data key is not in clear: the command says what is left as what it is.
    assert_eq!(
        said(&out),
        "sealed 1 rows; none is left in clear; 2 sealed under the data key still to be sealed to the \
         owners' keys: run `undersigned data seal` again"
    );
    let out = undersigned(db, &["data", "seal", "--batch-size", "1"]);
    assert_eq!(said(&out), "sealed 2 rows; none is left in clear");
    assert_eq!(said(&undersigned(db, &["data", "seal"])), "sealed 0 rows; none is left in clear");

    let rows = stored(db, "private_sealed", "private_key_ids", "signatures").await;
    for ((sealed, ids), (_, _, [name, city, _, _])) in rows.iter().zip(SIGNERS) {
        assert_eq!(ids, &key.to_string());
        let opened = open_cell(&identity, sealed).expect("sealed to the owner's key now");
        assert!(opened.contains(name) && opened.contains(city), "{opened}");
    }
    let contacts = stored(db, "contact_name_sealed", "contact_name_key_ids", "endorsements").await;
    assert!(open_cell(&identity, &contacts[0].0).unwrap().contains("Sam Lee"));
    // The server reads what it can and shows the rest sealed: the export, with the real age.
    let (export, _) = export(&owner, &[]).await;
    let csv = String::from_utf8(age_decrypt(&identity, &export).unwrap()).unwrap();
    assert_eq!(sealed_cells(&csv).len(), 2, "{csv}");
    app.stop().await;
}

on_both_backends!(
    sealed_to_the_owners_key_only_the_real_age_opens_the_private_fields,
    values_under_the_data_key_are_sealed_again_to_the_owners_key_by_the_data_seal_command,
    a_dump_holds_no_private_field_in_clear,
    private_fields_in_clear_are_sealed_by_the_data_seal_command
);
