//! What the read API answers, as JSON and as the OpenAPI document's schemas (the doc comments
//! are the schemas' descriptions). These are the API's own shapes, not the domain's: a change
//! to a domain type does not change the API unless it is carried here on purpose.
//!
//! `deny_unknown_fields` makes each schema say `additionalProperties: false`, so that the tests,
//! which check every answer against the document, catch a field the document does not name; and
//! an `Option` field is `required` (it is always there, `null` when there is nothing), so that they
//! catch a field left out.

use serde::Serialize;
use utoipa::ToSchema;

/// Where a public campaign stands. Drafts and withdrawn campaigns are not public and never appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Taking signatures.
    Open,
    /// No longer taking signatures.
    Closed,
    /// Its demands were met.
    Won,
}

/// Addresses about a campaign, absolute.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignLinks {
    /// This campaign in the API.
    #[serde(rename = "self")]
    pub this: String,
    /// The campaign's page, for people.
    pub page: String,
    pub signatures: String,
    pub endorsements: String,
    pub updates: String,
    /// An SVG badge with the count.
    pub badge: String,
}

/// A public campaign in short.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignSummary {
    /// The campaign's name in its addresses.
    #[schema(example = "release-cai-guangye")]
    pub slug: String,
    /// The title in the campaign's default language.
    pub title: String,
    pub summary: String,
    /// The campaign's default language (a BCP 47 tag).
    #[schema(example = "en")]
    pub language: String,
    /// Every language the campaign has a version in, the default first.
    pub languages: Vec<String>,
    pub status: Status,
    /// Everyone who signed: online (confirmed) and counted from endorsements collected offline.
    pub signature_count: i64,
    /// The number of signatures the organisers aim for.
    #[schema(required = true)]
    pub signature_goal: Option<u32>,
    /// When signing closes.
    #[schema(format = DateTime)]
    #[schema(required = true)]
    pub closes_at: Option<String>,
    pub links: CampaignLinks,
}

/// The public campaigns, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignList {
    pub campaigns: Vec<CampaignSummary>,
}

/// One language version of a campaign: the appeal as its readers in that language read it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// A BCP 47 tag, such as `en` or `zh-Hant`.
    pub language: String,
    pub title: String,
    pub summary: String,
    /// Whom the appeal is addressed to.
    pub target: String,
    /// The appeal's text, in Markdown.
    pub text: String,
    /// The appeal's text as the page shows it: HTML rendered from the Markdown and sanitised.
    pub text_html: String,
    /// The demands' texts, in order (as `demand_items[].text`).
    pub demands: Vec<String>,
    /// The demands, in order, numbered as in every language version, with whether each is
    /// written in this language and whether it was met.
    pub demand_items: Vec<Demand>,
}

/// One demand of a campaign as one language version reads it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Its number in the list, from 1: the same in every language version.
    pub number: usize,
    /// Its identity within the campaign, kept when it moves.
    pub id: u32,
    /// Its text in this language, or, where not yet translated, in the default language's.
    pub text: String,
    /// The language `text` is in (a BCP 47 tag).
    pub text_language: String,
    /// Whether it is written in this language.
    pub translated: bool,
    /// The day the target conceded it, if it did.
    #[schema(format = Date)]
    #[schema(required = true)]
    pub met_at: Option<String>,
    /// The organisers' note on it being met, in this language (else the default language's).
    #[schema(required = true)]
    pub met_note: Option<String>,
}

/// Whom to write to about the campaign (an organisation's public contact).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[schema(format = Email)]
    #[schema(required = true)]
    pub email: Option<String>,
}

/// A sending of the delivery document to the campaign's target.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverySent {
    /// When it was sent.
    #[schema(format = DateTime)]
    pub delivered_at: String,
    /// The language versions whose document it carried (BCP 47 tags).
    pub languages: Vec<String>,
}

/// A threshold the site or the campaign names: a count of signatures, what happens then, and when
/// the campaign reached it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Everyone who signed, online and offline, as `signature_count` counts them.
    pub signature_count: i64,
    /// What it means, in each language it is written in.
    pub labels: Vec<ThresholdLabel>,
    /// When the campaign reached it; none until then.
    #[schema(format = DateTime)]
    #[schema(required = true)]
    pub reached_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdLabel {
    pub language: String,
    pub label: String,
}

