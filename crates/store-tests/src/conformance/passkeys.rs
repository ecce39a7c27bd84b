//! Passkeys: kept per account (a credential once, for one account), used (the credential as it is
//! after, the time), removed only by their account; a ceremony's state taken once, and not after
//! it expired; switching the second factor off removes the passkeys.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::passkey::Ceremony;
use undersigned_core::second_factor::Secret;
use undersigned_core::store::StoreError;

use super::{new_user, stories};

async fn passkeys_are_kept_used_and_removed_by_their_account(store: Arc<dyn Store>) {
    let t = now();
    let lam = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let mei = store.create_user(&new_user("mei@example.org", Some("h")), t).await.unwrap();
    let id = store.add_passkey(lam, b"credential-1", "laptop", "{\"v\":1}", t).await.unwrap();
    let taken = store.add_passkey(mei, b"credential-1", "mine", "{}", t).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "a credential is kept once");
    store.add_passkey(lam, b"credential-2", "phone", "{}", t).await.unwrap();
    let kept = store.passkeys(lam).await.unwrap();
    let names: Vec<_> = kept.iter().map(|p| (p.name.as_str(), p.last_used_at)).collect();
    assert_eq!(names, [("laptop", None), ("phone", None)]);
    assert!(store.passkeys(mei).await.unwrap().is_empty());

    let later = t + Duration::minutes(1);
    store.use_passkey(lam, b"credential-1", "{\"v\":2}", later).await.unwrap();
    let used = store.passkeys(lam).await.unwrap().remove(0);
    assert_eq!((used.credential.as_str(), used.last_used_at), ("{\"v\":2}", Some(later)));
    let not_hers = store.use_passkey(mei, b"credential-1", "{}", later).await;
    assert!(matches!(not_hers, Err(StoreError::NotFound)));

    assert!(!store.remove_passkey(mei, id).await.unwrap(), "not Mei's to remove");
    assert!(store.remove_passkey(lam, id).await.unwrap());
    assert!(!store.remove_passkey(lam, id).await.unwrap(), "removed once");
    assert_eq!(store.passkeys(lam).await.unwrap().len(), 1);

    // Switching the second factor off removes the passkeys with it.
    store.begin_second_factor(lam, &Secret(vec![1; 20]), t).await.unwrap();
    store.disable_second_factor(lam).await.unwrap();
    assert!(store.passkeys(lam).await.unwrap().is_empty());
}

async fn a_ceremony_is_taken_once_and_not_after_it_expired(store: Arc<dyn Store>) {
    let t = now();
    let lam = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let (session, other) = ([1u8; 32], [2u8; 32]);
    let until = t + Duration::minutes(5);
    store.begin_ceremony(&session, Ceremony::Authenticate, lam, "first", until).await.unwrap();
    store.begin_ceremony(&session, Ceremony::Authenticate, lam, "second", until).await.unwrap();
    store.begin_ceremony(&session, Ceremony::Register, lam, "adding", until).await.unwrap();
    assert_eq!(
        store.take_ceremony(&other, Ceremony::Authenticate, t).await.unwrap(),
        None,
        "another session's"
    );
    let taken = store.take_ceremony(&session, Ceremony::Authenticate, t).await.unwrap();
    assert_eq!(taken, Some((lam, "second".to_owned())), "the last one begun");
    assert_eq!(store.take_ceremony(&session, Ceremony::Authenticate, t).await.unwrap(), None, "taken once");
    assert_eq!(store.take_ceremony(&session, Ceremony::Register, until).await.unwrap(), None, "expired");
    assert_eq!(store.take_ceremony(&session, Ceremony::Register, t).await.unwrap(), None, "and gone");
}

stories!(
    passkeys_are_kept_used_and_removed_by_their_account,
    a_ceremony_is_taken_once_and_not_after_it_expired,
);
