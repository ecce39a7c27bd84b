//! Second factors: a secret enrolled then switched on, each time step used once, the fifth wrong
//! code locking until a time, recovery codes used once, each session's last check, and switching
//! it off.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::second_factor::{FailureOutcome, Secret, SessionFactor, StepOutcome};
use undersigned_core::store::StoreError;

use super::{new_user, stories};

async fn a_second_factor_is_enrolled_used_once_locked_and_switched_off(store: Arc<dyn Store>) {
    let t = now();
    let user = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let session = [7u8; 32];
    store.create_session(&session, user, t, t + Duration::days(1)).await.unwrap();
    let (found, factor) = store.session_factor(&session, t).await.unwrap().unwrap();
    assert_eq!((found.id, factor), (user, SessionFactor::default()), "no second factor yet");
    assert!(store.second_factor(user).await.unwrap().is_none());

    // Enrolling: a new secret replaces the one shown before; nothing is on yet.
    store.begin_second_factor(user, &Secret(vec![1; 20]), t).await.unwrap();
    let secret = Secret(vec![2; 20]);
    store.begin_second_factor(user, &secret, t).await.unwrap();
    let enrolling = store.second_factor(user).await.unwrap().unwrap();
    assert_eq!((&enrolling.secret, enrolling.is_on()), (&secret, false));
    assert!(matches!(store.use_step(user, 100, t).await, Err(StoreError::NotFound)), "not on yet");

    let codes = ["AAAABBBBCCCCDDDD".to_owned(), "EEEEFFFFGGGGHHHH".to_owned()];
    store.enable_second_factor(user, 100, &codes, &session, t).await.unwrap();
    let on = store.second_factor(user).await.unwrap().unwrap();
    assert_eq!((on.enabled_at, on.last_step, on.recovery_codes_left), (Some(t), Some(100), 2));
    assert!(matches!(store.begin_second_factor(user, &secret, t).await, Err(StoreError::Conflict(_))));
    let (_, factor) = store.session_factor(&session, t).await.unwrap().unwrap();
    assert_eq!(factor, SessionFactor { on: true, checked_at: Some(t) }, "the enrolling session checked it");

    // Another session of the account waits for its code until it is checked.
    let other = [8u8; 32];
    store.create_session(&other, user, t, t + Duration::days(1)).await.unwrap();
    assert!(store.session_factor(&other, t).await.unwrap().unwrap().1.pending());
    let later = t + Duration::seconds(40);
    store.check_session(&other, later).await.unwrap();
    assert_eq!(store.session_factor(&other, later).await.unwrap().unwrap().1.checked_at, Some(later));

    // Each step once, and never an earlier one.
    assert_eq!(store.use_step(user, 100, t).await.unwrap(), StepOutcome::Replayed);
    assert_eq!(store.use_step(user, 101, t).await.unwrap(), StepOutcome::Accepted);
    assert_eq!(store.use_step(user, 101, t).await.unwrap(), StepOutcome::Replayed);
    assert_eq!(store.use_step(user, 99, t).await.unwrap(), StepOutcome::Replayed);

    // The fifth wrong code in a row locks, for every code, until the time given.
    let lock = Duration::minutes(15);
    for n in 1..5 {
        assert_eq!(store.count_wrong_code(user, 5, lock, t).await.unwrap(), FailureOutcome::Counted(n));
    }
    assert_eq!(store.second_factor(user).await.unwrap().unwrap().failures, 4);
    assert_eq!(store.count_wrong_code(user, 5, lock, t).await.unwrap(), FailureOutcome::Locked(t + lock));
    let locked = store.second_factor(user).await.unwrap().unwrap();
    assert_eq!((locked.failures, locked.locked_at(t)), (0, Some(t + lock)));
    assert_eq!(store.use_step(user, 102, t).await.unwrap(), StepOutcome::Locked(t + lock));
    assert!(!store.use_recovery_code(user, &codes[0], t).await.unwrap(), "locked");

    // After the lock, a right code counts again and starts the count afresh.
    let after = t + lock + Duration::seconds(1);
    assert_eq!(store.count_wrong_code(user, 5, lock, after).await.unwrap(), FailureOutcome::Counted(1));
    assert_eq!(store.use_step(user, 102, after).await.unwrap(), StepOutcome::Accepted);
    assert_eq!(store.second_factor(user).await.unwrap().unwrap().failures, 0);

    // A recovery code works once; a code that is none, never.
    assert!(store.use_recovery_code(user, &codes[0], after).await.unwrap());
    assert!(!store.use_recovery_code(user, &codes[0], after).await.unwrap(), "once");
    assert!(!store.use_recovery_code(user, "ZZZZZZZZZZZZZZZZ", after).await.unwrap());
    assert_eq!(store.second_factor(user).await.unwrap().unwrap().recovery_codes_left, 1);
    let renewed = ["IIIIJJJJKKKKLLLL".to_owned()];
    store.replace_recovery_codes(user, &renewed).await.unwrap();
    assert!(!store.use_recovery_code(user, &codes[1], after).await.unwrap(), "the old ones are gone");
    assert!(store.use_recovery_code(user, &renewed[0], after).await.unwrap());

    store.disable_second_factor(user).await.unwrap();
    assert!(store.second_factor(user).await.unwrap().is_none());
    assert!(!store.session_factor(&other, after).await.unwrap().unwrap().1.on);
    assert!(matches!(store.replace_recovery_codes(user, &renewed).await, Err(StoreError::NotFound)));
}

stories!(a_second_factor_is_enrolled_used_once_locked_and_switched_off);