/// What whom the campaign addressed answered.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetResponse {
    pub text: String,
    #[schema(format = Date)]
    #[schema(required = true)]
    pub responded_on: Option<String>,
    /// Where the response can be read in full.
    #[schema(format = "uri")]
    #[schema(required = true)]
    pub link: Option<String>,
}

/// Signatures from one country or region.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountryCount {
    /// ISO 3166-1 alpha-2 code.
    #[schema(example = "HK")]
    pub code: String,
    /// Its name in English.
    #[schema(example = "Hong Kong")]
    pub name: String,
    pub signature_count: i64,
}

/// Signatures made under one language version.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageCount {
    /// A BCP 47 tag.
    #[schema(example = "zh-Hant")]
    pub code: String,
    /// The language's name in itself.
    pub name: String,
    pub signature_count: i64,
}

/// A public campaign: every language version, its dates and status, its counts (shaped like
/// the UK Parliament petitions' `petition.json` where they match) and the target's response.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub slug: String,
    pub status: Status,
    pub default_language: String,
    /// The language versions, the default first.
    pub versions: Vec<Version>,
    /// When signing opens, where the campaign has such a date.
    #[schema(format = DateTime)]
    #[schema(required = true)]
    pub opens_at: Option<String>,
    /// When signing closes.
    #[schema(format = DateTime)]
    #[schema(required = true)]
    pub closes_at: Option<String>,
    /// The date the appeal carries.
    #[schema(format = Date)]
    #[schema(required = true)]
    pub dated: Option<String>,
    pub contact: Contact,
    #[schema(required = true)]
    pub signature_goal: Option<u32>,
    /// Everyone who signed: `online_signature_count` + `offline_signature_count`.
    pub signature_count: i64,
    /// Confirmed signatures made on the site.
    pub online_signature_count: i64,
    /// Individuals counted from endorsements collected offline.
    pub offline_signature_count: i64,
    /// Organisations endorsing the campaign.
    pub organisation_count: i64,
    /// Online signatures by the signer's country or region, most first.
    pub signatures_by_country: Vec<CountryCount>,
    /// Online signatures by the language version signed, most first.
    pub signatures_by_language: Vec<LanguageCount>,
    #[schema(required = true)]
    pub response: Option<TargetResponse>,
    /// The thresholds that apply to it (the site's and its own), by count.
    pub thresholds: Vec<Threshold>,
    /// The times its organisers sent the delivery document to the target, the latest first (never
    /// the address it went to).
    pub deliveries: Vec<DeliverySent>,
    pub links: CampaignLinks,
}

/// Who endorses: an organisation, a named person, or a number of people not named.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EndorserKind {
    Organisation,
    Person,
    Individuals,
}

/// One endorsement as the campaign page lists it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Endorser {
    pub kind: EndorserKind,
    /// The organisation's or person's name; none for individuals.
    #[schema(required = true)]
    pub name: Option<String>,
    /// For an organisation: `trade-union`, `ngo`, `media` or `other`.
    #[schema(required = true)]
    pub organisation_type: Option<String>,
    /// For an organisation, its website.
    #[schema(required = true)]
    pub website: Option<String>,
    /// How many people it stands for: 1, or the number of individuals.
    pub count: u32,
    /// Collected offline (by email or on paper) rather than through the site.
    pub offline: bool,
}

/// A country or region, by ISO 3166-1 alpha-2 code and English name.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// The endorsements from one country or region.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorsementGroup {
    /// None for the endorsements that gave no region (always the last group).
    #[schema(required = true)]
    pub region: Option<Region>,
    pub endorsers: Vec<Endorser>,
}

/// A campaign's approved endorsements, grouped by region in the order the first of each came.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Endorsements {
    pub groups: Vec<EndorsementGroup>,
}

/// A signer as the public list shows them: only those who chose to be listed, named as they
/// chose (in full or by initials); never an address or anything else about them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the signer's country or region.
    pub country: String,
    /// Its name in English.
    pub country_name: String,
    /// The day the signature was confirmed (UTC).
    #[schema(format = Date)]
    pub signed_on: String,
}

