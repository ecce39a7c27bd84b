//! Campaigns imported from their files: read back in every language, replaced by slug, all or
//! nothing, with the records the files carry, and refused when the campaign changed meanwhile.

use std::sync::Arc;

use time::macros::datetime;
use undersigned_core::campaign::TargetResponse;
use undersigned_core::clock::now;
use undersigned_core::records::{
    CampaignRecords, KeptEndorsement, KeptUpdate, campaign_records, current_campaign, plan_import,
};
use undersigned_core::update::UpdateText;
use undersigned_core::{
    CampaignStatus, EndorsementSource, EndorsementSpec, Endorser, Lang, OrganisationType, Slug, Store,
    StoreError,
};

use super::{demo, stories};

async fn an_imported_campaign_reads_back_in_every_language(store: Arc<dyn Store>) {
    let spec = demo();
    let ids = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap();
    assert!(!store.has_no_campaigns().await.unwrap());
    let campaign = store.campaign_by_slug(&spec.content.slug).await.unwrap().expect("the campaign");
    assert_eq!(campaign.id, ids[0]);
    assert_eq!(campaign.content, spec.content);
    let langs: Vec<_> = campaign.content.versions.iter().map(|v| v.lang.as_str()).collect();
    assert_eq!(langs, ["en", "zh-Hant"]);
    assert_eq!(campaign.content.demands_in(&campaign.content.versions[1].lang).len(), 4);
    assert!(campaign.content.demands_in(&campaign.content.versions[1].lang).iter().all(|d| d.translated));

    let endorsements = store.endorsements(campaign.id).await.unwrap();
    let specs: Vec<_> = endorsements.iter().map(|e| e.spec.clone()).collect();
    assert_eq!(specs, spec.endorsements);
    assert!(endorsements.iter().all(|e| e.source == EndorsementSource::CampaignFile));
    assert!(endorsements.iter().any(|e| e.spec.endorser == Endorser::Individuals { count: 15 }));
}

async fn importing_again_replaces_texts_and_keeps_the_campaign(store: Arc<dyn Store>) {
    let mut spec = demo();
    let first = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    spec.content.demands.pop();
    spec.content.versions[0].title = "A new title".into();
    spec.content.versions.pop();
    spec.content.drop_texts_without_version();
    spec.endorsements.truncate(2);
    let second = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    assert_eq!(first, second);
    let campaign = store.campaign_by_slug(&spec.content.slug).await.unwrap().unwrap();
    assert_eq!(campaign.content, spec.content);
    assert_eq!(store.endorsements(first).await.unwrap().len(), 2);
}

async fn an_import_is_all_or_nothing(store: Arc<dyn Store>) {
    let good = demo();
    let mut clash = demo();
    clash.content.slug = Slug::parse("slug", "second").unwrap();
    // Two versions in one language break the versions' primary key in the database itself.
    let twin = clash.content.versions[0].clone();
    clash.content.versions.push(twin);
    assert!(store.import_campaigns(&[good.clone(), clash]).await.is_err());
    assert!(store.has_no_campaigns().await.unwrap(), "the good campaign was imported alone");
}

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

async fn imported_records_read_back_with_their_dates_and_keys(store: Arc<dyn Store>) {
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

async fn an_import_over_a_campaign_changed_meanwhile_is_refused(store: Arc<dyn Store>) {
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

stories!(
    an_imported_campaign_reads_back_in_every_language,
    importing_again_replaces_texts_and_keeps_the_campaign,
    an_import_is_all_or_nothing,
    imported_records_read_back_with_their_dates_and_keys,
    an_import_over_a_campaign_changed_meanwhile_is_refused,
);
