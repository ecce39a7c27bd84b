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
            let key = format!("form-error-{}", e.field.replace('_', "-"));
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
