//! Organisations and partners (issue 16): an organisation's slug is its own; its members and
//! their roles; a campaign's partners, the lead first and one lead at most; where a signature
//! came from and the consents given, kept with it and replaced by a later pending submission;
//! counts per partner and by source; consents withdrawn and gone with an anonymised signer; one
//! logo an organisation, read with it and served by its key.

use std::sync::Arc;

use undersigned_core::clock::now;
use undersigned_core::organisation::{NewLogo, NewOrganisation, OrgRole, PartnerSetting, SignatureSource};
use undersigned_core::picture::PictureKey;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::{CampaignStatus, OrganisationType, Store, StoreError};

use super::{demo_campaign, new_user, record, stories};

fn org(slug: &str) -> NewOrganisation {
    NewOrganisation {
        slug: slug.into(),
        name: format!("The {slug}"),
        org_type: OrganisationType::Ngo,
        region: Some("HK".into()),
        website: None,
    }
}

fn partner(id: i64, lead: bool) -> PartnerSetting {
    PartnerSetting { organisation_id: id, lead, consent: true, consent_texts: Default::default() }
}

/// Signs as `email` with `source`; the signature's id.
async fn sign(store: &dyn Store, campaign: i64, email: &str, source: SignatureSource) -> i64 {
    let mut r = record(campaign, email, "Chan Tai Man", NameDisplay::Full);
    r.source = source;
    match store.sign(&r, MailBudget { max: 10, ..Default::default() }).await.unwrap() {
        SignOutcome::Created { id }
        | SignOutcome::StillPending { id, .. }
        | SignOutcome::AlreadyConfirmed { id, .. } => id,
    }
}

async fn organisations_have_members_and_partner_campaigns(store: Arc<dyn Store>) {
    let t = now();
    let a = store.create_organisation(&org("a-union"), t).await.unwrap();
    assert!(matches!(store.create_organisation(&org("a-union"), t).await, Err(StoreError::Conflict(_))));
    let b = store.create_organisation(&org("b-ngo"), t).await.unwrap();
    let user = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    store.set_organisation_member(a, user, OrgRole::Member).await.unwrap();
    store.set_organisation_member(a, user, OrgRole::Admin).await.unwrap();
    let members = store.organisation_members(a).await.unwrap();
    assert_eq!((members.len(), members[0].role), (1, OrgRole::Admin), "a role changed, not added");
    let mine = store.organisations_of(user).await.unwrap();
    assert_eq!(mine.iter().map(|(o, _)| o.slug.as_str()).collect::<Vec<_>>(), ["a-union"]);
    assert!(
        store
            .set_organisation_key(a, Some("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"))
            .await
            .unwrap()
    );
    assert!(store.organisation_by_slug("a-union").await.unwrap().unwrap().recipient.is_some());

    let campaign = demo_campaign(store.as_ref()).await;
    store.set_campaign_partner(campaign, &partner(a, false), t).await.unwrap();
    store.set_campaign_partner(campaign, &partner(b, true), t).await.unwrap();
    let partners = store.campaign_partners(campaign).await.unwrap();
    assert_eq!(
        partners.iter().map(|p| (p.organisation.id, p.lead)).collect::<Vec<_>>(),
        [(b, true), (a, false)]
    );
    // One lead at most: a new lead takes the place of the old.
    let mut texts = std::collections::BTreeMap::new();
    texts.insert("en".to_owned(), "A may write to me".to_owned());
    let setting = PartnerSetting { consent_texts: texts, ..partner(a, true) };
    store.set_campaign_partner(campaign, &setting, t).await.unwrap();
    let partners = store.campaign_partners(campaign).await.unwrap();
    assert_eq!(
        partners.iter().map(|p| (p.organisation.id, p.lead)).collect::<Vec<_>>(),
        [(a, true), (b, false)]
    );
    assert_eq!(partners[0].consent_text(&undersigned_core::Lang::known("en")), Some("A may write to me"));
    assert_eq!(store.partnered_campaigns(b).await.unwrap(), [campaign]);
    assert!(store.remove_campaign_partner(campaign, b).await.unwrap());
    assert!(store.partnered_campaigns(b).await.unwrap().is_empty());
    assert!(store.remove_organisation_member(a, user).await.unwrap());
    assert!(store.organisation_members(a).await.unwrap().is_empty());
}

