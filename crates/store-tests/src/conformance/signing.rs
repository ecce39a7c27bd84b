//! Signing: a signature counts once confirmed, one address makes one signature however often
//! and however fast it signs, what is confirmed is what was shown, and the public list and the
//! export show what they should.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{
    Confirmation, Counts, ListCursor, MailBudget, NameDisplay, SignOutcome, SignatureRecord,
};

use super::{demo_campaign, queued, record, stories};

async fn a_signature_counts_only_once_confirmed(store: Arc<dyn Store>) {
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

    assert!(matches!(store.confirm_signature(id, now()).await.unwrap(), Confirmation::Confirmed { .. }));
    assert_eq!(store.confirm_signature(id, now()).await.unwrap(), Confirmation::AlreadyConfirmed);
    assert_eq!(store.confirm_signature(id + 1000, now()).await.unwrap(), Confirmation::NotFound);
    let counts = store.counts(campaign).await.unwrap();
    assert_eq!(counts, Counts { signatures: 1, offline_individuals: 15, organisations: 6 });
    let listed = store.public_signatures(campaign, None, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Chan Tai Man");
    // The comment is a private field: the signature holds it, the public list does not.
    assert_eq!(stored.signer.comment.as_deref(), Some("Solidarity"));
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), [("HK".to_owned(), 1)]);
    // Counted by the language version signed (the record's), not the signer's own language.
    assert_eq!(store.counts_by_language(campaign).await.unwrap(), [("zh-Hant".to_owned(), 1)]);
}

async fn a_second_signature_from_one_address_is_not_counted_and_mails_are_limited(store: Arc<dyn Store>) {
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

async fn twenty_concurrent_signatures_from_one_address_make_one(store: Arc<dyn Store>) {
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

/// Signatures waiting together under two mail budgets (another window) and from new and known
/// addresses at once: each is written, and each known address is counted against its own budget.
async fn signatures_under_two_budgets_at_once_each_keep_their_own(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let (day, hour) =
        (MailBudget { max: 2, window: Duration::days(1) }, MailBudget { max: 1, window: Duration::hours(1) });
    let signer = |i: usize| record(campaign, &format!("budget{i}@example.org"), "Budget", NameDisplay::Full);
    let budget = move |i: usize| if i.is_multiple_of(2) { day } else { hour };
    let sign_all = |round: usize| {
        let attempts: Vec<_> = (0..12)
            .map(|i| {
                let (store, signer, budget) = (store.clone(), signer(i), budget(i));
                tokio::spawn(async move { (i, round, store.sign(&signer, budget).await.unwrap()) })
            })
            .collect();
        async move {
            let mut outcomes = Vec::new();
            for attempt in attempts {
                outcomes.push(attempt.await.unwrap());
            }
            outcomes
        }
    };
    for (i, _, outcome) in sign_all(0).await {
        assert!(matches!(outcome, SignOutcome::Created { .. }), "{i}: {outcome:?}");
    }
    // The second attempt is within both budgets; the third only within the day's (two mails).
    for round in 1..3 {
        for (i, _, outcome) in sign_all(round).await {
            let SignOutcome::StillPending { mailed, .. } = outcome else { panic!("{i}: {outcome:?}") };
            let max = budget(i).max as usize;
            assert_eq!(mailed, round < max, "address {i}, attempt {}: {outcome:?}", round + 1);
        }
    }
}

async fn a_later_submission_replaces_a_pending_signature_and_only_the_revision_shown_confirms(
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
    assert!(matches!(
        store.confirm_signature_revision(id, 1, now()).await.unwrap(),
        Confirmation::Confirmed { .. }
    ));
    assert_eq!(store.confirm_signature_revision(id, 1, now()).await.unwrap(), Confirmation::AlreadyConfirmed);
    assert_eq!(store.confirm_signature_revision(id + 1_000, 0, now()).await.unwrap(), Confirmation::NotFound);
    assert!(store.public_signatures(campaign, None, 10).await.unwrap().is_empty(), "hidden, as chosen");
    assert_eq!(store.counts_by_country(campaign).await.unwrap(), [("TW".to_owned(), 1)]);

    // Once confirmed, a later submission changes nothing.
    assert!(matches!(store.sign(&planted, budget).await.unwrap(), SignOutcome::AlreadyConfirmed { .. }));
    assert_eq!(store.signature(id).await.unwrap().unwrap().signer.name, "Real Activist");
}

async fn concurrent_confirmations_confirm_once(store: Arc<dyn Store>) {
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
    let confirmed = outcomes.iter().filter(|o| matches!(o, Confirmation::Confirmed { .. })).count();
    assert_eq!(confirmed, 1, "{outcomes:?}");
    assert_eq!(count(Confirmation::AlreadyConfirmed), 18);
    assert_eq!(count(Confirmation::NotFound), 1);
    assert_eq!(store.counts(campaign).await.unwrap().signatures, 1);
}

async fn withdrawing_removes_the_signature_and_its_mail(store: Arc<dyn Store>) {
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

async fn the_public_list_shows_names_as_chosen_newest_first_in_pages(store: Arc<dyn Store>) {
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

async fn the_export_holds_confirmed_signatures_only(store: Arc<dyn Store>) {
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

async fn the_export_pages_through_every_signature_once(store: Arc<dyn Store>) {
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

/// Signatures written together (one batch of the group commit, most likely) each do what they
/// would alone: new and known addresses, a pending signer's new choices, an address over its
/// budget, and an address twice.
async fn new_and_known_addresses_signing_at_once_each_get_what_they_would_alone(store: Arc<dyn Store>) {
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

stories!(
    a_signature_counts_only_once_confirmed,
    a_second_signature_from_one_address_is_not_counted_and_mails_are_limited,
    twenty_concurrent_signatures_from_one_address_make_one,
    signatures_under_two_budgets_at_once_each_keep_their_own,
    a_later_submission_replaces_a_pending_signature_and_only_the_revision_shown_confirms,
    concurrent_confirmations_confirm_once,
    withdrawing_removes_the_signature_and_its_mail,
    the_public_list_shows_names_as_chosen_newest_first_in_pages,
    the_export_holds_confirmed_signatures_only,
    the_export_pages_through_every_signature_once,
    new_and_known_addresses_signing_at_once_each_get_what_they_would_alone,
);
