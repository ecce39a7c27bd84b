use super::*;

fn texts(pairs: &[(&str, &str)]) -> Texts {
    pairs.iter().map(|(l, t)| ((*l).to_owned(), (*t).to_owned())).collect()
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    texts(pairs)
}

fn choice_question() -> Question {
    Question {
        id: 7,
        kind: QuestionKind::Choice,
        required: true,
        prompts: texts(&[("en", "Where do you live?"), ("zh-Hant", "你住在哪裏？")]),
        choices: vec![texts(&[("en", "Hong Kong"), ("zh-Hant", "香港")]), texts(&[("en", "Elsewhere")])],
        retired: false,
    }
}

#[test]
fn a_required_question_left_empty_is_an_error_named_by_its_field() {
    let (en, zh) = (Lang::known("en"), Lang::known("zh-Hant"));
    let q = choice_question();
    let errors = parse_answers(std::slice::from_ref(&q), &fields(&[]), &zh, &en).unwrap_err();
    assert_eq!(errors[0].field, "q-7");
    let answers = parse_answers(std::slice::from_ref(&q), &fields(&[("q-7", "1")]), &zh, &en).unwrap();
    assert_eq!(answers[&7], Answer { choice: Some(1), value: "香港".into() }, "the label as shown");
    let answers = parse_answers(std::slice::from_ref(&q), &fields(&[("q-7", "2")]), &zh, &en).unwrap();
    assert_eq!(answers[&7].value, "Elsewhere", "a missing translation falls back to the default");
    assert!(
        parse_answers(std::slice::from_ref(&q), &fields(&[("q-7", "3")]), &zh, &en).is_err(),
        "no such choice"
    );
    assert_eq!(q.answer_text(&answers[&7], &en), "Elsewhere");
    assert_eq!(q.prompt_in(&Lang::known("zh-Hans"), &en), "Where do you live?");
}

#[test]
fn answers_are_checked_and_retired_questions_not_asked() {
    let (en, default) = (Lang::known("en"), Lang::known("en"));
    let text = Question {
        id: 1,
        kind: QuestionKind::Text,
        required: false,
        prompts: texts(&[("en", "Why?")]),
        choices: vec![],
        retired: false,
    };
    let yes_no = Question { id: 2, kind: QuestionKind::YesNo, required: true, ..text.clone() };
    let retired = Question { id: 3, required: true, retired: true, ..text.clone() };
    let all = [text, yes_no, retired];
    let long = "x".repeat(ANSWER_MAX + 1);
    let errors =
        parse_answers(&all, &fields(&[("q-1", &long), ("q-2", "maybe")]), &en, &default).unwrap_err();
    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["q-1", "q-2"]);
    let answers = parse_answers(&all, &fields(&[("q-2", "no"), ("q-3", "ignored")]), &en, &default).unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[&2].value, "no");
}

#[test]
fn the_editor_keeps_choices_in_use_and_limits_questions() {
    let langs = [Lang::known("en"), Lang::known("zh-Hant")];
    let q = choice_question();
    let form = fields(&[
        ("q7-prompt-en", "Where?"),
        ("q7-choices-en", "Hong Kong\nElsewhere\nTaiwan\n"),
        ("q7-choices-zh-Hant", "香港"),
        ("q7-required", "on"),
        ("new-kind", "yes-no"),
        ("new-prompt-zh-Hant", "你同意嗎？"),
        ("new-prompt-en", "Do you agree?"),
    ]);
    let edit = parse_edit(&form, std::slice::from_ref(&q), &langs, true).unwrap();
    assert_eq!(edit.asked.len(), 2);
    assert_eq!(edit.asked[0].id, Some(7));
    assert_eq!(edit.asked[0].choices.len(), 3);
    assert_eq!(edit.asked[0].choices[0]["zh-Hant"], "香港");
    assert_eq!(edit.asked[1].kind, QuestionKind::YesNo);
    assert!(!edit.asked[1].required);

    let fewer = fields(&[("q7-prompt-en", "Where?"), ("q7-choices-en", "Hong Kong\nTaiwan")]);
    assert!(parse_edit(&fewer, std::slice::from_ref(&q), &langs, false).is_ok(), "nobody signed yet");
    let fewer = fields(&[("q7-prompt-en", "Where?"), ("q7-choices-en", "Hong Kong")]);
    let errors = parse_edit(&fewer, std::slice::from_ref(&q), &langs, true).unwrap_err();
    assert_eq!(errors[0].field, "q7-choices-en");

    let removed = parse_edit(&fields(&[("q7-remove", "1")]), &[q], &langs, true).unwrap();
    assert_eq!(removed.removed, [7]);
    let no_default = fields(&[("new-kind", "text"), ("new-prompt-zh-Hant", "為甚麼？")]);
    assert_eq!(parse_edit(&no_default, &[], &langs, false).unwrap_err()[0].field, "new-prompt-en");
}
