//! Stories of importing campaigns from files as planned (`Store::apply_import`), run on both
//! backends by `tests/imports.rs`.

use std::sync::Arc;

use time::macros::datetime;
use undersigned_core::endorsement::{EndorsementSource, EndorsementSpec, OrganisationType};
use undersigned_core::records::{
    CampaignRecords, KeptEndorsement, KeptUpdate, campaign_records, current_campaign, plan_import,
};
use undersigned_core::store::{TargetResponse, UpdateText, now};
use undersigned_core::{CampaignStatus, Lang, Store, StoreError};

use crate::conformance::demo;

fn records() -> CampaignRecords {
    let union = EndorsementSpec {
        endorser: EndorsementSpec::organisation("Union", OrganisationType::TradeUnion, None).unwrap(),
        country: Some("GB".into()),
        statement: Some("With you.".into()),
        source_note: None,
    };
    let text = UpdateText { lang: Lang::known("en"), title: "Day one".into(), body: "We went.".into() };
    CampaignRecords {
        endorsements: vec![KeptEndorsement::new(
            EndorsementSource::Online,
            datetime!(2026-01-02 03:04:05.123456 UTC),
            union,
        )],
        updates: vec![KeptUpdate::new(datetime!(2026-01-03 0:00 UTC), "Organiser".into(), vec![text])],
        response: Some(TargetResponse { text: "Received.".into(), responded_on: None, link: None }),
    }
}

pub async fn imported_records_read_back_with_their_dates_and_keys(store: Arc<dyn Store>) {
    let plan = plan_import(None, demo(), records(), "/files", now()).unwrap().unwrap();
    let id = store.apply_import(&[plan]).await.unwrap()[0];
    assert_eq!(campaign_records(store.as_ref(), id).await.unwrap(), records());
    let log = store.audit_log(Some(id), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].actor.as_str(), log[0].action.as_str()), ("command line", "import-campaign"));
    assert!(store.updates(Some(id), 10).await.unwrap().len() == 1);
    assert!(store.claim_mail(now(), time::Duration::seconds(60), 10).await.unwrap().is_empty(), "not mailed");

    // The same files again: nothing to do.
    let current = current_campaign(store.as_ref(), &demo().content.slug).await.unwrap().unwrap();
    assert!(plan_import(Some(&current), demo(), records(), "/files", now()).unwrap().is_none());
}

pub async fn an_import_over_a_campaign_changed_meanwhile_is_refused(store: Arc<dyn Store>) {
    let id = store.import_campaigns(&[demo()]).await.unwrap()[0];
    let current = current_campaign(store.as_ref(), &demo().content.slug).await.unwrap().unwrap();
    let mut edited = demo();
    edited.content.versions[0].title = "Edited".into();
    let plan = plan_import(Some(&current), edited, CampaignRecords::default(), "/f", now()).unwrap().unwrap();
    let mut closed = demo().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(id, &closed, false, now()).await.unwrap();
    // A new campaign planned alongside is not imported either.
    let mut other = demo();
    other.content.slug = undersigned_core::Slug::parse("slug", "other").unwrap();
    let new = plan_import(None, other.clone(), CampaignRecords::default(), "/g", now()).unwrap().unwrap();
    assert!(matches!(store.apply_import(&[new.clone(), plan]).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap().content, closed);
    assert!(store.campaign_by_slug(&other.content.slug).await.unwrap().is_none());
    assert!(store.audit_log(None, 10).await.unwrap().is_empty());

    // Planned as new, but created meanwhile.
    store.import_campaigns(&[other]).await.unwrap();
    assert!(matches!(store.apply_import(&[new]).await, Err(StoreError::Conflict(_))));
}
