//! What the OSDI API answers and takes, as HAL+JSON and as the OpenAPI document's schemas (named
//! `Osdi…` there). OSDI says no field is required: what is empty is left out (`skip_serializing_if`),
//! as OSDI servers do, rather than given as null. `deny_unknown_fields` makes each schema say
//! `additionalProperties: false`, so that the tests catch a field the document does not name.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A HAL link.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiLink)]
pub struct Link {
    #[schema(format = "uri")]
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Link {
    pub fn to(href: impl Into<String>) -> Self {
        Self { href: href.into(), title: None }
    }

    pub fn titled(href: impl Into<String>, title: impl Into<String>) -> Self {
        Self { href: href.into(), title: Some(title.into()) }
    }
}

/// A HAL curie: how `osdi:petitions` or `undersigned:translations` expand to their documentation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiCurie)]
pub struct Curie {
    pub name: String,
    /// A template with `{rel}`.
    pub href: String,
    pub templated: bool,
}

/// The API entry point (OSDI's AEP): what this server has, by link.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiEntryPoint)]
pub struct EntryPoint {
    pub motd: String,
    pub vendor_name: String,
    pub product_name: String,
    #[schema(example = "1.2.0")]
    pub osdi_version: String,
    /// The most items a page of a collection holds (`per_page` beyond it is cut to it).
    pub max_pagesize: u32,
    /// The namespace of this server's own link relations and fields (`undersigned:`).
    pub namespace: String,
    #[serde(rename = "_links")]
    pub links: EntryLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiEntryLinks)]
pub struct EntryLinks {
    #[serde(rename = "self")]
    pub this: Link,
    pub curies: Vec<Curie>,
    /// The public petitions (campaigns).
    #[serde(rename = "osdi:petitions")]
    pub petitions: Link,
    /// With a token: the signatures of each public petition it covers.
    #[serde(rename = "osdi:signatures", skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub signatures: Vec<Link>,
    /// With a token: what the token is for (`GET /api/v1/token`).
    #[serde(rename = "undersigned:token", skip_serializing_if = "Option::is_none")]
    pub token: Option<Link>,
    /// This API's documentation for people.
    pub docs: Link,
}

/// Whom a petition is addressed to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiTarget)]
pub struct Target {
    pub name: String,
}

/// A campaign's text in another of its languages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiTranslation)]
pub struct Translation {
    /// A BCP 47 tag, such as `zh-Hant`.
    pub language: String,
    pub title: String,
    pub summary: String,
    /// The appeal, as HTML (rendered from its Markdown and sanitised).
    pub description: String,
    /// The demands, numbered, one a line.
    pub petition_text: String,
    pub target: Vec<Target>,
    #[schema(format = "uri")]
    pub browser_url: String,
}

/// A public campaign as an OSDI petition, in the language asked for (`?lang=`, else
/// `Accept-Language`, else its default language); its other languages in `undersigned:translations`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPetition)]
pub struct Petition {
    /// `undersigned:HOST/petitions/SLUG`.
    pub identifiers: Vec<String>,
    #[schema(example = "Undersigned")]
    pub origin_system: String,
    /// The campaign's name in its addresses.
    pub name: String,
    pub title: String,
    /// The appeal, as HTML (rendered from its Markdown and sanitised).
    pub description: String,
    pub summary: String,
    /// The demands, numbered, one a line.
    pub petition_text: String,
    /// Everyone who signed: confirmed online signatures and those collected offline.
    pub total_signatures: i64,
    pub target: Vec<Target>,
    /// The campaign's page, in this language.
    #[schema(format = "uri")]
    pub browser_url: String,
    #[schema(format = DateTime)]
    pub created_date: String,
    /// When its organisers last changed its settings or texts.
    #[schema(format = DateTime)]
    pub modified_date: String,
    /// The language of `title`, `description` and the rest (BCP 47).
    #[serde(rename = "undersigned:language")]
    pub language: String,
    /// `open`, `closed` or `won`.
    #[serde(rename = "undersigned:status")]
    pub status: crate::api::model::Status,
    /// The campaign in its other languages.
    #[serde(rename = "undersigned:translations")]
    pub translations: Vec<Translation>,
    #[serde(rename = "_links")]
    pub links: PetitionLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPetitionLinks)]
