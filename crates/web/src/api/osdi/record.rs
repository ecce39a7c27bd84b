//! `POST /api/osdi/v1/petitions/{id}/signatures/record_signature_helper`: a signature and its
//! signer, in the body Action Network's record signature helper takes.
//!
//! - **Without a token** it signs as the sign form does, through the same path
//!   ([`crate::signing::sign`]: the same checks, the same hourly limit per connection, the same
//!   mail budget and confirmation mail, the same group commit): the signature is pending until its
//!   signer follows the link in the mail. It answers an empty object whatever the address (new,
//!   signed and pending, signed and confirmed), as Action Network's blind POST does, so that it
//!   tells nobody whether an address has signed.
//! - **With a token that has `signatures:import`** for the campaign, it records a signature its
//!   organisers verified elsewhere, as an offline signature with the token's name as where it came
//!   from, as the offline form and the spreadsheet import record them: counted as one individual,
//!   named nobody (signers may be at risk: an import makes nobody public unless asked), or, when
//!   the body says `"undersigned:listed": true`, one named person among the campaign's
//!   endorsements. A body with `identifiers` already imported for the campaign records nothing
//!   new and answers as the first import did. Each import that records is in the audit log, once.
//!
//! The "under attack" mode holds the first as the sign form without JavaScript (the stricter
//! limit); the block lists hold both, the first dropping silently as the sign form does, the
//! second refusing with a word (`crate::defence::block_of` says why).
//!
//! Either way it is one write or none: a body refused (a field OSDI does not name, a wrong type, a
//! bad value: a 400 naming each) writes nothing.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use time::format_description::well_known::Rfc3339;
use undersigned_core::account::AuditEntry;
use undersigned_core::api_token::Scope;
use undersigned_core::defence::BlockKind;
use undersigned_core::endorsement::STATEMENT_MAX;
use undersigned_core::organisation::{SignatureSource, source_code};
use undersigned_core::signature::{NewSignature, SignatureInput};
use undersigned_core::store::now;
use undersigned_core::{Campaign, Email, EndorsementSpec, Endorser, Lang, ValidationError};

use super::model::{
    EmailInput, EmailStatusInput, Link, Nothing, PersonInput, PostalInput, RecordAnswer, RecordSignature,
    Recorded, RecordedLinks,
};
use super::{Addresses, hal};
use crate::api::body::read_json;
use crate::api::query::Params;
use crate::api::{ApiError, campaign, instant};
use crate::extract::api_token::{Caller, MaybeCaller};
use crate::limits::guard_program;
use crate::problem::Problem;
use crate::{AppState, Visitor};

/// Records a signature: pending without a token, offline with one.
#[utoipa::path(
    post,
    path = "/api/osdi/v1/petitions/{id}/signatures/record_signature_helper",
    tag = "osdi",
    params(
        ("id" = String, Path, description = "The campaign's name in its address."),
        ("lang" = Option<String>, Query, description = "Without a token: the language version signed and of the confirmation mail, where `person.languages_spoken` names none this site has (else `Accept-Language`)."),
    ),
    request_body(content = RecordSignature, content_type = "application/json", description = "The signature and its signer. Read as JSON whatever the `Content-Type`."),
    responses((status = 200, description = "Without a token: `{}`, whatever the address (the signer confirms by mail). With one: the offline signature recorded.", content_type = "application/hal+json", body = RecordAnswer)),
    security((), ("token" = []), ("bearer" = [])),
)]
pub async fn record(
    State(state): State<AppState>,
    visitor: Visitor,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &["lang"])?;
    let campaign = campaign(&state, &id).await?;
    let input = read_body(&body)?;
    match caller {
        Some(caller) => import(&state, &visitor, &caller, &campaign, input).await,
        None => sign(&state, &visitor, &campaign, input).await,
    }
}

/// The body, or a 400 naming the field at fault (as a path: `person.email_addresses[0].address`).
fn read_body(body: &[u8]) -> Result<RecordSignature, Problem> {
    read_json(body, "the record signature helper", "a signature")
}

