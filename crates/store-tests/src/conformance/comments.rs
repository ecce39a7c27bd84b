//! Comments: each waits for its own link, then for moderation as the campaign chose; commenters'
//! addresses go with retention and withdrawal.

use std::sync::Arc;

use time::Duration;
use undersigned_core::clock::now;
use undersigned_core::comment::CommentStatus;
use undersigned_core::keys::Keys;
use undersigned_core::outbox::MailKind;
use undersigned_core::{CampaignStatus, Store};

use super::{comment, demo_campaign, queued, stories};

async fn comments_wait_for_their_commenter_then_for_moderation_as_chosen(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    assert!(!store.pre_moderation(campaign).await.unwrap(), "post-moderation by default");
    let first = store.add_comment(&comment(campaign, "c@example.org", None)).await.unwrap();
    assert_eq!(queued(store.as_ref()).await, [(MailKind::ConfirmComment, first)]);
    assert!(store.comments(campaign, &[CommentStatus::Visible]).await.unwrap().is_empty());
    let (_, commenter) = store.comment(first).await.unwrap().unwrap();
    assert_eq!(commenter.unwrap().1, "c@example.org");
    assert_eq!(store.confirm_comment(first, false, now()).await.unwrap(), CommentStatus::Visible);

    // Each comment waits for its own confirmation; a reply hangs under its parent.
    let reply = store.add_comment(&comment(campaign, "C@example.org", Some(first))).await.unwrap();
    assert_eq!(store.comment(reply).await.unwrap().unwrap().0.status, CommentStatus::Unverified);
    assert_eq!(store.confirm_comment(reply, false, now()).await.unwrap(), CommentStatus::Visible);
    let visible = store.comments(campaign, &[CommentStatus::Visible]).await.unwrap();
    assert_eq!(
        visible.iter().map(|c| (c.id, c.parent_id)).collect::<Vec<_>>(),
        [(first, None), (reply, Some(first))]
    );

    store.set_pre_moderation(campaign, true).await.unwrap();
    let held = store.add_comment(&comment(campaign, "c@example.org", None)).await.unwrap();
    assert_eq!(store.confirm_comment(held, true, now()).await.unwrap(), CommentStatus::Held);
    assert!(store.set_comment_status(campaign, held, CommentStatus::Visible).await.unwrap());

    assert!(store.report_comment(campaign, first).await.unwrap());
    assert_eq!(store.comments(campaign, &[CommentStatus::Visible]).await.unwrap()[0].reports, 1);
    assert!(store.set_comment_status(campaign, first, CommentStatus::Hidden).await.unwrap());
    let organiser = store
        .add_organiser_reply(campaign, reply, "Hong Kong Labour Group", "Thank you.", now())
        .await
        .unwrap();
    let replies: Vec<_> = store.comments(campaign, &[CommentStatus::Visible]).await.unwrap();
    assert!(replies.iter().any(|c| c.id == organiser && c.organiser));
    assert!(store.delete_comment(campaign, held).await.unwrap());
    assert!(store.add_organiser_reply(campaign, 999_999, "X", "Y", now()).await.is_err());
}

async fn each_comment_is_confirmed_by_its_own_link(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let planted = store.add_comment(&comment(campaign, "victim@example.org", None)).await.unwrap();
    let own = store.add_comment(&comment(campaign, "Victim@example.org", None)).await.unwrap();
    assert_eq!(store.confirm_comment(own, false, now()).await.unwrap(), CommentStatus::Visible);
    let visible: Vec<i64> =
        store.comments(campaign, &[CommentStatus::Visible]).await.unwrap().iter().map(|c| c.id).collect();
    assert_eq!(visible, [own], "the planted comment is not published with it");
    // An address that confirmed before: the next comment still waits for its own link.
    let next = store.add_comment(&comment(campaign, "victim@example.org", None)).await.unwrap();
    assert_eq!(store.comment(next).await.unwrap().unwrap().0.status, CommentStatus::Unverified);
    let mails: Vec<(MailKind, i64)> = queued(store.as_ref()).await;
    assert_eq!(
        mails,
        [
            (MailKind::ConfirmComment, planted),
            (MailKind::ConfirmComment, own),
            (MailKind::ConfirmComment, next)
        ]
    );
}

async fn commenters_addresses_go_with_retention_and_withdrawal(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let key = |email: &str| Keys::new([3; 32]).email_key(0, email);
    let shown = store.add_comment(&comment(campaign, "a@example.org", None)).await.unwrap();
    store.confirm_comment(shown, false, now()).await.unwrap();
    let waiting = store.add_comment(&comment(campaign, "a@example.org", None)).await.unwrap();
    let other = store.add_comment(&comment(campaign, "b@example.org", None)).await.unwrap();
    store.confirm_comment(other, false, now()).await.unwrap();

    // A signer who withdraws: their address goes from their comments; the comments stay as shown,
    // the one never confirmed goes with its mail.
    assert_eq!(store.forget_commenter(campaign, &key("a@example.org")).await.unwrap(), 2);
    let (kept, address) = store.comment(shown).await.unwrap().unwrap();
    assert_eq!((kept.status, kept.name.as_str(), address), (CommentStatus::Visible, "Commenter", None));
    assert!(store.comment(waiting).await.unwrap().is_none());
    assert!(!queued(store.as_ref()).await.iter().any(|(_, id)| *id == waiting));
    assert!(store.comment(other).await.unwrap().unwrap().1.is_some(), "others keep theirs");

    // Retention: a campaign that ended long ago keeps no commenter's address.
    let t = now();
    let mut closed = store.campaign_by_id(campaign).await.unwrap().unwrap().content;
    closed.status = CampaignStatus::Closed;
    store.save_campaign(campaign, &closed, false, t).await.unwrap();
    let due = store.retention_due(t + Duration::days(1)).await.unwrap();
    assert_eq!(due.iter().map(|d| d.campaign).collect::<Vec<_>>(), [campaign], "due for its commenters");
    store.anonymise(campaign).await.unwrap();
    let (kept, address) = store.comment(other).await.unwrap().unwrap();
    assert_eq!((kept.body.as_str(), address), ("Solidarity from Seoul.", None));
    assert!(store.retention_due(t + Duration::days(1)).await.unwrap().is_empty(), "done once");
}

stories!(
    comments_wait_for_their_commenter_then_for_moderation_as_chosen,
    each_comment_is_confirmed_by_its_own_link,
    commenters_addresses_go_with_retention_and_withdrawal,
);
