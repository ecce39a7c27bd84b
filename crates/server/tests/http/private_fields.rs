//! A signer's private fields (the name when not shown in full, city, affiliation, comment) end to
//! end on both backends: signed and confirmed through the real server and mail, a dump of the
//! database made with its own tools holds none of them in clear (nor an endorsement's contact name) (only the public form of the name),
//! while the public list, the manage page and the organisers' export still show what they showed.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::keys::Keys;
use undersigned_core::{Email, Slug};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::data_key::{count, dump, endorse, follow};
use crate::data_seal::{blob, said, spawn_known, undersigned};
use crate::support::TestApp;

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

async fn a_dump_holds_no_private_field_in_clear(db: &TestDb) {
    let sink = SmtpSink::start();
    let options = Options { smtp_url: Some(sink.url()), sign_rate_limit: Some(0), ..Default::default() };
    let app = TestApp::spawn_with(db, options).await;
    let before = count(&app).await;
    let signers = [
        ("hidden@signers.example", "hidden", [PRIVATE[0], PRIVATE[1], PRIVATE[2], PRIVATE[3]]),
        ("initial@signers.example", "first-initial", [PRIVATE[4], PRIVATE[5], PRIVATE[6], ""]),
    ];
    for (email, display, [name, city, affiliation, comment]) in signers {
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
        assert_eq!(follow(&app, &sink, email, 1, "/s/confirm/").await.status, 303, "{email}");
    }
    assert_eq!(count(&app).await, before + 2);
    // An endorsement's contact name is private too ("Sam Lee").
    assert_eq!(endorse(&app, "office@union.example").await.status, 303);
    assert_eq!(follow(&app, &sink, "office@union.example", 1, "/e/confirm/").await.status, 200);

    let dump = dump(db);
    assert!(
        dump.contains("Seamen") && !dump.contains("Sam Lee"),
        "the organisation is public, its contact not"
    );
    assert!(dump.contains("Wong M."), "the public form of a first-initial name stays readable");
    for clear in PRIVATE {
        assert!(!dump.contains(clear), "{clear} is in the dump");
    }

    // What people see is unchanged: the public list shows the listed signer as chosen, the hidden
    // one not at all; the signer's own manage page and the owners' export show the rest.
    let list = app.get(&format!("{DEMO}/signatures")).await;
    assert!(list.body.contains("Wong M.") && !list.body.contains(PRIVATE[4]), "{}", list.body);
    assert!(!list.body.contains(PRIVATE[0]) && !list.body.contains(PRIVATE[3]));
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

on_both_backends!(
    a_dump_holds_no_private_field_in_clear,
    private_fields_in_clear_are_sealed_by_the_data_seal_command
);