pub struct PetitionLinks {
    #[serde(rename = "self")]
    pub this: Link,
    /// Only in an answer about this petition alone (HAL: curies are the top resource's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub curies: Vec<Curie>,
    /// Its signatures (a token for the campaign is needed).
    #[serde(rename = "osdi:signatures")]
    pub signatures: Link,
    #[serde(rename = "osdi:record_signature_helper")]
    pub record_signature_helper: Link,
    /// The same campaign in the read API.
    #[serde(rename = "undersigned:campaign")]
    pub campaign: Link,
}

/// What a page of a collection says of itself.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiCollectionLinks)]
pub struct CollectionLinks {
    #[serde(rename = "self")]
    pub this: Link,
    pub curies: Vec<Curie>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
    /// The items of this page, by link (under the collection's relation, such as `osdi:petitions`).
    #[serde(rename = "osdi:petitions", skip_serializing_if = "Option::is_none")]
    pub petitions: Option<Vec<Link>>,
    #[serde(rename = "osdi:signatures", skip_serializing_if = "Option::is_none")]
    pub signatures: Option<Vec<Link>>,
}

/// A page of the public petitions, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPetitions)]
pub struct Petitions {
    pub total_pages: u64,
    pub per_page: u32,
    pub page: u64,
    pub total_records: i64,
    #[serde(rename = "_links")]
    pub links: CollectionLinks,
    #[serde(rename = "_embedded")]
    pub embedded: PetitionsEmbedded,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPetitionsEmbedded)]
pub struct PetitionsEmbedded {
    #[serde(rename = "osdi:petitions")]
    pub petitions: Vec<Petition>,
}

/// Whether a signer gets mail. Only `subscribed`, for signers who asked for the campaign's news;
/// for the others it is left out: "unsubscribed" would unsubscribe them in a CRM that had them
/// subscribed some other way, and nothing here says they asked for that.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = OsdiEmailStatus)]
pub enum EmailStatus {
    Subscribed,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiEmailAddress)]
pub struct EmailAddress {
    pub primary: bool,
    #[schema(format = Email)]
    pub address: String,
    /// `subscribed` only for a signer who asked for the campaign's news; left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EmailStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPostalAddress)]
pub struct PostalAddress {
    pub primary: bool,
    /// The city, as the signer gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// A signer, as the signature they made shows them (one person per signature: signatures of one
/// address on two campaigns are not linked to each other).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPerson)]
pub struct Person {
    /// `undersigned:HOST/people/ID`.
    pub identifiers: Vec<String>,
    pub origin_system: String,
    #[schema(format = DateTime)]
    pub created_date: String,
    #[schema(format = DateTime)]
    pub modified_date: String,
    /// The name as the signer wrote it, whole: Undersigned keeps one name field, and cutting it into
    /// given and family names is wrong too often (陳大文, Chan Tai Man).
    pub given_name: String,
    pub email_addresses: Vec<EmailAddress>,
    pub postal_addresses: Vec<PostalAddress>,
    /// The language the signer used (their mail comes in it).
    pub languages_spoken: Vec<String>,
    /// The organisation the signer signed as a member of, if they gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    #[serde(rename = "_links")]
    pub links: PersonLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPersonLinks)]
pub struct PersonLinks {
    #[serde(rename = "self")]
    pub this: Link,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub curies: Vec<Curie>,
    /// The signature this person is known by.
    #[serde(rename = "osdi:signatures")]
    pub signatures: Link,
}

/// A confirmed signature. Its signer's data (`comments`, the embedded person) only for a token
/// with `pii:read`; without it, identifiers, dates and links.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiSignature)]
pub struct Signature {
    /// `undersigned:HOST/signatures/ID`.
    pub identifiers: Vec<String>,
    pub origin_system: String,
    /// When it was first sent.
    #[schema(format = DateTime)]
    pub created_date: String,
    /// When it last changed: its confirmation, or since then a change of what its signer chose
    /// (how their name is shown, whether they get news), an invalidation undone, or its signer's
    /// data anonymised. What `filter=modified_date gt '…'` compares.
    #[schema(format = DateTime)]
    pub modified_date: String,
    /// When its signer confirmed it.
    #[schema(format = DateTime)]
    pub action_date: String,
    /// The signer's comment (with `pii:read`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// Whether the signer asked for the campaign's news (with `pii:read`).
    #[serde(rename = "undersigned:opt_in", skip_serializing_if = "Option::is_none")]
    pub opt_in: Option<bool>,
    /// The signer's private fields (full name if not shown in full, city, affiliation, comment)
    /// when they are sealed to the campaign owners' keys (with `pii:read`): the base64 of an age
    /// file, which `base64 -d | age -d -i key.txt` opens into a JSON object. The plain fields are
    /// then absent (the server cannot read them).
    #[serde(rename = "undersigned:sealed", skip_serializing_if = "Option::is_none")]
    pub sealed: Option<String>,
    /// Where it came from, if known: the source code of the link it was signed through
    /// (`?src=`, or `referrer_data.source` when recorded through the API) and the partner whose
    /// link it was (`?via=`, the organisation's short name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer_data: Option<SignatureReferrer>,
    /// The signer (with `pii:read`; none once the signer's data is anonymised).
    #[serde(rename = "_embedded", skip_serializing_if = "Option::is_none")]
    pub embedded: Option<SignatureEmbedded>,
    #[serde(rename = "_links")]
    pub links: SignatureLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OsdiSignatureReferrer)]
