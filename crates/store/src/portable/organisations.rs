//! Organisations, their members, a campaign's partners and their signers' consents (issue 16).

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::OffsetDateTime;
use undersigned_core::CampaignId;
use undersigned_core::OrganisationType;
use undersigned_core::organisation::{
    Logo, LogoFile, Member, NewLogo, NewOrganisation, OrgRole, Organisation, Partner, PartnerCounts,
    PartnerSetting, SourceCounts, parse_slug,
};
use undersigned_core::picture::PictureKey;
use undersigned_core::signature::Signature;
use undersigned_core::store::{OrganisationStore, StoreError, StoreResult};

use super::super::store::Backend;
use super::common::{SIGNATURE_COLUMNS, db, dialect, get, signature_row};
use super::pictures::pixels;
use super::webhook_events;
use crate::rows::corrupt;

/// An organisation's columns, with its logo's (`o` joined with [`ORG_LOGO`]).
const ORG_COLUMNS: &str = "o.id, o.slug, o.name, o.org_type, o.region, o.website, o.age_recipient, \
     o.created_at, l.key AS logo_key, l.width AS logo_width, l.height AS logo_height";

/// The join that gives [`ORG_COLUMNS`] the logo's (none: nulls).
const ORG_LOGO: &str = "LEFT JOIN organisation_logos l ON l.organisation_id = o.id";

fn logo_of(r: &dialect::Row) -> StoreResult<Option<Logo>> {
    let Some(key) = get::<Option<String>>(r, "logo_key")? else { return Ok(None) };
    let size = |column| get::<i32>(r, column).map(|v| u32::try_from(v).unwrap_or_default());
    Ok(Some(Logo {
        key: PictureKey::parse(&key).ok_or_else(|| corrupt("logo key", &key))?,
        width: size("logo_width")?,
        height: size("logo_height")?,
    }))
}

fn org_row(r: &dialect::Row) -> StoreResult<Organisation> {
    let org_type: String = get(r, "org_type")?;
    Ok(Organisation {
        id: get(r, "id")?,
        slug: get(r, "slug")?,
        name: get(r, "name")?,
        org_type: OrganisationType::parse("org_type", &org_type).map_err(|e| corrupt("organisation", e))?,
        region: get(r, "region")?,
        website: get(r, "website")?,
        recipient: get(r, "age_recipient")?,
        created_at: dialect::time_at(r, "created_at")?,
        logo: logo_of(r)?,
    })
}

fn role_of(text: &str) -> StoreResult<OrgRole> {
    OrgRole::parse("role", text).map_err(|e| corrupt("an organisation member's role", e))
}

