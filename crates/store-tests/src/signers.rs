//! Conformance stories of issue 11 about signers and commenters: what is confirmed is what the
//! person who confirms was shown, each comment is confirmed by itself, mails to an address are
//! budgeted, and commenters' addresses go with retention and withdrawal.

use std::sync::Arc;

use time::Duration;
use undersigned_core::keys::Keys;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::store::{CommentStatus, Confirmation, MailKind, now};
use undersigned_core::{CampaignStatus, Store};

use crate::conformance::{comment, demo_campaign, queued, record};

pub async fn a_later_submission_replaces_a_pending_signature_and_only_the_revision_shown_confirms(
    store: Arc<dyn Store>,
) {
    let campaign = demo_campaign(store.as_ref()).await;
    let budget = MailBudget { max: 3, window: Duration::days(1) };
    // Someone signs first with the activist's address, showing a name and words of theirs.
    let mut planted = record(campaign, "activist@example.org", "Planted Name", NameDisplay::Full);
    planted.signer.comment = Some("Words the activist never wrote".into());
    planted.signer.opt_in = true;
    let SignOutcome::Created { id } = store.sign(&planted, budget).await.unwrap() else { panic!() };
    assert_eq!(store.signature(id).await.unwrap().unwrap().revision, 0);
    // The activist signs later with other choices: the latest is what the signature holds.
    let mut own = record(campaign, "activist@example.org", "Real Activist", NameDisplay::Hidden);
    own.signer.comment = None;
    own.signer.country = "TW".into();
    assert_eq!(store.sign(&own, budget).await.unwrap(), SignOutcome::StillPending { id, mailed: true });
    // The same choices again are no new revision: either mail's link confirms them.
    assert_eq!(store.sign(&own, budget).await.unwrap(), SignOutcome::StillPending { id, mailed: true });
    let now_held = store.signature(id).await.unwrap().unwrap();
    assert_eq!(now_held.revision, 1);
    assert_eq!(now_held.signer.name, "Real Activist");
    assert_eq!((now_held.signer.display, now_held.signer.comment.as_deref()), (NameDisplay::Hidden, None));
    assert_eq!((now_held.signer.country.as_str(), now_held.signer.opt_in), ("TW", false));

    // A confirmation of what was shown before the change confirms nothing.
    assert_eq!(store.confirm_signature_revision(id, 0, now()).await.unwrap(), Confirmation::Changed);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 0);
    assert_eq!(store.confirm_signature_revision(id, 1, now()).await.unwrap(), Confirmation::Confirmed);
    assert_eq!(store.confirm_signature_revision(id, 1, now()).await.unwrap(), Confirmation::AlreadyConfirmed);
    assert_eq!(store.confirm_signature_revision(id + 1_000, 0, now()).await.unwrap(), Confirmation::NotFound);
    assert!(store.public_signatures(campaign, None, 10).await.unwrap().is_empty(), "hidden, as chosen");
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), [("TW".to_owned(), 1)]);

    // Once confirmed, a later submission changes nothing.
    assert!(matches!(store.sign(&planted, budget).await.unwrap(), SignOutcome::AlreadyConfirmed { .. }));
    assert_eq!(store.signature(id).await.unwrap().unwrap().signer.name, "Real Activist");
}

pub async fn each_comment_is_confirmed_by_its_own_link(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let planted = store.add_comment(&comment(campaign, "victim@example.org", None)).await.unwrap();
    let own = store.add_comment(&comment(campaign, "Victim@example.org", None)).await.unwrap();
    assert_eq!(store.confirm_comment(own, false, now()).await.unwrap(), CommentStatus::Visible);
    let visible: Vec<i64> =
        store.comments(campaign, &[CommentStatus::Visible]).await.unwrap().iter().map(|c| c.id).collect();
    assert_eq!(visible, [own], "the planted comment is not published with it");
    // An address that confirmed before: the next comment still waits for its own link.
    let next = store.add_comment(&comment(campaign, "victim@example.org", None)).await.unwrap();
    assert_eq!(store.comment(next).await.unwrap().unwrap().0.status, CommentStatus::Unverified);
    let mails: Vec<(MailKind, i64)> = queued(store.as_ref()).await;
    assert_eq!(
        mails,
        [
            (MailKind::ConfirmComment, planted),
            (MailKind::ConfirmComment, own),
            (MailKind::ConfirmComment, next)
        ]
    );
}

