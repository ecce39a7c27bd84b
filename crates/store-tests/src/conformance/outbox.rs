//! The outbox: leases, retries, ids never reused, mail given up and sent again, and the budgets
//! of mail to one address.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};

use super::{demo_campaign, record, stories};

async fn the_outbox_leases_retries_and_gives_up(store: Arc<dyn Store>) {
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

const LEASE: Duration = Duration::seconds(60);

async fn a_lease_that_ran_out_cannot_finish_or_release_the_mail(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let sign = |email: &'static str| {
        let store = store.clone();
        async move {
            store
                .sign(&record(campaign, email, "M", NameDisplay::Full), MailBudget::default())
                .await
                .unwrap();
        }
    };
    sign("b@example.org").await;
    let t = now();
    // A worker claims the mail and stalls; its lease runs out and another worker sends it.
    let stalled = store.claim_mail(t, LEASE, 10).await.unwrap();
    assert_eq!(stalled.len(), 1);
    let taken = store.claim_mail(t + Duration::seconds(61), LEASE, 10).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].id, stalled[0].id);
    assert!(store.mail_done(&taken[0]).await.unwrap(), "the current lease finishes the mail");
    // A newer mail is queued: it never gets the id of the one sent.
    sign("c@example.org").await;
    let newer = store.claim_mail(t + Duration::seconds(62), LEASE, 10).await.unwrap();
    assert_eq!(newer.len(), 1);
    assert_ne!(newer[0].id, stalled[0].id, "ids are never reused");
    // The stalled worker wakes up: whatever it does touches no mail.
    assert!(!store.mail_done(&stalled[0]).await.unwrap());
    assert!(!store.mail_failed(&stalled[0], "timeout, relay", None).await.unwrap());
    store.mails_done(&stalled).await.unwrap();
    store.mail_progress(&stalled[0], 7, t).await.unwrap();
    // The newer mail is still there under its own lease, and is taken again once that runs out.
    assert!(!store.mail_done(&taken[0]).await.unwrap(), "a lease finishes a mail once");
    let again = store.claim_mail(t + Duration::seconds(200), LEASE, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, newer[0].id);
    assert_eq!(again[0].cursor, None);
    assert!(store.failed_mail(10).await.unwrap().is_empty());
    // Under a stale lease in a batch, only the current ones are finished.
    store.mails_done(&[newer[0], again[0]]).await.unwrap();
    assert!(store.claim_mail(t + Duration::days(1), LEASE, 10).await.unwrap().is_empty());
}

async fn mail_given_up_is_listed_and_can_be_sent_again(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for email in ["d@example.org", "e@example.org", "f@example.org"] {
        store.sign(&record(campaign, email, "D", NameDisplay::Full), MailBudget::default()).await.unwrap();
    }
    let t = now();
    let claimed = store.claim_mail(t, LEASE, 10).await.unwrap();
    assert_eq!(claimed.len(), 3);
    for mail in &claimed {
        assert!(store.mail_failed(mail, "550 permanent, recipient", None).await.unwrap());
    }
    assert!(store.claim_mail(t + Duration::days(1), LEASE, 10).await.unwrap().is_empty());
    let failed = store.failed_mail(10).await.unwrap();
    assert_eq!(failed.len(), 3);
    let one = &failed[0];
    assert_eq!(one.kind, MailKind::ConfirmSignature);
    assert_eq!(one.campaign.as_deref(), Some("release-cai-guangye"));
    assert_eq!(one.error.as_deref(), Some("550 permanent, recipient"));
    assert_eq!(one.attempts, 1);
    assert!(one.failed_at.is_some_and(|at| at >= t));
    assert_eq!(store.failed_mail(1).await.unwrap().len(), 1);

    // One by id, then all the others.
    assert_eq!(store.retry_failed_mail(Some(&[one.id]), t).await.unwrap(), 1);
    assert_eq!(store.retry_failed_mail(Some(&[one.id]), t).await.unwrap(), 0, "not failed any more");
    assert_eq!(store.retry_failed_mail(Some(&[]), t).await.unwrap(), 0);
    let retried = store.claim_mail(t, LEASE, 10).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!((retried[0].id, retried[0].attempts), (one.id, 1));
    assert_eq!(store.failed_mail(10).await.unwrap().len(), 2);
    assert_eq!(store.retry_failed_mail(None, t).await.unwrap(), 2);
    assert!(store.failed_mail(10).await.unwrap().is_empty());
    assert_eq!(store.claim_mail(t, LEASE, 10).await.unwrap().len(), 2);
}

