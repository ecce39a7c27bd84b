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

    // The demo's seven endorsements are the log's first entries (0 to 6).
    let (leaf, thanks) = sign_and_confirm(&app, &sink, "chan@example.org", "Chan Tai Man").await;
    assert_eq!(thanks, format!("{DEMO}/thanks?leaf=7"));
    let page = app.get(&thanks).await;
    assert!(strip_tags(&page.body).contains("Your signature is entry 7 in the campaign"));

    // The checkpoint: a signed note the instance's key opens.
    let key = app.get("/log/key").await;
    assert_eq!(key.header("content-type"), "text/plain; charset=utf-8");
    let key = VerifierKey::parse(&key.body).unwrap();
    let first = app.get(&format!("{DEMO}/log/checkpoint")).await;
    let checkpoint = key.open(&first.body).unwrap();
    assert_eq!(checkpoint.origin, "127.0.0.1/c/release-cai-guangye");
    assert_eq!(checkpoint.size, 8);
    let proof = app.get(&format!("{DEMO}/log/proof?leaf={leaf}")).await;
    let json: serde_json::Value = serde_json::from_str(&proof.body).unwrap();
    let path: Vec<Hash> =
        json["proof"].as_array().unwrap().iter().map(|h| unhex(h.as_str().unwrap())).collect();
    assert!(tlog::verify_inclusion(&unhex(&leaf), 7, 8, &path, &checkpoint.root));

    // The check page, without script: a form that GETs, the answer written by the server.
    let checked = app.get(&format!("{DEMO}/log/check?leaf={leaf}")).await;
    assert_eq!(checked.status, 200);
    let said = strip_tags(&checked.body);
    assert!(said.contains("Verified: your signature is entry 7 of the 8 in the log"), "{said}");
    assert!(
        said.contains("name: Chan M.\ncountry: HK") || said.contains("name: Chan M. country: HK"),
        "the public form only: {said}"
    );
    assert!(!checked.body.contains("chan@example.org"));

    // A second and third signer; a consistency proof from the first checkpoint to the new one.
    let (second, _) = sign_and_confirm(&app, &sink, "lee@example.org", "Lee Wing").await;
    sign_and_confirm(&app, &sink, "wong@example.org", "Wong Siu Ming").await;
    let later = key.open(&app.get(&format!("{DEMO}/log/checkpoint")).await.body).unwrap();
    assert_eq!(later.size, 10);
    let consistency = app.get(&format!("{DEMO}/log/consistency?from=8&to=10")).await;
    let json: serde_json::Value = serde_json::from_str(&consistency.body).unwrap();
    let proof: Vec<Hash> =
        json["proof"].as_array().unwrap().iter().map(|h| unhex(h.as_str().unwrap())).collect();
    assert!(tlog::verify_consistency(8, 10, &checkpoint.root, &later.root, &proof));
    assert!(!tlog::verify_consistency(8, 10, &[0; 32], &later.root, &proof));

    // An inclusion proof as JSON, by leaf hash.
    let proof = app.get(&format!("{DEMO}/log/proof?leaf={second}")).await;
    let json: serde_json::Value = serde_json::from_str(&proof.body).unwrap();
    assert_eq!((json["index"].as_u64(), json["tree_size"].as_u64()), (Some(8), Some(10)));
    let path: Vec<Hash> =
        json["proof"].as_array().unwrap().iter().map(|h| unhex(h.as_str().unwrap())).collect();
    assert!(tlog::verify_inclusion(&unhex(&second), 8, 10, &path, &later.root));
    assert_eq!(key.open(json["checkpoint"].as_str().unwrap()).unwrap(), later);

    // Bad receipts and bad requests: a clear error, what was typed kept.
    let malformed = app.get(&format!("{DEMO}/log/check?leaf=not-a-hash")).await;
    assert_eq!(malformed.status, 422);
    assert!(malformed.field_error("leaf").unwrap().contains("must be 64 characters"));
    assert_eq!(malformed.input_value("leaf").as_deref(), Some("not-a-hash"));
    let unknown = app.get(&format!("{DEMO}/log/check?leaf={}", "ab".repeat(32))).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.field_error("leaf").unwrap().contains("No entry of this campaign"));
    let bad = app.get(&format!("{DEMO}/log/proof?index=17")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("leaf 17 is not in a tree of 10 leaves"), "{}", bad.body);
    assert_eq!(app.get(&format!("{DEMO}/log/consistency?from=11")).await.status, 400);
    assert_eq!(app.get("/c/no-such-campaign/log/checkpoint").await.status, 404);
}

