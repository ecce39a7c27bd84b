//! A signer's private fields (the name when not shown in full, city, affiliation, comment) end to
//! end on both backends: signed and confirmed through the real server and mail, a dump of the
//! database made with its own tools holds none of them in clear (only the public form of the name),
//! while the public list, the manage page and the organisers' export still show what they showed.

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::data_key::{count, dump, follow};
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

    let dump = dump(db);
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
    app.stop().await;
}

on_both_backends!(a_dump_holds_no_private_field_in_clear);
