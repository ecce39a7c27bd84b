//! Updates reach only the signers who asked for news.

use std::sync::Arc;

use time::Duration;
use undersigned_core::clock::now;
use undersigned_core::outbox::MailKind;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::update::UpdateText;
use undersigned_core::{Lang, Store};

use super::{demo_campaign, record, stories};

async fn updates_reach_only_signers_who_asked_for_news(store: Arc<dyn Store>) {
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

stories!(updates_reach_only_signers_who_asked_for_news);