async fn mail_budgets_count_per_key_and_renew_after_their_window(store: Arc<dyn Store>) {
    let budget = MailBudget { max: 2, window: Duration::days(1) };
    let t = now();
    let (a, b) = ([1u8; 16], [2u8; 16]);
    assert!(store.take_mail_budget(&a, budget, t).await.unwrap());
    assert!(store.take_mail_budget(&a, budget, t).await.unwrap());
    assert!(!store.take_mail_budget(&a, budget, t).await.unwrap(), "the third in a day");
    assert!(store.take_mail_budget(&b, budget, t).await.unwrap(), "another address has its own");
    let next_day = t + Duration::days(1) + Duration::seconds(1);
    assert!(store.take_mail_budget(&a, budget, next_day).await.unwrap(), "a new window");
    assert!(store.take_mail_budget(&a, budget, next_day).await.unwrap());
    assert!(!store.take_mail_budget(&a, budget, next_day).await.unwrap());
    // Budgets whose window began long ago are forgotten with the IP hashes.
    store.forget_ip_hashes(next_day + Duration::days(2)).await.unwrap();
    assert!(store.take_mail_budget(&a, budget, next_day).await.unwrap(), "forgotten, so renewed");
}

/// What `/metrics` reads at each scrape: the outbox's mails waiting, due and given up, the
/// oldest due, the count journal not yet folded, and the connection pools.
async fn the_gauges_count_what_waits(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let before = store.gauges(t).await.unwrap();
    assert!(!before.pools.is_empty());
    for pool in &before.pools {
        assert!(pool.size >= 1 && pool.size <= pool.max && pool.idle <= pool.size, "{pool:?}");
    }
    assert_eq!(before.signing_queue, 0);
    let mut ids = Vec::new();
    for email in ["g1@example.org", "g2@example.org", "g3@example.org"] {
        let signature = record(campaign, email, "G", NameDisplay::Full);
        match store.sign(&signature, MailBudget::default()).await.unwrap() {
            SignOutcome::Created { id } => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    let t = now();
    let signed = store.gauges(t).await.unwrap();
    assert_eq!(signed.mails_waiting - before.mails_waiting, 3);
    assert_eq!(signed.mails_due - before.mails_due, 3);
    assert!(signed.oldest_due_mail.is_some_and(|due| due <= t));
    // One given up, one to be tried again in an hour: neither is due.
    let claimed = store.claim_mail(t, LEASE, 2).await.unwrap();
    assert_eq!(claimed.len(), 2);
    store.mail_failed(&claimed[0], "550 permanent, recipient", None).await.unwrap();
    store.mail_failed(&claimed[1], "421 try later", Some(t + Duration::hours(1))).await.unwrap();
    let failed = store.gauges(t).await.unwrap();
    assert_eq!(failed.mails_waiting - before.mails_waiting, 2);
    assert_eq!(failed.mails_due - before.mails_due, 1);
    assert_eq!(failed.mails_given_up - before.mails_given_up, 1);
    // A confirmation is journaled until the fold.
    store.fold_counts().await.unwrap();
    assert_eq!(store.gauges(t).await.unwrap().count_journal, 0);
    store.confirm_signature(ids[0], now()).await.unwrap();
    assert_eq!(store.gauges(t).await.unwrap().count_journal, 1);
    store.fold_counts().await.unwrap();
    assert_eq!(store.gauges(t).await.unwrap().count_journal, 0);
}

stories!(
    the_gauges_count_what_waits,
    the_outbox_leases_retries_and_gives_up,
    a_lease_that_ran_out_cannot_finish_or_release_the_mail,
    mail_given_up_is_listed_and_can_be_sent_again,
    mail_budgets_count_per_key_and_renew_after_their_window,
);
