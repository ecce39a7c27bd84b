//! Organisers: accounts and sessions, roles, invitations and resets, and the audit log.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::account::{AuditEntry, Role};
use undersigned_core::clock::now;
use undersigned_core::outbox::MailKind;

use super::{demo_campaign, new_user, queued, stories};

async fn accounts_and_sessions(store: Arc<dyn Store>) {
    let t = now();
    let id = store.create_user(&new_user("lam@example.org", Some("hash-1")), t).await.unwrap();
    assert!(matches!(
        store.create_user(&new_user("lam@example.org", None), t).await,
        Err(undersigned_core::StoreError::Conflict(_))
    ));
    let (user, hash) = store.user_by_email("lam@example.org").await.unwrap().unwrap();
    assert_eq!((user.id, user.is_admin, hash.as_deref()), (id, false, Some("hash-1")));
    assert!(store.user_by_email("nobody@example.org").await.unwrap().is_none());

    store.create_session(b"token-1", id, t, t + Duration::hours(1)).await.unwrap();
    assert_eq!(store.session_user(b"token-1", t).await.unwrap().unwrap().id, id);
    assert!(store.session_user(b"token-1", t + Duration::hours(2)).await.unwrap().is_none(), "expired");
    assert!(store.session_user(b"token-2", t).await.unwrap().is_none());
    store.end_session(b"token-1").await.unwrap();
    assert!(store.session_user(b"token-1", t).await.unwrap().is_none(), "logged out");

    store.create_session(b"token-3", id, t, t + Duration::hours(1)).await.unwrap();
    store.set_password(id, "hash-2").await.unwrap();
    assert!(store.session_user(b"token-3", t).await.unwrap().is_none(), "a new password ends every session");
    assert_eq!(store.user_by_id(id).await.unwrap().unwrap().1.as_deref(), Some("hash-2"));
}

async fn roles_give_organisers_their_campaigns(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let a = store.create_user(&new_user("a@example.org", Some("h")), t).await.unwrap();
    let b = store.create_user(&new_user("b@example.org", Some("h")), t).await.unwrap();
    store.set_role(campaign, a, Some(Role::Moderator)).await.unwrap();
    store.set_role(campaign, a, Some(Role::Owner)).await.unwrap();
    store.set_role(campaign, b, Some(Role::Editor)).await.unwrap();
    assert_eq!(store.role(campaign, a).await.unwrap(), Some(Role::Owner));
    assert_eq!(store.campaigns_of(b).await.unwrap(), [(campaign, Role::Editor)]);
    let team: Vec<(String, Role)> =
        store.team(campaign).await.unwrap().into_iter().map(|(u, r)| (u.email, r)).collect();
    assert_eq!(team, [("a@example.org".to_owned(), Role::Owner), ("b@example.org".to_owned(), Role::Editor)]);
    store.set_role(campaign, b, None).await.unwrap();
    assert_eq!(store.role(campaign, b).await.unwrap(), None);
    assert_eq!(store.all_campaigns().await.unwrap().len(), 1);
}

async fn invitations_and_resets_queue_their_mail(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let id =
        store.invite(&new_user("new@example.org", None), Some((campaign, Role::Editor)), t).await.unwrap();
    assert_eq!(store.role(campaign, id).await.unwrap(), Some(Role::Editor));
    assert_eq!(queued(store.as_ref()).await, [(MailKind::Invitation, id)]);
    // Inviting again (another role) keeps the one account.
    assert_eq!(
        store.invite(&new_user("new@example.org", None), Some((campaign, Role::Owner)), t).await.unwrap(),
        id
    );
    assert_eq!(store.role(campaign, id).await.unwrap(), Some(Role::Owner));

    assert!(store.request_password_reset("new@example.org", t).await.unwrap());
    assert!(!store.request_password_reset("nobody@example.org", t).await.unwrap());
    let kinds: Vec<MailKind> = queued(store.as_ref()).await.into_iter().map(|(k, _)| k).collect();
    assert!(kinds.contains(&MailKind::PasswordReset));
}

async fn the_audit_log_keeps_who_did_what(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    for (i, c) in [(1, Some(campaign)), (2, None), (3, Some(campaign))] {
        let entry = AuditEntry {
            at: now(),
            actor: "lam@example.org".into(),
            campaign_id: c,
            action: format!("action-{i}"),
            subject: "endorsement #1".into(),
            detail: String::new(),
        };
        store.audit(&entry).await.unwrap();
    }
    let all: Vec<String> = store.audit_log(None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(all, ["action-3", "action-2", "action-1"]);
    let one: Vec<String> =
        store.audit_log(Some(campaign), 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(one, ["action-3", "action-1"]);
}

stories!(
    accounts_and_sessions,
    roles_give_organisers_their_campaigns,
    invitations_and_resets_queue_their_mail,
    the_audit_log_keeps_who_did_what,
);
