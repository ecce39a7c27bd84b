//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and the
//! response types ([`super::model`]) by `utoipa`, and served at `/api/v1/openapi.json`. What every
//! address answers alike (a 304 for a tag the client has, a problem document for a bad query, an
//! unknown or withdrawn campaign, the database away) is added to each operation here, once.
//!
//! `docs/openapi.json` is a copy, compared with what the server serves by the HTTP tests: a change
//! to the API shows as a diff there (`UNDERSIGNED_UPDATE_OPENAPI=1 cargo test -p undersigned
//! --test http api::` writes it anew).

use std::sync::LazyLock;

use axum::extract::RawQuery;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, OperationBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::query::Params;
use super::{ApiError, JSON, campaigns, docs, lists, oembed, osdi, token, webhooks};
use crate::conditional;
use crate::problem::{self, InvalidParam, Problem};
use crate::security::is_webhooks_api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Undersigned API",
        version = "1",
        description = "Public data about the campaigns of an Undersigned site under `/api/v1`: every \
            public campaign in all its language versions, its counts, endorsements, public signers \
            and updates. It shows what the public pages show and nothing more. Answers carry a strong \
            ETag and may be read from any origin. Under `/api/osdi/v1`, a subset of OSDI 1.2 in \
            HAL+JSON for CRMs: petitions, their signatures and signers (with an API token), and the \
            record signature helper. Under `/api/v1/webhooks`, a campaign's webhook endpoints, for a \
            token with `webhooks:manage`. Errors are RFC 9457 problem documents.",
    ),
    paths(
        campaigns::list,
        campaigns::one,
        lists::endorsements,
        lists::signatures,
        lists::updates,
        oembed::oembed,
        token::token,
        webhooks::list,
        webhooks::create,
        webhooks::one,
        webhooks::delete,
        webhooks::test,
        osdi::aep::entry_point,
        osdi::petitions::list,
        osdi::petitions::one,
        osdi::signatures::list,
        osdi::signatures::one,
        osdi::record::record,
        osdi::people::one,
        document,
        docs::page,
    ),
    components(schemas(Problem, InvalidParam)),
    tags(
        (name = "campaigns", description = "Public campaigns and what they gathered."),
        (name = "embedding", description = "Showing a campaign on another site."),
        (name = "osdi", description = "OSDI 1.2 (the Open Supporter Data Interface, as Action Network speaks it), in HAL+JSON."),
        (name = "tokens", description = "API tokens, made by organisers on their tokens page (`/organise/tokens`) and sent in the `OSDI-API-Token` header or as `Authorization: Bearer`, never in the address."),
        (name = "webhooks", description = "A campaign's webhook endpoints, for a token with `webhooks:manage`: what the organisers' webhooks page does, for programs. No CORS: not for pages of other sites."),
        (name = "documentation", description = "This document, for machines and for people."),
        (name = "cors", description = "Browsers' preflight requests, answered for every address."),
    ),
    modifiers(&Answers, &TokenSchemes),
)]
struct ApiDoc;

/// The document, as served.
pub static DOCUMENT: LazyLock<Document> = LazyLock::new(ApiDoc::openapi);

/// The document's JSON, as served (pretty, with a final newline: the committed copy diffs well).
static JSON_TEXT: LazyLock<String> = LazyLock::new(|| {
    let mut text = DOCUMENT.to_pretty_json().expect("the OpenAPI document serialises");
    text.push('\n');
    text
});

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "documentation",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object)),
)]
pub async fn document(RawQuery(raw): RawQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    Ok(conditional::respond_body(&headers, JSON_TEXT.as_str(), JSON, "public, max-age=300"))
}

/// The two ways to send a token: OSDI's header, or the usual bearer token.
struct TokenSchemes;

impl Modify for TokenSchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let header = ApiKeyValue::with_description(
            crate::extract::api_token::HEADER,
            "An API token (`us_…`), as OSDI names it. Never in the query string: `?osdi-api-token=` is refused.",
        );
        components.add_security_scheme("token", SecurityScheme::ApiKey(ApiKey::Header(header)));
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("The same token as `Authorization: Bearer us_…`."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
    }
}

