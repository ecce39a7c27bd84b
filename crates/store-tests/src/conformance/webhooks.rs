//! Webhooks: each event queues a delivery for the endpoints that listen for it, in its own
//! transaction; deliveries are claimed under a lease, retried, given up (disabling an endpoint
//! that never answered), sent again on request; paused endpoints hear nothing.

use std::sync::Arc;

use time::Duration;
use undersigned_core::CampaignStatus;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::endorsement::EndorsementSpec;
use undersigned_core::webhook::{
    AttemptOutcome, ClaimedDelivery, DeliveryState, EndpointState, EventSet, FailureRecorded, NewEndpoint,
    WebhookEvent, WebhookSecret, WebhookUrl,
};

use super::{demo_campaign, signature_in, stories};

const LEASE: Duration = Duration::seconds(60);

async fn endpoint(store: &dyn Store, campaign: i64, events: &[WebhookEvent], secret: u8) -> i64 {
    let new = NewEndpoint {
        campaign_id: campaign,
        url: WebhookUrl::parse("url", "https://hooks.example.org/in", false).unwrap(),
        events: EventSet::of(events.iter().copied()),
        personal_data: false,
        secret: WebhookSecret::from_bytes([secret; 32]),
        now: now(),
        organisation_id: None,
    };
    store.create_webhook(&new).await.unwrap()
}

/// What is due now, claimed and put back at once (as `queued` does for mail): (endpoint, event, ref).
async fn due(store: &dyn Store) -> Vec<(i64, WebhookEvent, Option<i64>)> {
    let claimed = store.claim_webhook_deliveries(now(), LEASE, 100).await.unwrap();
    for d in &claimed {
        let outcome = AttemptOutcome { status: Some(500), error: Some("put back".into()), at: now() };
        store.webhook_attempt_failed(d, &outcome, Some(now())).await.unwrap();
    }
    let mut due: Vec<_> = claimed.iter().map(|d| (d.endpoint_id, d.event, d.ref_id)).collect();
    due.sort_by_key(|(e, ev, r)| (*e, ev.as_str(), *r));
    due
}

fn answered(status: u16) -> AttemptOutcome {
    AttemptOutcome { status: Some(status), error: (status >= 300).then(|| "oops".into()), at: now() }
}

async fn each_event_reaches_the_endpoints_that_listen_for_it(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let campaign = demo_campaign(s).await;
    let confirmed = endpoint(s, campaign, &[WebhookEvent::SignatureConfirmed], 1).await;
    let both =
        endpoint(s, campaign, &[WebhookEvent::SignatureConfirmed, WebhookEvent::SignatureWithdrawn], 2).await;
    let pending = signature_in(s, campaign, "pending@example.org", "en", false).await;
    assert!(due(s).await.is_empty(), "nothing for a signature not confirmed");
    let a = signature_in(s, campaign, "a@example.org", "en", true).await;
    assert_eq!(
        due(s).await,
        [
            (confirmed, WebhookEvent::SignatureConfirmed, Some(a)),
            (both, WebhookEvent::SignatureConfirmed, Some(a))
        ]
    );
    // Withdrawn: only confirmed signatures are told of, to those that listen.
    drain(s).await;
    assert!(store.withdraw_signature(pending).await.unwrap());
    assert!(store.withdraw_signature(a).await.unwrap());
    assert_eq!(due(s).await, [(both, WebhookEvent::SignatureWithdrawn, Some(a))]);

    // Another campaign's signatures are not this endpoint's.
    drain(s).await;
    let mut other = super::demo();
    other.content.slug = undersigned_core::Slug::parse("slug", "other").unwrap();
    let other = store.import_campaigns(&[other]).await.unwrap()[0];
    signature_in(s, other, "b@example.org", "en", true).await;
    assert!(due(s).await.is_empty());

    // A paused endpoint hears nothing; a deleted one has no deliveries left.
    assert!(store.set_webhook_state(campaign, confirmed, EndpointState::Paused, now()).await.unwrap());
    assert!(!store.set_webhook_state(campaign, confirmed, EndpointState::Paused, now()).await.unwrap());
    assert!(
        !store.set_webhook_state(other, both, EndpointState::Paused, now()).await.unwrap(),
        "not its campaign's"
    );
    let c = signature_in(s, campaign, "c@example.org", "en", true).await;
    assert_eq!(due(s).await, [(both, WebhookEvent::SignatureConfirmed, Some(c))]);
    assert!(store.delete_webhook(campaign, both).await.unwrap());
    assert!(due(s).await.is_empty());
    assert_eq!(store.webhooks(campaign).await.unwrap().len(), 1);
}

/// Marks everything due as delivered.
async fn drain(store: &dyn Store) {
    for d in store.claim_webhook_deliveries(now(), LEASE, 100).await.unwrap() {
        assert!(store.webhook_delivered(&d, &answered(200)).await.unwrap());
    }
}