/// The signer's name: the given and family names, joined by a space.
fn full_name(person: &PersonInput) -> String {
    [&person.given_name, &person.family_name]
        .into_iter()
        .flatten()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The signer's address: the primary one, else the first; with its place in the list.
fn email(person: &PersonInput) -> Option<(usize, &EmailInput)> {
    let all = person.email_addresses.as_deref().unwrap_or_default();
    all.iter().enumerate().find(|(_, e)| e.primary == Some(true)).or_else(|| all.iter().enumerate().next())
}

fn postal(person: &PersonInput) -> Option<&PostalInput> {
    person.postal_addresses.as_deref().and_then(<[_]>::first)
}

/// The body field each of a signature's fields comes from, for the 400 that names it.
fn field_of(field: &str, email_at: Option<usize>) -> String {
    match field {
        "name" => "person.given_name".into(),
        "email" => match email_at {
            Some(i) => format!("person.email_addresses[{i}].address"),
            None => "person.email_addresses".into(),
        },
        "country" => "person.postal_addresses[0].country".into(),
        "city" => "person.postal_addresses[0].locality".into(),
        "affiliation" | "organisation" => "person.employer".into(),
        "comment" | "statement" => "comments".into(),
        "person" => "person.given_name".into(),
        other => other.into(),
    }
}

fn refused(errors: Vec<ValidationError>, email_at: Option<usize>) -> Problem {
    Problem::bad_fields(errors.into_iter().map(|e| (field_of(&e.field, email_at), e.reason)).collect())
}

/// `action_date`, if given, must be a time (it is not kept).
fn check_action_date(input: &RecordSignature) -> Result<(), ValidationError> {
    match &input.action_date {
        Some(at) if time::OffsetDateTime::parse(at, &Rfc3339).is_err() => {
            Err(ValidationError::new("action_date", "must be an RFC 3339 time such as 2025-01-31T09:00:00Z"))
        }
        _ => Ok(()),
    }
}

/// Without a token: a pending signature, through the sign form's path; `{}` whatever the address.
async fn sign(
    state: &AppState,
    visitor: &Visitor,
    campaign: &Campaign,
    input: RecordSignature,
) -> Result<Response, ApiError> {
    if let Some(refusal) = guard_program(state, visitor, campaign).await? {
        let detail = match refusal.status {
            StatusCode::TOO_MANY_REQUESTS => {
                "Too many signatures from this connection this hour: try again after Retry-After."
            }
            _ => "This campaign does not take signatures now.",
        };
        let mut problem = Problem::new(refusal.status, detail);
        if let Some(seconds) = refusal.retry_after {
            problem = problem.with_header(header::RETRY_AFTER, &seconds.to_string());
        }
        return Err(problem.into());
    }
    let person = &input.person;
    // The signer's languages first, then the request's (`?lang=`, `Accept-Language`).
    let mut preferences: Vec<Lang> =
        person.languages_spoken.iter().flatten().filter_map(|l| Lang::parse("lang", l).ok()).collect();
    preferences.extend(visitor.preferences.iter().cloned());
    let address = email(person);
    let place = postal(person);
    let form = SignatureInput {
        name: full_name(person),
        email: address.map(|(_, e)| e.address.clone()).unwrap_or_default(),
        country: place.and_then(|p| p.country.clone()).unwrap_or_default(),
        city: place.and_then(|p| p.locality.clone()).unwrap_or_default(),
        affiliation: person.employer.clone().unwrap_or_default(),
        comment: input.comments.clone().unwrap_or_default(),
        // Not listed unless the signer says so, which OSDI has no field for.
        display: String::new(),
        opt_in: address
            .and_then(|(_, e)| e.status)
            .filter(|s| *s == EmailStatusInput::Subscribed)
            .map(|_| "yes".into()),
        ..Default::default()
    };
    let email_at = address.map(|(i, _)| i);
    let signer = NewSignature::parse(&form, state.pages.i18n.negotiate(&preferences));
    let listed = input.listed.map(|_| {
        ValidationError::new(
            "undersigned:listed",
            "is taken with an import token only: a signer chooses how to be listed on the sign form",
        )
    });
    let signer = match (signer, check_action_date(&input), listed) {
        (Ok(signer), Ok(()), None) => signer,
        (signer, date, listed) => {
            let errors = signer.err().into_iter().flatten().chain(date.err()).chain(listed).collect();
            return Err(refused(errors, email_at).into());
        }
    };
    // Under attack, a program is held to what a browser without JavaScript is: the stricter
    // limit (it sends no proof of work).
    if let Some(refused) = crate::defence::admit(state, visitor, campaign, "").await? {
        let detail = "This campaign is under attack: signatures without the sign form's proof of work \
                      are taken within a stricter limit, reached now. Try again after Retry-After.";
        let mut problem = Problem::new(refused.status, detail);
        if let Some(seconds) = refused.retry_after {
            problem = problem.with_header(header::RETRY_AFTER, &seconds.to_string());
        }
        return Err(problem.into());
    }
    let version = campaign.content.version_for(&preferences).lang.clone();
    // Where it came from: `referrer_data.source`, kept if it is a short plain code (as `?src=`).
    let source = SignatureSource {
        src: input.referrer_data.as_ref().and_then(|r| r.source.as_deref()).and_then(source_code),
        ..Default::default()
    };
    crate::signing::sign(state, visitor, campaign, signer, version, source).await?;
    hal(&RecordAnswer::Nothing(Nothing {}), true)
}

/// With a token: an offline signature, as the organisers' pages record one, marked with the
/// token's name; in the audit log. Not held to the "under attack" mode (an organiser's token is
/// not a bot), but to the block lists: refused, saying which (see `crate::defence::block_of`).
async fn import(
    state: &AppState,
    visitor: &Visitor,
    caller: &Caller,
    campaign: &Campaign,
    input: RecordSignature,
) -> Result<Response, ApiError> {
    caller.may(state, campaign.id, Some(Scope::SignaturesImport)).await?;
    let person = &input.person;
    let address = email(person);
    let mut errors = Vec::new();
    // Named publicly only when asked: else one individual, counted.
    let endorser = match input.listed {
        Some(true) => EndorsementSpec::person(&full_name(person)).map_err(|e| errors.push(e)).ok(),
        _ => Some(Endorser::Individuals { count: 1 }),
    };
    let country = match postal(person).and_then(|p| p.country.as_deref()).filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(code) => EndorsementSpec::parse_country("country", code).map_err(|e| errors.push(e)).ok(),
    };
    let statement = EndorsementSpec::optional_text("comment", input.comments.as_deref(), STATEMENT_MAX)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    // Checked, not kept: an offline signature keeps no address.
    let mut domain = String::new();
    if let Some((_, e)) = address {
        match Email::parse("email", &e.address) {
            Ok(email) => domain = crate::defence::email_domain(&email),
            Err(error) => errors.push(error),
        }
    }
    if let Err(error) = check_action_date(&input) {
        errors.push(error);
    }
    let identifiers = identifiers(input.identifiers.as_deref().unwrap_or_default(), &mut errors);
    let Some(endorser) = endorser.filter(|_| errors.is_empty()) else {
        return Err(refused(errors, address.map(|(i, _)| i)).into());
    };
    let ip_key = state.ip_day_key.stored_ip_key(&*state.store, &state.keys, visitor.ip()).await?;
    match crate::defence::block_of(state, visitor, campaign, &domain, ip_key.as_ref()).await? {
        None => {}
        Some(BlockKind::Domain) => {
            let blocked = ValidationError::new(
                "email",
                "is at an email domain on a block list of the campaign or the site",
            );
            return Err(refused(vec![blocked], address.map(|(i, _)| i)).into());
        }
        Some(_) => {
            let detail = "This connection's address is on a block list of the campaign or the site: \
                          nothing was recorded.";
            return Err(Problem::new(StatusCode::FORBIDDEN, detail).into());
        }
    }
    let token = &caller.token;
    let spec = EndorsementSpec { endorser, country, statement, source_note: Some(token.name.clone()) };
    let (id, new) = state.store.import_offline_endorsement(campaign.id, &spec, &identifiers).await?;
    let slug = campaign.content.slug.as_str();
    if new {
        state.page_cache.forget(slug);
        let entry = AuditEntry {
            at: now(),
            actor: caller.owner.email.clone(),
            campaign_id: Some(campaign.id),
            action: "import-signatures".into(),
            subject: format!("campaign {slug}"),
            detail: format!("1 signature (endorsement #{id}) through API token #{} {}", token.id, token.name),
        };
        if let Err(error) = state.store.audit(&entry).await {
            tracing::error!(%error, "could not write the audit log");
        }
    }
    // The answer is made of what was recorded, so that an import made again answers the same.
    let Some((recorded, _)) = state.store.endorsement(id).await? else {
        // Deleted by its organisers in the instant between: try again.
        return Err(Problem::unavailable().into());
    };
    let addresses = Addresses::new(state);
    let full = input.control.is_none_or(|c| c.return_response);
    let name = match recorded.spec.endorser {
        Endorser::Person { name } => Some(name),
        _ => None,
    };
    let recorded = Recorded {
        identifiers: addresses.id("endorsements", id),
        origin_system: recorded.spec.source_note.filter(|_| full),
        created_date: full.then(|| instant(recorded.created_at)),
        name: name.filter(|_| full),
        comments: recorded.spec.statement.filter(|_| full),
        links: RecordedLinks {
            curies: addresses.curies(),
            petition: Link::to(addresses.petition(slug)),
            endorsements: Link::to(
                addresses.site(&format!("{}/campaigns/{slug}/endorsements", crate::api::PREFIX)),
            ),
        },
    };
    hal(&RecordAnswer::Recorded(Box::new(recorded)), true)
}