/// Whether an address needs a token (or takes one).
fn takes_token(path: &str) -> bool {
    path == "/api/v1/token" || is_osdi(path) || is_webhooks_api(path)
}

fn is_osdi(path: &str) -> bool {
    path.starts_with(osdi::PREFIX)
}

/// Adds to each operation the answers every address gives alike.
struct Answers;

impl Modify for Answers {
    fn modify(&self, openapi: &mut Document) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if is_webhooks_api(path) {
                let operations = [item.get.as_mut(), item.post.as_mut(), item.delete.as_mut()];
                for operation in operations.into_iter().flatten() {
                    add_webhook_answers(path, operation);
                }
                continue;
            }
            if let Some(operation) = item.get.as_mut() {
                add_answers(path, operation, false);
            }
            if let Some(operation) = item.post.as_mut() {
                add_answers(path, operation, true);
            }
            if path.starts_with(super::PREFIX) || path == "/oembed" {
                item.options = Some(preflight());
            }
        }
    }
}

fn add_answers(path: &str, operation: &mut Operation, post: bool) {
    let answers = &mut operation.responses.responses;
    let mut add = |status: &str, response: utoipa::openapi::Response| {
        answers.insert(status.to_owned(), RefOr::T(response));
    };
    let tagged = path != "/api/v1/docs" && !takes_token(path);
    if tagged {
        add(
            "304",
            ResponseBuilder::new()
                .description("Not modified: `If-None-Match` names the current ETag.")
                .build(),
        );
    }
    let bad = match post {
        false => "An unknown query parameter, one given twice, or a bad value: `invalid-params` names it.",
        true => {
            "An unknown query parameter, or a body that is not JSON, has a field the address does not take, \
                 a field of the wrong type or a bad value: `invalid-params` names each (a body field as a \
                 path, such as `person.email_addresses[0].address`). Nothing is written."
        }
    };
    add("400", problem(bad));
    if path.contains("{slug}") || (is_osdi(path) && path.contains("/petitions/{id}")) {
        add("404", problem("No public campaign has this address (there is none, or it is a draft)."));
        add("410", problem("The campaign was withdrawn by its organisers."));
    }
    if path == "/oembed" {
        add("404", problem("`url` is not the address of a public campaign of this site."));
        add("501", problem("A `format` other than `json`."));
    }
    if takes_token(path) {
        add_token_answers(&mut add);
    }
    if path == "/api/v1/token" {
        add("404", problem("`campaign` names no campaign of this site."));
    }
    if path.ends_with("/signatures/{signature}") {
        add(
            "404",
            problem(
                "No public campaign has this address, or it has no confirmed signature with this number.",
            ),
        );
    }
    if path.starts_with("/api/osdi/v1/people/") {
        add("404", problem("No signer the token may read has this number."));
    }
    if post {
        add(
            "409",
            problem("Without a token: the campaign does not take signatures now (closed, or not yet open)."),
        );
        add("413", problem("The body is larger than the server takes (`--max-body-bytes`)."));
        let retry = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String).build())
            .description(Some("Seconds to wait."))
            .build();
        let mut limited = problem(
            "With a token: it made its requests for the minute. Without one: this connection sent as many \
             signatures this hour as one may (`--sign-rate-limit`).",
        );
        limited.headers.insert("Retry-After".into(), retry);
        add("429", limited);
        add("405", problem("A method other than POST."));
    } else if is_osdi(path) {
        add("405", problem("A method other than GET or HEAD."));
    } else {
        add("405", problem("A method other than GET, HEAD or OPTIONS."));
    }
    add("503", problem("The database is away for a moment: try again after `Retry-After` seconds."));
    if let Some(RefOr::T(ok)) = answers.get_mut("200") {
        let string = || ObjectBuilder::new().schema_type(Type::String).build();
        let header =
            |description: &str| HeaderBuilder::new().schema(string()).description(Some(description)).build();
        if tagged {
            ok.headers.insert("ETag".into(), header("A strong tag of the answer's bytes."));
            ok.headers.insert("Cache-Control".into(), header("How long caches may keep the answer."));
        } else if takes_token(path) {
            let cache = "`no-store` for an answer that is the token's own; `no-cache` for public petitions.";
            ok.headers.insert("Cache-Control".into(), header(cache));
        }
        if path != "/api/v1/docs" && !is_osdi(path) {
            ok.headers.insert("Access-Control-Allow-Origin".into(), header("`*`: any site may read it."));
        }
    }
}

