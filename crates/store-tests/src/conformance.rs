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

// Signing.

use time::Duration;
use undersigned_core::keys::Keys;
use undersigned_core::signature::{ListCursor, MailBudget, NameDisplay, NewSignature, SignOutcome};
use undersigned_core::store::{
    Confirmation, Counts, EndorsementRequest, EndorsementState, MailKind, SignatureRecord, now,
};
use undersigned_core::{Email, EndorsementSpec, Lang, OrganisationType};

/// The demo campaign, imported; its id.
pub async fn demo_campaign(store: &dyn Store) -> i64 {
    store.import_campaigns(&[demo()]).await.unwrap()[0]
}

pub fn record(campaign: i64, email: &str, name: &str, display: NameDisplay) -> SignatureRecord {
    let email = Email::parse("email", email).unwrap();
    SignatureRecord {
        campaign_id: campaign,
        email_key: Keys::new([3; 32]).email_key(campaign, &email.canonical()),
        signer: NewSignature {
            name: name.into(),
            email,
            country: "HK".into(),
            city: None,
            affiliation: None,
            comment: Some("Solidarity".into()),
            display,
            opt_in: false,
            lang: Lang::known("zh-Hant"),
        },
        version: Lang::known("zh-Hant"),
        ip_key: Some([9; 16]),
        now: now(),
    }
}

pub async fn queued(store: &dyn Store) -> Vec<(MailKind, i64)> {
    let mails = store.claim_mail(now(), Duration::seconds(60), 100).await.unwrap();
    for m in &mails {
        store.mail_failed(m, "put back by the test", Some(now())).await.unwrap();
    }
    mails.iter().map(|m| (m.kind, m.ref_id)).collect()
}

pub async fn a_signature_counts_only_once_confirmed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let outcome = store
        .sign(&record(campaign, "chan@example.org", "Chan Tai Man", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    let SignOutcome::Created { id } = outcome else { panic!("{outcome:?}") };
    assert_eq!(queued(store.as_ref()).await, [(MailKind::ConfirmSignature, id)]);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 0);
    assert!(store.public_signatures(campaign, None, 10).await.unwrap().is_empty());

    let stored = store.signature(id).await.unwrap().unwrap();
    assert_eq!(stored.signer.email.as_str(), "chan@example.org");
    let read = store.signatures(&[id + 1000, id]).await.unwrap();
    assert_eq!(read.iter().map(|s| s.id).collect::<Vec<_>>(), [id], "those that exist");
    assert_eq!(stored.signer.lang.as_str(), "zh-Hant");

    assert_eq!(store.confirm_signature(id, now()).await.unwrap(), Confirmation::Confirmed);
    assert_eq!(store.confirm_signature(id, now()).await.unwrap(), Confirmation::AlreadyConfirmed);
    assert_eq!(store.confirm_signature(id + 1000, now()).await.unwrap(), Confirmation::NotFound);
    let counts = store.counts(campaign).await.unwrap();
    assert_eq!(counts, Counts { signatures: 1, offline_individuals: 15, organisations: 6 });
    let listed = store.public_signatures(campaign, None, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Chan Tai Man");
    assert_eq!(listed[0].comment.as_deref(), Some("Solidarity"));
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), [("HK".to_owned(), 1)]);
}

pub async fn a_second_signature_from_one_address_is_not_counted_and_mails_are_limited(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let budget = MailBudget { max: 3, window: Duration::days(1) };
    let first = record(campaign, "chan@example.org", "Chan", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&first, budget).await.unwrap() else { panic!() };
    // Pending: the link is sent again, within the budget (the first mail counted as one).
    assert_eq!(store.sign(&first, budget).await.unwrap(), SignOutcome::StillPending { id, mailed: true });
    assert_eq!(store.sign(&first, budget).await.unwrap(), SignOutcome::StillPending { id, mailed: true });
    assert_eq!(store.sign(&first, budget).await.unwrap(), SignOutcome::StillPending { id, mailed: false });
    store.confirm_signature(id, now()).await.unwrap();
    // A day later the budget is renewed; a confirmed signer is told they signed already.
    let later = SignatureRecord { now: now() + Duration::days(1) + Duration::seconds(1), ..first.clone() };
    assert_eq!(store.sign(&later, budget).await.unwrap(), SignOutcome::AlreadyConfirmed { id, mailed: true });
    let kinds: Vec<MailKind> = queued(store.as_ref()).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds.iter().filter(|k| **k == MailKind::ConfirmSignature).count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == MailKind::AlreadySigned).count(), 0, "not due yet");
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
}

