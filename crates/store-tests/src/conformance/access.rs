//! Taking access away: admins made and unmade (never the last one), accounts disabled (their
//! sessions end and no session of theirs counts) and enabled, and every session of an account
//! ended at once; an organiser's own sessions listed with their device, last seen and network, and
//! any one or all the others ended (never another account's).

use std::sync::Arc;

use time::Duration;
use undersigned_core::account::NewUser;
use undersigned_core::clock::now;
use undersigned_core::session::{Browser, Device, NewSession, System};
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

async fn an_organiser_sees_their_sessions_and_ends_one_or_all_the_others(store: Arc<dyn Store>) {
    let t = now();
    let lam = store.create_user(&user("lam@example.org", false), t).await.unwrap();
    let wong = store.create_user(&user("wong@example.org", false), t).await.unwrap();
    let firefox = Device { browser: Browser::Firefox, system: System::Linux };
    let safari = Device { browser: Browser::Safari, system: System::Ios };
    let start = |token_hash: &'static [u8], user, started, device, network: Option<[u8; 16]>| {
        let store = store.clone();
        async move {
            let expires = t + Duration::hours(1);
            let network = network.as_ref().map(|n| &n[..]);
            let session = NewSession { token_hash, user, started, expires, device, network };
            store.start_session(&session).await.unwrap();
        }
    };
    start(b"lam-laptop", lam, t, firefox, Some([1; 16])).await;
    start(b"lam-phone", lam, t + Duration::minutes(1), safari, None).await;
    start(b"wong-laptop", wong, t, firefox, Some([1; 16])).await;

    let listed = store.sessions_of(lam, t + Duration::minutes(2)).await.unwrap();
    let devices: Vec<Device> = listed.iter().map(|s| s.device).collect();
    assert_eq!(devices, [safari, firefox], "the last seen first");
    assert_eq!(listed[1].token_hash, b"lam-laptop");
    assert_eq!((listed[1].started, listed[1].last_seen), (t, t), "seen when it started");
    assert_eq!(listed[1].network.as_deref(), Some(&[1; 16][..]));
    assert_eq!(listed[0].network, None);

    let (who, seen, _) = store.live_session(b"lam-laptop", t).await.unwrap().unwrap();
    assert_eq!((who.id, seen), (lam, t));
    let later = t + Duration::minutes(10);
    store.session_seen(b"lam-laptop", later, Some(&[2; 16][..])).await.unwrap();
    assert_eq!(store.live_session(b"lam-laptop", later).await.unwrap().unwrap().1, later);
    let listed = store.sessions_of(lam, later).await.unwrap();
    assert_eq!((listed[0].device, listed[0].last_seen), (firefox, later), "seen again, first");
    assert_eq!(listed[0].network.as_deref(), Some(&[2; 16][..]), "the network it was last seen from");

    assert!(!store.end_session_of(wong, b"lam-phone").await.unwrap(), "not another's to end");
    assert!(store.session_user(b"lam-phone", t).await.unwrap().is_some());
    assert!(store.end_session_of(lam, b"lam-phone").await.unwrap());
    assert!(store.session_user(b"lam-phone", t).await.unwrap().is_none(), "ended");

    start(b"lam-tablet", lam, t, safari, None).await;
    store.create_session(b"lam-old", lam, t, t + Duration::hours(1)).await.unwrap();
    let old = store.sessions_of(lam, t).await.unwrap().into_iter().find(|s| s.token_hash == b"lam-old");
    assert_eq!(old.unwrap().device, Device::from_code(""), "a session of unknown device");
    assert_eq!(store.end_other_sessions(lam, b"lam-laptop").await.unwrap(), 2);
    let left: Vec<Vec<u8>> =
        store.sessions_of(lam, t).await.unwrap().into_iter().map(|s| s.token_hash).collect();
    assert_eq!(left, [b"lam-laptop".to_vec()]);
    assert!(store.session_user(b"wong-laptop", t).await.unwrap().is_some(), "others' accounts keep theirs");
    assert!(
        store.sessions_of(lam, t + Duration::hours(2)).await.unwrap().is_empty(),
        "expired ones are not listed"
    );
    assert!(store.live_session(b"lam-laptop", t + Duration::hours(2)).await.unwrap().is_none());
}

stories!(
    an_organiser_sees_their_sessions_and_ends_one_or_all_the_others,
    admins_are_made_and_unmade_but_one_always_stays,
    a_disabled_account_has_no_sessions_until_enabled,
    every_session_of_an_account_ends_at_once,
);
