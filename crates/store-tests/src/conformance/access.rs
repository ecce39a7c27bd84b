//! Taking access away: admins made and unmade (never the last one), accounts disabled (their
//! sessions end and no session of theirs counts) and enabled, and every session of an account
//! ended at once.

use std::sync::Arc;

use time::Duration;
use undersigned_core::account::NewUser;
use undersigned_core::clock::now;
use undersigned_core::{Store, StoreError};

use super::stories;

fn user(email: &str, is_admin: bool) -> NewUser {
    NewUser { email: email.into(), name: "Organiser".into(), is_admin, password_hash: Some("hash".into()) }
}

async fn admins_are_made_and_unmade_but_one_always_stays(store: Arc<dyn Store>) {
    let t = now();
    let first = store.create_user(&user("first@example.org", true), t).await.unwrap();
    let second = store.create_user(&user("second@example.org", false), t).await.unwrap();
    assert!(matches!(store.set_admin(first, false).await, Err(StoreError::Conflict(_))), "the last admin");
    store.set_admin(second, true).await.unwrap();
    assert!(store.user_by_id(second).await.unwrap().unwrap().0.is_admin);
    store.set_admin(first, false).await.unwrap();
    assert!(!store.user_by_id(first).await.unwrap().unwrap().0.is_admin);
    assert!(matches!(store.set_admin(second, false).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.set_disabled(second, true, t).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.set_admin(999_999, true).await, Err(StoreError::NotFound)));
}

async fn a_disabled_account_has_no_sessions_until_enabled(store: Arc<dyn Store>) {
    let t = now();
    store.create_user(&user("admin@example.org", true), t).await.unwrap();
    let id = store.create_user(&user("lam@example.org", false), t).await.unwrap();
    store.create_session(b"lam-1", id, t, t + Duration::hours(1)).await.unwrap();
    store.create_session(b"lam-2", id, t, t + Duration::hours(1)).await.unwrap();
    store.set_disabled(id, true, t).await.unwrap();
    assert_eq!(store.disabled_users().await.unwrap(), [id]);
    assert!(store.session_user(b"lam-1", t).await.unwrap().is_none(), "its sessions ended");
    store.create_session(b"lam-3", id, t, t + Duration::hours(1)).await.unwrap();
    assert!(store.session_user(b"lam-3", t).await.unwrap().is_none(), "no session of it counts");
    store.set_disabled(id, false, t).await.unwrap();
    assert!(store.disabled_users().await.unwrap().is_empty());
    assert_eq!(store.session_user(b"lam-3", t).await.unwrap().unwrap().id, id);
}

async fn every_session_of_an_account_ends_at_once(store: Arc<dyn Store>) {
    let t = now();
    let id = store.create_user(&user("lam@example.org", false), t).await.unwrap();
    let other = store.create_user(&user("wong@example.org", false), t).await.unwrap();
    for token in [&b"a"[..], b"b", b"c"] {
        store.create_session(token, id, t, t + Duration::hours(1)).await.unwrap();
    }
    store.create_session(b"other", other, t, t + Duration::hours(1)).await.unwrap();
    assert_eq!(store.end_sessions(id).await.unwrap(), 3);
    assert!(store.session_user(b"a", t).await.unwrap().is_none());
    assert_eq!(store.session_user(b"other", t).await.unwrap().unwrap().id, other, "others' stay");
}

stories!(
    admins_are_made_and_unmade_but_one_always_stays,
    a_disabled_account_has_no_sessions_until_enabled,
    every_session_of_an_account_ends_at_once,
);