async fn signatures_keep_their_source_and_consents_per_partner(store: Arc<dyn Store>) {
    let t = now();
    let campaign = demo_campaign(store.as_ref()).await;
    let a = store.create_organisation(&org("a-union"), t).await.unwrap();
    let b = store.create_organisation(&org("b-ngo"), t).await.unwrap();
    for id in [a, b] {
        store.set_campaign_partner(campaign, &partner(id, false), t).await.unwrap();
    }
    let through_a = SignatureSource { via: Some(a), src: Some("flyer".into()), consents: Some(vec![a]) };
    let one = sign(store.as_ref(), campaign, "one@example.org", through_a.clone()).await;
    let two = sign(
        store.as_ref(),
        campaign,
        "two@example.org",
        SignatureSource { consents: Some(vec![a, b]), ..Default::default() },
    )
    .await;
    let plain = sign(store.as_ref(), campaign, "three@example.org", SignatureSource::default()).await;
    for id in [one, two, plain] {
        store.confirm_signature(id, now()).await.unwrap();
    }
    let s = store.signature(one).await.unwrap().unwrap();
    assert_eq!((s.via, s.src.as_deref()), (Some(a), Some("flyer")));
    assert_eq!(store.signature_consents(one).await.unwrap(), [a]);
    assert_eq!(store.signature_consents(two).await.unwrap(), [a, b]);
    assert!(store.signature_consents(plain).await.unwrap().is_empty());
    let counts = store.partner_counts(campaign, a).await.unwrap();
    assert_eq!((counts.total, counts.via, counts.consenting), (3, 1, 2));
    let consenting = store.consenting_signatures(campaign, b).await.unwrap();
    assert_eq!(consenting.iter().map(|s| s.id).collect::<Vec<_>>(), [two]);
    let sources = store.source_counts(campaign).await.unwrap();
    assert!(sources.by_source.contains(&(Some("flyer".into()), 1)) && sources.by_source.contains(&(None, 2)));
    assert!(sources.by_partner.contains(&(Some(a), 1)));

    // A confirmed signature sent again keeps its consents; a consent withdrawn goes, once.
    sign(store.as_ref(), campaign, "one@example.org", SignatureSource::default()).await;
    assert_eq!(store.signature_consents(one).await.unwrap(), [a]);
    assert!(store.withdraw_consent(one, a, now()).await.unwrap());
    assert!(!store.withdraw_consent(one, a, now()).await.unwrap());
    assert_eq!(store.partner_counts(campaign, a).await.unwrap().consenting, 1);

    // A pending signature sent again takes the latest source and consents.
    let pending = sign(store.as_ref(), campaign, "four@example.org", through_a).await;
    assert_eq!(store.signature_consents(pending).await.unwrap(), [a]);
    let latest = SignatureSource { via: None, src: Some("poster".into()), consents: Some(vec![b]) };
    assert_eq!(sign(store.as_ref(), campaign, "four@example.org", latest).await, pending);
    let s = store.signature(pending).await.unwrap().unwrap();
    assert_eq!((s.via, s.src.as_deref()), (None, Some("poster")));
    assert_eq!(store.signature_consents(pending).await.unwrap(), [b]);

    // Withdrawing the signature takes its consents; anonymising the campaign takes the rest.
    assert!(store.withdraw_signature(two).await.unwrap());
    assert!(store.signature_consents(two).await.unwrap().is_empty());
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, now()).await.unwrap();
    let five = sign(
        store.as_ref(),
        campaign,
        "five@example.org",
        SignatureSource { consents: Some(vec![b]), ..Default::default() },
    )
    .await;
    store.confirm_signature(five, now()).await.unwrap();
    store.anonymise(campaign).await.unwrap();
    assert!(store.signature_consents(five).await.unwrap().is_empty());
    assert!(store.consenting_signatures(campaign, b).await.unwrap().is_empty());
}

async fn an_organisation_has_one_logo_at_a_time(store: Arc<dyn Store>) {
    let t = now();
    let a = store.create_organisation(&org("a-union"), t).await.unwrap();
    let logo = |bytes: &[u8]| NewLogo {
        key: PictureKey::random(),
        media_type: "image/png".into(),
        width: 320,
        height: 100,
        bytes: bytes.to_vec(),
    };
    let first = logo(b"\x89PNG first");
    store.set_organisation_logo(a, &first, t).await.unwrap();
    let read = store.organisation_by_slug("a-union").await.unwrap().unwrap().logo.expect("its logo");
    assert_eq!((&read.key, read.width, read.height), (&first.key, 320, 100));
    let campaign = demo_campaign(store.as_ref()).await;
    store.set_campaign_partner(campaign, &partner(a, true), t).await.unwrap();
    let partners = store.campaign_partners(campaign).await.unwrap();
    assert_eq!(partners[0].organisation.logo.as_ref(), Some(&read), "read with its partners");
    let served = store.organisation_logo(&first.key).await.unwrap().expect("served by its key");
    assert_eq!((served.media_type.as_str(), served.bytes.as_slice()), ("image/png", &b"\x89PNG first"[..]));

    // A new one takes the old one's place, under its own key.
    let second = logo(b"\x89PNG second");
    store.set_organisation_logo(a, &second, t).await.unwrap();
    assert!(store.organisation_logo(&first.key).await.unwrap().is_none());
    assert_eq!(store.organisation_logo(&second.key).await.unwrap().unwrap().bytes, b"\x89PNG second");
    assert!(store.organisation_logo(&PictureKey::random()).await.unwrap().is_none());

    assert!(store.remove_organisation_logo(a).await.unwrap());
    assert!(!store.remove_organisation_logo(a).await.unwrap(), "none to remove");
    assert!(store.organisation_logo(&second.key).await.unwrap().is_none());
    assert!(store.organisations().await.unwrap()[0].logo.is_none());
}

stories!(
    an_organisation_has_one_logo_at_a_time,
    organisations_have_members_and_partner_campaigns,
    signatures_keep_their_source_and_consents_per_partner
);
