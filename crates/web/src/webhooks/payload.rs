//! What a delivery says: `{"type", "timestamp", "data"}`, made when it is sent from the rows as
//! they are then, so that a signature withdrawn or anonymised meanwhile sends its identifiers and
//! nothing personal. Signature events carry an OSDI-shaped `osdi:signature` (Action Network's
//! webhooks send the same type); its `person` (name, address, language, whether the signer asked
//! for news) only to an endpoint registered with personal data, and only while the signature is
//! confirmed and not anonymised. Every payload carries the delivery's `idempotency_key` (its
//! `webhook-id`, the same on every attempt).

use std::sync::Arc;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use undersigned_core::endorsement::{EndorsementState, Endorser};
use undersigned_core::signature::{Signature, SignatureStatus};
use undersigned_core::store::StoreResult;
use undersigned_core::webhook::{ClaimedDelivery, WebhookEvent};
use undersigned_core::{Campaign, Endorsement, EndorsementSource, Store};

use crate::AppState;

/// Makes the payloads, with the site's base address for their links.
#[derive(Clone)]
pub struct Payloads {
    store: Arc<dyn Store>,
    base_url: String,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl Payloads {
    pub fn new(state: &AppState) -> Self {
        Self { store: state.store.clone(), base_url: state.config.base_url.clone() }
    }

    /// The body of a delivery, as sent (the same bytes are signed).
    pub async fn body(&self, d: &ClaimedDelivery) -> StoreResult<Vec<u8>> {
        let campaign = self.store.campaign_by_id(d.campaign_id).await?;
        let mut data = Map::new();
        data.insert("idempotency_key".into(), json!(d.message_id));
        data.insert("campaign".into(), self.campaign(campaign.as_ref(), d.campaign_id));
        let detail: Option<Value> = d.detail.as_deref().and_then(|t| serde_json::from_str(t).ok());
        match d.event {
            WebhookEvent::SignatureConfirmed
            | WebhookEvent::SignatureWithdrawn
            | WebhookEvent::ConsentWithdrawn => {
                let signature = match d.ref_id {
                    Some(id) => self.store.signature(id).await?,
                    None => None,
                };
                let mut osdi = self.signature(d, signature.as_ref(), campaign.as_ref());
                if let Some(s) = signature.as_ref().filter(|s| s.status == SignatureStatus::Confirmed) {
                    let referrer = self.referrer_data(s).await?;
                    if let (Value::Object(osdi), Some(referrer)) = (&mut osdi, referrer) {
                        osdi.insert("referrer_data".into(), referrer);
                    }
                }
                data.insert("osdi:signature".into(), osdi);
                // `consent.withdrawn`: the organisation the consent was withdrawn from.
                if let Some(Value::Object(fixed)) = detail {
                    data.extend(fixed);
                }
            }
            WebhookEvent::EndorsementApproved => {
                let endorsement = match d.ref_id {
                    Some(id) => self.store.endorsement(id).await?,
                    None => None,
                };
                let endorsement = self.endorsement(d, endorsement).await?;
                data.insert("endorsement".into(), endorsement);
            }
            WebhookEvent::CampaignStatusChanged
            | WebhookEvent::CampaignMilestone
            | WebhookEvent::ThresholdCrossed
            | WebhookEvent::DemandMet => {
                if let Some(Value::Object(fixed)) = detail {
                    data.extend(fixed);
                }
            }
            WebhookEvent::Test => {
                data.insert("endpoint_id".into(), json!(d.endpoint_id));
                data.insert(
                    "message".into(),
                    json!("A test event, sent from the organisers' page of this campaign's webhooks."),
                );
            }
        }
        let body = json!({
            "type": d.event.as_str(),
            "timestamp": rfc3339(d.created_at),
            "data": data,
        });
        Ok(serde_json::to_vec(&body).expect("JSON values serialise"))
    }

    /// OSDI's `referrer_data` of a signature: its source code (`?src=`) and the partner whose link
    /// brought it (`?via=`, the organisation's slug); `None` without either.
    async fn referrer_data(&self, s: &Signature) -> StoreResult<Option<Value>> {
        referrer_data(&*self.store, s).await
    }

    fn campaign(&self, campaign: Option<&Campaign>, id: i64) -> Value {
        let Some(campaign) = campaign else {
            return json!({ "identifiers": [format!("undersigned:campaign-{id}")] });
        };
        let slug = campaign.content.slug.as_str();
        json!({
            "identifiers": [format!("undersigned:campaign-{id}")],
            "slug": slug,
            "status": campaign.content.status.as_str(),
            "url": format!("{}/c/{slug}", self.base_url),
            "api_url": format!("{}{}/campaigns/{slug}", self.base_url, crate::api::PREFIX),
        })
    }

    /// An `osdi:signature`: identifiers and links always; the signer's own words and details only
    /// to an endpoint with personal data, and only while there are any to give.
    fn signature(&self, d: &ClaimedDelivery, s: Option<&Signature>, campaign: Option<&Campaign>) -> Value {
        let id = d.ref_id.unwrap_or_default();
        let mut osdi = Map::new();
        osdi.insert("identifiers".into(), json!([format!("undersigned:signature-{id}")]));
        osdi.insert("origin_system".into(), json!("Undersigned"));
        let mut links = Map::new();
        if let Some(c) = campaign {
            let slug = c.content.slug.as_str();
            let href = format!("{}{}/campaigns/{slug}", self.base_url, crate::api::PREFIX);
            links.insert("osdi:petition".into(), json!({ "href": href }));
        }
        osdi.insert("_links".into(), Value::Object(links));
        let Some(s) = s.filter(|s| s.status == SignatureStatus::Confirmed) else {
            return Value::Object(osdi);
        };
        osdi.insert("created_date".into(), json!(rfc3339(s.created_at)));
        osdi.insert("action_date".into(), json!(rfc3339(s.created_at)));
        if let Some(confirmed) = s.confirmed_at {
            osdi.insert("modified_date".into(), json!(rfc3339(confirmed)));
        }
        let v = &s.signer;
        if !d.personal_data || v.email.is_anonymised() {
            return Value::Object(osdi);
        }
        if let Some(comment) = &v.comment {
            osdi.insert("comments".into(), json!(comment));
        }
        // The private fields the server cannot read: the age file only the owners open.
        if let Some(sealed) = &s.sealed_to_owners {
            osdi.insert("undersigned:sealed".into(), json!(sealed));
        }
        let mut email = json!({ "primary": true, "address": v.email.as_str() });
        if v.opt_in {
            // Only for those who asked for news: a signer who did not is never made a subscriber.
            email["status"] = json!("subscribed");
        }
        let mut address = json!({ "primary": true, "country": v.country });
        if let Some(city) = &v.city {
            address["locality"] = json!(city);
        }
        let mut person = json!({
            // The name as typed, whole: where a family name starts is not ours to guess.
            "given_name": v.name,
            "email_addresses": [email],
            "postal_addresses": [address],
            "languages_spoken": [v.lang.as_str()],
            "custom_fields": { "opt_in": v.opt_in, "name_display": v.display.as_str() },
        });
        if let Some(affiliation) = &v.affiliation {
            person["employer"] = json!(affiliation);
        }
        osdi.insert("person".into(), person);
        Value::Object(osdi)
    }

    /// An endorsement as its public list shows it, with its contact only to an endpoint with
    /// personal data.
    async fn endorsement(
        &self,
        d: &ClaimedDelivery,
        found: Option<(Endorsement, EndorsementState)>,
    ) -> StoreResult<Value> {
        let id = d.ref_id.unwrap_or_default();
        let mut out = json!({ "identifiers": [format!("undersigned:endorsement-{id}")] });
        let Some((e, EndorsementState::Approved)) = found else { return Ok(out) };
        let (kind, name, org_type, website, individuals) = e.spec.endorser.parts();
        out["kind"] = json!(kind);
        out["name"] = json!(name);
        if let Endorser::Organisation { .. } = e.spec.endorser {
            out["organisation_type"] = json!(org_type);
            out["website"] = json!(website);
        }
        if individuals.is_some() {
            out["individuals"] = json!(individuals);
        }
        out["country"] = json!(e.spec.country);
        out["statement"] = json!(e.spec.statement);
        out["origin"] = json!(if e.source == EndorsementSource::Online { "online" } else { "offline" });
        out["created_date"] = json!(rfc3339(e.created_at));
        if d.personal_data
            && e.source == EndorsementSource::Online
            && let Some(contact) = self.store.endorsement_contact(id).await?
        {
            out["contact"] = json!({ "name": contact.contact_name, "email": contact.contact_email });
        }
        Ok(out)
    }
}

/// OSDI's `referrer_data` of a signature (see [`Payloads::referrer_data`]), for the API too.
pub async fn referrer_data(store: &dyn Store, s: &Signature) -> StoreResult<Option<Value>> {
    if s.via.is_none() && s.src.is_none() {
        return Ok(None);
    }
    let referrer = match s.via {
        Some(via) => store
            .campaign_partners(s.campaign_id)
            .await?
            .into_iter()
            .find(|p| p.organisation.id == via)
            .map(|p| p.organisation.slug),
        None => None,
    };
    let mut out = Map::new();
    if let Some(src) = &s.src {
        out.insert("source".into(), json!(src));
    }
    if let Some(referrer) = referrer {
        out.insert("referrer".into(), json!(referrer));
    }
    Ok(Some(Value::Object(out)))
}
