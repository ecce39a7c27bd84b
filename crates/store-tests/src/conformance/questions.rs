//! A campaign's own questions, reminders to signers who have not confirmed, and addresses mail
//! cannot reach.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::outbox::MailKind;
use undersigned_core::question::{Answer, QuestionKind, QuestionSpec, QuestionsEdit, Texts};
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};

use super::{demo_campaign, queued, record, stories};

fn texts(pairs: &[(&str, &str)]) -> Texts {
    pairs.iter().map(|(l, t)| ((*l).to_owned(), (*t).to_owned())).collect()
}

fn spec(id: Option<i64>, kind: QuestionKind, prompt: &str) -> QuestionSpec {
    let choices = match kind {
        QuestionKind::Choice => vec![texts(&[("en", "Yes, often")]), texts(&[("en", "Never")])],
        _ => vec![],
    };
    QuestionSpec {
        id, kind, required: true, prompts: texts(&[("en", prompt), ("zh-Hant", "問題")]), choices
    }
}

async fn questions_are_kept_in_order_and_retired_once_people_signed(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    assert!(store.questions(campaign).await.unwrap().is_empty());
    let edit = QuestionsEdit {
        asked: vec![spec(None, QuestionKind::Choice, "How often?"), spec(None, QuestionKind::Text, "Why?")],
        removed: vec![],
    };
    store.save_questions(campaign, &edit, now()).await.unwrap();
    let saved = store.questions(campaign).await.unwrap();
    assert_eq!(saved.len(), 2);
    assert_eq!((saved[0].kind, saved[0].prompts["en"].as_str()), (QuestionKind::Choice, "How often?"));
    assert_eq!(saved[0].choices[1]["en"], "Never");
    assert!(saved[0].required && !saved[0].retired);

    // Reordered, the text one taken away before anyone signed: deleted.
    let (choice, text) = (saved[0].id, saved[1].id);
    let edit = QuestionsEdit {
        asked: vec![spec(Some(choice), QuestionKind::Choice, "How often now?")],
        removed: vec![text],
    };
    store.save_questions(campaign, &edit, now()).await.unwrap();
    let saved = store.questions(campaign).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].prompts["en"], "How often now?");

    // A signature's answers are private fields: kept with them and read back.
    let mut r = record(campaign, "answers@example.org", "A", NameDisplay::Hidden);
    r.signer.answers.insert(choice, Answer { choice: Some(2), value: "Never".into() });
    let SignOutcome::Created { id } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    let signature = store.signature(id).await.unwrap().unwrap();
    assert_eq!(signature.signer.answers[&choice], Answer { choice: Some(2), value: "Never".into() });

    // Now someone may have answered: taken away, it is retired, kept after those asked.
    let edit =
        QuestionsEdit { asked: vec![spec(None, QuestionKind::YesNo, "Agree?")], removed: vec![choice] };
    store.save_questions(campaign, &edit, now()).await.unwrap();
    let saved = store.questions(campaign).await.unwrap();
    assert_eq!(saved.len(), 2);
    assert_eq!((saved[0].kind, saved[0].retired), (QuestionKind::YesNo, false));
    assert_eq!((saved[1].id, saved[1].retired), (choice, true));
    assert!(saved[1].id < saved[0].id, "ids are never reused");
}

