//! A campaign's life: it closes at its end date (its retention period runs from then), and its
//! owner unpublishes it, republishes it as it was, or deletes a draft nobody signed.

use std::sync::Arc;

use time::Duration;
use undersigned_core::account::AuditEntry;
use undersigned_core::clock::{now, truncate};
use undersigned_core::{CampaignStatus, Store};

use super::{campaign_closing_at, signature_in, stories};

async fn a_campaign_closes_at_its_end_date_and_its_retention_period_runs_from_then(store: Arc<dyn Store>) {
    let ended = truncate(now() - Duration::minutes(5));
    let past = campaign_closing_at(store.as_ref(), "ended", ended).await;
    let future = campaign_closing_at(store.as_ref(), "still-open", now() + Duration::days(3)).await;
    signature_in(store.as_ref(), past, "early@example.org", "en", true).await;

    // Read before any upkeep: closed already, and ended at its end date.
    let read = store.campaign_by_id(past).await.unwrap().unwrap();
    assert_eq!(read.content.status, CampaignStatus::Closed);
    assert_eq!(store.ended_at(past).await.unwrap(), Some(ended));
    assert_eq!(store.campaign_by_id(future).await.unwrap().unwrap().content.status, CampaignStatus::Open);
    assert_eq!(store.ended_at(future).await.unwrap(), None);

    let t = now();
    assert_eq!(store.close_ended_campaigns(t).await.unwrap(), [past]);
    assert!(store.close_ended_campaigns(t).await.unwrap().is_empty(), "closed once");
    assert_eq!(store.ended_at(past).await.unwrap(), Some(ended));
    let due = store.retention_due(ended + Duration::seconds(1)).await.unwrap();
    assert_eq!(due.iter().map(|d| (d.campaign, d.ended_at)).collect::<Vec<_>>(), [(past, ended)]);
    let log = store.audit_log(Some(past), 10).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].actor.as_str(), log[0].action.as_str()), (AuditEntry::SYSTEM, "change-status"));
    assert_eq!(log[0].subject, "campaign ended");
    assert!(store.audit_log(Some(future), 10).await.unwrap().is_empty());

    // A closed campaign may still be won; its end stays when it closed.
    let mut won = store.campaign_by_id(past).await.unwrap().unwrap().content;
    won.status = CampaignStatus::Won;
    store.save_campaign(past, &won, false, now()).await.unwrap();
    assert_eq!(store.ended_at(past).await.unwrap(), Some(ended));
    assert_eq!(store.campaign_by_id(past).await.unwrap().unwrap().content.status, CampaignStatus::Won);
}

async fn an_owner_unpublishes_a_campaign_and_deletes_a_draft_nobody_signed(store: Arc<dyn Store>) {
    let later = now() + Duration::days(30);
    let unsigned = campaign_closing_at(store.as_ref(), "nobody-signed", later).await;
    let signed = campaign_closing_at(store.as_ref(), "people-signed", later).await;
    let pending = signature_in(store.as_ref(), signed, "pending@example.org", "en", false).await;
    signature_in(store.as_ref(), signed, "confirmed@example.org", "en", true).await;
    assert!(!store.has_signatures(unsigned).await.unwrap());
    assert!(store.has_signatures(signed).await.unwrap());
    assert!(!store.delete_draft(unsigned).await.unwrap(), "an open campaign is not deleted");

    // Nobody signed: a draft again, not ended.
    assert_eq!(store.unpublish_campaign(unsigned, now()).await.unwrap(), Some(CampaignStatus::Draft));
    assert_eq!(store.campaign_by_id(unsigned).await.unwrap().unwrap().content.status, CampaignStatus::Draft);
    assert_eq!(store.ended_at(unsigned).await.unwrap(), None);
    assert_eq!(store.unpublish_campaign(unsigned, now()).await.unwrap(), None, "a draft is not public");

    // People signed: withdrawn, hidden, ended, the signatures kept.
    let t = now();
    assert_eq!(store.unpublish_campaign(signed, t).await.unwrap(), Some(CampaignStatus::Withdrawn));
    let withdrawn = store.campaign_by_id(signed).await.unwrap().unwrap();
    assert_eq!(withdrawn.content.status, CampaignStatus::Withdrawn);
    let public: Vec<String> =
        store.public_campaigns().await.unwrap().into_iter().map(|c| c.content.slug.to_string()).collect();
    assert!(!public.contains(&"people-signed".to_owned()), "{public:?}");
    assert_eq!(store.counts(signed).await.unwrap().signatures, 1);
    assert!(store.signature(pending).await.unwrap().is_some());
    assert_eq!(store.ended_at(signed).await.unwrap(), Some(t));
    assert_eq!(store.unpublish_campaign(signed, now()).await.unwrap(), None);
    assert!(!store.delete_draft(signed).await.unwrap(), "what people signed is not deleted");
    // Its organisers may still edit it: it stays withdrawn.
    let mut edited = withdrawn.content.clone();
    edited.versions[0].summary = "Edited after it was withdrawn".into();
    store.save_campaign(signed, &edited, true, now()).await.unwrap();
    let read = store.campaign_by_id(signed).await.unwrap().unwrap();
    assert_eq!(
        (read.content.status, read.content.versions[0].summary.as_str()),
        (CampaignStatus::Withdrawn, "Edited after it was withdrawn")
    );
    assert_eq!(store.ended_at(signed).await.unwrap(), Some(t));

    // The draft nobody signed goes, with all it held.
    assert!(store.delete_draft(unsigned).await.unwrap());
    assert!(store.campaign_by_id(unsigned).await.unwrap().is_none());
    assert!(!store.delete_draft(unsigned).await.unwrap_or(false));
    assert!(store.campaign_by_id(signed).await.unwrap().is_some());
}

