//! What integrations read: confirmed, valid signatures in the order they last changed, by page
//! or after a cursor, filtered by date or by address; a change after confirmation moves a
//! signature to the end.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::keys::Keys;
use undersigned_core::moderation::SignatureFilter;
use undersigned_core::signature::NameDisplay;
use undersigned_core::sync::{Compare, SyncDate, SyncFilter, SyncStart};

use super::{demo_campaign, signature_in, stories};

async fn ids(
    store: &dyn Store,
    campaign: i64,
    filter: &SyncFilter,
    start: SyncStart,
    limit: u32,
) -> Vec<i64> {
    let page = store.signatures_for_sync(campaign, filter, start, limit).await.unwrap();
    page.iter().map(|s| s.signature.id).collect()
}

async fn signatures_are_read_in_the_order_they_last_changed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let before = now();
    let mut made = Vec::new();
    for i in 0..4 {
        made.push(signature_in(store.as_ref(), campaign, &format!("s{i}@example.org"), "en", true).await);
    }
    let pending = signature_in(store.as_ref(), campaign, "pending@example.org", "en", false).await;
    let all = SyncFilter::default();
    assert_eq!(ids(store.as_ref(), campaign, &all, SyncStart::Offset(0), 10).await, made, "pending left out");
    assert_eq!(store.count_for_sync(campaign, &all).await.unwrap(), 4);
    assert_eq!(ids(store.as_ref(), campaign, &all, SyncStart::Offset(1), 2).await, made[1..3]);
    let first = store.signatures_for_sync(campaign, &all, SyncStart::Offset(0), 2).await.unwrap();
    let cursor = first[1].cursor();
    assert_eq!(ids(store.as_ref(), campaign, &all, SyncStart::After(cursor), 10).await, made[2..]);
    let one = store.synced_signature(made[0]).await.unwrap().unwrap();
    assert_eq!(one.modified_at, one.signature.confirmed_at.unwrap(), "confirmed, and unchanged since");
    assert!(store.synced_signature(pending).await.unwrap().is_none());

    // The signer of the first asks for news: it changed, so it comes last, later than all.
    assert!(store.update_signer_choices(made[0], NameDisplay::Full, true).await.unwrap());
    let changed = store.synced_signature(made[0]).await.unwrap().unwrap();
    assert!(changed.modified_at > one.modified_at);
    assert_eq!(
        ids(store.as_ref(), campaign, &all, SyncStart::After(cursor), 10).await,
        [made[2], made[3], made[0]]
    );
    // The same choices again change nothing.
    store.update_signer_choices(made[0], NameDisplay::Full, true).await.unwrap();
    assert_eq!(store.synced_signature(made[0]).await.unwrap().unwrap().modified_at, changed.modified_at);

    let since = |compare, at| SyncFilter { dates: vec![(SyncDate::Modified, compare, at)], email_key: None };
    assert_eq!(
        ids(store.as_ref(), campaign, &since(Compare::Gt, one.modified_at), SyncStart::Offset(0), 10).await,
        [made[1], made[2], made[3], made[0]]
    );
    assert_eq!(
        ids(store.as_ref(), campaign, &since(Compare::Ge, changed.modified_at), SyncStart::Offset(0), 10)
            .await,
        [made[0]]
    );
    assert_eq!(store.count_for_sync(campaign, &since(Compare::Lt, before)).await.unwrap(), 0);
    let created = SyncFilter {
        dates: vec![(SyncDate::Created, Compare::Le, now()), (SyncDate::Created, Compare::Ge, before)],
        email_key: None,
    };
    assert_eq!(store.count_for_sync(campaign, &created).await.unwrap(), 4);

    // By address (its email key, as the signature was made with).
    let key = Keys::new([3; 32]).email_key(campaign, "s2@example.org");
    let by_address = SyncFilter { dates: Vec::new(), email_key: Some(key) };
    assert_eq!(ids(store.as_ref(), campaign, &by_address, SyncStart::Offset(0), 10).await, [made[2]]);

    // Invalidated signatures are left out; restored, they come again, last.
    let filter = SignatureFilter { signature_id: Some(made[1]), ..Default::default() };
    let (invalidation, _) = store.invalidate(campaign, &filter, "mod@example.org", now()).await.unwrap();
    assert_eq!(store.count_for_sync(campaign, &all).await.unwrap(), 3);
    store.restore_invalidation(campaign, invalidation, now()).await.unwrap();
    let order = ids(store.as_ref(), campaign, &all, SyncStart::Offset(0), 10).await;
    assert_eq!(order, [made[2], made[3], made[0], made[1]]);

    let dates = store.campaign_dates(campaign).await.unwrap().unwrap();
    assert!(dates.0 <= dates.1 && dates.1 <= now() + Duration::seconds(1));
    assert!(store.campaign_dates(campaign + 100).await.unwrap().is_none());
}

stories!(signatures_are_read_in_the_order_they_last_changed);
