//! Moderating signatures: invalidating in bulk is previewed, recorded and reversible; many
//! signatures from one IP hash are flagged.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::moderation::SignatureFilter;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};

use super::{demo_campaign, record, stories};

async fn invalidating_in_bulk_is_previewed_recorded_and_reversible(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    for (email, country) in [("a@spam.example", "HK"), ("b@Spam.Example", "TW"), ("c@good.example", "HK")] {
        let mut r = record(campaign, email, "Name", NameDisplay::Full);
        r.signer.country = country.into();
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        store.confirm_signature(id, now()).await.unwrap();
        ids.push(id);
    }
    let by_domain = SignatureFilter { email_domain: Some("spam.example".into()), ..Default::default() };
    assert_eq!(store.matching_signatures(campaign, &by_domain).await.unwrap(), 2);
    let both = SignatureFilter { country: Some("HK".into()), ..by_domain.clone() };
    assert_eq!(store.matching_signatures(campaign, &both).await.unwrap(), 1, "every condition must hold");
    let window = SignatureFilter { from: Some(now() + Duration::hours(1)), ..Default::default() };
    assert_eq!(store.matching_signatures(campaign, &window).await.unwrap(), 0);
    assert!(
        store.invalidate(campaign, &SignatureFilter::default(), "mod", now()).await.is_err(),
        "no condition, no invalidation"
    );

    let (inv, n) = store.invalidate(campaign, &by_domain, "mod@example.org", now()).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
    assert_eq!(store.public_signatures(campaign, None, 10).await.unwrap().len(), 1);
    assert_eq!(store.signatures_for_export(campaign, None, 1_000).await.unwrap().len(), 1);
    assert_eq!(store.matching_signatures(campaign, &by_domain).await.unwrap(), 0, "already invalidated");
    let one = SignatureFilter { signature_id: Some(ids[2]), ..Default::default() };
    store.invalidate(campaign, &one, "mod@example.org", now()).await.unwrap();
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 0);

    let recorded = store.invalidations(campaign).await.unwrap();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1].conditions, "email domain spam.example");
    assert_eq!(store.restore_invalidation(campaign, inv, now()).await.unwrap(), 2);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 2);
    assert!(store.restore_invalidation(campaign, inv, now()).await.is_err(), "restored once");
    assert!(store.invalidations(campaign).await.unwrap()[1].restored_at.is_some());
}

async fn many_signatures_from_one_ip_hash_are_flagged(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for i in 0..4 {
        let mut r = record(campaign, &format!("ip{i}@example.org"), "N", NameDisplay::Full);
        r.ip_key = Some(if i < 3 { [7; 16] } else { [8; 16] });
        store.sign(&r, MailBudget::default()).await.unwrap();
    }
    let flagged = store.busy_ip_keys(campaign, 3).await.unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!((flagged[0].ip_key.clone(), flagged[0].signatures), (vec![7; 16], 3));
    let by_ip = SignatureFilter { ip_key: Some(vec![7; 16]), ..Default::default() };
    assert_eq!(store.matching_signatures(campaign, &by_ip).await.unwrap(), 3);
    assert_eq!(store.latest_signatures(campaign, 2).await.unwrap().len(), 2);
}

stories!(
    invalidating_in_bulk_is_previewed_recorded_and_reversible,
    many_signatures_from_one_ip_hash_are_flagged,
);
