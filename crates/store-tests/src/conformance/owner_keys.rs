//! The organisers' own keys: registered waiting, activated only by their own organiser with the
//! right code (the previous key retired in the same step), audited; a campaign's recipients are
//! its owners' active keys, not its editors', nor a disabled account's.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::clock::now;
use undersigned_core::owner_key::{KeyState, NewOwnerKey, code_hash};

use super::{demo_campaign, new_user, stories};

/// Public keys (the age specification's example and two more made by age-keygen).
const KEYS: [&str; 3] = [
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
    "age1af6zelm3j56uppa450hydxxt377t5z6q299h8u4dlc02c4248p8q8t9d30",
    "age1k0vsp0gmvraqrmq7dshe5zhhg4rkyp09a88n3zt6np5z3t3r9q3qe09l8k",
];

fn entry(action: &str) -> AuditEntry {
    AuditEntry {
        at: now(),
        actor: "lam@example.org".into(),
        campaign_id: None,
        action: action.into(),
        subject: "age1…".into(),
        detail: String::new(),
    }
}

/// A key registered for `user` with the code `code` (instead of the random one it was sealed with).
async fn register(store: &dyn Store, user: i64, key: &str, code: &str) -> i64 {
    let mut new = NewOwnerKey::register(user, "owner_key", key, now()).unwrap();
    new.code_hash = code_hash(code);
    store.register_owner_key(&new, &entry("register-owner-key")).await.unwrap()
}

async fn keys_are_proved_rotated_and_only_owners_are_recipients(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let owner = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let editor = store.create_user(&new_user("wong@example.org", Some("h")), t).await.unwrap();
    store.set_role(campaign, owner, Some(Role::Owner)).await.unwrap();
    store.set_role(campaign, editor, Some(Role::Editor)).await.unwrap();

    let first = register(store.as_ref(), owner, KEYS[0], "AAAAA-BBBBB").await;
    let keys = store.owner_keys(owner).await.unwrap();
    assert_eq!((keys.len(), keys[0].recipient.as_str(), keys[0].state()), (1, KEYS[0], KeyState::Waiting));
    assert!(keys[0].challenge.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(store.campaign_recipients(campaign).await.unwrap().is_empty(), "a waiting key is no recipient");

    // A wrong code, or another organiser's answer, activates nothing.
    let wrong = store.activate_owner_key(owner, first, &code_hash("AAAAA-BBBBC"), t, &entry("x")).await;
    assert!(!wrong.unwrap());
    let other = store.activate_owner_key(editor, first, &code_hash("AAAAABBBBB"), t, &entry("x")).await;
    assert!(!other.unwrap());
    assert!(
        store
            .activate_owner_key(owner, first, &code_hash("aaaaa bbbbb"), t, &entry("activate"))
            .await
            .unwrap()
    );
    assert!(
        !store.activate_owner_key(owner, first, &code_hash("AAAAABBBBB"), t, &entry("again")).await.unwrap()
    );
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), first.to_string());

    // Rotation: the second key retires the first, which stays listed.
    let second = register(store.as_ref(), owner, KEYS[1], "CCCCC-DDDDD").await;
    assert!(
        store
            .activate_owner_key(owner, second, &code_hash("CCCCCDDDDD"), t, &entry("activate"))
            .await
            .unwrap()
    );
    let states: Vec<(i64, KeyState)> =
        store.owner_keys(owner).await.unwrap().iter().map(|k| (k.id, k.state())).collect();
    assert_eq!(states, [(second, KeyState::Active), (first, KeyState::Retired)]);
    let recipients = store.campaign_recipients(campaign).await.unwrap();
    assert_eq!((recipients.ids(), recipients.recipients()[0].as_str()), (second.to_string(), KEYS[1]));

    // An editor's key is not a recipient; a disabled owner's key stops being one.
    let editors = register(store.as_ref(), editor, KEYS[2], "EEEEE-FFFFF").await;
    assert!(
        store
            .activate_owner_key(editor, editors, &code_hash("EEEEEFFFFF"), t, &entry("activate"))
            .await
            .unwrap()
    );
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), second.to_string());
    store.set_role(campaign, editor, Some(Role::Owner)).await.unwrap();
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), format!("{second} {editors}"));
    store.set_disabled(owner, true, t).await.unwrap();
    assert_eq!(store.campaign_recipients(campaign).await.unwrap().ids(), editors.to_string());

    let log = store.audit_log(None, 50).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "register-owner-key").count(), 3);
    assert!(log.iter().any(|e| e.subject == format!("key #{first} age1…")), "{log:?}");
    assert_eq!(log.iter().filter(|e| e.action == "activate").count(), 3, "refused answers are not logged");
}

stories!(keys_are_proved_rotated_and_only_owners_are_recipients);
