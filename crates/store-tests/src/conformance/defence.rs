//! Bot defence: the mode per scope, each proof-of-work solution taken once, block lists replaced
//! whole, tallies summed over instances, the no-JavaScript budget counted, and a trending alert
//! recorded once an hour with its mail to the campaign's owners and moderators queued once.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::account::Role;
use undersigned_core::clock::now;
use undersigned_core::defence::{AttackCause, BlockKind, SITE, Tally, Trend, TrendKind, UnderAttack};
use undersigned_core::outbox::MailKind;

use super::{demo_campaign, new_user, queued, stories};

fn tally(campaign: i64, minute: i64, kind: &'static str, key: &str, count: i64) -> Tally {
    Tally { campaign_id: campaign, minute, kind, key: key.into(), count }
}

async fn the_mode_solutions_and_lists_are_shared_by_every_instance(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let on = UnderAttack {
        scope: campaign,
        since: 100,
        cause: AttackCause::Rate,
        detail: "9/5".into(),
        busy_at: 160,
    };
    store.set_under_attack(campaign, Some(&on)).await.unwrap();
    let site = UnderAttack { scope: SITE, cause: AttackCause::Hand, detail: "Lam".into(), ..on.clone() };
    store.set_under_attack(SITE, Some(&site)).await.unwrap();
    assert_eq!(store.under_attack().await.unwrap(), [site.clone(), on]);
    store.set_under_attack(campaign, None).await.unwrap();
    assert_eq!(store.under_attack().await.unwrap(), [site]);

    assert!(store.spend_solution(&[1; 32], 1_000, 900).await.unwrap());
    assert!(!store.spend_solution(&[1; 32], 1_000, 950).await.unwrap(), "taken once");
    assert!(store.spend_solution(&[1; 32], 2_000, 1_001).await.unwrap(), "forgotten once expired");

    let domains = vec!["bots.test".to_owned(), "spam.example".to_owned()];
    store.set_block_list(campaign, BlockKind::Domain, &domains).await.unwrap();
    store.set_block_list(SITE, BlockKind::IpRange, &["198.51.100.0/24".to_owned()]).await.unwrap();
    store.set_block_list(campaign, BlockKind::Domain, &domains[1..]).await.unwrap();
    let lists = store.block_lists().await.unwrap();
    assert_eq!(
        lists,
        [
            (SITE, BlockKind::IpRange, "198.51.100.0/24".to_owned()),
            (campaign, BlockKind::Domain, "spam.example".to_owned())
        ]
    );

    assert_eq!(store.take_unsolved(campaign, 10).await.unwrap(), 1);
    assert_eq!(store.take_unsolved(campaign, 10).await.unwrap(), 2);
    assert_eq!(store.take_unsolved(campaign, 11).await.unwrap(), 1, "a minute of its own");
}

async fn tallies_add_up_and_a_trend_is_mailed_once(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let owner = store.create_user(&new_user("owner@example.org", Some("h")), t).await.unwrap();
    let editor = store.create_user(&new_user("editor@example.org", Some("h")), t).await.unwrap();
    store.set_role(campaign, owner, Some(Role::Owner)).await.unwrap();
    store.set_role(campaign, editor, Some(Role::Editor)).await.unwrap();
    // Two instances add what each counted; old minutes are forgotten.
    let first = [
        tally(campaign, 99, "all", "", 3),
        tally(campaign, 99, "ip", "a", 2),
        tally(campaign, 99, "ip", "b", 1),
    ];
    store.add_tallies(&first, 0).await.unwrap();
    let second = [
        tally(campaign, 100, "all", "", 2),
        tally(campaign, 100, "ip", "a", 2),
        tally(campaign, 1, "all", "", 50),
    ];
    store.add_tallies(&second, 0).await.unwrap();
    let pace = store.pace(campaign, 99).await.unwrap();
    assert_eq!((pace.signatures, pace.distinct_ips), (5, 2));
    let keys = vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(store.busy_keys(campaign, "ip", &keys, 99, 3).await.unwrap(), [("a".to_owned(), 4)]);
    store.add_tallies(&[], 50).await.unwrap();
    assert_eq!(store.pace(campaign, 0).await.unwrap().signatures, 5, "minute 1 forgotten");

    let trend = Trend {
        campaign_id: campaign,
        kind: TrendKind::Domain,
        shown: "swarm.test".into(),
        hour: 7,
        count: 120,
    };
    store.record_trend(&trend, false, t).await.unwrap();
    assert!(queued(store.as_ref()).await.is_empty(), "logged, not mailed");
    store.record_trend(&Trend { count: 250, ..trend.clone() }, true, t).await.unwrap();
    store.record_trend(&Trend { count: 260, ..trend.clone() }, true, t).await.unwrap();
    let mails = queued(store.as_ref()).await;
    assert_eq!(mails.len(), 1, "to the owner only, once: {mails:?}");
    assert_eq!(mails[0].0, MailKind::TrendAlert);
    let (alert, to) = store.trend_alert_mail(mails[0].1).await.unwrap().unwrap();
    assert_eq!((to, alert.shown.as_str(), alert.count, alert.notified), (owner, "swarm.test", 260, true));
    assert_eq!(store.trend_alerts(campaign, 7).await.unwrap().len(), 1);
    assert!(store.trend_alerts(campaign, 8).await.unwrap().is_empty());
}

stories!(
    the_mode_solutions_and_lists_are_shared_by_every_instance,
    tallies_add_up_and_a_trend_is_mailed_once
);