async fn endorsements_statuses_and_milestones_are_events_too(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let campaign = demo_campaign(s).await;
    let hook = endpoint(
        s,
        campaign,
        &[
            WebhookEvent::EndorsementApproved,
            WebhookEvent::CampaignStatusChanged,
            WebhookEvent::CampaignMilestone,
        ],
        3,
    )
    .await;
    let spec = EndorsementSpec {
        endorser: EndorsementSpec::person("A. Supporter").unwrap(),
        country: None,
        statement: None,
        source_note: Some("a letter".into()),
    };
    let endorsement = store.add_offline_endorsement(campaign, &spec).await.unwrap();
    assert_eq!(due(s).await, [(hook, WebhookEvent::EndorsementApproved, Some(endorsement))]);
    assert!(matches!(store.endorsement(endorsement).await.unwrap(), Some((e, _)) if e.id == endorsement));

    // A status's change says from what to what, fixed when it happened.
    drain(s).await;
    let mut content = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    content.status = CampaignStatus::Closed;
    content.signature_goal = Some(2);
    store.save_campaign(campaign, &content, false, now()).await.unwrap();
    store.save_campaign(campaign, &content, false, now()).await.unwrap();
    let claimed = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    assert_eq!(claimed.len(), 1, "a save that changes nothing is no event");
    assert_eq!(claimed[0].event, WebhookEvent::CampaignStatusChanged);
    assert_eq!(claimed[0].detail.as_deref(), Some(r#"{"from":"open","to":"closed"}"#));
    store.webhook_delivered(&claimed[0], &answered(204)).await.unwrap();
    signature_in(s, campaign, "signed@example.org", "en", false).await;
    assert_eq!(store.unpublish_campaign(campaign, now()).await.unwrap(), Some(CampaignStatus::Withdrawn));
    assert!(store.republish_campaign(campaign, CampaignStatus::Closed, now()).await.unwrap());
    let mut moves = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    moves.sort_by_key(|d| d.id);
    let moves: Vec<Option<String>> = moves.into_iter().map(|d| d.detail).collect();
    assert_eq!(
        moves,
        [
            Some(r#"{"from":"closed","to":"withdrawn"}"#.into()),
            Some(r#"{"from":"withdrawn","to":"closed"}"#.into())
        ]
    );

    // The goal (2) reached as the counts are folded, once, though the count falls and rises.
    content.status = CampaignStatus::Open;
    store.save_campaign(campaign, &content, false, now()).await.unwrap();
    drain_later(s).await;
    signature_in(s, campaign, "m1@example.org", "en", true).await;
    store.fold_counts().await.unwrap();
    assert!(due(s).await.is_empty());
    let second = signature_in(s, campaign, "m2@example.org", "en", true).await;
    store.fold_counts().await.unwrap();
    let claimed = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].event, WebhookEvent::CampaignMilestone);
    assert_eq!(claimed[0].ref_id, Some(campaign));
    assert_eq!(claimed[0].detail.as_deref(), Some(r#"{"goal":true,"signatures":2}"#));
    store.webhook_delivered(&claimed[0], &answered(200)).await.unwrap();
    store.withdraw_signature(second).await.unwrap();
    store.fold_counts().await.unwrap();
    signature_in(s, campaign, "m3@example.org", "en", true).await;
    store.fold_counts().await.unwrap();
    assert!(store.claim_webhook_deliveries(now() + LEASE, LEASE, 10).await.unwrap().is_empty());
}

/// Marks everything due as delivered, leases that ran out included.
async fn drain_later(store: &dyn Store) {
    for d in store.claim_webhook_deliveries(now() + LEASE * 2, LEASE, 100).await.unwrap() {
        store.webhook_delivered(&d, &answered(200)).await.unwrap();
    }
}

async fn deliveries_are_leased_retried_given_up_and_sent_again(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let campaign = demo_campaign(s).await;
    let hook = endpoint(s, campaign, &[WebhookEvent::SignatureConfirmed], 4).await;
    let signature = signature_in(s, campaign, "l@example.org", "en", true).await;
    let t = now();
    let first = store.claim_webhook_deliveries(t, LEASE, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    let d = &first[0];
    assert_eq!((d.attempts, d.ref_id, d.endpoint_id, d.campaign_id), (1, Some(signature), hook, campaign));
    assert!(d.message_id.starts_with("msg_") && d.message_id.len() == 36, "{}", d.message_id);
    assert_eq!(d.secrets, [vec![4; 32]]);
    assert!(!d.personal_data);
    assert!(store.claim_webhook_deliveries(t, LEASE, 10).await.unwrap().is_empty(), "leased");

    // The worker died: after the lease another takes it, with the same id; the first can no
    // longer record anything.
    let again = store.claim_webhook_deliveries(t + LEASE, LEASE, 10).await.unwrap();
    assert_eq!((again[0].attempts, &again[0].message_id), (2, &d.message_id));
    assert!(!store.webhook_delivered(d, &answered(200)).await.unwrap());
    assert_eq!(
        store.webhook_attempt_failed(d, &answered(500), Some(t)).await.unwrap(),
        FailureRecorded::LeaseLost
    );
    let retry_at = t + Duration::minutes(5);
    assert_eq!(
        store.webhook_attempt_failed(&again[0], &answered(503), Some(retry_at)).await.unwrap(),
        FailureRecorded::Retrying
    );
    let log = store.webhook_deliveries(hook, 10).await.unwrap();
    assert_eq!((log[0].state, log[0].attempts, log[0].last_status), (DeliveryState::Pending, 2, Some(503)));
    assert_eq!(
        log[0].next_attempt_at.map(undersigned_core::clock::micros),
        Some(undersigned_core::clock::micros(retry_at))
    );
    assert!(store.claim_webhook_deliveries(t + Duration::minutes(4), LEASE, 10).await.unwrap().is_empty());

    // Given up with nothing ever delivered: the endpoint is disabled, by the system, in the log.
    let third = store.claim_webhook_deliveries(retry_at, LEASE, 10).await.unwrap();
    let outcome = AttemptOutcome { status: None, error: Some("timed out".into()), at: now() };
    assert_eq!(
        store.webhook_attempt_failed(&third[0], &outcome, None).await.unwrap(),
        FailureRecorded::EndpointDisabled
    );
    let endpoint = store.webhook(campaign, hook).await.unwrap().unwrap();
    assert_eq!(endpoint.state, EndpointState::Disabled);
    let audit = store.audit_log(Some(campaign), 5).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].actor.as_str()), ("webhook-disabled", "system"));
    let log = store.webhook_deliveries(hook, 10).await.unwrap();
    assert_eq!(
        (log[0].state, log[0].last_status, log[0].last_error.as_deref()),
        (DeliveryState::Failed, None, Some("timed out"))
    );
    assert_eq!(log[0].next_attempt_at, None);

    // Disabled: a test waits; resumed, it goes, and the failed one again when asked, with the
    // whole schedule.
    let test = store.queue_webhook_test(campaign, hook, now()).await.unwrap().unwrap();
    assert!(store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap().is_empty());
    assert!(store.set_webhook_state(campaign, hook, EndpointState::Active, now()).await.unwrap());
    assert!(store.retry_webhook_delivery(campaign, hook, third[0].id, now()).await.unwrap());
    let resumed = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    let mut ids: Vec<i64> = resumed.iter().map(|d| d.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [third[0].id, test]);
    let retried = resumed.iter().find(|d| d.id == third[0].id).unwrap();
    assert_eq!((retried.attempts, &retried.message_id), (1, &d.message_id));
    for d in &resumed {
        assert!(store.webhook_delivered(d, &answered(200)).await.unwrap());
    }
    assert!(!store.retry_webhook_delivery(campaign, hook, test, now()).await.unwrap(), "delivered");
    assert!(store.webhook(campaign, hook).await.unwrap().unwrap().last_success_at.is_some());

    // A delivery given up while others to the endpoint went through does not disable it.
    signature_in(s, campaign, "l2@example.org", "en", true).await;
    store.queue_webhook_test(campaign, hook, now()).await.unwrap().unwrap();
    let late = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    let (given_up, fine) = match late[0].event {
        WebhookEvent::Test => (&late[1], &late[0]),
        _ => (&late[0], &late[1]),
    };
    assert!(store.webhook_delivered(fine, &answered(200)).await.unwrap());
    assert_eq!(
        store.webhook_attempt_failed(given_up, &answered(410), None).await.unwrap(),
        FailureRecorded::Failed
    );
    assert_eq!(store.webhook(campaign, hook).await.unwrap().unwrap().state, EndpointState::Active);
    assert_eq!(store.forget_webhook_deliveries(now() + Duration::seconds(1)).await.unwrap(), 4);
    assert!(store.webhook_deliveries(hook, 10).await.unwrap().is_empty());
}

async fn a_rotated_secret_signs_beside_the_new_one_for_a_day(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let campaign = demo_campaign(s).await;
    let hook = endpoint(s, campaign, &[WebhookEvent::SignatureConfirmed], 5).await;
    assert!(
        store
            .rotate_webhook_secret(campaign, hook, &WebhookSecret::from_bytes([6; 32]), now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .rotate_webhook_secret(campaign + 1, hook, &WebhookSecret::from_bytes([7; 32]), now())
            .await
            .unwrap()
    );
    store.queue_webhook_test(campaign, hook, now()).await.unwrap().unwrap();
    let claimed: Vec<ClaimedDelivery> = store.claim_webhook_deliveries(now(), LEASE, 10).await.unwrap();
    assert_eq!(claimed[0].secrets, [vec![6; 32], vec![5; 32]]);
    assert_eq!(claimed[0].event, WebhookEvent::Test);
    let tomorrow = now() + Duration::days(1) + Duration::minutes(1);
    let later = store.claim_webhook_deliveries(tomorrow, LEASE, 10).await.unwrap();
    assert_eq!(later[0].secrets, [vec![6; 32]]);
    assert!(store.webhook(campaign, hook).await.unwrap().unwrap().rotated_at.is_some());
    assert!(store.queue_webhook_test(campaign + 1, hook, now()).await.unwrap().is_none());
}

stories!(
    each_event_reaches_the_endpoints_that_listen_for_it,
    endorsements_statuses_and_milestones_are_events_too,
    deliveries_are_leased_retried_given_up_and_sent_again,
    a_rotated_secret_signs_beside_the_new_one_for_a_day,
);
