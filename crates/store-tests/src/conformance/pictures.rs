//! Pictures: stored with their renditions, at most so many a campaign, one share picture, found by
//! their key, deleted with their renditions.

use std::sync::Arc;

use undersigned_core::Store;
use undersigned_core::clock::now;
use undersigned_core::picture::{NewPicture, NewRendition, PictureKey};

use super::{demo_campaign, stories};

fn picture(alt: &str) -> NewPicture {
    let rendition = |width: u32| NewRendition { width, height: width / 2, bytes: vec![width as u8; 3] };
    NewPicture {
        key: PictureKey::random(),
        alt: alt.into(),
        width: 960,
        height: 480,
        media_type: "image/jpeg".into(),
        renditions: vec![rendition(480), rendition(960)],
    }
}

async fn a_campaign_holds_its_pictures_up_to_the_limit_with_one_share_picture(store: Arc<dyn Store>) {
    let campaign = demo_campaign(store.as_ref()).await;
    let first = store.add_picture(campaign, &picture("The gate"), 2, now()).await.unwrap().unwrap();
    assert_eq!(
        (first.alt.as_str(), first.widths.as_slice(), first.share),
        ("The gate", &[480, 960][..], false)
    );
    let second = store.add_picture(campaign, &picture("The march"), 2, now()).await.unwrap().unwrap();
    assert_eq!(store.add_picture(campaign, &picture("One too many"), 2, now()).await.unwrap(), None);
    let listed = store.pictures(campaign).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [first.id, second.id], "oldest first");
    assert_eq!(listed[0], first);

    // The renditions, by key and width; the widest without a width.
    let file = store.rendition(&first.key, Some(480)).await.unwrap().unwrap();
    assert_eq!((file.campaign_id, file.width, file.media_type.as_str()), (campaign, 480, "image/jpeg"));
    assert_eq!(file.bytes, vec![480u32 as u8; 3]);
    assert_eq!(store.rendition(&first.key, None).await.unwrap().unwrap().width, 960);
    assert_eq!(store.rendition(&first.key, Some(1600)).await.unwrap(), None);
    assert_eq!(store.rendition(&PictureKey::random(), None).await.unwrap(), None);

    // One share picture at a time.
    assert!(store.set_share_picture(campaign, Some(first.id)).await.unwrap());
    assert!(store.set_share_picture(campaign, Some(second.id)).await.unwrap());
    let shares: Vec<bool> = store.pictures(campaign).await.unwrap().iter().map(|p| p.share).collect();
    assert_eq!(shares, [false, true]);
    assert!(!store.set_share_picture(campaign, Some(second.id + 100)).await.unwrap());
    assert!(store.pictures(campaign).await.unwrap()[1].share, "a refused choice changes nothing");
    assert!(store.set_share_picture(campaign, None).await.unwrap());
    assert!(store.pictures(campaign).await.unwrap().iter().all(|p| !p.share));

    assert!(store.set_picture_alt(campaign, first.id, "The harbour gate").await.unwrap());
    assert!(!store.set_picture_alt(campaign + 1, first.id, "Not this campaign's").await.unwrap());
    assert_eq!(store.pictures(campaign).await.unwrap()[0].alt, "The harbour gate");

    assert!(!store.delete_picture(campaign + 1, first.id).await.unwrap(), "only from its campaign");
    assert!(store.delete_picture(campaign, first.id).await.unwrap());
    assert_eq!(store.rendition(&first.key, Some(480)).await.unwrap(), None, "its renditions went with it");
    assert!(store.add_picture(campaign, &picture("Room again"), 2, now()).await.unwrap().is_some());
}

stories!(a_campaign_holds_its_pictures_up_to_the_limit_with_one_share_picture);
