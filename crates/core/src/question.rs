//! Questions of a campaign's own on its sign form (issue 16): short text, one choice of a list, or
//! yes/no; optional or required; a prompt (and choice labels) per language version, a missing
//! translation falling back to the campaign's default language.
//!
//! Answers are private fields ([`crate::private_fields::PrivateFields::answers`]): sealed with the
//! rest, never shown publicly, a column each in the organisers' export. A question is never
//! deleted once people may have answered it (the campaign has signatures): it is retired, no
//! longer asked, and its column stays in exports.
//!
//! A choice's id is its place in the list (1, 2, …): once a question is in use, its choices may be
//! relabelled and added to, never removed or reordered, so that an id always names the same
//! choice. An answer keeps both the choice's id and its label as the signer saw it: the export
//! writes the choice's current label in the default language, and the stored label should the
//! choice be gone (it cannot be, by the rule above; the label is what the signer read).
//!
//! Questions are not part of the signature log's version hash (`signature_log::version_hash`):
//! they are asked of the signer, not what the signer puts their name to, and the appeal and
//! demands a signature commits to stay the same when a question is added or its wording changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::validation::{self, ValidationError};

/// At most this many questions are asked at once (retired ones aside).
pub const MAX_QUESTIONS: usize = 10;
/// A prompt's length, in characters.
pub const PROMPT_MAX: usize = 300;
/// A typed answer's length, in characters.
pub const ANSWER_MAX: usize = 500;
/// At most this many choices to one question.
pub const MAX_CHOICES: usize = 20;
/// A choice label's length, in characters.
pub const CHOICE_MAX: usize = 200;

/// A text per language, by language tag.
pub type Texts = BTreeMap<String, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// A line of text.
    Text,
    /// One of a list.
    Choice,
    /// Yes or no.
    YesNo,
}

impl QuestionKind {
    pub const ALL: [Self; 3] = [Self::Text, Self::Choice, Self::YesNo];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Choice => "choice",
            Self::YesNo => "yes-no",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value.trim())
    }
}

/// A question as stored: its id (the form's field is `q-{id}`), what it asks in each language,
/// and whether it is still asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub required: bool,
    pub prompts: Texts,
    /// A choice question's choices, in order: choice `i + 1` is `choices[i]`, its label per language.
    pub choices: Vec<Texts>,
    /// No longer asked; kept for the answers given to it.
    pub retired: bool,
}

/// A text in `lang`, else in `default`, else in any language there is.
fn text_in<'a>(texts: &'a Texts, lang: &Lang, default: &Lang) -> &'a str {
    texts
        .get(lang.as_str())
        .filter(|t| !t.is_empty())
        .or_else(|| texts.get(default.as_str()).filter(|t| !t.is_empty()))
        .or_else(|| texts.values().find(|t| !t.is_empty()))
        .map_or("", String::as_str)
}

impl Question {
    /// The sign form's field for this question.
    pub fn field(&self) -> String {
        format!("q-{}", self.id)
    }

    /// The prompt in `lang`, else in the campaign's default language.
    pub fn prompt_in(&self, lang: &Lang, default: &Lang) -> &str {
        text_in(&self.prompts, lang, default)
    }

    /// The choices' labels in `lang` (else the default language's), with their ids.
    pub fn choices_in(&self, lang: &Lang, default: &Lang) -> Vec<(u32, &str)> {
        self.choices.iter().enumerate().map(|(i, c)| (i as u32 + 1, text_in(c, lang, default))).collect()
    }

    /// What the export writes for `answer`: the text typed, `yes` or `no`, or the choice's label
    /// in the default language (the label the signer saw if the choice were gone).
    pub fn answer_text(&self, answer: &Answer, default: &Lang) -> String {
        match answer.choice {
            Some(id) if self.kind == QuestionKind::Choice => self
                .choices
                .get((id as usize).wrapping_sub(1))
                .map(|c| text_in(c, default, default).to_owned())
                .filter(|label| !label.is_empty())
                .unwrap_or_else(|| answer.value.clone()),
            _ => answer.value.clone(),
        }
    }
}

/// What a question says, per language, as the store keeps it (JSON): its prompts and its
/// choices' labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wording {
    pub prompts: Texts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Texts>,
}

impl Wording {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("strings serialise")
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// One answer, as sealed with the signature's private fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The choice's id, for a choice question.
    #[serde(default, rename = "c", skip_serializing_if = "Option::is_none")]
    pub choice: Option<u32>,
    /// The text typed, `yes` or `no`, or the choice's label as the signer saw it.
    #[serde(rename = "v")]
    pub value: String,
}

/// A signature's answers, by question id.
pub type Answers = BTreeMap<i64, Answer>;

