//! What a form shows after a failed submission: what was typed, and a message by each field that
//! needs changing, in the visitor's language.

use std::collections::BTreeMap;

use serde::Serialize;
use undersigned_core::{Lang, ValidationError};

use crate::i18n::Localizer;

/// A form's state for its template: `typed`, the values as typed, `errors` by field name, and an `alert`
/// about the form as a whole (expired token, closed campaign, too many attempts).
#[derive(Serialize, Default)]
pub struct FormState<T: Serialize> {
    pub typed: T,
    pub errors: BTreeMap<String, String>,
    /// The fields with errors, in the form's order (for the summary at the top).
    pub order: Vec<String>,
    pub alert: Option<String>,
}

/// The family of a field's message: its name, but one message for every question of a campaign's
/// own (`q-{id}` on the sign form; `q{id}-prompt-{lang}`, `new-choices-{lang}`... in the editor).
fn message_of(field: &str) -> String {
    let question = field.strip_prefix('q').filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    match question.or_else(|| field.strip_prefix("new-")) {
        _ if field.strip_prefix("q-").is_some_and(|id| id.bytes().all(|b| b.is_ascii_digit())) => {
            "question".to_owned()
        }
        Some(rest) if rest.contains("prompt-") => "question-prompt".to_owned(),
        Some(rest) if rest.contains("choices-") => "question-choices".to_owned(),
        Some("kind") => "question-kind".to_owned(),
        Some("prompt") => "questions-count".to_owned(),
        _ => field.replace('_', "-"),
    }
}

impl<T: Serialize + Default> FormState<T> {
    pub fn empty() -> Self {
        Self::default()
    }
}

impl<T: Serialize> FormState<T> {
    pub fn new(values: T) -> Self {
        Self { typed: values, errors: BTreeMap::new(), order: Vec::new(), alert: None }
    }

    /// Each field's error, translated. The message says what the field needs (the rule), so one
    /// message per field covers every way of getting it wrong.
    pub fn with_errors(mut self, i18n: &Localizer, lang: &Lang, errors: &[ValidationError]) -> Self {
        for e in errors {
            let key = format!("form-error-{}", message_of(&e.field));
            if !self.errors.contains_key(&e.field) {
                self.errors.insert(e.field.clone(), i18n.t(lang, &key, None));
                self.order.push(e.field.clone());
            }
        }
        self.alert = Some(i18n.t(lang, "form-alert-check", None));
        self
    }

    pub fn with_alert(mut self, alert: String) -> Self {
        self.alert = Some(alert);
        self
    }
}
