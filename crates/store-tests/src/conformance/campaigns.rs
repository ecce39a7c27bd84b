//! Campaigns: none at first, drafts kept from the public, a new one owned by its creator, and
//! the text people signed kept through later edits.

use std::sync::Arc;

use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::demand::Demand;
use undersigned_core::{CampaignContent, CampaignStatus, EmbedSites, Slug, Store};

use super::{demo, demo_campaign, new_user, stories};

async fn an_empty_store_has_no_campaigns(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    assert!(store.has_no_campaigns().await.unwrap());
    assert!(store.public_campaigns().await.unwrap().is_empty());
    let slug = Slug::parse("slug", "no-such-campaign").unwrap();
    assert!(store.campaign_by_slug(&slug).await.unwrap().is_none());
}

async fn drafts_are_not_public(store: Arc<dyn Store>) {
    let mut draft = demo();
    draft.content.slug = Slug::parse("slug", "a-draft").unwrap();
    draft.content.status = CampaignStatus::Draft;
    store.import_campaigns(&[demo(), draft]).await.unwrap();
    let public: Vec<_> =
        store.public_campaigns().await.unwrap().into_iter().map(|c| c.content.slug.to_string()).collect();
    assert_eq!(public, ["release-cai-guangye"]);
}

async fn a_new_campaign_is_a_draft_owned_by_its_creator(store: Arc<dyn Store>) {
    let t = now();
    let owner = store.create_user(&new_user("o@example.org", Some("h")), t).await.unwrap();
    let mut content = demo().content;
    content.slug = Slug::parse("slug", "new-one").unwrap();
    content.status = CampaignStatus::Draft;
    let id = store.create_campaign(&content, Some(owner), t).await.unwrap();
    assert_eq!(store.role(id, owner).await.unwrap(), Some(Role::Owner));
    assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap().content, content);
    assert!(matches!(
        store.create_campaign(&content, None, t).await,
        Err(undersigned_core::StoreError::Conflict(_))
    ));
    assert!(store.public_campaigns().await.unwrap().is_empty(), "drafts are not public");
}

async fn edits_after_signing_keep_the_text_that_was_signed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let original = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    let mut edited = original.clone();
    let en = edited.versions[0].lang.clone();
    let key = undersigned_core::demand::next_key(&edited.demands);
    edited.demands.push(Demand { key, texts: vec![(en, "A fifth demand.".into())], met: None });
    edited.contact.name = "Chan".into();
    store.save_campaign(campaign, &edited, false, now()).await.unwrap();
    assert_eq!(store.campaign_by_id(campaign).await.unwrap().unwrap().content, edited);
    assert!(store.revisions(campaign).await.unwrap().is_empty(), "no history asked for");

    let mut again = edited.clone();
    again.versions[0].title = "A clearer title".into();
    store.save_campaign(campaign, &again, true, now()).await.unwrap();
    let revisions = store.revisions(campaign).await.unwrap();
    assert_eq!(revisions.len(), 1, "only the changed version is kept");
    assert_eq!(revisions[0].version, edited.versions[0]);
    assert_eq!(revisions[0].demands, edited.demand_texts_in(&edited.versions[0].lang));
    assert_eq!(store.campaign_by_id(campaign).await.unwrap().unwrap().content, again);
    assert!(matches!(
        store.save_campaign(campaign + 99, &again, false, now()).await,
        Err(undersigned_core::StoreError::NotFound)
    ));
}

/// The sites that may frame a campaign: any at first (also for campaigns from before the setting),
/// then as saved, created and imported, none among them.
async fn the_sites_that_may_embed_a_campaign_are_kept(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let content = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    assert_eq!(content.embed_sites, EmbedSites::anywhere());
    let sites = ["https://union.example.org", "https://*.news.example:8443"];
    for embed_sites in [EmbedSites::parse("embed_sites", sites).unwrap(), EmbedSites::nowhere()] {
        let edited = CampaignContent { embed_sites: embed_sites.clone(), ..content.clone() };
        store.save_campaign(campaign, &edited, false, now()).await.unwrap();
        assert_eq!(store.campaign_by_id(campaign).await.unwrap().unwrap().content.embed_sites, embed_sites);
    }
    let mut spec = demo();
    spec.content.embed_sites = EmbedSites::parse("embed_sites", ["https://a.example"]).unwrap();
    store.import_campaigns(&[spec.clone()]).await.unwrap();
    let imported = store.campaign_by_slug(&spec.content.slug).await.unwrap().unwrap();
    assert_eq!((imported.id, imported.content.embed_sites), (campaign, spec.content.embed_sites.clone()));
    spec.content.slug = Slug::parse("slug", "framed-nowhere").unwrap();
    spec.content.embed_sites = EmbedSites::nowhere();
    let id = store.create_campaign(&spec.content, None, now()).await.unwrap();
    assert_eq!(store.campaign_by_id(id).await.unwrap().unwrap().content.embed_sites, EmbedSites::nowhere());
}

stories!(
    an_empty_store_has_no_campaigns,
    the_sites_that_may_embed_a_campaign_are_kept,
    drafts_are_not_public,
    a_new_campaign_is_a_draft_owned_by_its_creator,
    edits_after_signing_keep_the_text_that_was_signed,
);
