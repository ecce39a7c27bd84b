//! Endorsements: an organisation's is listed once its contact confirmed and an organiser
//! approved it; offline ones at once.

use std::sync::Arc;

use undersigned_core::clock::now;
use undersigned_core::endorsement::{EndorsementRequest, EndorsementState};
use undersigned_core::keys::Keys;
use undersigned_core::outbox::MailKind;
use undersigned_core::{Email, EndorsementSource, EndorsementSpec, Lang, OrganisationType, Store};

use super::{demo_campaign, queued, stories};

async fn an_organisation_endorsement_is_listed_once_confirmed_and_approved(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let email = Email::parse("email", "office@union.example").unwrap();
    let request = EndorsementRequest {
        campaign_id: campaign,
        spec: EndorsementSpec {
            endorser: EndorsementSpec::organisation("Dockers' Union", OrganisationType::TradeUnion, None)
                .unwrap(),
            country: Some("GB".into()),
            statement: Some("With you.".into()),
            source_note: None,
        },
        contact_name: "Sam".into(),
        email_key: Keys::new([3; 32]).email_key(campaign, &email.canonical()),
        contact_email: email,
        lang: Lang::known("en"),
        ip_key: None,
        now: now(),
    };
    let id = store.request_endorsement(&request).await.unwrap();
    assert_eq!(queued(store.as_ref()).await, [(MailKind::ConfirmEndorsement, id)]);
    let contact = store.endorsement_contact(id).await.unwrap().unwrap();
    assert_eq!(
        (contact.state, contact.contact_email.as_str()),
        (EndorsementState::Unverified, "office@union.example")
    );
    assert!(
        store.decide_endorsement(id, true, None, now()).await.is_err(),
        "not before the contact confirms"
    );

    assert!(store.verify_endorsement(id, now()).await.unwrap());
    let waiting = store.endorsements_in(Some(campaign), EndorsementState::AwaitingApproval).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(store.counts(campaign).await.unwrap().organisations, 6, "not counted before approval");

    store.decide_endorsement(id, true, None, now()).await.unwrap();
    assert_eq!(store.counts(campaign).await.unwrap().organisations, 7);
    let listed = store.endorsements(campaign).await.unwrap();
    assert!(listed.iter().any(|e| e.id == id && e.spec.country.as_deref() == Some("GB")));
    assert!(
        store.decide_endorsement(id, false, Some("changed my mind"), now()).await.is_err(),
        "decided once"
    );
}

async fn a_rejected_endorsement_is_not_listed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let email = Email::parse("email", "spam@example.org").unwrap();
    let id = store
        .request_endorsement(&EndorsementRequest {
            campaign_id: campaign,
            spec: EndorsementSpec {
                endorser: EndorsementSpec::organisation("Spam Ltd", OrganisationType::Other, None).unwrap(),
                country: None,
                statement: None,
                source_note: None,
            },
            contact_name: "X".into(),
            email_key: [1; 16],
            contact_email: email,
            lang: Lang::known("en"),
            ip_key: None,
            now: now(),
        })
        .await
        .unwrap();
    store.verify_endorsement(id, now()).await.unwrap();
    store.decide_endorsement(id, false, Some("not an organisation"), now()).await.unwrap();
    assert_eq!(store.endorsements_in(Some(campaign), EndorsementState::Rejected).await.unwrap().len(), 1);
    assert!(!store.endorsements(campaign).await.unwrap().iter().any(|e| e.id == id));
}

async fn offline_endorsements_are_listed_and_counted_at_once(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let spec = EndorsementSpec {
        endorser: EndorsementSpec::individuals(12).unwrap(),
        country: Some("TW".into()),
        statement: None,
        source_note: Some("paper forms, Taipei rally".into()),
    };
    store.add_offline_endorsement(campaign, &spec).await.unwrap();
    let person = EndorsementSpec {
        endorser: EndorsementSpec::person("Prof. Wong").unwrap(),
        country: Some("HK".into()),
        statement: None,
        source_note: Some("a letter".into()),
    };
    store.add_offline_endorsements(campaign, std::slice::from_ref(&person)).await.unwrap();
    let counts = store.counts(campaign).await.unwrap();
    assert_eq!(counts.offline_individuals, 28, "15 + 12 + one named person");
    assert!(store.endorsements(campaign).await.unwrap().iter().any(|e| e.spec == person));
    let counts = store.counts(campaign).await.unwrap();
    assert_eq!(counts.offline_individuals, 28);
    assert_eq!(counts.individuals(), 28);
    let listed = store.endorsements(campaign).await.unwrap();
    let added = &listed[listed.len() - 2];
    assert_eq!(added.source, EndorsementSource::Offline);
    assert_eq!(added.spec, spec);
}

async fn an_import_under_an_identifier_already_imported_records_nothing(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let spec = |note: &str| EndorsementSpec {
        endorser: EndorsementSpec::individuals(1).unwrap(),
        country: Some("TW".into()),
        statement: None,
        source_note: Some(note.into()),
    };
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let before = store.counts(campaign).await.unwrap().offline_individuals;
    let (first, new) = store
        .import_offline_endorsement(campaign, &spec("CRM"), &ids(&["crm:1", "crm:1", "civi:9"]))
        .await
        .unwrap();
    assert!(new);
    // Any one of its identifiers, alone or among new ones, finds it; nothing more is written.
    for again in [ids(&["crm:1"]), ids(&["other:5", "civi:9"])] {
        let (id, new) = store.import_offline_endorsement(campaign, &spec("again"), &again).await.unwrap();
        assert_eq!((id, new), (first, false), "{again:?}");
    }
    assert_eq!(store.counts(campaign).await.unwrap().offline_individuals, before + 1);
    // Without identifiers, or under new ones, always recorded; another campaign's are its own.
    let (second, new) = store.import_offline_endorsement(campaign, &spec("CRM"), &[]).await.unwrap();
    assert!(new && second != first);
    let (third, new) = store.import_offline_endorsement(campaign, &spec("CRM"), &[]).await.unwrap();
    assert!(new && third != second);
    let mut other = super::demo();
    other.content.slug = undersigned_core::Slug::parse("s", "another-campaign").unwrap();
    let other = store.import_campaigns(&[other]).await.unwrap()[0];
    let (theirs, new) =
        store.import_offline_endorsement(other, &spec("CRM"), &ids(&["crm:1"])).await.unwrap();
    assert!(new && theirs != first);
    assert_eq!(store.counts(campaign).await.unwrap().offline_individuals, before + 3);
    let (listed, _) = store.endorsement(first).await.unwrap().unwrap();
    assert_eq!((listed.spec, listed.source), (spec("CRM"), EndorsementSource::Offline));
}

stories!(
    an_organisation_endorsement_is_listed_once_confirmed_and_approved,
    an_import_under_an_identifier_already_imported_records_nothing,
    a_rejected_endorsement_is_not_listed,
    offline_endorsements_are_listed_and_counted_at_once,
);
