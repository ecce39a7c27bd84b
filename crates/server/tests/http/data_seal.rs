//! An existing database, from before the data key, on both backends: its rows hold addresses and
//! IP hashes in clear, as the previous version wrote them; the server reads them while they are
//! mixed with sealed ones, and `undersigned data seal` seals them in batches, stopped after one
//! and run again, until none is left in clear; every address still gets its mail. The same for
//! what was sealed later: endorsements' contact names, imports' identifiers, the IP hashes of
//! trending alerts and block lists.

use std::process::{Command, Output};

use undersigned::config::Options;
use undersigned_core::account::Role;
use undersigned_core::keys::Keys;
use undersigned_core::store::now;
use undersigned_core::{Email, EndorsementSpec, Endorser, Slug};
use undersigned_smtp_sink::SmtpSink;
use undersigned_store_tests::{Backend, TEST_DATA_KEY, TestDb, on_both_backends};

use crate::data_key::{comment, count, endorse, follow, sign};
use crate::support::TestApp;

const SIGNERS: [&str; 4] =
    ["first@before.example", "second@before.example", "third@before.example", "fourth@before.example"];
const ENDORSER: &str = "office@before-union.example";
const COMMENTER: &str = "reader@before.example";
const IDENTIFIER: &str = "crm:before-1";
const ALERTED: &str = "aaaabbbbccccdddd0000111122223333";
const BLOCKED: &str = "9f86d081884c7d659a2feaa0c55ad015";
const ORG: &str = "/organise/c/release-cai-guangye";

