//! Reminders and bounces (issue 16), on both backends, through the real server and the SMTP sink:
//! a campaign that asks for it reminds a signer who has not confirmed, once, after the delay
//! (`--remind-after-seconds`), never beyond the address's mail budget, with a link that still
//! confirms; a recipient the relay refuses for good (550) is marked undeliverable, no later mail
//! of any kind is offered to it, and the dashboard counts its signers.

use std::time::Duration;

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{TestApp, strip_tags};

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const SETTINGS: &str = "/organise/c/release-cai-guangye/edit";
const ORG: &str = "/organise/c/release-cai-guangye";

async fn sign(app: &TestApp, email: &str) -> u16 {
    let fields = [("name", "Chan Tai Man"), ("email", email), ("country", "HK"), ("display", "full")];
    app.submit(DEMO, SIGN, &fields).await.status
}

/// The settings form as it is, with the reminders' box as chosen.
async fn set_reminders(app: &TestApp, db: &TestDb, on: bool) {
    let owner = app.organiser(db, &format!("owner-{on}@example.org"), Role::Owner).await;
    let mut fields = vec![
        ("contact_name", "Lam"),
        ("contact_email", "solidarity@example.org"),
        ("signature_goal", "5000"),
        ("dated", "2004-02-10"),
        ("default_lang", "en"),
    ];
    if on {
        fields.push(("remind_unconfirmed", "yes"));
    }
    let saved = owner.submit(SETTINGS, SETTINGS, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = owner.get(SETTINGS).await;
    assert_eq!(page.body.contains("name=\"remind_unconfirmed\" value=\"yes\" checked"), on, "{}", page.body);
}

fn options(sink: &SmtpSink, remind_after: u64) -> Options {
    Options {
        smtp_url: Some(sink.url()),
        remind_after_seconds: Some(remind_after),
        mail_retry_seconds: Some(1),
        smtp_timeout_seconds: Some(2),
        ..Default::default()
    }
}

async fn a_signer_who_has_not_confirmed_is_reminded_once_within_the_budget(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, options(&sink, 2)).await;
    assert_eq!(sign(&app, "late@example.org").await, 303);
    sink.one_for("late@example.org").await;
    // Off by default: nobody is reminded.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(sink.wait_for("late@example.org", 2).await.len(), 1, "no reminder unless asked for");

    set_reminders(&app, db, true).await;
    // Three mails in a day is the budget: this address has had them (signing three times).
    for _ in 0..3 {
        assert_eq!(sign(&app, "busy@example.org").await, 303);
    }
    assert_eq!(sink.wait_for("busy@example.org", 3).await.len(), 3);
    assert_eq!(sign(&app, "early@example.org").await, 303);
    sink.one_for("early@example.org").await;

    // After the delay (2 s here): one reminder, in the signer's language, whose link confirms.
    let mails = sink.wait_for("early@example.org", 2).await;
    assert_eq!(mails.len(), 2, "a reminder after the delay");
    let reminder = &mails[1];
    assert!(
        reminder.subject().starts_with("Reminder: please confirm your signature"),
        "{}",
        reminder.subject()
    );
    assert!(
        reminder.text().contains("your signature is not counted until you confirm it"),
        "{}",
        reminder.text()
    );
    let late = sink.wait_for("late@example.org", 2).await;
    assert_eq!(late.len(), 2, "the one who signed before it was turned on, too (within the window)");
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(sink.wait_for("early@example.org", 3).await.len(), 2, "never a second reminder");
    assert_eq!(sink.wait_for("busy@example.org", 4).await.len(), 3, "never beyond the budget");

    let link = reminder.link(&format!("{}/s/confirm/", app.base)).expect("the confirmation link");
    let path = app.path_of(&link);
    let page = app.get(&path).await;
    let confirmed = app.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, 303);
    assert!(confirmed.location().starts_with("/c/release-cai-guangye/thanks"), "{}", confirmed.location());
    let reminded =
        db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM signatures WHERE reminded_at IS NOT NULL").await;
    assert_eq!(reminded, ["2"]);
    app.stop().await;
}

async fn a_recipient_refused_for_good_is_not_mailed_again_and_counted(db: &TestDb) {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with(db, options(&sink, 86_400)).await;
    let bounce = "gone@example.org";
    sink.refuse_recipient(bounce, true);
    assert_eq!(sign(&app, bounce).await, 303);
    assert_eq!(sign(&app, "fine@example.org").await, 303);
    sink.one_for("fine@example.org").await;
    let store = db.store().await;
    let mut failed = Vec::new();
    for _ in 0..100 {
        failed = store.failed_mail(10).await.unwrap();
        if !failed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed[0].error.as_deref(), Some("550 permanent, recipient"));
    assert_eq!(sink.tried(bounce), 1);
    let marks = db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM undeliverable_addresses").await;
    assert_eq!(marks, ["1"]);
    let kept = db.raw_texts("SELECT CAST(length(address_key) AS TEXT) FROM undeliverable_addresses").await;
    assert_eq!(kept, ["16"], "a keyed hash, not the address");

    // The dashboard counts the campaign's signers whose address cannot be reached.
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    let dashboard = strip_tags(&owner.get(ORG).await.body);
    assert!(dashboard.contains("One signer’s address cannot be reached"), "{dashboard}");

    // Signing again (a mail of its own: the confirmation again), the relay accepting it by now:
    // nothing is offered to the address. Nor any other kind of mail (the manage link).
    sink.refuse_recipient(bounce, false);
    assert_eq!(sign(&app, bounce).await, 303);
    let manage = app.submit(&format!("{DEMO}/manage"), &format!("{DEMO}/manage"), &[("email", bounce)]).await;
    assert!(manage.status < 400, "{}", manage.status);
    assert_eq!(sign(&app, "after@example.org").await, 303);
    sink.one_for("after@example.org").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.tried(bounce), 1, "not offered again");
    assert!(sink.wait_for(bounce, 1).await.is_empty());
    let given_up = store.failed_mail(10).await.unwrap();
    assert!(
        given_up.iter().any(|m| m.error.as_deref() == Some("undeliverable address (not sent)")),
        "{given_up:?}"
    );
    app.stop().await;
}

on_both_backends!(
    a_signer_who_has_not_confirmed_is_reminded_once_within_the_budget,
    a_recipient_refused_for_good_is_not_mailed_again_and_counted,
);
