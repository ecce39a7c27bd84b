//! `GET /api/v1/docs`: the OpenAPI document as a page for people, drawn by our own template from
//! the same document the API serves (no script, nothing from elsewhere: the site's CSP holds).

use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Value, context};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{RefOr, path::Operation};

use super::openapi::DOCUMENT;
use super::query::Params;
use super::{ApiError, PREFIX};
use crate::render::markdown;
use crate::{AppState, Visitor};

/// A type as the page names it, linked to its schema where it has one.
#[derive(Serialize)]
struct TypeName {
    label: String,
    anchor: Option<String>,
}

#[derive(Serialize)]
struct Field {
    name: String,
    location: Option<String>,
    kind: TypeName,
    required: bool,
    description: Value,
}

#[derive(Serialize)]
struct Answer {
    status: String,
    description: Value,
    content_type: Option<String>,
    kind: Option<TypeName>,
}

/// The API's documentation for people.
#[utoipa::path(
    get,
    path = "/api/v1/docs",
    tag = "documentation",
    params(("lang" = Option<String>, Query, description = "The page's language, such as `zh-Hant`.")),
    responses((status = 200, description = "This document as a page for people.", content_type = "text/html", body = String)),
)]
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &["lang"])?;
    let doc = &*DOCUMENT;
    let operations: Vec<Value> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [("GET", item.get.as_ref()), ("POST", item.post.as_ref())]
                .into_iter()
                .filter_map(move |(method, op)| Some((path, method, op?)))
        })
        .map(|(path, method, op)| operation(path, method, op))
        .collect();
    let schemas: Vec<Value> = doc
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .map(|(name, schema)| schema_context(name, schema))
        .collect();
    let page = context! {
        title => &doc.info.title,
        description => described(doc.info.description.as_deref()),
        document => format!("{PREFIX}/openapi.json"),
        operations => operations,
        schemas => schemas,
    };
    let Html(html) = state.pages.render("api/docs.html", &visitor, page)?;
    Ok(Html(html).into_response())
}

/// Markdown from the document, rendered and sanitised.
fn described(text: Option<&str>) -> Value {
    Value::from_safe_string(text.map(markdown::render).unwrap_or_default())
}

fn operation(path: &str, method: &str, op: &Operation) -> Value {
    let json = serde_json::to_value(op).unwrap_or_default();
    let parameters: Vec<Field> = json["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Field {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            location: p["in"].as_str().map(str::to_owned),
            kind: type_name(&p["schema"]),
            required: p["required"].as_bool().unwrap_or(false),
            description: described(p["description"].as_str()),
        })
        .collect();
    let answers: Vec<Answer> = json["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, r)| {
            let content = r["content"].as_object().and_then(|c| c.iter().next());
            Answer {
                status: status.clone(),
                description: described(r["description"].as_str()),
                content_type: content.map(|(ct, _)| ct.clone()),
                kind: content.map(|(_, c)| type_name(&c["schema"])),
            }
        })
        .collect();
    let request = json["requestBody"]["content"].as_object().and_then(|c| c.iter().next()).map(|(ct, c)| {
        context! { content_type => ct, kind => type_name(&c["schema"]), description => described(json["requestBody"]["description"].as_str()) }
    });
    context! {
        method => method,
        path => path,
        request => request,
        anchor => format!("op-{}", op.operation_id.as_deref().unwrap_or(path)),
        summary => op.summary.as_deref(),
        description => described(op.description.as_deref()),
        parameters => parameters,
        answers => answers,
    }
}

fn schema_context(name: &str, schema: &RefOr<Schema>) -> Value {
    let (description, values, fields) = match schema {
        RefOr::T(Schema::Object(object)) => {
            let values: Vec<String> = object
                .enum_values
                .iter()
                .flatten()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            let fields: Vec<Field> = object
                .properties
                .iter()
                .map(|(field, schema)| {
                    let json = serde_json::to_value(schema).unwrap_or_default();
                    Field {
                        name: field.clone(),
                        location: None,
                        kind: type_name(&json),
                        required: object.required.contains(field),
                        description: described(json["description"].as_str()),
                    }
                })
                .collect();
            (object.description.as_deref(), values, fields)
        }
        _ => (None, Vec::new(), Vec::new()),
    };
    context! {
        name => name,
        anchor => anchor(name),
        description => described(description),
        values => values,
        fields => fields,
    }
}

fn anchor(schema: &str) -> String {
    format!("schema-{schema}")
}

/// A JSON schema's type in words: `string (date-time)`, `array of Signer`, `Region or null`.
fn type_name(schema: &Json) -> TypeName {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        return TypeName { anchor: Some(anchor(&name)), label: name };
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let names: Vec<TypeName> = options.iter().map(type_name).collect();
        let label = names.iter().map(|n| n.label.as_str()).collect::<Vec<_>>().join(" or ");
        return TypeName { anchor: names.into_iter().find_map(|n| n.anchor), label };
    }
    let types: Vec<&str> = match &schema["type"] {
        Json::String(one) => vec![one.as_str()],
        Json::Array(many) => many.iter().filter_map(Json::as_str).collect(),
        _ => vec!["any"],
    };
    let mut anchor = None;
    let words: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "array" => {
                let items = type_name(&schema["items"]);
                anchor = items.anchor;
                format!("array of {}", items.label)
            }
            "string" if schema["format"].is_string() => {
                format!("string ({})", schema["format"].as_str().unwrap_or_default())
            }
            other => other.to_owned(),
        })
        .collect();
    TypeName { label: words.join(" or "), anchor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_words() {
        let name = |v: Json| type_name(&v).label;
        assert_eq!(
            name(serde_json::json!({"type": ["string", "null"], "format": "date"})),
            "string (date) or null"
        );
        assert_eq!(
            name(serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Signer"}})),
            "array of Signer"
        );
        let region = type_name(
            &serde_json::json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Region"}]}),
        );
        assert_eq!(
            (region.label.as_str(), region.anchor.as_deref()),
            ("null or Region", Some("schema-Region"))
        );
    }
}