/// A deleted campaign's id is never given to another, on SQLite as on PostgreSQL (SQLite gives
/// the largest id plus one, so the newest campaign's id came back once it was deleted): what
/// names a campaign by its id (a cache, a link, a log line) names one campaign only.
async fn a_deleted_campaigns_id_is_never_given_again(store: Arc<dyn Store>) {
    let later = now() + Duration::days(30);
    let first = campaign_closing_at(store.as_ref(), "short-lived", later).await;
    assert_eq!(store.unpublish_campaign(first, now()).await.unwrap(), Some(CampaignStatus::Draft));
    assert!(store.delete_draft(first).await.unwrap());
    let next = campaign_closing_at(store.as_ref(), "short-lived", later).await;
    assert!(next > first, "the new campaign has id {next}, the deleted one had {first}");
    let third = campaign_closing_at(store.as_ref(), "after-it", later).await;
    assert!(third > next);
}

/// Withdraws a campaign whose status is `status` (someone signed it first).
async fn withdrawn_at(
    store: &dyn Store,
    slug: &str,
    status: CampaignStatus,
    closes_at: time::OffsetDateTime,
) -> i64 {
    let id = campaign_closing_at(store, slug, closes_at).await;
    signature_in(store, id, &format!("signer@{slug}.example"), "en", true).await;
    if status != CampaignStatus::Open {
        let mut content = store.campaign_by_id(id).await.unwrap().unwrap().content;
        content.status = status;
        store.save_campaign(id, &content, false, now()).await.unwrap();
    }
    assert_eq!(store.unpublish_campaign(id, now()).await.unwrap(), Some(CampaignStatus::Withdrawn));
    id
}

async fn an_owner_republishes_a_withdrawn_campaign_as_it_was(store: Arc<dyn Store>) {
    use CampaignStatus::*;
    let s = store.as_ref();
    let later = now() + Duration::days(30);
    let open = withdrawn_at(s, "was-open", Open, later).await;
    let closed = withdrawn_at(s, "was-closed", Closed, later).await;
    let won = withdrawn_at(s, "was-won", Won, later).await;
    let soon = withdrawn_at(s, "ends-soon", Open, now() + Duration::milliseconds(300)).await;
    assert_eq!(store.withdrawn_from(open).await.unwrap(), Some(Open));
    assert_eq!(store.withdrawn_from(closed).await.unwrap(), Some(Closed));
    assert_eq!(store.withdrawn_from(won).await.unwrap(), Some(Won));
    // Withdrawn, a campaign has ended, whatever it was, and the upkeep leaves it alone.
    assert!(store.ended_at(open).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(store.close_ended_campaigns(now()).await.unwrap().is_empty(), "withdrawn, not closed");
    assert_eq!(store.withdrawn_from(soon).await.unwrap(), Some(Open));

    // Only to what republishing makes of it.
    assert!(!store.republish_campaign(closed, Open, now()).await.unwrap());
    assert!(!store.republish_campaign(soon, Open, now()).await.unwrap(), "its end date has passed");
    assert_eq!(store.campaign_by_id(closed).await.unwrap().unwrap().content.status, Withdrawn);

    let ended = store.ended_at(closed).await.unwrap();
    for (id, to) in [(open, Open), (closed, Closed), (won, Won), (soon, Closed)] {
        assert!(store.republish_campaign(id, to, now()).await.unwrap(), "{to:?}");
        assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap().content.status, to);
        assert_eq!(store.withdrawn_from(id).await.unwrap(), None);
        assert!(!store.republish_campaign(id, to, now()).await.unwrap(), "not withdrawn now");
    }
    assert_eq!(store.ended_at(open).await.unwrap(), None, "open again: it has not ended");
    assert_eq!(store.ended_at(closed).await.unwrap(), ended, "closed: it ended when it did");
    let public: Vec<String> =
        store.public_campaigns().await.unwrap().into_iter().map(|c| c.content.slug.to_string()).collect();
    for slug in ["was-open", "was-closed", "was-won", "ends-soon"] {
        assert!(public.contains(&slug.to_owned()), "{slug}: {public:?}");
    }
    assert_eq!(store.counts(open).await.unwrap().signatures, 1, "the signatures were kept");
}

stories!(
    a_campaign_closes_at_its_end_date_and_its_retention_period_runs_from_then,
    an_owner_unpublishes_a_campaign_and_deletes_a_draft_nobody_signed,
    an_owner_republishes_a_withdrawn_campaign_as_it_was,
    a_deleted_campaigns_id_is_never_given_again,
);