/// The most identifiers an import keeps, and the longest.
const IDENTIFIERS_MAX: usize = 20;
const IDENTIFIER_MAX_LEN: usize = 200;

/// The body's `identifiers`, trimmed; each one refused named (`identifiers[2]`).
fn identifiers(given: &[String], errors: &mut Vec<ValidationError>) -> Vec<String> {
    if given.len() > IDENTIFIERS_MAX {
        errors.push(ValidationError::new("identifiers", format!("may hold at most {IDENTIFIERS_MAX}")));
        return Vec::new();
    }
    let mut kept = Vec::new();
    for (i, identifier) in given.iter().enumerate() {
        let identifier = identifier.trim();
        let length = identifier.chars().count();
        if length == 0 || length > IDENTIFIER_MAX_LEN || identifier.chars().any(char::is_control) {
            let reason = format!("must be 1 to {IDENTIFIER_MAX_LEN} characters, such as crm:1234");
            errors.push(ValidationError::new(format!("identifiers[{i}]"), reason));
        } else {
            kept.push(identifier.to_owned());
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &str) -> (String, String) {
        let problem = read_body(body.as_bytes()).unwrap_err();
        assert_eq!(problem.status, 400);
        let param = &problem.invalid_params[0];
        (param.name.clone(), param.reason.clone())
    }

    #[test]
    fn a_refused_body_names_the_field() {
        let ok = r#"{"person":{"given_name":"Chan","email_addresses":[{"address":"chan@example.org","status":"subscribed"}],
            "postal_addresses":[{"country":"HK","postal_code":"999077"}],"phone_numbers":[{"number":"1"}]},
            "add_tags":["x"],"triggers":{"autoresponse":{"enabled":false}},"action_network:referrer_data":{"source":"x"}}"#;
        let input = read_body(ok.as_bytes()).unwrap();
        assert_eq!(full_name(&input.person), "Chan");
        assert_eq!(email(&input.person).unwrap().1.status, Some(EmailStatusInput::Subscribed));
        assert_eq!(refused(r#"{"person":{"given_name":"C","nickname":"x"}}"#).0, "person.nickname");
        assert_eq!(refused(r#"{"person":{},"colour":"red"}"#).0, "colour");
        let (name, reason) = refused(r#"{"person":{"email_addresses":[{"address":5}]}}"#);
        assert_eq!(name, "person.email_addresses[0].address");
        assert!(reason.contains("expected a string"), "{reason}");
        assert_eq!(
            refused(r#"{"person":{"email_addresses":[{"address":"a@b.org","status":"bouncing"}]}}"#).0,
            "person.email_addresses[0].status"
        );
        assert_eq!(refused(r#"{"comments":"x"}"#), ("person".into(), "is missing".into()));
        assert_eq!(refused("not json").0, "body");
        assert_eq!(refused("").0, "body");
        assert_eq!(refused(r#"{"person":{}} {}"#).0, "body");
        assert_eq!(
            refused(r#"{"person":{},"osdi:control":{"return_response":"no"}}"#).0,
            "osdi:control.return_response"
        );
    }
}