/// Signatures written together (one batch of the group commit, most likely) each do what they
/// would alone: new and known addresses, a pending signer's new choices, an address over its
/// budget, and an address twice.
pub async fn new_and_known_addresses_signing_at_once_each_get_what_they_would_alone(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let budget = MailBudget { max: 2, window: Duration::days(1) };
    let pending = record(campaign, "pending@example.org", "Pending Signer", NameDisplay::Full);
    let confirmed = record(campaign, "confirmed@example.org", "Confirmed Signer", NameDisplay::Full);
    let spent = record(campaign, "spent@example.org", "Spent Signer", NameDisplay::Full);
    let fresh = record(campaign, "fresh@example.org", "Fresh Signer", NameDisplay::Full);
    let mut ids = Vec::new();
    for signer in [&pending, &confirmed, &spent] {
        let SignOutcome::Created { id } = store.sign(signer, budget).await.unwrap() else { panic!() };
        ids.push(id);
    }
    let [pending_id, confirmed_id, spent_id] = ids[..] else { unreachable!() };
    store.confirm_signature(confirmed_id, now()).await.unwrap();
    let again = store.sign(&spent, budget).await.unwrap();
    assert_eq!(again, SignOutcome::StillPending { id: spent_id, mailed: true });

    let mut changed = pending.clone();
    changed.signer.name = "Changed Name".into();
    let mut confirmed_changed = confirmed.clone();
    confirmed_changed.signer.name = "Not Taken".into();
    let at_once = [changed, confirmed_changed, spent.clone(), fresh.clone(), fresh.clone()];
    let tasks: Vec<_> = at_once
        .into_iter()
        .map(|signer| {
            let store = store.clone();
            tokio::spawn(async move { store.sign(&signer, budget).await.unwrap() })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    assert_eq!(outcomes[0], SignOutcome::StillPending { id: pending_id, mailed: true });
    assert_eq!(outcomes[1], SignOutcome::AlreadyConfirmed { id: confirmed_id, mailed: true });
    assert_eq!(outcomes[2], SignOutcome::StillPending { id: spent_id, mailed: false });
    let fresh_outcomes = &mut outcomes[3..];
    fresh_outcomes.sort_by_key(|o| matches!(o, SignOutcome::StillPending { .. }));
    let SignOutcome::Created { id: fresh_id } = fresh_outcomes[0] else { panic!("{outcomes:?}") };
    assert_eq!(fresh_outcomes[1], SignOutcome::StillPending { id: fresh_id, mailed: true });

    let held = store.signature(pending_id).await.unwrap().unwrap();
    assert_eq!((held.signer.name.as_str(), held.revision), ("Changed Name", 1));
    let held = store.signature(confirmed_id).await.unwrap().unwrap();
    assert_eq!((held.signer.name.as_str(), held.revision), ("Confirmed Signer", 0));
    let mails = queued(store.as_ref()).await;
    let count = |kind: MailKind, id: i64| mails.iter().filter(|m| **m == (kind, id)).count();
    assert_eq!(count(MailKind::ConfirmSignature, pending_id), 2, "{mails:?}");
    assert_eq!(count(MailKind::AlreadySigned, confirmed_id), 1, "{mails:?}");
    assert_eq!(count(MailKind::ConfirmSignature, spent_id), 2, "within its budget only: {mails:?}");
    assert_eq!(count(MailKind::ConfirmSignature, fresh_id), 2, "{mails:?}");
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
}

pub async fn mail_budgets_count_per_key_and_renew_after_their_window(store: Arc<dyn Store>) {
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

pub async fn commenters_addresses_go_with_retention_and_withdrawal(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let key = |email: &str| Keys::new([3; 32]).email_key(0, email);
    let shown = store.add_comment(&comment(campaign, "a@example.org", None)).await.unwrap();
    store.confirm_comment(shown, false, now()).await.unwrap();
    let waiting = store.add_comment(&comment(campaign, "a@example.org", None)).await.unwrap();
    let other = store.add_comment(&comment(campaign, "b@example.org", None)).await.unwrap();
    store.confirm_comment(other, false, now()).await.unwrap();

    // A signer who withdraws: their address goes from their comments; the comments stay as shown,
    // the one never confirmed goes with its mail.
    assert_eq!(store.forget_commenter(campaign, &key("a@example.org")).await.unwrap(), 2);
    let (kept, address) = store.comment(shown).await.unwrap().unwrap();
    assert_eq!((kept.status, kept.name.as_str(), address), (CommentStatus::Visible, "Commenter", None));
    assert!(store.comment(waiting).await.unwrap().is_none());
    assert!(!queued(store.as_ref()).await.iter().any(|(_, id)| *id == waiting));
    assert!(store.comment(other).await.unwrap().unwrap().1.is_some(), "others keep theirs");

    // Retention: a campaign that ended long ago keeps no commenter's address.
    let t = now();
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, t).await.unwrap();
    let due = store.retention_due(t + Duration::days(1)).await.unwrap();
    assert_eq!(due.iter().map(|d| d.campaign).collect::<Vec<_>>(), [campaign], "due for its commenters");
    store.anonymise(campaign).await.unwrap();
    let (kept, address) = store.comment(other).await.unwrap().unwrap();
    assert_eq!((kept.body.as_str(), address), ("Solidarity from Seoul.", None));
    assert!(store.retention_due(t + Duration::days(1)).await.unwrap().is_empty(), "done once");
}
