//! The data key: what a copy of the database holds of signers, endorsers and commenters is sealed
//! (addresses, IP hashes), read back plain through the store; rows a version before the data key
//! wrote in clear are read as they are and sealed in batches, resumably; a database refuses a key
//! other than its own. These stories read the tables directly, as whoever holds a copy would.

use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::data_key::DataKey;
use undersigned_core::moderation::SignatureFilter;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::store::SealCursor;

use super::{comment, demo_campaign, endorsement, record};
use crate::{Backend, TestDb, on_both_backends, test_data_key};

/// An IP hash of 16 bytes `b`, as an SQL literal of the backend.
fn ip_literal(db: &TestDb, b: u8) -> String {
    match db.backend() {
        Backend::Sqlite => format!("X'{}'", format!("{b:02x}").repeat(16)),
        Backend::Postgres => format!("'\\x{}'::bytea", format!("{b:02x}").repeat(16)),
    }
}

/// Every address and IP hash column, read directly.
async fn stored(db: &TestDb) -> Vec<String> {
    let mut all = Vec::new();
    for sql in [
        "SELECT email FROM signatures",
        "SELECT contact_email FROM endorsements WHERE contact_email IS NOT NULL",
        "SELECT email FROM commenters",
        "SELECT CAST(length(ip_key) AS TEXT) FROM signatures WHERE ip_key IS NOT NULL",
        "SELECT CAST(length(ip_key) AS TEXT) FROM endorsements WHERE ip_key IS NOT NULL",
    ] {
        all.extend(db.raw_texts(sql).await);
    }
    all
}

