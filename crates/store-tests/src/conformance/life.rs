//! A campaign's life: it closes at its end date (its retention period runs from then), and its
//! owner unpublishes it or deletes a draft nobody signed.

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

stories!(
    a_campaign_closes_at_its_end_date_and_its_retention_period_runs_from_then,
    an_owner_unpublishes_a_campaign_and_deletes_a_draft_nobody_signed,
);
