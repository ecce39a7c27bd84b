//! Counts: aggregated exactly whenever the journal is folded, and by the language version signed.

use std::sync::Arc;

use time::Duration;
use undersigned_core::clock::now;
use undersigned_core::moderation::SignatureFilter;
use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::{Lang, Store};

use super::{campaign_closing_at, demo_campaign, record, signature_in, stories};

async fn counts_are_aggregated_exactly_whenever_the_journal_is_folded(store: Arc<dyn Store>) {
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

async fn the_counts_by_language_count_the_version_signed(store: Arc<dyn Store>) {
    let campaign = campaign_closing_at(store.as_ref(), "versions", now() + Duration::days(1)).await;
    // `record` signs with a Traditional Chinese interface; two read the English version.
    signature_in(store.as_ref(), campaign, "a@example.org", "en", true).await;
    signature_in(store.as_ref(), campaign, "b@example.org", "en", true).await;
    signature_in(store.as_ref(), campaign, "c@example.org", "zh-Hant", true).await;
    signature_in(store.as_ref(), campaign, "d@example.org", "zh-Hant", false).await;
    let expected = [("en".to_owned(), 2), ("zh-Hant".to_owned(), 1)];
    assert_eq!(store.campaign_stats(campaign).await.unwrap().by_lang, expected, "before the fold");
    store.fold_counts().await.unwrap();
    assert_eq!(store.campaign_stats(campaign).await.unwrap().by_lang, expected, "after the fold");
}

stories!(
    counts_are_aggregated_exactly_whenever_the_journal_is_folded,
    the_counts_by_language_count_the_version_signed,
);