async fn a_signer_who_has_not_confirmed_is_reminded_once_within_the_budget(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let (day, week, t) = (Duration::days(1), Duration::days(7), now());
    let signed = |email: &str, ago: Duration| {
        let mut r = record(campaign, email, "R", NameDisplay::Full);
        r.now = t - ago;
        r
    };
    let budget = MailBudget::default();
    let SignOutcome::Created { id: old } =
        store.sign(&signed("old@example.org", Duration::hours(30)), budget).await.unwrap()
    else {
        panic!()
    };
    store.sign(&signed("new@example.org", Duration::hours(2)), budget).await.unwrap();
    store.sign(&signed("ancient@example.org", Duration::days(30)), budget).await.unwrap();
    // Three mails in the window that began 30 hours ago: the budget, for a window of 2 days.
    let busy = signed("busy@example.org", Duration::hours(30));
    for _ in 0..3 {
        store.sign(&busy, budget).await.unwrap();
    }
    let confirmed = match store.sign(&signed("done@example.org", Duration::hours(30)), budget).await.unwrap()
    {
        SignOutcome::Created { id } => id,
        other => panic!("{other:?}"),
    };
    store.confirm_signature(confirmed, t).await.unwrap();
    for m in store.claim_mail(t, Duration::seconds(60), 100).await.unwrap() {
        store.mail_done(&m).await.unwrap();
    }

    assert!(!store.reminds(campaign).await.unwrap(), "off unless chosen");
    assert!(store.queue_reminders(day, week, budget, t, 100).await.unwrap().is_empty());
    store.set_reminds(campaign, true).await.unwrap();
    assert!(store.reminds(campaign).await.unwrap());
    let long_window = MailBudget { max: 3, window: Duration::days(2) };
    assert_eq!(
        store.queue_reminders(day, week, long_window, t, 100).await.unwrap(),
        [old],
        "not beyond the budget"
    );
    assert_eq!(queued(store.as_ref()).await, [(MailKind::RemindSignature, old)]);
    assert!(store.queue_reminders(day, week, long_window, t, 100).await.unwrap().is_empty(), "once");
    // Its window over, the busy address is reminded too (the reminder starts a new one).
    let busy_id = store.queue_reminders(day, week, budget, t, 100).await.unwrap();
    assert_eq!(busy_id.len(), 1);
    assert_ne!(busy_id[0], old);
    // A day later, the one who signed 2 hours before is due; nobody else, ever again.
    assert_eq!(store.queue_reminders(day, week, budget, t + day, 100).await.unwrap().len(), 1);
    assert!(store.queue_reminders(day, week, budget, t + day, 100).await.unwrap().is_empty());
}

async fn an_undeliverable_address_is_marked_counted_and_lifted_when_sent_again(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let r = record(campaign, "bounce@example.org", "B", NameDisplay::Full);
    let SignOutcome::Created { .. } = store.sign(&r, MailBudget::default()).await.unwrap() else { panic!() };
    let mail = store.claim_mail(now(), Duration::seconds(60), 10).await.unwrap().remove(0);
    store.mail_failed(&mail, "550 permanent, recipient", None).await.unwrap();
    let key = [7u8; 16];
    let other = [8u8; 16];
    assert!(store.undeliverable(&[&key, &other]).await.unwrap().is_empty());
    assert!(store.undeliverable(&[]).await.unwrap().is_empty());
    assert_eq!(store.campaign_ids().await.unwrap(), [campaign]);
    store.mark_undeliverable(&key, mail.id, &[r.email_key.to_vec(), vec![1; 16]], now()).await.unwrap();
    store.mark_undeliverable(&key, mail.id, &[r.email_key.to_vec()], now()).await.unwrap();
    assert_eq!(store.undeliverable(&[&other, &key]).await.unwrap(), [key.to_vec()], "only the one marked");
    assert_eq!(store.undeliverable_signers(campaign).await.unwrap(), 1);
    assert_eq!(store.retry_failed_mail(Some(&[mail.id]), now()).await.unwrap(), 1);
    assert!(store.undeliverable(&[&key]).await.unwrap().is_empty(), "sent again: the mark goes");
    assert_eq!(store.undeliverable_signers(campaign).await.unwrap(), 0);
}

stories!(
    questions_are_kept_in_order_and_retired_once_people_signed,
    a_signer_who_has_not_confirmed_is_reminded_once_within_the_budget,
    an_undeliverable_address_is_marked_counted_and_lifted_when_sent_again,
);