pub struct SignatureReferrer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiSignatureEmbedded)]
pub struct SignatureEmbedded {
    #[serde(rename = "osdi:person")]
    pub person: Person,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiSignatureLinks)]
pub struct SignatureLinks {
    #[serde(rename = "self")]
    pub this: Link,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub curies: Vec<Curie>,
    #[serde(rename = "osdi:petition")]
    pub petition: Link,
    /// The signer (a token with `pii:read` is needed to read it).
    #[serde(rename = "osdi:person")]
    pub person: Link,
}

/// A page of a petition's confirmed signatures, in the order they last changed, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiSignatures)]
pub struct Signatures {
    pub total_pages: u64,
    pub per_page: u32,
    pub page: u64,
    pub total_records: i64,
    #[serde(rename = "_links")]
    pub links: CollectionLinks,
    #[serde(rename = "_embedded")]
    pub embedded: SignaturesEmbedded,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiSignaturesEmbedded)]
pub struct SignaturesEmbedded {
    #[serde(rename = "osdi:signatures")]
    pub signatures: Vec<Signature>,
}

/// A signature recorded with a token (`signatures:import`): an offline signature of the campaign,
/// counted and listed among its endorsements like one entered on the organisers' pages, marked with
/// the token's name. With `"osdi:control": {"return_response": false}`, identifiers and links only.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiRecordedSignature)]
pub struct Recorded {
    /// `undersigned:HOST/endorsements/ID`.
    pub identifiers: Vec<String>,
    /// The token's name: where the signature came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub created_date: Option<String>,
    /// The name it is listed under.
    #[serde(rename = "undersigned:name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    #[serde(rename = "_links")]
    pub links: RecordedLinks,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiRecordedLinks)]
pub struct RecordedLinks {
    pub curies: Vec<Curie>,
    #[serde(rename = "osdi:petition")]
    pub petition: Link,
    /// The campaign's endorsements in the read API, where it is listed.
    #[serde(rename = "undersigned:endorsements")]
    pub endorsements: Link,
}

/// The answer to a signature sent without a token: always an empty object, whether the address is
/// new, has signed and not confirmed, or has signed and confirmed (as Action Network's blind POST),
/// so that it tells nobody anything about an address. The signer confirms by mail.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiNothing)]
pub struct Nothing {}

/// What the record signature helper answers: the offline signature recorded (with a token), or
/// an empty object (without one).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(as = OsdiRecordAnswer)]
pub enum RecordAnswer {
    Recorded(Box<Recorded>),
    Nothing(Nothing),
}

// What the record signature helper takes. OSDI allows only the fields it names; a field it does
// not name, or of the wrong type, is a 400 naming it. A few fields that Action Network's clients
// commonly send are taken and not kept (said on each). Every field but `person` and an address's
// `address` may be left out (serde reads a missing `Option` as `None`).

