//! Retention: IP hashes and their daily keys forgotten after their time; signers anonymised
//! after a campaign's, with its counts kept.

use std::sync::Arc;

use time::Duration;
use undersigned_core::clock::now;
use undersigned_core::keys::Keys;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::{CampaignStatus, Store};

use super::{demo_campaign, record, stories};

async fn ip_hashes_are_forgotten_after_their_time(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    store
        .sign(&record(campaign, "ip@example.org", "Ip", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    assert_eq!(store.forget_ip_hashes(now() - Duration::days(1)).await.unwrap(), 0);
    assert_eq!(store.forget_ip_hashes(now() + Duration::seconds(1)).await.unwrap(), 1);
    assert_eq!(store.forget_ip_hashes(now() + Duration::seconds(1)).await.unwrap(), 0);
}

/// One key per day for every instance, deleted once the day's hashes are forgotten: afterwards
/// the day gets a new key, so nothing can make that day's hashes again.
async fn ip_hash_keys_are_one_per_day_and_go_with_their_hashes(store: Arc<dyn Store>) {
    use undersigned_core::keys::day_number;
    let today = day_number(now());
    let key = store.ip_hash_key(today, [1; 32]).await.unwrap();
    assert_eq!(key, [1; 32]);
    assert_eq!(store.ip_hash_key(today, [2; 32]).await.unwrap(), key, "the kept key, not a new one");
    assert_eq!(store.ip_hash_key(today - 1, [3; 32]).await.unwrap(), [3; 32]);
    // Forgetting the hashes made before today's start deletes yesterday's key, not today's.
    let midnight = now().replace_time(time::Time::MIDNIGHT);
    store.forget_ip_hashes(midnight).await.unwrap();
    assert_eq!(store.ip_hash_key(today, [4; 32]).await.unwrap(), key);
    assert_eq!(store.ip_hash_key(today - 1, [5; 32]).await.unwrap(), [5; 32], "yesterday's key was deleted");
    store.forget_ip_hashes(midnight + Duration::days(1)).await.unwrap();
    assert_eq!(store.ip_hash_key(today, [6; 32]).await.unwrap(), [6; 32], "today's key was deleted");
}

async fn after_retention_signers_are_anonymised_and_counts_stay(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for (i, display, confirm) in
        [(1, NameDisplay::Full, true), (2, NameDisplay::Hidden, true), (3, NameDisplay::Full, false)]
    {
        let r = record(campaign, &format!("r{i}@example.org"), &format!("Person Number{i}"), display);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        if confirm {
            store.confirm_signature(id, now()).await.unwrap();
        }
    }
    let t = now();
    assert!(store.retention_due(t).await.unwrap().is_empty(), "an open campaign keeps its data");
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, t).await.unwrap();
    assert_eq!(store.ended_at(campaign).await.unwrap(), Some(t));
    assert!(store.retention_due(t - Duration::days(1)).await.unwrap().is_empty(), "not due before its time");
    let due = store.retention_due(t + Duration::days(1)).await.unwrap();
    assert_eq!((due.len(), due[0].signatures), (1, 3));

    let before = store.counts(campaign).await.unwrap();
    let by_country = store.counts_by_country(campaign).await.unwrap();
    assert_eq!(store.anonymise(campaign).await.unwrap(), 2, "the two confirmed; the pending one is deleted");
    assert_eq!(store.counts(campaign).await.unwrap(), before);
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), by_country);
    let listed: Vec<String> =
        store.public_signatures(campaign, None, 10).await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(listed, ["Person Number1"]);
    for s in store.signatures_for_export(campaign, None, 1_000).await.unwrap() {
        assert_eq!(s.signer.email.as_str(), "", "no address left");
        assert!(!s.signer.opt_in);
    }
    let key = Keys::new([3; 32]).email_key(campaign, "r1@example.org");
    assert!(store.signature_by_key(&key).await.unwrap().is_none(), "the address's hash is gone");
    assert!(store.retention_due(t + Duration::days(1)).await.unwrap().is_empty(), "done once");
}

stories!(
    ip_hashes_are_forgotten_after_their_time,
    ip_hash_keys_are_one_per_day_and_go_with_their_hashes,
    after_retention_signers_are_anonymised_and_counts_stay,
);