async fn a_copy_of_the_database_holds_no_address_and_no_ip_hash(db: &TestDb) {
    let store = db.store().await;
    let campaign = demo_campaign(store.as_ref()).await;
    let r = record(campaign, "wong@signers.example", "Wong", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    let again = store.sign(&r, MailBudget::default()).await.unwrap();
    assert_eq!(again, SignOutcome::StillPending { id, mailed: true }, "the blind index still finds it");
    let endorsed = store.request_endorsement(&endorsement(campaign, "sam@union.example")).await.unwrap();
    let commented = store.add_comment(&comment(campaign, "lee@readers.example", None)).await.unwrap();

    let columns = stored(db).await;
    assert_eq!(columns.len(), 5, "{columns:?}");
    for value in &columns {
        assert!(!value.contains('@') && value != "16", "in clear: {value}");
    }

    assert_eq!(store.signature(id).await.unwrap().unwrap().signer.email.as_str(), "wong@signers.example");
    let contact = store.endorsement_contact(endorsed).await.unwrap().unwrap();
    assert_eq!(contact.contact_email.as_str(), "sam@union.example");
    assert_eq!(store.comment(commented).await.unwrap().unwrap().1.unwrap().1, "lee@readers.example");
    let export = store.signatures_for_export(campaign, None, 10).await.unwrap();
    assert!(export.is_empty(), "none confirmed yet");
    store.confirm_signature(id, now()).await.unwrap();
    let export = store.signatures_for_export(campaign, None, 10).await.unwrap();
    assert_eq!(export[0].signer.email.as_str(), "wong@signers.example");
    assert_eq!(store.rows_in_clear().await.unwrap(), 0);
}

async fn rows_in_clear_from_before_are_read_and_then_sealed_in_batches(db: &TestDb) {
    let store = db.store().await;
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut r = record(campaign, &format!("s{i}@before.example"), "N", NameDisplay::Full);
        r.ip_key = Some([7; 16]);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        store.confirm_signature(id, now()).await.unwrap();
        ids.push(id);
    }
    let endorsed = store.request_endorsement(&endorsement(campaign, "sam@union.example")).await.unwrap();
    let commented = store.add_comment(&comment(campaign, "lee@readers.example", None)).await.unwrap();
    // Three signatures, the endorsement and the commenter as a version before the data key wrote
    // them, in clear; and an invalidation recorded with a whole IP hash.
    let seven = ip_literal(db, 7);
    db.raw(&format!(
        "UPDATE signatures SET email = 's' || CAST(id - {} AS TEXT) || '@before.example', ip_key = {seven} WHERE id <= {};
         UPDATE endorsements SET contact_email = 'sam@union.example', ip_key = {} WHERE id = {endorsed};
         UPDATE commenters SET email = 'lee@readers.example';
         INSERT INTO invalidations (campaign_id, conditions, signatures, actor, created_at)
             SELECT {campaign}, 'IP hash {}', 0, 'mod', created_at FROM signatures WHERE id = {};",
        ids[0],
        ids[2],
        ip_literal(db, 6),
        "07".repeat(16),
        ids[0],
    ))
    .await;
    assert_eq!(store.rows_in_clear().await.unwrap(), 6);
    for (i, id) in ids.iter().enumerate() {
        let read = store.signature(*id).await.unwrap().unwrap();
        assert_eq!(read.signer.email.as_str(), format!("s{i}@before.example"), "read in clear or sealed");
    }
    assert_eq!(store.busy_ip_keys(campaign, 5).await.unwrap()[0].signatures, 5, "both kinds grouped");
    let by_ip = SignatureFilter { ip_key: Some(vec![7; 16]), ..Default::default() };
    assert_eq!(store.matching_signatures(campaign, &by_ip).await.unwrap(), 5);

    // One batch of two, then the rest from where it stopped.
    let first = store.seal_in_clear(SealCursor::default(), 2).await.unwrap();
    assert_eq!(first.sealed, 2);
    assert_eq!(store.rows_in_clear().await.unwrap(), 4);
    let mut cursor = first.next;
    while let Some(from) = cursor {
        cursor = store.seal_in_clear(from, 2).await.unwrap().next;
    }
    assert_eq!(store.rows_in_clear().await.unwrap(), 0);
    for value in stored(db).await {
        assert!(!value.contains('@') && value != "16", "in clear: {value}");
    }
    assert_eq!(db.raw_texts("SELECT conditions FROM invalidations").await, ["IP hash 0707…"]);
    assert_eq!(
        db.raw_texts("SELECT CAST(count(*) AS TEXT) FROM signatures WHERE modified_at IS NOT NULL").await,
        ["0"],
        "sealing an address is no change for integrations"
    );
    for (i, id) in ids.iter().enumerate() {
        let read = store.signature(*id).await.unwrap().unwrap();
        assert_eq!(read.signer.email.as_str(), format!("s{i}@before.example"));
    }
    assert_eq!(
        store.endorsement_contact(endorsed).await.unwrap().unwrap().contact_email,
        "sam@union.example"
    );
    assert_eq!(store.comment(commented).await.unwrap().unwrap().1.unwrap().1, "lee@readers.example");
    assert_eq!(store.matching_signatures(campaign, &by_ip).await.unwrap(), 5);
    // Run again: nothing left to do.
    assert_eq!(store.seal_in_clear(SealCursor::default(), 100).await.unwrap().sealed, 0);
}

async fn a_database_refuses_a_data_key_other_than_its_own(db: &TestDb) {
    db.store().await;
    let ours = test_data_key().id().to_owned();
    let other = DataKey::new([1; 32]);
    let other_id = other.id().to_owned();
    let refused = undersigned_store::open(&db.url, |recorded| {
        assert_eq!(recorded, Some(ours.as_str()), "told the database's key");
        Ok(other)
    })
    .await
    .err()
    .expect("another key is refused");
    let said = refused.to_string();
    assert!(said.contains(&ours) && said.contains(&other_id), "{said}");
    let refused =
        undersigned_store::open(&db.url, |_| Err("data.key is missing".into())).await.err().unwrap();
    assert_eq!(refused.to_string(), "data.key is missing");
    let store: std::sync::Arc<dyn Store> = db.store().await;
    assert!(store.has_no_campaigns().await.unwrap(), "its own key opens it");
}

on_both_backends!(
    a_copy_of_the_database_holds_no_address_and_no_ip_hash,
    rows_in_clear_from_before_are_read_and_then_sealed_in_batches,
    a_database_refuses_a_data_key_other_than_its_own,
);