/// What the webhooks' addresses answer besides their own answer: no CORS, never cached.
fn add_webhook_answers(path: &str, operation: &mut Operation) {
    let answers = &mut operation.responses.responses;
    let mut add = |status: &str, response: utoipa::openapi::Response| {
        answers.insert(status.to_owned(), RefOr::T(response));
    };
    add(
        "400",
        problem(
            "An unknown query parameter, or a body that is not JSON, has a field the address does not take, \
             a field of the wrong type or a bad value (an address that is not https://, or of this server's \
             own networks; an unknown event; no event): `invalid-params` names each. Nothing is written.",
        ),
    );
    add_token_answers(&mut add);
    if path == webhooks::PATH {
        add(
            "403",
            problem(
                "The token works, but not here: it is for another campaign, lacks webhooks:manage, or its \
                 owner may no longer do this; or `personal_data` is asked for without pii:read (named in \
                 `invalid-params`).",
            ),
        );
        add("413", problem("The body is larger than the server takes (`--max-body-bytes`)."));
    } else {
        add("404", problem("No endpoint of the campaigns this token may manage has this number."));
    }
    add("405", problem("A method the address does not take (`Allow` names those it does)."));
    add("503", problem("The database is away for a moment: try again after `Retry-After` seconds."));
}

/// What an address that takes a token answers when the token does not do.
fn add_token_answers(add: &mut impl FnMut(&str, utoipa::openapi::Response)) {
    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    let challenge = HeaderBuilder::new()
        .schema(string())
        .description(Some(
            "`Bearer realm=\"undersigned\"` (with `error=\"invalid_token\"` when one was sent).",
        ))
        .build();
    let mut unauthorized = problem(
        "No token, or one that does not work: unknown, revoked, expired, or its owner's account disabled.",
    );
    unauthorized.headers.insert("WWW-Authenticate".into(), challenge);
    add("401", unauthorized);
    add(
        "403",
        problem(
            "The token works, but not here: it is for another campaign, lacks the scope, or its owner may no longer do this.",
        ),
    );
    let retry = HeaderBuilder::new().schema(string()).description(Some("Seconds to wait.")).build();
    let mut limited = problem("The token made its requests for the minute (`--api-rate-limit`).");
    limited.headers.insert("Retry-After".into(), retry);
    add("429", limited);
}

/// The answer to a browser's CORS preflight.
fn preflight() -> Operation {
    let string = ObjectBuilder::new().schema_type(Type::String).build();
    let header = |description: &str| {
        HeaderBuilder::new().schema(string.clone()).description(Some(description)).build()
    };
    let answer = ResponseBuilder::new()
        .description("Any origin may GET this address, sending `If-None-Match` if it likes.")
        .header("Access-Control-Allow-Origin", header("`*`."))
        .header("Access-Control-Allow-Methods", header("`GET, HEAD, OPTIONS`."))
        .header("Access-Control-Allow-Headers", header("`If-None-Match`."))
        .build();
    OperationBuilder::new()
        .tag("cors")
        .summary(Some("A browser's CORS preflight."))
        .response("204", answer)
        .build()
}

fn problem(description: &str) -> utoipa::openapi::Response {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    ResponseBuilder::new().description(description).content(problem::CONTENT_TYPE, content).build()
}
