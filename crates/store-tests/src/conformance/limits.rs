//! The rate limits' shared counts: each instance's counts add up over the instances, the totals
//! come back in the order given, windows and kinds are apart, and ended windows are forgotten.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::store::Hits;

use super::stories;

fn hits(kind: &'static str, key: u8, ends_at: i64, count: i64) -> Hits {
    Hits { kind, key: [key; 16], ends_at, count }
}

async fn counts_from_every_instance_add_up_and_ended_windows_are_forgotten(store: Arc<dyn Store>) {
    assert!(store.add_hits(&[]).await.unwrap().is_empty());
    // One instance adds its counts; another adds its own, in another order, and reads the sums.
    let first = [hits("sign", 1, 3_600, 2), hits("sign", 2, 3_600, 1), hits("login-ip", 1, 3_600, 1)];
    assert_eq!(store.add_hits(&first).await.unwrap(), [2, 1, 1]);
    let second = [hits("login-ip", 1, 3_600, 4), hits("sign", 1, 7_200, 5), hits("sign", 1, 3_600, 3)];
    assert_eq!(store.add_hits(&second).await.unwrap(), [5, 5, 5], "summed per kind, key and window");
    assert_eq!(store.add_hits(&[hits("sign", 2, 3_600, 1)]).await.unwrap(), [2]);

    // At 3,600 the first window has not ended; at 3,601 it has, and is forgotten, not the next.
    assert_eq!(store.forget_hits(3_600).await.unwrap(), 0);
    assert_eq!(store.forget_hits(3_601).await.unwrap(), 3);
    assert_eq!(store.add_hits(&[hits("sign", 1, 3_600, 1)]).await.unwrap(), [1], "counted anew");
    assert_eq!(store.add_hits(&[hits("sign", 1, 7_200, 1)]).await.unwrap(), [6], "kept");
}

async fn instances_adding_at_once_lose_nothing(store: Arc<dyn Store>) {
    // Eight instances add the same keys (in opposite orders) at once: no count lost, no deadlock.
    let mut tasks = Vec::new();
    for i in 0..8u8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..10 {
                let mut batch: Vec<Hits> = (0..20).map(|k| hits("sign", k, 3_600, 1)).collect();
                if i % 2 == 1 {
                    batch.reverse();
                }
                store.add_hits(&batch).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let totals = store.add_hits(&[hits("sign", 0, 3_600, 0), hits("sign", 19, 3_600, 0)]).await.unwrap();
    assert_eq!(totals, [80, 80]);
}

async fn only_a_database_of_several_instances_shares_limits(store: Arc<dyn Store>) {
    assert_eq!(store.shares_limits(), store.backend() == "postgres");
}

stories!(
    counts_from_every_instance_add_up_and_ended_windows_are_forgotten,
    instances_adding_at_once_lose_nothing,
    only_a_database_of_several_instances_shares_limits
);