pub async fn twenty_concurrent_signatures_from_one_address_make_one(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let signer = record(campaign, "race@example.org", "Race", NameDisplay::Full);
    let attempts = (0..20).map(|_| {
        let store = store.clone();
        let signer = signer.clone();
        tokio::spawn(async move { store.sign(&signer, MailBudget::default()).await.unwrap() })
    });
    let mut outcomes = Vec::new();
    for attempt in attempts {
        outcomes.push(attempt.await.unwrap());
    }
    let created: Vec<_> = outcomes.iter().filter(|o| matches!(o, SignOutcome::Created { .. })).collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    let SignOutcome::Created { id } = created[0] else { unreachable!() };
    store.confirm_signature(*id, now()).await.unwrap();
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
}

pub async fn withdrawing_removes_the_signature_and_its_mail(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let signer = record(campaign, "w@example.org", "W", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&signer, MailBudget::default()).await.unwrap() else {
        panic!()
    };
    store.confirm_signature(id, now()).await.unwrap();
    assert!(store.withdraw_signature(id).await.unwrap());
    assert!(!store.withdraw_signature(id).await.unwrap());
    assert!(store.signature(id).await.unwrap().is_none());
    assert!(queued(store.as_ref()).await.is_empty());
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 0);
    // The address may sign again.
    assert!(matches!(store.sign(&signer, MailBudget::default()).await.unwrap(), SignOutcome::Created { .. }));
}

pub async fn the_public_list_shows_names_as_chosen_newest_first_in_pages(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let displays = [NameDisplay::Full, NameDisplay::FirstInitial, NameDisplay::Hidden];
    for i in 0..7 {
        let r = record(campaign, &format!("p{i}@example.org"), &format!("Person Number{i}"), displays[i % 3]);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        store.confirm_signature(id, now() + Duration::milliseconds(i as i64)).await.unwrap();
    }
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 7, "hidden names count too");
    let first = store.public_signatures(campaign, None, 3).await.unwrap();
    let names: Vec<&str> = first.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Person Number6", "Person N.", "Person Number3"]);
    let cursor = ListCursor { confirmed_at: first[2].confirmed_at, id: first[2].id };
    let second = store.public_signatures(campaign, Some(cursor), 3).await.unwrap();
    let names: Vec<&str> = second.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Person N.", "Person Number0"]);
}