/// The answers typed into the sign form (`typed`, by field name) to the questions asked, read in
/// `lang`: every error at once, each named by its question's field. Nothing for a question not
/// asked (a retired one, or a field no question has).
pub fn parse_answers(
    questions: &[Question],
    typed: &BTreeMap<String, String>,
    lang: &Lang,
    default: &Lang,
) -> Result<Answers, Vec<ValidationError>> {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for q in questions.iter().filter(|q| !q.retired) {
        let field = q.field();
        let value = typed.get(&field).map_or("", |v| v.trim());
        if value.is_empty() {
            if q.required {
                errors.push(ValidationError::new(field, "answer this question"));
            }
            continue;
        }
        let answer = match q.kind {
            QuestionKind::Text => validation::text(&field, value, 1, ANSWER_MAX, false)
                .map(|value| Answer { choice: None, value }),
            QuestionKind::YesNo => match value {
                "yes" | "no" => Ok(Answer { choice: None, value: value.to_owned() }),
                _ => Err(ValidationError::new(&field, "answer yes or no")),
            },
            QuestionKind::Choice => value
                .parse::<u32>()
                .ok()
                .and_then(|id| q.choices_in(lang, default).into_iter().find(|(c, _)| *c == id))
                .map(|(id, label)| Answer { choice: Some(id), value: label.to_owned() })
                .ok_or_else(|| ValidationError::new(&field, "choose one of the answers given")),
        };
        match answer {
            Ok(answer) => {
                answers.insert(q.id, answer);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

/// A question as the editor saves it: an existing one (`id`) or a new one (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionSpec {
    pub id: Option<i64>,
    pub kind: QuestionKind,
    pub required: bool,
    pub prompts: Texts,
    pub choices: Vec<Texts>,
}

/// What the editor's form asks for: the questions asked, in order, and the ids to take away
/// (deleted, or retired once the campaign has signatures).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionsEdit {
    pub asked: Vec<QuestionSpec>,
    pub removed: Vec<i64>,
}

/// The editor's form (`fields`, by name) over the questions there are (`current`), in the
/// campaign's languages `langs` (the default first): `q{id}-required`, `q{id}-prompt-{lang}`,
/// `q{id}-choices-{lang}` (one choice a line), `q{id}-remove` for each question asked; `new-kind`,
/// `new-required`, `new-prompt-{lang}`, `new-choices-{lang}` for one more. `in_use`: the campaign
/// has signatures, so that a choice people may have chosen stays. Every error at once.
pub fn parse_edit(
    fields: &BTreeMap<String, String>,
    current: &[Question],
    langs: &[Lang],
    in_use: bool,
) -> Result<QuestionsEdit, Vec<ValidationError>> {
    let mut edit = QuestionsEdit::default();
    let mut errors = Vec::new();
    let get = |name: &str| value_of(fields, name);
    for q in current.iter().filter(|q| !q.retired) {
        let prefix = format!("q{}", q.id);
        if !get(&format!("{prefix}-remove")).is_empty() {
            edit.removed.push(q.id);
            continue;
        }
        let old = if in_use { q.choices.len() } else { 0 };
        match spec(fields, &prefix, q.kind, langs, old) {
            Ok(mut spec) => {
                spec.id = Some(q.id);
                edit.asked.push(spec);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    let new_kind = get("new-kind");
    let new_prompted = langs.iter().any(|l| !get(&format!("new-prompt-{l}")).trim().is_empty());
    if new_prompted {
        match QuestionKind::parse(new_kind) {
            None => errors.push(ValidationError::new("new-kind", "choose what kind of answer it takes")),
            Some(kind) => match spec(fields, "new", kind, langs, 0) {
                Ok(spec) => edit.asked.push(spec),
                Err(mut e) => errors.append(&mut e),
            },
        }
    }
    if edit.asked.len() > MAX_QUESTIONS {
        errors.push(ValidationError::new("new-prompt", format!("at most {MAX_QUESTIONS} questions")));
    }
    if errors.is_empty() { Ok(edit) } else { Err(errors) }
}

fn value_of<'a>(fields: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

/// One question's fields under `prefix`. `kept`: how many of its choices must stay (those people
/// may have chosen).
fn spec(
    fields: &BTreeMap<String, String>,
    prefix: &str,
    kind: QuestionKind,
    langs: &[Lang],
    kept: usize,
) -> Result<QuestionSpec, Vec<ValidationError>> {
    let get = |name: &str| value_of(fields, name);
    let mut errors = Vec::new();
    let mut prompts = Texts::new();
    let mut choices: Vec<Texts> = Vec::new();
    for (i, lang) in langs.iter().enumerate() {
        let field = format!("{prefix}-prompt-{lang}");
        // The default language's prompt is what every other falls back to: it is needed.
        match validation::text(&field, get(&field), usize::from(i == 0), PROMPT_MAX, false) {
            Ok(p) if p.is_empty() => {}
            Ok(p) => {
                prompts.insert(lang.to_string(), p);
            }
            Err(e) => errors.push(e),
        }
        if kind != QuestionKind::Choice {
            continue;
        }
        let field = format!("{prefix}-choices-{lang}");
        let lines: Vec<&str> = get(&field).lines().map(str::trim).collect();
        let lines = &lines[..lines.iter().rposition(|l| !l.is_empty()).map_or(0, |p| p + 1)];
        if i == 0 && (lines.len() < 2 || lines.len() > MAX_CHOICES || lines.len() < kept) {
            let reason = if lines.len() < kept {
                format!("keep the {kept} choices people may have chosen (add new ones below them)")
            } else {
                format!("write 2 to {MAX_CHOICES} choices, one a line")
            };
            errors.push(ValidationError::new(&field, reason));
            continue;
        }
        for (n, line) in lines.iter().enumerate() {
            if i > 0 && n >= choices.len() {
                errors.push(ValidationError::new(&field, "write no more choices than in the first language"));
                break;
            }
            match validation::text(&field, line, usize::from(i == 0), CHOICE_MAX, false) {
                Ok(label) => {
                    if i == 0 {
                        choices.push(Texts::new());
                    }
                    if !label.is_empty() {
                        choices[n].insert(lang.to_string(), label);
                    }
                }
                Err(e) => {
                    errors.push(e);
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let required = !get(&format!("{prefix}-required")).is_empty();
    Ok(QuestionSpec { id: None, kind, required, prompts, choices })
}

#[cfg(test)]
#[path = "question_tests.rs"]
mod tests;