#[async_trait]
impl OrganisationStore for Backend {
    async fn create_organisation(&self, org: &NewOrganisation, now: OffsetDateTime) -> StoreResult<i64> {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO organisations (slug, name, org_type, region, website, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(&org.slug)
        .bind(&org.name)
        .bind(org.org_type.as_str())
        .bind(&org.region)
        .bind(&org.website)
        .bind(dialect::at(now))
        .fetch_optional(self.writer())
        .await
        .map_err(db)?;
        id.ok_or_else(|| StoreError::Conflict(format!("an organisation at {}", org.slug)))
    }

    async fn update_organisation(&self, id: i64, org: &NewOrganisation) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE organisations SET name = $1, org_type = $2, region = $3, website = $4 WHERE id = $5",
        )
        .bind(&org.name)
        .bind(org.org_type.as_str())
        .bind(&org.region)
        .bind(&org.website)
        .bind(id)
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(updated.rows_affected() > 0)
    }

    async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS} FROM organisations o {ORG_LOGO} ORDER BY o.name, o.id"
        ))
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(org_row).collect()
    }

    async fn organisation_by_slug(&self, slug: &str) -> StoreResult<Option<Organisation>> {
        // What no organisation's slug can be is none (PostgreSQL refuses a NUL in text).
        if parse_slug("slug", slug).ok().as_deref() != Some(slug) {
            return Ok(None);
        }
        let row =
            sqlx::query(&format!("SELECT {ORG_COLUMNS} FROM organisations o {ORG_LOGO} WHERE o.slug = $1"))
                .bind(slug)
                .fetch_optional(self.reader())
                .await
                .map_err(db)?;
        row.as_ref().map(org_row).transpose()
    }

    async fn set_organisation_key(&self, id: i64, recipient: Option<&str>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE organisations SET age_recipient = $1 WHERE id = $2")
            .bind(recipient)
            .bind(id)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn set_organisation_logo(&self, id: i64, logo: &NewLogo, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO organisation_logos (organisation_id, key, media_type, width, height, bytes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (organisation_id) DO UPDATE SET key = excluded.key, media_type = excluded.media_type,
               width = excluded.width, height = excluded.height, bytes = excluded.bytes,
               created_at = excluded.created_at",
        )
        .bind(id)
        .bind(logo.key.as_str())
        .bind(&logo.media_type)
        .bind(pixels(logo.width))
        .bind(pixels(logo.height))
        .bind(&logo.bytes)
        .bind(dialect::at(now))
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn remove_organisation_logo(&self, id: i64) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM organisation_logos WHERE organisation_id = $1")
            .bind(id)
            .execute(self.writer())
            .await
            .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn organisation_logo(&self, key: &PictureKey) -> StoreResult<Option<LogoFile>> {
        let row = sqlx::query("SELECT media_type, bytes FROM organisation_logos WHERE key = $1")
            .bind(key.as_str())
            .fetch_optional(self.reader())
            .await
            .map_err(db)?;
        row.map(|r| Ok(LogoFile { media_type: get(&r, "media_type")?, bytes: get(&r, "bytes")? })).transpose()
    }

    async fn organisation_members(&self, id: i64) -> StoreResult<Vec<Member>> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role FROM organisation_members m JOIN users u ON u.id = m.user_id
             WHERE m.organisation_id = $1 ORDER BY u.name, u.id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    user_id: get(r, "id")?,
                    email: get(r, "email")?,
                    name: get(r, "name")?,
                    role: role_of(&get::<String>(r, "role")?)?,
                })
            })
            .collect()
    }

    async fn set_organisation_member(&self, id: i64, user_id: i64, role: OrgRole) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(id)
        .bind(user_id)
        .bind(role.as_str())
        .execute(self.writer())
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn remove_organisation_member(&self, id: i64, user_id: i64) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(self.writer())
                .await
                .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn organisations_of(&self, user_id: i64) -> StoreResult<Vec<(Organisation, OrgRole)>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS}, m.role FROM organisations o JOIN organisation_members m ON m.organisation_id = o.id
             {ORG_LOGO} WHERE m.user_id = $1 ORDER BY o.name, o.id"
        ))
        .bind(user_id)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| Ok((org_row(r)?, role_of(&get::<String>(r, "role")?)?))).collect()
    }

    async fn campaign_partners(&self, campaign: CampaignId) -> StoreResult<Vec<Partner>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS}, p.is_lead, p.consent, p.consent_texts
             FROM campaign_partners p JOIN organisations o ON o.id = p.organisation_id {ORG_LOGO}
             WHERE p.campaign_id = $1 ORDER BY p.is_lead DESC, p.added_at, o.id"
        ))
        .bind(campaign)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let texts: String = get(r, "consent_texts")?;
                Ok(Partner {
                    campaign_id: campaign,
                    organisation: org_row(r)?,
                    lead: get(r, "is_lead")?,
                    consent: get(r, "consent")?,
                    consent_texts: serde_json::from_str(&texts)
                        .map_err(|e| corrupt("a partner's consent texts", e))?,
                })
            })
            .collect()
    }

    async fn set_campaign_partner(
        &self,
        campaign: CampaignId,
        setting: &PartnerSetting,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let texts: BTreeMap<&String, &String> =
            setting.consent_texts.iter().filter(|(_, t)| !t.trim().is_empty()).collect();
        let texts = serde_json::to_string(&texts).map_err(|e| StoreError::Database(e.to_string()))?;
        let mut tx = self.writer().begin().await.map_err(db)?;
        if setting.lead {
            sqlx::query("UPDATE campaign_partners SET is_lead = FALSE WHERE campaign_id = $1 AND organisation_id <> $2")
                .bind(campaign)
                .bind(setting.organisation_id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        sqlx::query(
            "INSERT INTO campaign_partners (campaign_id, organisation_id, is_lead, consent, consent_texts, added_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (campaign_id, organisation_id)
             DO UPDATE SET is_lead = excluded.is_lead, consent = excluded.consent, consent_texts = excluded.consent_texts",
        )
        .bind(campaign)
        .bind(setting.organisation_id)
        .bind(setting.lead)
        .bind(setting.consent)
        .bind(texts)
        .bind(dialect::at(now))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn remove_campaign_partner(&self, campaign: CampaignId, organisation: i64) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM campaign_partners WHERE campaign_id = $1 AND organisation_id = $2")
                .bind(campaign)
                .bind(organisation)
                .execute(self.writer())
                .await
                .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn partnered_campaigns(&self, organisation: i64) -> StoreResult<Vec<CampaignId>> {
        sqlx::query_scalar(
            "SELECT campaign_id FROM campaign_partners WHERE organisation_id = $1 ORDER BY campaign_id",
        )
        .bind(organisation)
        .fetch_all(self.reader())
        .await
        .map_err(db)
    }

    async fn partner_counts(&self, campaign: CampaignId, organisation: i64) -> StoreResult<PartnerCounts> {
        let row = sqlx::query(
            "SELECT count(*) AS total,
                    count(*) FILTER (WHERE s.via = $2) AS via,
                    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM signature_consents c
                                                   WHERE c.signature_id = s.id AND c.organisation_id = $2)) AS consenting
             FROM signatures s
             WHERE s.campaign_id = $1 AND s.status = 'confirmed' AND s.invalidation_id IS NULL",
        )
        .bind(campaign)
        .bind(organisation)
        .fetch_one(self.reader())
        .await
        .map_err(db)?;
        Ok(PartnerCounts {
            total: get(&row, "total")?,
            via: get(&row, "via")?,
            consenting: get(&row, "consenting")?,
        })
    }

    async fn consenting_signatures(
        &self,
        campaign: CampaignId,
        organisation: i64,
    ) -> StoreResult<Vec<Signature>> {
        let rows = sqlx::query(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures
             WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL AND NOT anonymised
               AND id IN (SELECT signature_id FROM signature_consents WHERE organisation_id = $2)
             ORDER BY confirmed_at, id"
        ))
        .bind(campaign)
        .bind(organisation)
        .fetch_all(self.reader())
        .await
        .map_err(db)?;
        rows.iter().map(|r| signature_row(self.data_key(), r)).collect()
    }

    async fn signature_consents(&self, signature: i64) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT organisation_id FROM signature_consents WHERE signature_id = $1 ORDER BY organisation_id",
        )
        .bind(signature)
        .fetch_all(self.reader())
        .await
        .map_err(db)
    }

    async fn withdraw_consent(
        &self,
        signature: i64,
        organisation: i64,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.writer().begin().await.map_err(db)?;
        let deleted =
            sqlx::query("DELETE FROM signature_consents WHERE signature_id = $1 AND organisation_id = $2")
                .bind(signature)
                .bind(organisation)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        if deleted > 0 {
            webhook_events::consent_withdrawn(&mut tx, signature, organisation, now).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(deleted > 0)
    }

    async fn source_counts(&self, campaign: CampaignId) -> StoreResult<SourceCounts> {
        let by = |column: &'static str| {
            format!(
                "SELECT {column} AS k, count(*) AS n FROM signatures
                 WHERE campaign_id = $1 AND status = 'confirmed' AND invalidation_id IS NULL
                 GROUP BY {column} ORDER BY n DESC, {column}"
            )
        };
        let sources = sqlx::query(&by("src")).bind(campaign).fetch_all(self.reader()).await.map_err(db)?;
        let partners = sqlx::query(&by("via")).bind(campaign).fetch_all(self.reader()).await.map_err(db)?;
        Ok(SourceCounts {
            by_source: sources
                .iter()
                .map(|r| Ok((get(r, "k")?, get(r, "n")?)))
                .collect::<StoreResult<_>>()?,
            by_partner: partners
                .iter()
                .map(|r| Ok((get(r, "k")?, get(r, "n")?)))
                .collect::<StoreResult<_>>()?,
        })
    }
}