on_both_backends!(a_receipt_from_the_confirmation_mail_verifies);

mod tampering {
    //! `undersigned verify` on an export: it passes on an honest one and fails, naming what,
    //! when one row of the database (a signature, an endorsement, a leaf) was changed, deleted or
    //! inserted by hand (SQL straight into the database, not through the application).

    use undersigned_core::account::Role;
    use undersigned_core::clock::now;
    use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
    use undersigned_core::tlog;
    use undersigned_core::{EndorsementSpec, OrganisationType, Slug};
    use undersigned_store_tests::conformance::{endorsement, record};
    use undersigned_store_tests::{TestDb, on_both_backends};

    use crate::support::TestApp;

    const ORG: &str = "/organise/c/release-cai-guangye";
    const PASSWORD: &str = "a long enough password";

    async fn sql(db: &TestDb, statement: &str) {
        if db.url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(statement).execute(&pool).await.unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(statement).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }

    /// Exports (with addresses) and verifies with the site's key: the verdict.
    async fn verdict(app: &TestApp, key: &str) -> Result<String, String> {
        let csv = app.submit(ORG, &format!("{ORG}/export.csv"), &[("emails", "1")]).await;
        assert_eq!(csv.status, 200);
        let file = app.data_dir.path().join("export.csv");
        std::fs::write(&file, &csv.body).unwrap();
        undersigned::commands::verify::run(&file, Some(key)).map_err(|e| format!("{e:#}"))
    }

