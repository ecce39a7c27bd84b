//! The organisers' own keys: registered waiting, activated only by their own organiser with the
//! right code (the previous key retired in the same step), audited; a campaign's recipients are
//! its owners' active keys, not its editors', nor a disabled account's.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::clock::now;
use undersigned_core::owner_key::{KeyState, NewOwnerKey, code_hash};

use undersigned_core::signature::{MailBudget, NameDisplay, SignOutcome};
use undersigned_core::store::SealCursor;

use super::{demo_campaign, new_user, record, stories};

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

/// Activates `key` as `owner`'s.
async fn activate(store: &dyn Store, owner: i64, key: &str) -> i64 {
    let id = register(store, owner, key, "GGGGG-HHHHH").await;
    assert!(store.activate_owner_key(owner, id, &code_hash("GGGGGHHHHH"), now(), &entry("a")).await.unwrap());
    id
}

async fn private_fields_are_sealed_to_the_owners_keys_once_there_are_some(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let budget = MailBudget::default();
    let before = record(campaign, "before@example.org", "Chan Tai Man", NameDisplay::FirstInitial);
    let SignOutcome::Created { id: early } = store.sign(&before, budget).await.unwrap() else { panic!() };
    let read = store.signature(early).await.unwrap().unwrap();
    assert_eq!((read.sealed_to_owners, read.signer.comment.as_deref()), (None, Some("Solidarity")));

    // With an owner's key: sealed to it, which the store cannot open; the public form is kept.
    let owner = store.create_user(&new_user("lam@example.org", Some("h")), now()).await.unwrap();
    store.set_role(campaign, owner, Some(Role::Owner)).await.unwrap();
    activate(store.as_ref(), owner, KEYS[0]).await;
    let after = record(campaign, "after@example.org", "Wong Siu Ming", NameDisplay::FirstInitial);
    let SignOutcome::Created { id } = store.sign(&after, budget).await.unwrap() else { panic!() };
    let read = store.signature(id).await.unwrap().unwrap();
    let sealed = read.sealed_to_owners.clone().expect("sealed to the owners");
    assert!(sealed.starts_with("YWdlLWVuY3J5cHRpb24ub3JnL3Yx"), "an age file in base64: {sealed}");
    assert_eq!((read.signer.name.as_str(), read.signer.comment.as_deref()), ("Wong M.", None));
    // The same choices again make no new revision (the keyed digest); confirmed, it is listed.
    store.sign(&after, budget).await.unwrap();
    assert_eq!(store.signature(id).await.unwrap().unwrap().revision, 0);
    store.confirm_signature(id, now()).await.unwrap();
    let listed = store.public_signatures(campaign, None, 10).await.unwrap();
    assert_eq!(listed.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Wong M."]);

    // Its signer may hide the name, not show it in full (the server does not know it).
    assert_eq!(read.display_choices(), [NameDisplay::FirstInitial, NameDisplay::Hidden]);
    store.update_signer_choices(id, NameDisplay::Full, true).await.unwrap();
    let read = store.signature(id).await.unwrap().unwrap();
    assert_eq!((read.signer.display, read.signer.opt_in), (NameDisplay::FirstInitial, true));
    store.update_signer_choices(id, NameDisplay::Hidden, true).await.unwrap();
    let read = store.signature(id).await.unwrap().unwrap();
    assert_eq!((read.signer.display, read.signer.name.as_str()), (NameDisplay::Hidden, ""));
    assert_eq!(read.sealed_to_owners.as_deref(), Some(sealed.as_str()), "the sealed value is kept");

    // The value sealed under the data key before is sealed again to the key by the command.
    assert!(store.rows_to_reseal().await.unwrap() >= 1);
    let mut cursor = Some(SealCursor::default());
    while let Some(from) = cursor {
        cursor = store.seal_in_clear(from, 1).await.unwrap().next;
    }
    assert_eq!((store.rows_in_clear().await.unwrap(), store.rows_to_reseal().await.unwrap()), (0, 0));
    let read = store.signature(early).await.unwrap().unwrap();
    assert!(read.sealed_to_owners.is_some() && read.signer.comment.is_none(), "{read:?}");
    assert_eq!(read.signer.name, "Chan M.");
}

stories!(
    keys_are_proved_rotated_and_only_owners_are_recipients,
    private_fields_are_sealed_to_the_owners_keys_once_there_are_some
);
