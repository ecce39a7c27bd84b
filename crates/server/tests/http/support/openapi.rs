//! The API's OpenAPI document as the tests hold the server to it: each answer a test reads is
//! looked up in the document (its address, method and status must be documented) and its body is
//! validated against the schema documented for its content type, `#/components/schemas/…`
//! references resolved within the document.

use serde_json::{Value, json};

use super::{Browser, Page};

pub struct ApiDocument {
    pub doc: Value,
}

impl ApiDocument {
    /// The document the server serves.
    pub async fn fetch(browser: &Browser) -> Self {
        let page = browser.get("/api/v1/openapi.json").await;
        assert_eq!(page.status, 200, "{}", page.body);
        Self { doc: serde_json::from_str(&page.body).expect("the document is JSON") }
    }

    /// The operation documented for `method` at the address `path` (its query left out).
    fn operation(&self, method: &str, path: &str) -> &Value {
        let path = path.split('?').next().unwrap_or(path);
        let (template, item) = self.doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .filter(|(template, _)| matches_template(template, path))
            // A literal segment before a parameter, as the router does (`…/record_signature_helper`
            // before `…/{signature}`).
            .min_by_key(|(template, _)| template.matches('{').count())
            .unwrap_or_else(|| panic!("{path} is not in the OpenAPI document"));
        let operation = &item[method.to_ascii_lowercase()];
        assert!(operation.is_object(), "{method} {template} is not in the OpenAPI document");
        operation
    }

    /// Checks an answer to `method path` against the document: its status is documented, and its
    /// body matches the schema documented for the content type it came with.
    pub fn check(&self, method: &str, path: &str, page: &Page) {
        let operation = self.operation(method, path);
        let status = page.status.to_string();
        let answer = &operation["responses"][&status];
        assert!(answer.is_object(), "{method} {path}: status {status} is not documented\n{}", page.body);
        let content_type = page.header("content-type").split(';').next().unwrap_or("").trim();
        match answer["content"].as_object() {
            None => assert!(
                page.body.is_empty(),
                "{method} {path} {status}: a body the document does not mention"
            ),
            Some(content) => {
                let documented = content.get(content_type).unwrap_or_else(|| {
                    panic!("{method} {path} {status}: {content_type:?} is not documented")
                });
                if content_type.ends_with("json") {
                    let body: Value = serde_json::from_str(&page.body)
                        .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}: {}", page.body));
                    self.validate(&documented["schema"], &body, &format!("{method} {path} {status}"));
                }
            }
        }
    }

    /// Checks `body` against the schema named `name` in the document's components.
    pub fn check_schema(&self, name: &str, body: &Value) {
        self.validate(&json!({ "$ref": format!("#/components/schemas/{name}") }), body, name);
    }

    fn validate(&self, schema: &Value, body: &Value, what: &str) {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{what}: the documented schema does not compile: {e}"));
        let errors: Vec<String> =
            validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(
            errors.is_empty(),
            "{what}: the answer does not match the document:\n{}\n{body:#}",
            errors.join("\n")
        );
    }

    /// The document itself holds together: OpenAPI 3.1, every schema a valid JSON Schema (draft
    /// 2020-12), every reference resolves, every answer described.
    pub fn check_itself(&self) {
        assert!(
            self.doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")),
            "{}",
            self.doc["openapi"]
        );
        assert!(self.doc["info"]["title"].is_string() && self.doc["info"]["version"].is_string());
        for (name, schema) in self.doc["components"]["schemas"].as_object().expect("schemas") {
            if let Err(e) = jsonschema::meta::validate(schema) {
                panic!("the schema {name} is not valid JSON Schema: {e}");
            }
        }
        let mut refs = Vec::new();
        collect_refs(&self.doc, &mut refs);
        assert!(!refs.is_empty());
        for reference in refs {
            let pointer =
                reference.strip_prefix('#').unwrap_or_else(|| panic!("an outside reference: {reference}"));
            assert!(self.doc.pointer(pointer).is_some(), "{reference} resolves to nothing");
        }
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                for (status, answer) in operation["responses"].as_object().expect("responses") {
                    assert!(answer["description"].is_string(), "{method} {path} {status} has no description");
                }
            }
        }
    }
}

fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