pub fn undersigned(db: &TestDb, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(args)
        .env("UNDERSIGNED_DATABASE", &db.url)
        .env("UNDERSIGNED_DATA_KEY", TEST_DATA_KEY)
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

pub fn said(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Bytes as an SQL literal of the backend.
pub fn blob(db: &TestDb, bytes: &[u8]) -> String {
    match db.backend() {
        Backend::Sqlite => format!("X'{}'", hex::encode(bytes)),
        Backend::Postgres => format!("'\\x{}'::bytea", hex::encode(bytes)),
    }
}

/// The rows whose address or IP hash is in clear, read directly.
async fn in_clear(db: &TestDb) -> usize {
    let mut n = 0;
    for sql in [
        "SELECT email FROM signatures WHERE email LIKE '%@%' OR length(ip_key) = 16",
        "SELECT contact_email FROM endorsements WHERE contact_email LIKE '%@%' OR length(ip_key) = 16",
        "SELECT email FROM commenters WHERE email LIKE '%@%'",
        "SELECT contact_name FROM endorsements WHERE contact_name IS NOT NULL",
        "SELECT identifier FROM imported_identifiers WHERE identifier NOT LIKE 'digest:%'",
        "SELECT shown FROM trend_alerts WHERE kind = 'ip_hash' AND shown_sealed IS NULL",
        "SELECT value FROM block_list WHERE kind = 'ip_hash' AND length(value) = 32",
    ] {
        n += db.raw_texts(sql).await.len();
    }
    n
}

/// The server with its mail sink, its secret key known (`Keys::new([3; 32])`) so that a test can
/// find rows by their email key.
pub async fn spawn_known(db: &TestDb) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start();
    let options = Options {
        smtp_url: Some(sink.url()),
        sign_rate_limit: Some(0),
        secret_key: Some("03".repeat(32)),
        ..Default::default()
    };
    (TestApp::spawn_with(db, options).await, sink)
}

async fn rows_in_clear_are_sealed_by_the_command_in_batches_and_still_get_their_mail(db: &TestDb) {
    let (app, sink) = spawn_known(db).await;
    for email in SIGNERS {
        sign(&app, email, "Signer").await;
        follow(&app, &sink, email, 1, "/s/confirm/").await;
    }
    endorse(&app, ENDORSER).await;
    follow(&app, &sink, ENDORSER, 1, "/e/confirm/").await;
    comment(&app, COMMENTER).await;
    follow(&app, &sink, COMMENTER, 1, "/k/confirm/").await;
    assert_eq!(in_clear(db).await, 0);

    // As the version before the data key wrote them: the address and the IP hash in clear.
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    let keys = Keys::new([3; 32]);
    let mut sql = String::new();
    for email in SIGNERS {
        let key = keys.email_key(campaign.id, &Email::parse("email", email).unwrap().canonical());
        sql.push_str(&format!(
            "UPDATE signatures SET email = '{email}', ip_key = {} WHERE email_key = {};\n",
            blob(db, &[0x42; 16]),
            blob(db, &key)
        ));
    }
    sql.push_str(&format!(
        "UPDATE endorsements SET contact_email = '{ENDORSER}', ip_key = {} WHERE contact_email IS NOT NULL;
         UPDATE commenters SET email = '{COMMENTER}';",
        blob(db, &[0x42; 16])
    ));
    // And as the versions before they were sealed wrote them: an endorsement's contact name, an
    // import's identifier, the IP hash a trending alert named and one on the block list.
    let paper = EndorsementSpec {
        endorser: Endorser::Individuals { count: 1 },
        country: None,
        statement: None,
        source_note: None,
    };
    store.import_offline_endorsement(campaign.id, &paper, &[IDENTIFIER.into()]).await.unwrap();
    let hour = now().unix_timestamp().div_euclid(3600);
    sql.push_str(&format!(
        "UPDATE endorsements SET contact_name = 'Sam Lee', contact_name_sealed = NULL WHERE contact_email IS NOT NULL;
         UPDATE imported_identifiers SET identifier = '{IDENTIFIER}';
         INSERT INTO trend_alerts (campaign_id, kind, shown, hour, count, created_at) VALUES ({id}, 'ip_hash', '{ALERTED}', {hour}, 250, {at});
         INSERT INTO block_list (scope, kind, value) VALUES ({id}, 'ip_hash', '{BLOCKED}');",
        id = campaign.id,
        at = hour * 3600,
    ));
    db.raw(&sql).await;
    assert_eq!(in_clear(db).await, 10);

    // The server reads them meanwhile: a second signature is refused and its signer hears so.
    sign(&app, SIGNERS[0], "Again").await;
    let mails = sink.wait_for(SIGNERS[0], 2).await;
    assert!(mails[1].subject().starts_with("You have already signed"), "{}", mails[1].subject());

    // One batch of two, then stopped.
    let out = undersigned(db, &["data", "seal", "--batch-size", "2", "--limit", "2"]);
    assert_eq!(said(&out), "sealed 2 rows; 8 still in clear: run `undersigned data seal` again");
    assert_eq!(in_clear(db).await, 8);
    // Run again: the rest.
    let out = undersigned(db, &["data", "seal", "--batch-size", "2"]);
    assert_eq!(said(&out), "sealed 8 rows; none is left in clear");
    assert_eq!(in_clear(db).await, 0);
    let out = undersigned(db, &["data", "seal"]);
    assert_eq!(said(&out), "sealed 0 rows; none is left in clear", "idempotent");
    let lower = crate::data_key::dump(db).to_lowercase();
    for email in SIGNERS.iter().chain([&ENDORSER, &COMMENTER]) {
        assert!(!lower.contains(email), "{email} is in the dump");
    }
    for clear in ["sam lee", IDENTIFIER, ALERTED, BLOCKED] {
        assert!(!lower.contains(clear), "{clear} is in the dump");
    }

    // Every address still gets its mail, and the signatures still count once each.
    for email in SIGNERS {
        let before = sink.wait_for(email, 1).await.len();
        sign(&app, email, "Once more").await;
        let mails = sink.wait_for(email, before + 1).await;
        assert_eq!(mails.len(), before + 1, "{email}");
        assert!(mails[before].subject().starts_with("You have already signed"));
    }
    assert_eq!(count(&app).await, 15 + 4 + 1, "the demo's, the four signers', the one imported");
    let listed = said(&undersigned(db, &["endorsement", "list"]));
    assert!(listed.contains(&format!("contact: Sam Lee <{ENDORSER}>")), "{listed}");
    // The identifier still finds its import; the organisers still see the alert's and the list's
    // IP hashes.
    let (_, new) = store.import_offline_endorsement(campaign.id, &paper, &[IDENTIFIER.into()]).await.unwrap();
    assert!(!new, "imported once");
    let owner = app.organiser(db, "owner@example.org", Role::Owner).await;
    assert!(owner.get(ORG).await.body.contains(ALERTED), "the alert's IP hash");
    assert!(owner.get(&format!("{ORG}/defence")).await.body.contains(BLOCKED), "the block list's");
    // A new comment from the commenter goes to the address kept (and sealed) before.
    comment(&app, COMMENTER).await;
    assert_eq!(sink.wait_for(COMMENTER, 2).await.len(), 2);
    app.stop().await;
}

on_both_backends!(rows_in_clear_are_sealed_by_the_command_in_batches_and_still_get_their_mail);