pub async fn the_outbox_leases_retries_and_gives_up(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    store
        .sign(&record(campaign, "m@example.org", "M", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    let t = now();
    let claimed = store.claim_mail(t, Duration::seconds(60), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 1);
    assert!(store.claim_mail(t, Duration::seconds(60), 10).await.unwrap().is_empty(), "leased");
    // A worker that died: the lease runs out and another takes the mail.
    let again = store.claim_mail(t + Duration::seconds(61), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(again[0].attempts, 2);
    store.mail_failed(&again[0], "421 try later", Some(t + Duration::minutes(5))).await.unwrap();
    assert!(store.claim_mail(t + Duration::minutes(4), Duration::seconds(60), 10).await.unwrap().is_empty());
    let third = store.claim_mail(t + Duration::minutes(5), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(third.len(), 1);
    store.mail_failed(&third[0], "550 permanent, recipient", None).await.unwrap();
    assert!(store.claim_mail(t + Duration::days(1), Duration::seconds(60), 10).await.unwrap().is_empty());

    store
        .sign(&record(campaign, "n@example.org", "N", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    let next = store.claim_mail(now(), Duration::seconds(60), 10).await.unwrap();
    store.mail_done(&next[0]).await.unwrap();
    assert!(store.claim_mail(now() + Duration::days(1), Duration::seconds(60), 10).await.unwrap().is_empty());

    // A whole batch leaves the outbox in one write.
    for email in ["o1@example.org", "o2@example.org"] {
        store.sign(&record(campaign, email, "O", NameDisplay::Full), MailBudget::default()).await.unwrap();
    }
    let batch = store.claim_mail(now(), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(batch.len(), 2);
    store.mails_done(&batch).await.unwrap();
    store.mails_done(&[]).await.unwrap();
    assert!(store.claim_mail(now() + Duration::days(1), Duration::seconds(60), 10).await.unwrap().is_empty());
}

pub async fn an_organisation_endorsement_is_listed_once_confirmed_and_approved(store: Arc<dyn Store>) {
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

pub async fn a_rejected_endorsement_is_not_listed(store: Arc<dyn Store>) {
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

pub async fn offline_endorsements_are_listed_and_counted_at_once(store: Arc<dyn Store>) {
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

pub async fn ip_hashes_are_forgotten_after_their_time(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    store
        .sign(&record(campaign, "ip@example.org", "Ip", NameDisplay::Full), MailBudget::default())
        .await
        .unwrap();
    assert_eq!(store.forget_ip_hashes(now() - Duration::days(1)).await.unwrap(), 0);
    assert_eq!(store.forget_ip_hashes(now() + Duration::seconds(1)).await.unwrap(), 1);
    assert_eq!(store.forget_ip_hashes(now() + Duration::seconds(1)).await.unwrap(), 0);
}

/// One key per day for every instance, deleted once the day's hashes are forgotten: afterwards
/// the day gets a new key, so nothing can make that day's hashes again.
pub async fn ip_hash_keys_are_one_per_day_and_go_with_their_hashes(store: Arc<dyn Store>) {
    use undersigned_core::keys::day_number;
    let today = day_number(now());
    let key = store.ip_hash_key(today, [1; 32]).await.unwrap();
    assert_eq!(key, [1; 32]);
    assert_eq!(store.ip_hash_key(today, [2; 32]).await.unwrap(), key, "the kept key, not a new one");
    assert_eq!(store.ip_hash_key(today - 1, [3; 32]).await.unwrap(), [3; 32]);
    // Forgetting the hashes made before today's start deletes yesterday's key, not today's.
    let midnight = now().replace_time(time::Time::MIDNIGHT);
    store.forget_ip_hashes(midnight).await.unwrap();
    assert_eq!(store.ip_hash_key(today, [4; 32]).await.unwrap(), key);
    assert_eq!(store.ip_hash_key(today - 1, [5; 32]).await.unwrap(), [5; 32], "yesterday's key was deleted");
    store.forget_ip_hashes(midnight + Duration::days(1)).await.unwrap();
    assert_eq!(store.ip_hash_key(today, [6; 32]).await.unwrap(), [6; 32], "today's key was deleted");
}

// Organisers.

use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::store::NewUser;

fn new_user(email: &str, password: Option<&str>) -> NewUser {
    NewUser {
        email: email.into(),
        name: "Organiser".into(),
        is_admin: false,
        password_hash: password.map(Into::into),
    }
}

pub async fn accounts_and_sessions(store: Arc<dyn Store>) {
    let t = now();
    let id = store.create_user(&new_user("lam@example.org", Some("hash-1")), t).await.unwrap();
    assert!(matches!(
        store.create_user(&new_user("lam@example.org", None), t).await,
        Err(undersigned_core::StoreError::Conflict(_))
    ));
    let (user, hash) = store.user_by_email("lam@example.org").await.unwrap().unwrap();
    assert_eq!((user.id, user.is_admin, hash.as_deref()), (id, false, Some("hash-1")));
    assert!(store.user_by_email("nobody@example.org").await.unwrap().is_none());

    store.create_session(b"token-1", id, t, t + Duration::hours(1)).await.unwrap();
    assert_eq!(store.session_user(b"token-1", t).await.unwrap().unwrap().id, id);
    assert!(store.session_user(b"token-1", t + Duration::hours(2)).await.unwrap().is_none(), "expired");
    assert!(store.session_user(b"token-2", t).await.unwrap().is_none());
    store.end_session(b"token-1").await.unwrap();
    assert!(store.session_user(b"token-1", t).await.unwrap().is_none(), "logged out");

    store.create_session(b"token-3", id, t, t + Duration::hours(1)).await.unwrap();
    store.set_password(id, "hash-2").await.unwrap();
    assert!(store.session_user(b"token-3", t).await.unwrap().is_none(), "a new password ends every session");
    assert_eq!(store.user_by_id(id).await.unwrap().unwrap().1.as_deref(), Some("hash-2"));
}

pub async fn roles_give_organisers_their_campaigns(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let a = store.create_user(&new_user("a@example.org", Some("h")), t).await.unwrap();
    let b = store.create_user(&new_user("b@example.org", Some("h")), t).await.unwrap();
    store.set_role(campaign, a, Some(Role::Moderator)).await.unwrap();
    store.set_role(campaign, a, Some(Role::Owner)).await.unwrap();
    store.set_role(campaign, b, Some(Role::Editor)).await.unwrap();
    assert_eq!(store.role(campaign, a).await.unwrap(), Some(Role::Owner));
    assert_eq!(store.campaigns_of(b).await.unwrap(), [(campaign, Role::Editor)]);
    let team: Vec<(String, Role)> =
        store.team(campaign).await.unwrap().into_iter().map(|(u, r)| (u.email, r)).collect();
    assert_eq!(team, [("a@example.org".to_owned(), Role::Owner), ("b@example.org".to_owned(), Role::Editor)]);
    store.set_role(campaign, b, None).await.unwrap();
    assert_eq!(store.role(campaign, b).await.unwrap(), None);
    assert_eq!(store.all_campaigns().await.unwrap().len(), 1);
}

pub async fn invitations_and_resets_queue_their_mail(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let id =
        store.invite(&new_user("new@example.org", None), Some((campaign, Role::Editor)), t).await.unwrap();
    assert_eq!(store.role(campaign, id).await.unwrap(), Some(Role::Editor));
    assert_eq!(queued(store.as_ref()).await, [(MailKind::Invitation, id)]);
    // Inviting again (another role) keeps the one account.
    assert_eq!(
        store.invite(&new_user("new@example.org", None), Some((campaign, Role::Owner)), t).await.unwrap(),
        id
    );
    assert_eq!(store.role(campaign, id).await.unwrap(), Some(Role::Owner));

    assert!(store.request_password_reset("new@example.org", t).await.unwrap());
    assert!(!store.request_password_reset("nobody@example.org", t).await.unwrap());
    let kinds: Vec<MailKind> = queued(store.as_ref()).await.into_iter().map(|(k, _)| k).collect();
    assert!(kinds.contains(&MailKind::PasswordReset));
}

pub async fn the_audit_log_keeps_who_did_what(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for (i, c) in [(1, Some(campaign)), (2, None), (3, Some(campaign))] {
        let entry = AuditEntry {
            at: now(),
            actor: "lam@example.org".into(),
            campaign_id: c,
            action: format!("action-{i}"),
            subject: "endorsement #1".into(),
            detail: String::new(),
        };
        store.audit(&entry).await.unwrap();
    }
    let all: Vec<String> = store.audit_log(None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(all, ["action-3", "action-2", "action-1"]);
    let one: Vec<String> =
        store.audit_log(Some(campaign), 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(one, ["action-3", "action-1"]);
}

pub async fn the_export_holds_confirmed_signatures_only(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for (i, confirm) in [(1, true), (2, false), (3, true)] {
        let r = record(campaign, &format!("x{i}@example.org"), &format!("X{i}"), NameDisplay::Hidden);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        if confirm {
            store.confirm_signature(id, now()).await.unwrap();
        }
    }
    let names: Vec<String> = store
        .signatures_for_export(campaign, None, 1_000)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.signer.name)
        .collect();
    assert_eq!(names, ["X1", "X3"]);
}

pub async fn the_export_pages_through_every_signature_once(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let at = now();
    for i in 0..7 {
        let r = record(campaign, &format!("p{i}@example.org"), &format!("P{i}"), NameDisplay::Hidden);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        // Several confirmed in the same instant: the page boundary falls between equal times.
        let when = if i < 4 { at } else { at + Duration::seconds(i) };
        store.confirm_signature(id, when).await.unwrap();
    }
    let whole: Vec<i64> =
        store.signatures_for_export(campaign, None, 1_000).await.unwrap().iter().map(|s| s.id).collect();
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = store.signatures_for_export(campaign, after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(ListCursor { confirmed_at: last.confirmed_at.unwrap(), id: last.id });
        paged.extend(page.iter().map(|s| s.id));
    }
    assert_eq!(whole.len(), 7);
    assert_eq!(paged, whole, "pages of two give every signature once, in order");
}

// Editing campaigns.

pub async fn a_new_campaign_is_a_draft_owned_by_its_creator(store: Arc<dyn Store>) {
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

pub async fn edits_after_signing_keep_the_text_that_was_signed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let original = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    let mut edited = original.clone();
    edited.versions[0].demands.push("A fifth demand.".into());
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
    assert_eq!(store.campaign_by_id(campaign).await.unwrap().unwrap().content, again);
    assert!(matches!(
        store.save_campaign(campaign + 99, &again, false, now()).await,
        Err(undersigned_core::StoreError::NotFound)
    ));
}

// Moderating signatures.

use undersigned_core::store::SignatureFilter;

pub async fn invalidating_in_bulk_is_previewed_recorded_and_reversible(store: Arc<dyn Store>) {
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

pub async fn many_signatures_from_one_ip_hash_are_flagged(store: Arc<dyn Store>) {
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

// Updates.

use undersigned_core::store::UpdateText;

pub async fn updates_reach_only_signers_who_asked_for_news(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    for (i, opt_in) in [(1, true), (2, false), (3, true)] {
        let mut r = record(campaign, &format!("n{i}@example.org"), "N", NameDisplay::Full);
        r.signer.opt_in = opt_in;
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        store.confirm_signature(id, now()).await.unwrap();
        ids.push(id);
    }
    for mail in store.claim_mail(now(), Duration::seconds(60), 100).await.unwrap() {
        store.mail_done(&mail).await.unwrap();
    }
    let texts = [
        UpdateText {
            lang: Lang::known("en"),
            title: "We delivered".into(),
            body: "The **list** went in.".into(),
        },
        UpdateText {
            lang: Lang::known("zh-Hant"), title: "已遞交".into(), body: "名單已經遞交。".into()
        },
    ];
    let first = store.post_update(campaign, "lam@example.org", &texts[..1], false, now()).await.unwrap();
    let update = store
        .post_update(campaign, "lam@example.org", &texts, true, now() + Duration::seconds(1))
        .await
        .unwrap();
    let listed = store.updates(Some(campaign), 10).await.unwrap();
    assert_eq!(listed.iter().map(|u| u.id).collect::<Vec<_>>(), [update, first], "newest first");
    let stored = store.update(update).await.unwrap().unwrap();
    assert_eq!(stored.texts, texts);
    assert_eq!(stored.text(&Lang::known("zh-Hans"), &Lang::known("en")).unwrap().title, "已遞交");
    assert_eq!(store.updates(None, 10).await.unwrap().len(), 2);

    let later = || now() + Duration::seconds(2);
    let jobs = store.claim_mail(later(), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(
        jobs.iter().map(|j| (j.kind, j.ref_id, j.cursor)).collect::<Vec<_>>(),
        [(MailKind::UpdateBatch, update, Some(0))]
    );
    let news: Vec<i64> = store.opted_in(campaign, 0, 10).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(news, [ids[0], ids[2]]);
    assert_eq!(store.opted_in(campaign, ids[0], 10).await.unwrap().len(), 1, "after the cursor");
    store.mail_progress(&jobs[0], ids[0], now()).await.unwrap();
    let again = store.claim_mail(later(), Duration::seconds(60), 10).await.unwrap();
    assert_eq!(again[0].cursor, Some(ids[0]));
    store.mail_done(&again[0]).await.unwrap();

    assert!(store.unsubscribe(ids[2]).await.unwrap());
    assert_eq!(store.opted_in(campaign, 0, 10).await.unwrap().len(), 1);
    store.queue_mail(MailKind::UpdateOne, ids[0], Some(update), now()).await.unwrap();
    let one = store.claim_mail(later(), Duration::seconds(60), 10).await.unwrap();
    assert_eq!((one[0].kind, one[0].ref_id, one[0].cursor), (MailKind::UpdateOne, ids[0], Some(update)));
}

// Retention.

pub async fn after_retention_signers_are_anonymised_and_counts_stay(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for (i, display, confirm) in
        [(1, NameDisplay::Full, true), (2, NameDisplay::Hidden, true), (3, NameDisplay::Full, false)]
    {
        let r = record(campaign, &format!("r{i}@example.org"), &format!("Person Number{i}"), display);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        if confirm {
            store.confirm_signature(id, now()).await.unwrap();
        }
    }
    let t = now();
    assert!(store.retention_due(t).await.unwrap().is_empty(), "an open campaign keeps its data");
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, t).await.unwrap();
    assert_eq!(store.ended_at(campaign).await.unwrap(), Some(t));
    assert!(store.retention_due(t - Duration::days(1)).await.unwrap().is_empty(), "not due before its time");
    let due = store.retention_due(t + Duration::days(1)).await.unwrap();
    assert_eq!((due.len(), due[0].signatures), (1, 3));

    let before = store.counts(campaign).await.unwrap();
    let by_country = store.counts_by_country(campaign).await.unwrap();
    assert_eq!(store.anonymise(campaign).await.unwrap(), 2, "the two confirmed; the pending one is deleted");
    assert_eq!(store.counts(campaign).await.unwrap(), before);
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), by_country);
    let listed: Vec<String> =
        store.public_signatures(campaign, None, 10).await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(listed, ["Person Number1"]);
    for s in store.signatures_for_export(campaign, None, 1_000).await.unwrap() {
        assert_eq!(s.signer.email.as_str(), "", "no address left");
        assert!(!s.signer.opt_in);
    }
    let key = Keys::new([3; 32]).email_key(campaign, "r1@example.org");
    assert!(store.signature_by_key(&key).await.unwrap().is_none(), "the address's hash is gone");
    assert!(store.retention_due(t + Duration::days(1)).await.unwrap().is_empty(), "done once");
}

// Comments.

use undersigned_core::store::{CommentStatus, NewComment};

pub fn comment(campaign: i64, email: &str, parent: Option<i64>) -> NewComment {
    let email = Email::parse("email", email).unwrap();
    NewComment {
        campaign_id: campaign,
        parent_id: parent,
        email_key: Keys::new([3; 32]).email_key(0, &email.canonical()),
        email,
        name: "Commenter".into(),
        website: None,
        body: "Solidarity from Seoul.".into(),
        now: now(),
    }
}

pub async fn comments_wait_for_their_commenter_then_for_moderation_as_chosen(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    assert!(!store.pre_moderation(campaign).await.unwrap(), "post-moderation by default");
    let first = store.add_comment(&comment(campaign, "c@example.org", None)).await.unwrap();
    assert_eq!(queued(store.as_ref()).await, [(MailKind::ConfirmComment, first)]);
    assert!(store.comments(campaign, &[CommentStatus::Visible]).await.unwrap().is_empty());
    let (_, commenter) = store.comment(first).await.unwrap().unwrap();
    assert_eq!(commenter.unwrap().1, "c@example.org");
    assert_eq!(store.confirm_comment(first, false, now()).await.unwrap(), CommentStatus::Visible);

    // Each comment waits for its own confirmation; a reply hangs under its parent.
    let reply = store.add_comment(&comment(campaign, "C@example.org", Some(first))).await.unwrap();
    assert_eq!(store.comment(reply).await.unwrap().unwrap().0.status, CommentStatus::Unverified);
    assert_eq!(store.confirm_comment(reply, false, now()).await.unwrap(), CommentStatus::Visible);
    let visible = store.comments(campaign, &[CommentStatus::Visible]).await.unwrap();
    assert_eq!(
        visible.iter().map(|c| (c.id, c.parent_id)).collect::<Vec<_>>(),
        [(first, None), (reply, Some(first))]
    );

    store.set_pre_moderation(campaign, true).await.unwrap();
    let held = store.add_comment(&comment(campaign, "c@example.org", None)).await.unwrap();
    assert_eq!(store.confirm_comment(held, true, now()).await.unwrap(), CommentStatus::Held);
    assert!(store.set_comment_status(campaign, held, CommentStatus::Visible).await.unwrap());

    assert!(store.report_comment(campaign, first).await.unwrap());
    assert_eq!(store.comments(campaign, &[CommentStatus::Visible]).await.unwrap()[0].reports, 1);
    assert!(store.set_comment_status(campaign, first, CommentStatus::Hidden).await.unwrap());
    let organiser = store
        .add_organiser_reply(campaign, reply, "Hong Kong Labour Group", "Thank you.", now())
        .await
        .unwrap();
    let replies: Vec<_> = store.comments(campaign, &[CommentStatus::Visible]).await.unwrap();
    assert!(replies.iter().any(|c| c.id == organiser && c.organiser));
    assert!(store.delete_comment(campaign, held).await.unwrap());
    assert!(store.add_organiser_reply(campaign, 999_999, "X", "Y", now()).await.is_err());
}

// Aggregated counts (issue 7).

pub async fn counts_are_aggregated_exactly_whenever_the_journal_is_folded(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut ids = Vec::new();
    for (i, (country, lang)) in
        [("HK", "zh-Hant"), ("HK", "en"), ("TW", "zh-Hant"), ("GB", "en"), ("HK", "zh-Hant")]
            .iter()
            .enumerate()
    {
        let mut r = record(campaign, &format!("c{i}@example.org"), "Name", NameDisplay::Full);
        r.signer.country = (*country).into();
        r.signer.lang = Lang::known(lang);
        r.version = Lang::known(lang);
        let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else {
            panic!()
        };
        ids.push(id);
    }
    for (i, id) in ids.iter().enumerate() {
        store.confirm_signature(*id, now()).await.unwrap();
        if i == 2 {
            assert_eq!(store.fold_counts().await.unwrap(), 3, "three confirmations journaled");
        }
    }
    let expect = |signatures: i64, countries: &[(&str, i64)], langs: &[(&str, i64)]| {
        let store = store.clone();
        let countries: Vec<(String, i64)> = countries.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect();
        let langs: Vec<(String, i64)> = langs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect();
        async move {
            assert_eq!(store.counts(campaign).await.unwrap().signatures, signatures);
            assert_eq!(store.counts_by_country(campaign).await.unwrap(), countries);
            assert_eq!(store.campaign_stats(campaign).await.unwrap().by_lang, langs);
        }
    };
    // Folded or not, the counts are the same.
    expect(5, &[("HK", 3), ("GB", 1), ("TW", 1)], &[("zh-Hant", 3), ("en", 2)]).await;
    assert_eq!(store.fold_counts().await.unwrap(), 2);
    assert_eq!(store.fold_counts().await.unwrap(), 0, "nothing left to fold");
    expect(5, &[("HK", 3), ("GB", 1), ("TW", 1)], &[("zh-Hant", 3), ("en", 2)]).await;

    // Invalidation, withdrawal and restoring all go through the journal.
    let tw = SignatureFilter { country: Some("TW".into()), ..Default::default() };
    let (inv, _) = store.invalidate(campaign, &tw, "mod@example.org", now()).await.unwrap();
    assert!(store.withdraw_signature(ids[3]).await.unwrap());
    expect(3, &[("HK", 3)], &[("zh-Hant", 2), ("en", 1)]).await;
    store.fold_counts().await.unwrap();
    expect(3, &[("HK", 3)], &[("zh-Hant", 2), ("en", 1)]).await;
    store.restore_invalidation(campaign, inv, now()).await.unwrap();

    // Aggregators running at once (as on two instances) fold each entry exactly once.
    let folds = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.fold_counts().await.unwrap() })
    });
    let mut folded = 0;
    for fold in folds {
        folded += fold.await.unwrap();
    }
    assert_eq!(folded + store.fold_counts().await.unwrap(), 1, "the restored signature, once");
    expect(4, &[("HK", 3), ("TW", 1)], &[("zh-Hant", 3), ("en", 1)]).await;
    // A pending signature does not count, however it is folded.
    let r = record(campaign, "pending@example.org", "P", NameDisplay::Full);
    store.sign(&r, MailBudget::default()).await.unwrap();
    store.fold_counts().await.unwrap();
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 4);
}

pub async fn concurrent_confirmations_confirm_once(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let r = record(campaign, "twice@example.org", "Twice", NameDisplay::Full);
    let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    // The same link pressed many times at once, and a link to nothing, all in the same moments.
    let presses = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store.confirm_signature(if i == 7 { id + 1_000 } else { id }, now()).await.unwrap()
        })
    });
    let mut outcomes = Vec::new();
    for press in presses {
        outcomes.push(press.await.unwrap());
    }
    let count = |c: Confirmation| outcomes.iter().filter(|o| **o == c).count();
    assert_eq!(count(Confirmation::Confirmed), 1, "{outcomes:?}");
    assert_eq!(count(Confirmation::AlreadyConfirmed), 18);
    assert_eq!(count(Confirmation::NotFound), 1);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
}
