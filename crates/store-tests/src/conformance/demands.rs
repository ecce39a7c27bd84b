//! Demands: one list in every language, each demand keeping its identity (and its mark of being
//! met) through edits and imports; marked met with its news to the signers; milestones mailed
//! once.

use std::sync::Arc;

use time::macros::date;
use undersigned_core::clock::now;
use undersigned_core::demand::{Demand, DemandMet, next_key};
use undersigned_core::outbox::MailKind;
use undersigned_core::store::News;
use undersigned_core::update::UpdateText;
use undersigned_core::{Lang, Store};

use super::{demo, demo_campaign, queued, stories};

fn met(note_en: &str) -> DemandMet {
    DemandMet::parse(
        date!(2026 - 03 - 03),
        &[(Lang::known("en"), note_en.into()), (Lang::known("zh-Hant"), "已答應".into())],
    )
    .unwrap()
}

async fn a_demand_added_in_one_language_is_untranslated_in_the_others_and_moves_as_one(
    store: Arc<dyn Store>,
) {
    let campaign = demo_campaign(store.as_ref()).await;
    let mut content = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    let (en, zh) = (Lang::known("en"), Lang::known("zh-Hant"));
    let key = next_key(&content.demands);
    content.demands.insert(0, Demand { key, texts: vec![(en.clone(), "Apologise.".into())], met: None });
    store.save_campaign(campaign, &content, false, now()).await.unwrap();
    let stored = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    assert_eq!(stored, content);
    let zh_read = stored.demands_in(&zh);
    assert_eq!((zh_read[0].number, zh_read[0].text, zh_read[0].translated), (1, "Apologise.", false));
    assert!(zh_read[1].translated);

    // Moved to the end: the same demand, in every language, and its mark of being met goes along.
    assert!(store.mark_demand(campaign, key, Some(&met("Done")), None, now()).await.unwrap());
    let mut moved = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    let first = moved.demands.remove(0);
    moved.demands.push(first);
    store.save_campaign(campaign, &moved, true, now()).await.unwrap();
    let stored = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    let last = stored.demands.last().unwrap();
    assert_eq!((last.key, last.met.as_ref().map(|m| m.on)), (key, Some(date!(2026 - 03 - 03))));
    assert_eq!(stored.demands_in(&zh).last().unwrap().text, "Apologise.");
    let revisions = store.revisions(campaign).await.unwrap();
    assert_eq!(revisions.len(), 2, "both versions read differently now");
    assert!(revisions.iter().all(|r| r.demands[0] == "Apologise."), "the text as it was read");

    // Removed: gone from every version, its mark with it.
    let mut fewer = stored.clone();
    fewer.demands.pop();
    store.save_campaign(campaign, &fewer, false, now()).await.unwrap();
    assert_eq!(store.campaign_by_id(campaign).await.unwrap().unwrap().content, fewer);
    assert!(!store.mark_demand(campaign, key, None, None, now()).await.unwrap(), "no such demand");
}

async fn a_campaign_imported_again_keeps_each_demands_mark(store: Arc<dyn Store>) {
    let spec = demo();
    let id = store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap()[0];
    let second = store.campaign_by_id(id).await.unwrap().unwrap().content.demands[1].key;
    store.mark_demand(id, second, Some(&met("Conceded")), None, now()).await.unwrap();
    store.import_campaigns(std::slice::from_ref(&spec)).await.unwrap();
    let content = store.campaign_by_id(id).await.unwrap().unwrap().content;
    let met_read = content.demands_in(&Lang::known("zh-Hant"));
    assert_eq!(met_read[1].met.as_ref().and_then(|m| m.note), Some("已答應"));
    assert_eq!(content.demands[1].met.as_ref().and_then(|m| m.note(&Lang::known("en"))), Some("Conceded"));
}

async fn a_demand_marked_met_tells_the_signers_once_and_can_be_taken_back(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let key = store.campaign_by_id(campaign).await.unwrap().unwrap().content.demands[1].key;
    let texts = [UpdateText { lang: Lang::known("en"), title: "Demand 2 met".into(), body: "Done.".into() }];
    let news = News { author: "Lam", texts: &texts };
    assert!(store.mark_demand(campaign, key, Some(&met("Done")), Some(news), now()).await.unwrap());
    let content = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    assert_eq!(content.demands[1].met, Some(met("Done")));
    let updates = store.updates(Some(campaign), 10).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].texts, texts);
    assert_eq!(queued(store.as_ref()).await, [(MailKind::UpdateBatch, updates[0].id)]);

    assert!(store.mark_demand(campaign, key, None, None, now()).await.unwrap());
    let content = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    assert_eq!(content.demands[1].met, None);
}

async fn a_milestone_is_mailed_to_the_signers_once(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    assert!(store.milestone_mails(campaign).await.unwrap().is_empty());
    store.set_milestone_mails(campaign, &[1_000, 10]).await.unwrap();
    assert_eq!(store.milestone_mails(campaign).await.unwrap(), [10, 1_000]);
    let texts = [UpdateText { lang: Lang::known("en"), title: "10 signed".into(), body: "Thanks.".into() }];
    let news = || Some(News { author: "Lam", texts: &texts });
    assert!(store.cross_threshold(campaign, 10, news(), now()).await.unwrap().is_some());
    assert!(store.cross_threshold(campaign, 10, news(), now()).await.unwrap().is_none(), "once");
    assert_eq!(store.updates(Some(campaign), 10).await.unwrap().len(), 1);
    assert!(store.cross_threshold(campaign, 20, None, now()).await.unwrap().is_some());
    assert_eq!(store.updates(Some(campaign), 10).await.unwrap().len(), 1, "no news asked for");
}

stories!(
    a_demand_added_in_one_language_is_untranslated_in_the_others_and_moves_as_one,
    a_campaign_imported_again_keeps_each_demands_mark,
    a_demand_marked_met_tells_the_signers_once_and_can_be_taken_back,
    a_milestone_is_mailed_to_the_signers_once,
);
