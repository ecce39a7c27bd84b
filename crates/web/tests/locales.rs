//! Every language has every message, with the same placeholders: a missing translation is a test
//! failure, not a surprise for a reader.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

fn variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                variables(&v.value, out);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// Each locale's messages and the variables each uses.
fn locales() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut all = BTreeMap::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let mut messages = BTreeMap::new();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            let resource = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
            for entry in resource.body {
                if let Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(value) = &m.value {
                        variables(value, &mut vars);
                    }
                    assert!(m.value.is_some(), "{}: {} has no value", file.display(), m.id.name);
                    let previous = messages.insert(m.id.name.to_owned(), vars);
                    assert!(previous.is_none(), "{}: {} is defined twice", dir.display(), m.id.name);
                }
            }
        }
        all.insert(dir.file_name().unwrap().to_string_lossy().into_owned(), messages);
    }
    all
}

#[test]
fn the_site_speaks_english_and_both_chinese_scripts() {
    let all = locales();
    assert_eq!(all.keys().collect::<Vec<_>>(), ["en", "zh-Hans", "zh-Hant"]);
}

#[test]
fn every_language_has_every_message_with_the_same_placeholders() {
    let all = locales();
    let en = &all["en"];
    let mut problems = Vec::new();
    for (lang, messages) in &all {
        for (key, vars) in en {
            match messages.get(key) {
                None => problems.push(format!("{lang}: missing {key}")),
                Some(v) if v != vars => {
                    problems.push(format!("{lang}: {key} uses {v:?}, English uses {vars:?}"))
                }
                Some(_) => {}
            }
        }
        for key in messages.keys().filter(|k| !en.contains_key(*k)) {
            problems.push(format!("{lang}: {key} is not in English"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_bundle_loads() {
    let i18n = undersigned_web::i18n::Localizer::embedded().unwrap();
    let hant = undersigned_core::Lang::known("zh-Hant");
    assert_eq!(i18n.t(&hant, "language-name", None), "繁體中文");
    assert_eq!(i18n.date(&hant, time::macros::date!(2004 - 02 - 10)), "2004年2月10日");
    let en = undersigned_core::Lang::known("en");
    assert_eq!(i18n.date(&en, time::macros::date!(2004 - 02 - 10)), "10 February 2004");
    assert_eq!(i18n.t1(&en, "endorsement-individuals", "count", 15), "15 individuals");
    assert_eq!(i18n.t1(&en, "endorsement-individuals", "count", 1), "One individual");
}
