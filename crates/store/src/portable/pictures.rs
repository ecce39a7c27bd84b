//! Pictures: a campaign's, with their renditions' bytes in the database (so that a backup of the
//! database holds them), found for serving by their random key.

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::picture::{NewPicture, Picture, PictureKey, RenditionFile};
use undersigned_core::store::{PictureStore, StoreResult};

use super::super::store::Backend;
use super::common::{db, dialect, get};
use crate::rows::corrupt;

const PICTURE_COLUMNS: &str = "id, key, campaign_id, alt, width, height, media_type, share, created_at";

/// A width or height as kept (an `INTEGER`, 32 bits in PostgreSQL); pictures (and logos) are far
/// smaller.
pub(super) fn pixels(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn picture_row(r: &dialect::Row, widths: Vec<u32>) -> StoreResult<Picture> {
    let key: String = get(r, "key")?;
    let size = |column| get::<i32>(r, column).map(|v| u32::try_from(v).unwrap_or_default());
    Ok(Picture {
        id: get(r, "id")?,
        key: PictureKey::parse(&key).ok_or_else(|| corrupt("picture key", &key))?,
        campaign_id: get(r, "campaign_id")?,
        alt: get(r, "alt")?,
        width: size("width")?,
        height: size("height")?,
        media_type: get(r, "media_type")?,
        share: get(r, "share")?,
        created_at: dialect::time_at(r, "created_at")?,
        widths,
    })
}

#[async_trait]
impl PictureStore for Backend {
    async fn add_picture(
        &self,
        campaign: CampaignId,
        picture: &NewPicture,
        max: u32,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Picture>> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // The campaign's row locked (PostgreSQL), so that two uploads at once cannot both pass
        // the count; SQLite's writer is one connection already.
        sqlx::query(&format!("SELECT id FROM campaigns WHERE id = $1 {}", dialect::FOR_UPDATE))
            .bind(campaign)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let held: i64 = sqlx::query_scalar("SELECT count(*) FROM pictures WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        if held >= i64::from(max) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "INSERT INTO pictures (key, campaign_id, alt, width, height, media_type, share, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) RETURNING {PICTURE_COLUMNS}"
        ))
        .bind(picture.key.as_str())
        .bind(campaign)
        .bind(&picture.alt)
        .bind(pixels(picture.width))
        .bind(pixels(picture.height))
        .bind(&picture.media_type)
        .bind(dialect::at(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        let id: i64 = get(&row, "id")?;
        for rendition in &picture.renditions {
            sqlx::query(
                "INSERT INTO picture_renditions (picture_id, width, height, bytes) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(pixels(rendition.width))
            .bind(pixels(rendition.height))
            .bind(&rendition.bytes)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        let widths = picture.renditions.iter().map(|r| r.width).collect();
        let stored = picture_row(&row, widths)?;
        tx.commit().await.map_err(db)?;
        Ok(Some(stored))
    }

    async fn pictures(&self, campaign: CampaignId) -> StoreResult<Vec<Picture>> {
        let rows = sqlx::query(&format!(
            "SELECT {PICTURE_COLUMNS} FROM pictures WHERE campaign_id = $1 ORDER BY created_at, id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        let widths = sqlx::query(
            "SELECT r.picture_id, r.width FROM picture_renditions r JOIN pictures p ON p.id = r.picture_id
             WHERE p.campaign_id = $1 ORDER BY r.picture_id, r.width",
        )
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                let mut of_this = Vec::new();
                for w in &widths {
                    if get::<i64>(w, "picture_id")? == id {
                        of_this.push(u32::try_from(get::<i32>(w, "width")?).unwrap_or_default());
                    }
                }
                picture_row(r, of_this)
            })
            .collect()
    }

    async fn set_picture_alt(&self, campaign: CampaignId, picture: i64, alt: &str) -> StoreResult<bool> {
        let updated = sqlx::query("UPDATE pictures SET alt = $3 WHERE campaign_id = $1 AND id = $2")
            .bind(campaign)
            .bind(picture)
            .bind(alt)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn set_share_picture(&self, campaign: CampaignId, picture: Option<i64>) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        // Two statements: the one-share index is checked row by row, so the old share picture
        // must be cleared before the new one is set.
        sqlx::query("UPDATE pictures SET share = FALSE WHERE campaign_id = $1 AND share")
            .bind(campaign)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let found = match picture {
            Some(id) => {
                sqlx::query("UPDATE pictures SET share = TRUE WHERE campaign_id = $1 AND id = $2")
                    .bind(campaign)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
                    > 0
            }
            None => true,
        };
        if found {
            tx.commit().await.map_err(db)?;
        }
        Ok(found)
    }

    async fn delete_picture(&self, campaign: CampaignId, picture: i64) -> StoreResult<bool> {
        // The renditions go with it (ON DELETE CASCADE).
        let deleted = sqlx::query("DELETE FROM pictures WHERE campaign_id = $1 AND id = $2")
            .bind(campaign)
            .bind(picture)
            .execute(self.writer())
            .await
            .map_err(db)?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn rendition(&self, key: &PictureKey, width: Option<u32>) -> StoreResult<Option<RenditionFile>> {
        let row = sqlx::query(
            "SELECT p.campaign_id, p.media_type, r.width, r.bytes FROM pictures p
             JOIN picture_renditions r ON r.picture_id = p.id
             WHERE p.key = $1 AND ($2 IS NULL OR r.width = $2) ORDER BY r.width DESC LIMIT 1",
        )
        .bind(key.as_str())
        .bind(width.map(pixels))
        .fetch_optional(self.reader())
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(RenditionFile {
                campaign_id: get(&r, "campaign_id")?,
                media_type: get(&r, "media_type")?,
                width: u32::try_from(get::<i32>(&r, "width")?).unwrap_or_default(),
                bytes: get(&r, "bytes")?,
            })
        })
        .transpose()
    }
}