/// A signature and its signer, as OSDI's record signature helper and Action Network take them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiRecordSignature)]
pub struct RecordSignature {
    pub person: PersonInput,
    /// The signer's comment (without a token: shown as the sign form's comment would be).
    pub comments: Option<String>,
    /// With a token: the signature's identifiers in the system it comes from (OSDI's
    /// `system:id`, such as `crm:1234`; at most 20, each 1 to 200 characters). An import with an
    /// identifier already imported for the campaign records nothing new and answers as the first
    /// did. Without identifiers, every import records a signature. Without a token: taken, not kept.
    pub identifiers: Option<Vec<String>>,
    /// Undersigned's own, with a token only: `true` lists the signer publicly by name among the
    /// campaign's endorsements. Unless it is `true`, the signature is counted (as one individual)
    /// and nobody is named.
    #[serde(rename = "undersigned:listed")]
    pub listed: Option<bool>,
    /// Taken, not kept: with a token, the origin is the token's name.
    pub origin_system: Option<String>,
    /// Taken (an RFC 3339 time), not kept: a signature is dated when it is recorded.
    pub action_date: Option<String>,
    /// Its `source`, without a token, is kept as the signature's source code if it is a short
    /// plain code (`[a-z0-9][a-z0-9_.-]{0,39}` once lower-cased, as a link's `?src=`); the rest
    /// is taken, not kept.
    pub referrer_data: Option<ReferrerData>,
    /// Action Network's own, sent by its clients: taken, not kept.
    #[serde(rename = "action_network:referrer_data")]
    #[schema(value_type = Option<Object>)]
    pub action_network_referrer_data: Option<serde_json::Value>,
    /// Sent by Action Network's clients: taken, not kept (there are no tags here).
    pub add_tags: Option<Vec<String>>,
    /// Sent by Action Network's clients: taken, not kept (the confirmation mail always goes).
    #[schema(value_type = Option<Object>)]
    pub triggers: Option<serde_json::Value>,
    /// OSDI's control: `return_response: false` answers identifiers and links only.
    #[serde(rename = "osdi:control")]
    pub control: Option<Control>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiControl)]
pub struct Control {
    pub return_response: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiReferrerData)]
pub struct ReferrerData {
    pub source: Option<String>,
    pub referrer: Option<String>,
    pub website: Option<String>,
    pub url: Option<String>,
}

/// The signer. Their name is `given_name` and `family_name` joined by a space (either may be
/// left out); their address the primary (else the first) of `email_addresses`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPersonInput)]
pub struct PersonInput {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Needed without a token (the confirmation goes there); with one, checked and not kept (an
    /// offline signature keeps no address, as one entered on the organisers' pages).
    pub email_addresses: Option<Vec<EmailInput>>,
    /// The first: `country` (needed without a token) and `locality` (the city).
    pub postal_addresses: Option<Vec<PostalInput>>,
    /// The first this site speaks is the language of the signer's mail.
    pub languages_spoken: Option<Vec<String>>,
    /// The organisation the signer signs as a member of.
    pub employer: Option<String>,
    /// Taken, not kept.
    pub additional_name: Option<String>,
    /// Taken, not kept.
    pub honorific_prefix: Option<String>,
    /// Taken, not kept.
    pub honorific_suffix: Option<String>,
    /// Taken, not kept.
    pub identifiers: Option<Vec<String>>,
    /// Sent by Action Network's clients: taken, not kept (no phone numbers are kept here).
    #[schema(value_type = Option<Vec<Object>>)]
    pub phone_numbers: Option<Vec<serde_json::Value>>,
    /// Sent by Action Network's clients: taken, not kept.
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Whether the signer asks for mail: `subscribed` is the sign form's "send me news" ticked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = OsdiEmailStatusInput)]
pub enum EmailStatusInput {
    Subscribed,
    Unsubscribed,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiEmailInput)]
pub struct EmailInput {
    pub address: String,
    pub primary: Option<bool>,
    /// Taken, not kept.
    pub address_type: Option<String>,
    /// Without a token: `subscribed` asks for the campaign's news.
    pub status: Option<EmailStatusInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OsdiPostalInput)]
pub struct PostalInput {
    pub primary: Option<bool>,
    /// The city.
    pub locality: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Taken, not kept (Undersigned keeps a country and a city only).
    pub postal_code: Option<String>,
    /// Taken, not kept.
    pub region: Option<String>,
    /// Taken, not kept.
    pub address_lines: Option<Vec<String>>,
    /// Taken, not kept.
    pub address_type: Option<String>,
    /// Taken, not kept.
    pub language: Option<String>,
    /// Taken, not kept.
    #[schema(value_type = Option<Object>)]
    pub location: Option<serde_json::Value>,
}
