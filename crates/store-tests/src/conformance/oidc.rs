//! OpenID Connect: a round trip taken once (the second take finds nothing), expired ones forgotten
//! when the next begins; identities linked once, to one account, found again, unlinked; a new
//! account with its identity in one transaction (nothing kept when either is taken); and a
//! signed-in commenter's comment, held or shown without a mail.

use std::sync::Arc;

use time::Duration;
use undersigned_core::Store;
use undersigned_core::account::NewUser;
use undersigned_core::clock::now;
use undersigned_core::comment::CommentStatus;
use undersigned_core::comment_input::SignedInComment;
use undersigned_core::oidc::{Flow, Purpose};
use undersigned_core::store::StoreError;

use super::{demo_campaign, new_user, queued, stories};

fn flow(state: u8, expires_at: time::OffsetDateTime) -> Flow {
    Flow {
        state_key: vec![state; 16],
        browser_key: vec![9; 16],
        provider: "union".into(),
        purpose: Purpose::Login,
        user_id: None,
        pkce_verifier: "verifier".into(),
        nonce: "nonce".into(),
        return_to: "/organise".into(),
        expires_at,
    }
}

async fn a_round_trip_is_taken_once(store: Arc<dyn Store>) {
    let t = now();
    let user = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let linking = Flow { purpose: Purpose::Link, user_id: Some(user), ..flow(1, t + Duration::minutes(10)) };
    store.begin_oidc_flow(&linking, t).await.unwrap();
    assert_eq!(store.take_oidc_flow(&[1; 16]).await.unwrap(), Some(linking));
    assert_eq!(store.take_oidc_flow(&[1; 16]).await.unwrap(), None, "once");
    assert_eq!(store.take_oidc_flow(&[2; 16]).await.unwrap(), None);

    // An expired round trip is still taken (the caller says it is late), until the next begins.
    let late = flow(3, t - Duration::seconds(1));
    store.begin_oidc_flow(&late, t - Duration::minutes(11)).await.unwrap();
    store.begin_oidc_flow(&flow(4, t + Duration::minutes(10)), t).await.unwrap();
    assert_eq!(store.take_oidc_flow(&[3; 16]).await.unwrap(), None, "forgotten");
    assert!(store.take_oidc_flow(&[4; 16]).await.unwrap().is_some());
}

async fn identities_are_linked_once_and_accounts_made_with_them(store: Arc<dyn Store>) {
    let t = now();
    let lam = store.create_user(&new_user("lam@example.org", Some("h")), t).await.unwrap();
    let mei = store.create_user(&new_user("mei@example.org", Some("h")), t).await.unwrap();
    store.link_identity(lam, "union", "kc-1", t).await.unwrap();
    assert_eq!(store.user_by_identity("union", "kc-1").await.unwrap().map(|u| u.id), Some(lam));
    assert_eq!(store.user_by_identity("other", "kc-1").await.unwrap(), None);
    let taken = store.link_identity(mei, "union", "kc-1", t).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "linked to another account");
    let second = store.link_identity(lam, "union", "kc-2", t).await;
    assert!(matches!(second, Err(StoreError::Conflict(_))), "one identity of a provider per account");
    store.link_identity(lam, "other", "kc-1", t).await.unwrap();
    let linked: Vec<String> = store.identities(lam).await.unwrap().into_iter().map(|i| i.provider).collect();
    assert_eq!(linked, ["other", "union"]);

    assert!(store.unlink_identity(lam, "union").await.unwrap());
    assert!(!store.unlink_identity(lam, "union").await.unwrap());
    assert_eq!(store.user_by_identity("union", "kc-1").await.unwrap(), None);

    let new = NewUser {
        email: "wong@union.example".into(),
        name: "Wong".into(),
        is_admin: false,
        password_hash: None,
    };
    let wong = store.add_user_with_identity(&new, "union", "kc-9", t).await.unwrap();
    assert_eq!(store.user_by_identity("union", "kc-9").await.unwrap(), Some(wong.clone()));
    assert!(!wong.is_admin);
    // An address with an account, or an identity linked already: nothing is made.
    let again = NewUser { email: "lam@example.org".into(), ..new.clone() };
    assert!(matches!(
        store.add_user_with_identity(&again, "union", "kc-10", t).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.user_by_identity("union", "kc-10").await.unwrap(), None);
    let other = NewUser { email: "ho@union.example".into(), ..new };
    assert!(matches!(
        store.add_user_with_identity(&other, "union", "kc-9", t).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.user_by_email("ho@union.example").await.unwrap().is_none(), "rolled back");
}

async fn a_signed_in_comment_is_held_or_shown_without_mail(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let t = now();
    let comment = |body: &str| SignedInComment {
        campaign_id: campaign,
        parent_id: None,
        name: "Ka-yan".into(),
        website: None,
        body: body.into(),
        now: t,
    };
    assert_eq!(store.add_signed_in_comment(&comment("Shown."), false).await.unwrap(), CommentStatus::Visible);
    assert_eq!(store.add_signed_in_comment(&comment("Held."), true).await.unwrap(), CommentStatus::Held);
    let shown = store.comments(campaign, &[CommentStatus::Visible]).await.unwrap();
    assert_eq!(shown.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Shown."]);
    let held = store.comments(campaign, &[CommentStatus::Held]).await.unwrap();
    assert_eq!(held.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Held."]);
    let (_, commenter) = store.comment(shown[0].id).await.unwrap().unwrap();
    assert_eq!(commenter, None, "no address behind it");
    assert!(queued(store.as_ref()).await.is_empty(), "no mail");
}

stories!(
    a_round_trip_is_taken_once,
    identities_are_linked_once_and_accounts_made_with_them,
    a_signed_in_comment_is_held_or_shown_without_mail,
);
