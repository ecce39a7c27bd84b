//! Pictures: uploaded into a campaign (its appeal and its share picture), kept with their
//! renditions in the database, served by their key.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreResult;
use crate::campaign::CampaignId;
use crate::picture::{NewPicture, Picture, PictureKey, RenditionFile};

#[async_trait]
pub trait PictureStore: Send + Sync {
    /// Stores a picture and its renditions in one transaction, unless the campaign holds `max`
    /// pictures already (then `Ok(None)`, and nothing is stored).
    async fn add_picture(
        &self,
        campaign: CampaignId,
        picture: &NewPicture,
        max: u32,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Picture>>;

    /// A campaign's pictures, oldest first.
    async fn pictures(&self, campaign: CampaignId) -> StoreResult<Vec<Picture>>;

    /// Changes a picture's alt text. Whether the campaign has that picture.
    async fn set_picture_alt(&self, campaign: CampaignId, picture: i64, alt: &str) -> StoreResult<bool>;

    /// Makes a picture the campaign's share picture (the one before stops being it), or, with
    /// `None`, leaves the campaign with none. Whether the campaign has that picture.
    async fn set_share_picture(&self, campaign: CampaignId, picture: Option<i64>) -> StoreResult<bool>;

    /// Deletes a picture and its renditions. Whether the campaign had it.
    async fn delete_picture(&self, campaign: CampaignId, picture: i64) -> StoreResult<bool>;

    /// A rendition of the picture with this key: the one `width` pixels wide, or with `None` the
    /// widest.
    async fn rendition(&self, key: &PictureKey, width: Option<u32>) -> StoreResult<Option<RenditionFile>>;
}