/// One page of the public signer list, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignerPage {
    pub signers: Vec<Signer>,
    /// The next page's address; none on the last page.
    #[schema(format = "uri")]
    #[schema(required = true)]
    pub next: Option<String>,
}

/// An update's text in one language.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateText {
    pub language: String,
    pub title: String,
    /// Markdown.
    pub text: String,
    /// Rendered from the Markdown and sanitised.
    pub text_html: String,
}

/// News of a campaign from its organisers, in one or more languages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    pub id: i64,
    #[schema(format = DateTime)]
    pub published_at: String,
    pub texts: Vec<UpdateText>,
}

/// A campaign's updates, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Updates {
    pub updates: Vec<Update>,
}

/// An oEmbed 1.0 answer of type `rich`: an `<iframe>` of the campaign's embeddable page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OEmbed {
    #[schema(example = "1.0")]
    pub version: &'static str,
    #[serde(rename = "type")]
    #[schema(example = "rich")]
    pub kind: &'static str,
    pub title: String,
    pub provider_name: String,
    #[schema(format = "uri")]
    pub provider_url: String,
    /// The HTML to put in a page: an `<iframe>`, with no script.
    pub html: String,
    pub width: u32,
    pub height: u32,
    /// How many seconds the answer may be kept.
    pub cache_age: u32,
}

/// What an API token is for (never the token itself).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInfo {
    /// The name its maker gave it.
    pub name: String,
    /// Its first characters, as the organisers' tokens page shows them.
    #[schema(example = "us_AbCdEfGh")]
    pub prefix: String,
    /// The campaign it is for (its name in its address); none for a site-wide token.
    #[schema(required = true)]
    pub campaign: Option<String>,
    /// Whether it is for every campaign of the site (an admin's).
    pub site_wide: bool,
    /// What it may do beyond reading: `pii:read`, `signatures:import`, `webhooks:manage`.
    pub scopes: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it stops working.
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// A webhook endpoint of a campaign (never its secret, which is shown once, when it is made).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpoint {
    /// Its number, in its address (`/api/v1/webhooks/{id}`).
    pub id: i64,
    /// The campaign it hears of (its name in its address).
    pub campaign: String,
    /// Where deliveries are sent.
    #[schema(example = "https://crm.example.org/hooks/undersigned")]
    pub url: String,
    /// The events it hears of: `signature.confirmed`, `signature.withdrawn`,
    /// `endorsement.approved`, `campaign.status_changed`, `campaign.milestone`,
    /// `campaign.threshold_crossed`.
    pub events: Vec<String>,
    /// Whether its payloads carry the signers' personal data.
    pub personal_data: bool,
    /// `active`, `paused` (by its organisers) or `disabled` (nothing delivered for too long).
    pub state: String,
    #[schema(format = DateTime)]
    pub created: String,
}

/// The endpoints of the campaigns a token may manage webhooks of, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookEndpoint>,
}

/// An endpoint just made, with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreated {
    pub id: i64,
    pub campaign: String,
    pub url: String,
    pub events: Vec<String>,
    pub personal_data: bool,
    pub state: String,
    #[schema(format = DateTime)]
    pub created: String,
    /// The secret deliveries are signed with (Standard Webhooks: `whsec_` and base64).
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

/// The test event queued for an endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookTestQueued {
    /// The delivery's number, as the endpoint's delivery log on the organisers' pages shows it.
    pub delivery: i64,
}

/// An endpoint to register.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// The campaign (its name in its address): the token's own, or any with a site-wide token.
    pub campaign: String,
    /// An `https://` address (`http://` only where the operator allows private addresses). An
    /// address of this server's own networks (loopback, RFC 1918, link-local…) is refused unless
    /// the operator allows it (`--webhook-allow-private`).
    pub url: String,
    /// At least one of `signature.confirmed`, `signature.withdrawn`, `endorsement.approved`,
    /// `campaign.status_changed`, `campaign.milestone`, `campaign.threshold_crossed`.
    pub events: Vec<String>,
    /// Whether payloads carry the signers' personal data: only with a token that also has
    /// `pii:read` (else a 403 naming this field). `false` unless given.
    #[serde(default)]
    #[schema(required = false)]
    pub personal_data: bool,
}
