//! A campaign's signature log in public: its signed checkpoint (`/c/{slug}/log/checkpoint`),
//! inclusion and consistency proofs as JSON, the instance's verifier key (`/log/key`), and the
//! page where anyone checks a receipt against the current checkpoint, on the server (no script
//! needed).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use serde_json::json;
use undersigned_core::tlog;

use crate::render::campaign::{public_campaign, version_for};
use crate::signature_log::{checkpoint, log_key, parse_hash};
use crate::{AppError, AppState, Visitor};

fn text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], body)
        .into_response()
}

fn bad(field: &str, message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message, "field": field }))).into_response()
}

pub async fn key(State(state): State<AppState>) -> Response {
    text(format!("{}\n", log_key(&state).verifier()))
}

pub async fn show_checkpoint(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let (_, note) = checkpoint(&state, campaign.id, &slug).await?;
    Ok(text(note))
}

#[derive(Deserialize)]
pub struct ProofQuery {
    leaf: Option<String>,
    index: Option<String>,
    size: Option<String>,
}

pub async fn proof(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ProofQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let (current, note) = checkpoint(&state, campaign.id, &slug).await?;
    let size = match query.size.as_deref() {
        None | Some("") => current.size,
        Some(s) => match s.parse::<u64>() {
            Ok(s) if s >= 1 && s <= current.size => s,
            _ => return Ok(bad("size", &format!("size must be a tree size from 1 to {}", current.size))),
        },
    };
    let index = match (query.leaf.as_deref(), query.index.as_deref()) {
        (Some(leaf), _) => {
            let Some(hash) = parse_hash(leaf) else {
                return Ok(bad("leaf", "leaf must be a leaf hash: 64 hexadecimal digits"));
            };
            match state.store.log_leaf_by_hash(campaign.id, &hash).await? {
                Some(index) => index,
                None => return Ok(bad("leaf", "no leaf of this log has this hash")),
            }
        }
        (None, Some(index)) => match index.parse::<u64>() {
            Ok(index) => index,
            Err(_) => return Ok(bad("index", "index must be a leaf index (0, 1, 2, ...)")),
        },
        (None, None) => return Ok(bad("leaf", "give leaf (a leaf hash) or index")),
    };
    if index >= size {
        return Ok(bad("index", &format!("leaf {index} is not in a tree of {size} leaves")));
    }
    let path = state.store.inclusion_proof(campaign.id, index, size).await?;
    let leaf = state.store.log_leaves(campaign.id, index, 1).await?;
    let body = json!({
        "origin": current.origin,
        "index": index,
        "tree_size": size,
        "leaf_hash": leaf.first().map(|l| hex::encode(l.hash)),
        "record": leaf.first().map(|l| &l.record),
        "proof": path.iter().map(hex::encode).collect::<Vec<_>>(),
        "checkpoint": note,
    });
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
pub struct ConsistencyQuery {
    from: Option<String>,
    to: Option<String>,
}

pub async fn consistency(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let (current, note) = checkpoint(&state, campaign.id, &slug).await?;
    let parse = |v: Option<&str>| v.unwrap_or("").parse::<u64>().ok().filter(|n| *n <= current.size);
    let Some(to) = query.to.as_deref().map_or(Some(current.size), |t| parse(Some(t))) else {
        return Ok(bad("to", &format!("to must be a tree size up to {}", current.size)));
    };
    let Some(from) = parse(query.from.as_deref()).filter(|f| *f <= to) else {
        return Ok(bad("from", &format!("from must be a tree size up to {to}")));
    };
    let path = state.store.consistency_proof(campaign.id, from, to).await?;
    let body = json!({
        "origin": current.origin,
        "from": from,
        "to": to,
        "proof": path.iter().map(hex::encode).collect::<Vec<_>>(),
        "checkpoint": note,
    });
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
pub struct CheckQuery {
    leaf: Option<String>,
}

/// The receipt check: finds the leaf, makes its inclusion proof against the current checkpoint,
/// and checks both (the proof, and the checkpoint's signature by this instance's key).
pub async fn check(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<CheckQuery>,
) -> Result<Response, AppError> {
    let campaign = public_campaign(&state, &slug).await?;
    let i18n = &state.pages.i18n;
    let t = |key: &str| i18n.t(&visitor.ui, key, None);
    let typed = query.leaf.unwrap_or_default();
    let (mut error, mut found) = (None, None);
    if !typed.trim().is_empty() {
        match parse_hash(&typed) {
            None => error = Some(t("log-check-malformed")),
            Some(hash) => match state.store.log_leaf_by_hash(campaign.id, &hash).await? {
                None => error = Some(t("log-check-unknown")),
                Some(index) => {
                    let (current, note) = checkpoint(&state, campaign.id, &slug).await?;
                    let path = state.store.inclusion_proof(campaign.id, index, current.size).await?;
                    let signed = log_key(&state).verifier().open(&note).is_ok_and(|c| c == current);
                    if signed && tlog::verify_inclusion(&hash, index, current.size, &path, &current.root) {
                        let record = state.store.log_leaves(campaign.id, index, 1).await?;
                        found = Some(context! {
                            index => index,
                            size => current.size,
                            record => record.first().map(|l| l.record.clone()),
                            checkpoint => note,
                        });
                    } else {
                        error = Some(t("log-check-failed"));
                    }
                }
            },
        }
    }
    let version = version_for(&campaign, &visitor);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = context! {
        title => t("log-check-heading"),
        campaign_title => &version.title,
        campaign_lang => version.lang.as_str(),
        campaign_path => format!("/c/{slug}"),
        leaf => typed,
        error => error,
        found => found,
    };
    Ok((status, state.pages.render("log-check.html", &visitor, page)?).into_response())
}
