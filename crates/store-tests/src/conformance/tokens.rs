//! API tokens: made and revoked with their audit entries in the same transaction, found by their
//! hash with their owner until the owner's account is disabled, their use recorded once a minute.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::account::AuditEntry;
use undersigned_core::api_token::{NewToken, Scope, Scopes, Secret, TokenState};
use undersigned_core::clock::now;

use super::{demo_campaign, new_user, stories};

fn entry(action: &str, subject: &str) -> AuditEntry {
    AuditEntry {
        at: now(),
        actor: "lam@example.org".into(),
        campaign_id: None,
        action: action.into(),
        subject: subject.into(),
        detail: String::new(),
    }
}

async fn tokens_are_found_by_hash_until_revoked_and_audited(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let user = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let admin = store.create_user(&new_user("admin@example.org", Some("h")), t).await.unwrap();
    store.set_admin(admin, true).await.unwrap();
    let secret = Secret::generate();
    let new = NewToken {
        user_id: user,
        campaign_id: Some(campaign),
        name: "CRM sync".into(),
        scopes: Scopes::new([Scope::PiiRead, Scope::SignaturesImport]),
        hash: secret.hash(),
        prefix: secret.visible_prefix(),
        created_at: t,
        expires_at: t + Duration::days(90),
    };
    let id = store.create_token(&new, &entry("create-api-token", "CRM sync")).await.unwrap();
    let site_wide = NewToken { user_id: admin, campaign_id: None, name: "All".into(), ..new.clone() };
    let site_wide = NewToken { hash: Secret::generate().hash(), ..site_wide };
    let other = store.create_token(&site_wide, &entry("create-api-token", "All")).await.unwrap();

    let (token, owner) = store.token_by_hash(&secret.hash()).await.unwrap().unwrap();
    assert_eq!((token.id, owner.id, owner.email.as_str()), (id, user, "lam@example.org"));
    assert_eq!(
        (token.campaign_id, token.name.as_str(), &token.scopes),
        (Some(campaign), "CRM sync", &new.scopes)
    );
    assert_eq!(
        (token.prefix.as_str(), token.created_at, token.expires_at),
        (new.prefix.as_str(), t, new.expires_at)
    );
    assert_eq!((token.last_used_at, token.state(t)), (None, TokenState::Active));
    assert!(store.token_by_hash(&[0; 32]).await.unwrap().is_none());
    let mine: Vec<i64> = store.tokens(Some(user)).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(mine, [id]);
    let all: Vec<i64> = store.tokens(None).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(all, [other, id], "newest first");
    let log = store.audit_log(None, 10).await.unwrap();
    assert_eq!(log[1].subject, format!("token #{id} CRM sync"), "the audit entry names the token");

    // Its use is recorded, then not again within the minute.
    store.token_used(id, t, t - Duration::minutes(1)).await.unwrap();
    let later = t + Duration::seconds(30);
    store.token_used(id, later, later - Duration::minutes(1)).await.unwrap();
    assert_eq!(store.token(id).await.unwrap().unwrap().last_used_at, Some(t));

    assert!(store.revoke_token(id, later, &entry("revoke-api-token", "token")).await.unwrap());
    assert!(!store.revoke_token(id, later, &entry("revoke-api-token", "token")).await.unwrap(), "once");
    let (token, _) = store.token_by_hash(&secret.hash()).await.unwrap().unwrap();
    assert_eq!((token.revoked_at, token.state(later)), (Some(later), TokenState::Revoked));
    let actions: Vec<String> =
        store.audit_log(None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["revoke-api-token", "create-api-token", "create-api-token"]);

    // A disabled account's tokens are nobody's.
    store.set_disabled(user, true, later).await.unwrap();
    assert!(store.token_by_hash(&secret.hash()).await.unwrap().is_none());
    store.set_disabled(user, false, later).await.unwrap();
    assert!(store.token_by_hash(&secret.hash()).await.unwrap().is_some());
}

stories!(tokens_are_found_by_hash_until_revoked_and_audited);
