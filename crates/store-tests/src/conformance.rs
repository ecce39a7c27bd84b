//! The conformance suite: what every storage backend must do, told as the stories that need it.

use std::sync::Arc;

use undersigned_core::campaign_file::parse_folder;
use undersigned_core::{CampaignSpec, CampaignStatus, EndorsementSource, Endorser, Slug, Store};

pub fn demo() -> CampaignSpec {
    parse_folder(&crate::demo_folder()).expect("the demo campaign parses")
}

pub async fn an_empty_store_has_no_campaigns(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    assert!(store.has_no_campaigns().await.unwrap());
    assert!(store.public_campaigns().await.unwrap().is_empty());
    let slug = Slug::parse("slug", "no-such-campaign").unwrap();
    assert!(store.campaign_by_slug(&slug).await.unwrap().is_none());
}

pub async fn an_imported_campaign_reads_back_in_every_language(store: Arc<dyn Store>) {
    let spec = demo();
    let ids = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap();
    assert!(!store.has_no_campaigns().await.unwrap());
    let campaign = store.campaign_by_slug(&spec.content.slug).await.unwrap().expect("the campaign");
    assert_eq!(campaign.id, ids[0]);
    assert_eq!(campaign.content, spec.content);
    let langs: Vec<_> = campaign.content.versions.iter().map(|v| v.lang.as_str()).collect();
    assert_eq!(langs, ["en", "zh-Hant"]);
    assert_eq!(campaign.content.versions[1].demands.len(), 4);

    let endorsements = store.endorsements(campaign.id).await.unwrap();
    let specs: Vec<_> = endorsements.iter().map(|e| e.spec.clone()).collect();
    assert_eq!(specs, spec.endorsements);
    assert!(endorsements.iter().all(|e| e.source == EndorsementSource::CampaignFile));
    assert!(endorsements.iter().any(|e| e.spec.endorser == Endorser::Individuals { count: 15 }));
}

pub async fn importing_again_replaces_texts_and_keeps_the_campaign(store: Arc<dyn Store>) {
    let mut spec = demo();
    let first = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    spec.content.versions[0].demands.pop();
    spec.content.versions[0].title = "A new title".into();
    spec.content.versions.pop();
    spec.endorsements.truncate(2);
    let second = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    assert_eq!(first, second);
    let campaign = store.campaign_by_slug(&spec.content.slug).await.unwrap().unwrap();
    assert_eq!(campaign.content, spec.content);
    assert_eq!(store.endorsements(first).await.unwrap().len(), 2);
}

pub async fn an_import_is_all_or_nothing(store: Arc<dyn Store>) {
    let good = demo();
    let mut clash = demo();
    clash.content.slug = Slug::parse("slug", "second").unwrap();
    // Two versions in one language break the versions' primary key in the database itself.
    let twin = clash.content.versions[0].clone();
    clash.content.versions.push(twin);
    assert!(store.import_campaigns(&[good.clone(), clash]).await.is_err());
    assert!(store.has_no_campaigns().await.unwrap(), "the good campaign was imported alone");
}

pub async fn drafts_are_not_public(store: Arc<dyn Store>) {
    let mut draft = demo();
    draft.content.slug = Slug::parse("slug", "a-draft").unwrap();
    draft.content.status = CampaignStatus::Draft;
    store.import_campaigns(&[demo(), draft]).await.unwrap();
    let public: Vec<_> =
        store.public_campaigns().await.unwrap().into_iter().map(|c| c.content.slug.to_string()).collect();
    assert_eq!(public, ["release-cai-guangye"]);
}