    async fn verify_passes_on_an_honest_export_and_fails_on_any_row_changed_by_hand(db: &TestDb) {
        let app = TestApp::spawn(db).await;
        let store = db.store().await;
        let campaign = store
            .campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap())
            .await
            .unwrap()
            .unwrap()
            .id;
        let (_, user) =
            undersigned::add_user(store.as_ref(), "owner@example.org", None, false, PASSWORD).await.unwrap();
        store.set_role(campaign, user, Some(Role::Owner)).await.unwrap();
        let login = [("email", "owner@example.org"), ("password", PASSWORD), ("next", ORG)];
        app.submit("/login", "/login", &login).await;
        let mut ids = Vec::new();
        for i in 0..20 {
            let r = record(
                campaign,
                &format!("s{i}@example.org"),
                &format!("Signer Number{i}"),
                NameDisplay::Full,
            );
            let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
                panic!()
            };
            store.confirm_signature(id, now()).await.unwrap();
            ids.push(id);
        }
        assert!(store.withdraw_signature(ids[19]).await.unwrap(), "a withdrawal: a revoking leaf");
        let fraud = undersigned_core::moderation::SignatureFilter {
            signature_id: Some(ids[18]),
            ..Default::default()
        };
        store.invalidate(campaign, &fraud, "owner@example.org", now()).await.unwrap();
        // Endorsements: the demo's seven (leaves 0 to 6, listed when it was loaded), one entered
        // from a letter (leaf 29) and one sent through the form, confirmed and approved (leaf 30).
        let letter = EndorsementSpec {
            endorser: EndorsementSpec::organisation("Dockers' Union", OrganisationType::TradeUnion, None)
                .unwrap(),
            country: Some("GB".into()),
            statement: None,
            source_note: Some("by letter".into()),
        };
        let entered = store.add_offline_endorsement(campaign, &letter).await.unwrap();
        let mut sent = endorsement(campaign, "office@seamen.example");
        sent.spec.statement = Some("We stand with them.".into());
        let online = store.request_endorsement(&sent).await.unwrap();
        store.verify_endorsement(online, now()).await.unwrap();
        store.decide_endorsement(online, true, None, now()).await.unwrap();
        let key = app.get("/log/key").await.body;

        let honest = verdict(&app, &key).await.unwrap();
        assert!(honest.starts_with("OK: 31 leaves of the log 127.0.0.1/c/release-cai-guangye"), "{honest}");
        // The delivery document prints the checkpoint and the key.
        let doc = app.submit(ORG, &format!("{ORG}/delivery/en"), &[]).await;
        assert!(
            doc.body.contains("<pre class=\"log-checkpoint\">127.0.0.1/c/release-cai-guangye\n31\n"),
            "{}",
            doc.body
        );
        assert!(doc.body.contains(&format!("<code>{}</code>", key.trim())));

        let fails = |expected: &'static str| {
            move |verdict: Result<String, String>| {
                let error = verdict.expect_err("a row changed by hand is found");
                assert!(error.contains(expected), "expected {expected:?} in: {error}");
            }
        };
        let id = ids[16];
        // Changed: the country, the name, the address of a signature; a leaf's record.
        sql(db, &format!("UPDATE signatures SET country = 'TW' WHERE id = {id}")).await;
        fails("row 17 (leaf 23) does not match the log: the country differs")(verdict(&app, &key).await);
        sql(db, &format!("UPDATE signatures SET country = 'HK', name = 'Someone Else' WHERE id = {id}"))
            .await;
        fails("row 17 (leaf 23) does not match the log: the public name differs")(verdict(&app, &key).await);
        sql(
            db,
            &format!(
                "UPDATE signatures SET name = 'Signer Number16', email = 'x@example.org' WHERE id = {id}"
            ),
        )
        .await;
        fails("row 17 (leaf 23) does not match the log: the email address differs")(
            verdict(&app, &key).await,
        );
        sql(db, &format!("UPDATE signatures SET email = 's16@example.org' WHERE id = {id}")).await;
        assert!(verdict(&app, &key).await.is_ok(), "put back, it verifies again");

        let original = store.log_leaves(campaign, 12, 1).await.unwrap().remove(0);
        sql(db, "UPDATE signature_log_leaves SET record = replace(record, 'HK', 'TW') WHERE idx = 12").await;
        fails("row 6 (leaf 12) does not match the log: its record does not hash")(verdict(&app, &key).await);
        // The record and its hash changed together: the row tells, and with the row changed too,
        // the root.
        let forged = store.log_leaves(campaign, 12, 1).await.unwrap().remove(0);
        let set_hash = |hash: tlog::Hash| {
            let hash: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            match db.url.starts_with("sqlite") {
                true => format!("UPDATE signature_log_leaves SET hash = unhex('{hash}') WHERE idx = 12"),
                false => {
                    format!("UPDATE signature_log_leaves SET hash = decode('{hash}', 'hex') WHERE idx = 12")
                }
            }
        };
        sql(db, &set_hash(tlog::leaf_hash(forged.record.as_bytes()))).await;
        fails("row 6 (leaf 12) does not match the log: the country differs")(verdict(&app, &key).await);
        sql(db, &format!("UPDATE signatures SET country = 'TW' WHERE id = {}", ids[5])).await;
        fails("the leaves do not make the checkpoint's root")(verdict(&app, &key).await);
        sql(db, "UPDATE signature_log_leaves SET record = replace(record, 'TW', 'HK') WHERE idx = 12").await;
        sql(db, &set_hash(original.hash)).await;
        sql(db, &format!("UPDATE signatures SET country = 'HK' WHERE id = {}", ids[5])).await;
        assert!(verdict(&app, &key).await.is_ok(), "put back, it verifies again");

        // Inserted: a confirmed signature with no leaf; a leaf the signed tree does not hold.
        let random = if db.url.starts_with("sqlite") {
            "randomblob(16)"
        } else {
            "decode(md5(random()::text), 'hex')"
        };
        sql(db, &format!(
            "INSERT INTO signatures (campaign_id, email_key, email, name, country, display, opt_in, lang, status, mails_sent, mail_window_start, created_at, confirmed_at, version_lang)
             SELECT campaign_id, {random}, 'forged@example.org', 'Forged Signer', country, display, opt_in, lang, status, mails_sent, mail_window_start, created_at, confirmed_at, version_lang
             FROM signatures WHERE id = {}", ids[2]
        ))
        .await;
        fails("row 4: this signature has no leaf in the log")(verdict(&app, &key).await);
        sql(db, "DELETE FROM signatures WHERE email = 'forged@example.org'").await;
        sql(db, "INSERT INTO signature_log_leaves (campaign_id, idx, hash, record) SELECT campaign_id, 31, hash, record FROM signature_log_leaves WHERE idx = 7").await;
        fails("(leaf 31) is not covered by the checkpoint, of 31 leaves")(verdict(&app, &key).await);
        sql(db, "DELETE FROM signature_log_leaves WHERE idx = 31").await;
        assert!(verdict(&app, &key).await.is_ok(), "put back, it verifies again");

        // Endorsements (rows 19 to 27, after the 18 signatures: the demo's seven, then the letter's,
        // then the form's). Changed: a name, a number of individuals, a statement.
        sql(db, &format!("UPDATE endorsements SET name = 'Another Union' WHERE id = {entered}")).await;
        fails("row 26 (leaf 29) does not match the log: the name differs")(verdict(&app, &key).await);
        sql(db, &format!("UPDATE endorsements SET name = 'Dockers'' Union' WHERE id = {entered}")).await;
        sql(db, "UPDATE endorsements SET individuals = 150 WHERE individuals = 15").await;
        fails("row 24 (leaf 5) does not match the log: the number of individuals differs")(
            verdict(&app, &key).await,
        );
        sql(db, "UPDATE endorsements SET individuals = 15 WHERE individuals = 150").await;
        sql(db, &format!("UPDATE endorsements SET statement = 'We never said so.' WHERE id = {online}"))
            .await;
        fails("row 27 (leaf 30) does not match the log: the statement differs")(verdict(&app, &key).await);
        sql(db, &format!("UPDATE endorsements SET statement = 'We stand with them.' WHERE id = {online}"))
            .await;
        assert!(verdict(&app, &key).await.is_ok(), "put back, it verifies again");
        // Inserted: an endorsement the log never listed.
        sql(db, &format!(
            "INSERT INTO endorsements (campaign_id, kind, name, org_type, country, offline, from_file, status, created_at)
             SELECT campaign_id, kind, 'Forged Union', org_type, country, offline, from_file, status, created_at
             FROM endorsements WHERE id = {entered}"
        ))
        .await;
        fails("row 28: this endorsement has no leaf in the log")(verdict(&app, &key).await);
        sql(db, "DELETE FROM endorsements WHERE name = 'Forged Union'").await;
        assert!(verdict(&app, &key).await.is_ok(), "put back, it verifies again");

        // Deleted: a signature (its leaf stays, revoked by nothing); a leaf.
        sql(db, &format!("DELETE FROM endorsements WHERE id = {entered}")).await;
        fails(
            "(leaf 29): its signature or endorsement was removed from the database, but no leaf of the log revokes it",
        )(verdict(&app, &key).await);
        sql(db, &format!("DELETE FROM signatures WHERE id = {}", ids[10])).await;
        fails(
            "(leaf 17): its signature or endorsement was removed from the database, but no leaf of the log revokes it",
        )(verdict(&app, &key).await);
        sql(db, "DELETE FROM signature_log_leaves WHERE idx = 10").await;
        fails("row 4: this signature has no leaf in the log")(verdict(&app, &key).await);
        app.stop().await;
    }

    on_both_backends!(verify_passes_on_an_honest_export_and_fails_on_any_row_changed_by_hand);
}
