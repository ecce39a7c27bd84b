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

/// Keys built at run time from a family name and a value, each family with where it is built.
fn dynamic_keys() -> BTreeSet<String> {
    use undersigned_core::signature::NameDisplay;
    use undersigned_core::{CampaignStatus, OrganisationType};
    let mut keys = BTreeSet::new();
    // i18n.rs: country names and month names.
    keys.extend(undersigned_core::country::CODES.iter().map(|c| format!("country-{c}")));
    keys.extend((1..=12).map(|m| format!("month-{m}")));
    // render/forms.rs: one message per form field.
    for field in [
        "name",
        "email",
        "country",
        "city",
        "affiliation",
        "comment",
        "display",
        "organisation",
        "org-type",
        "website",
        "contact-name",
        "contact-email",
        "statement",
        "password",
        "password-again",
        "individuals",
        "source",
        "role",
        "slug",
        "slug-taken",
        "lang",
        "signature-goal",
        "dated",
        "opens-on",
        "closes-on",
        "default-lang",
        "embed-sites",
        "blocked-domains",
        "blocked-ip-ranges",
        "blocked-ip-hashes",
        "title",
        "summary",
        "target",
        "body",
        "demands",
        "email-domain",
        "from",
        "until",
        "ip",
        "signature",
        "conditions",
        "person",
        "response-text",
        "responded-on",
        "link",
        "comment-body",
        "comment-links",
        "token-name",
        "token-campaign",
        "token-scopes",
        "token-expires",
        // organise/organisations.rs (issue 16)
        "org-slug",
        "org-name",
        "org-region",
        "org-website",
        "member-email",
        "member-role",
        "milestones",
        "met-on",
        "met-note",
    ] {
        keys.insert(format!("form-error-{field}"));
    }
    // Templates: a campaign's status, an organisation's type, how a name is shown, error pages.
    keys.extend(CampaignStatus::ALL.iter().map(|s| format!("campaign-status-{}", s.as_str())));
    for t in OrganisationType::ALL {
        keys.insert(format!("org-type-{}", t.as_str()));
        keys.insert(format!("org-type-{}-long", t.as_str()));
    }
    keys.extend(NameDisplay::ALL.iter().map(|d| format!("sign-display-{}", d.as_str())));
    for status in [400, 403, 404, 405, 410, 413, 429, 500, 503] {
        keys.insert(format!("error-{status}-title"));
        keys.insert(format!("error-{status}-text"));
    }
    // Organiser templates: roles and their hints, the kinds of offline endorsement.
    for role in undersigned_core::account::Role::ALL {
        keys.insert(format!("role-{}", role.as_str()));
        keys.insert(format!("role-{}-hint", role.as_str()));
    }
    // organise/organisations.rs: an organisation's member's role.
    for role in undersigned_core::organisation::OrgRole::ALL {
        keys.insert(format!("org-role-{}", role.as_str()));
    }
    // organise/import.rs: reasons a CSV cell is refused.
    for reason in ["type", "column", "missing-column", "too-many", "empty", "encoding"] {
        keys.insert(format!("csv-error-{reason}"));
    }
    keys.insert("signature-status-pending".into());
    keys.insert("signature-status-confirmed".into());
    for status in ["open", "closed", "won"] {
        keys.insert(format!("status-to-{status}"));
    }
    keys.insert("offline-kind-organisation".into());
    keys.insert("offline-kind-person".into());
    // organise/updates.rs: a title's and a text's error.
    keys.insert("form-error-update-title".into());
    keys.insert("form-error-update-body".into());
    // render/share.rs: one link per service.
    for service in ["email", "x", "facebook", "telegram", "whatsapp", "weibo", "line"] {
        keys.insert(format!("share-{service}"));
    }
    keys.insert("offline-kind-individuals".into());
    // organise/dashboard/life.rs: what taking a campaign down asks first, and what it refuses.
    for what in ["unpublish", "withdraw", "delete"] {
        for part in ["heading", "text", "button"] {
            keys.insert(format!("take-down-{what}-{part}"));
        }
    }
    for part in ["heading", "button"] {
        keys.insert(format!("take-down-republish-{part}"));
    }
    for status in ["open", "closed", "won"] {
        keys.insert(format!("take-down-republish-text-{status}"));
    }
    keys.insert("status-unpublish".into());
    keys.insert("status-withdraw".into());
    keys.insert("status-republish".into());
    keys.insert("unpublish-error".into());
    keys.insert("republish-error".into());
    keys.insert("delete-error".into());
    // organise/webhooks.rs: its form's fields, an endpoint's and a delivery's state, each event.
    for field in ["url", "events", "personal-data"] {
        keys.insert(format!("form-error-{field}"));
    }
    use undersigned_core::webhook::{DeliveryState, EndpointState, WebhookEvent};
    for state in [EndpointState::Active, EndpointState::Paused, EndpointState::Disabled] {
        keys.insert(format!("webhook-state-{}", state.as_str()));
    }
    for state in [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Failed] {
        keys.insert(format!("webhook-delivery-{}", state.as_str()));
    }
    for event in WebhookEvent::SUBSCRIBABLE.into_iter().chain([WebhookEvent::Test]) {
        keys.insert(format!("webhook-event-{}", event.as_str().replace(['.', '_'], "-")));
    }
    // organise/tokens.rs: what each scope allows, and where a token stands.
    for scope in undersigned_core::api_token::Scope::ALL {
        keys.insert(format!("tokens-scope-{}", scope.as_str().replace(':', "-")));
    }
    for state in ["active", "expired", "revoked"] {
        keys.insert(format!("tokens-state-{state}"));
    }
    // organise/keys.rs: why a public key is refused, and where a key stands.
    use undersigned_core::age::RecipientError;
    for error in [
        RecipientError::NotAnAgeKey,
        RecipientError::SecretKey,
        RecipientError::OtherKind,
        RecipientError::Damaged,
    ] {
        keys.insert(format!("form-error-owner-key-{}", error.code()));
    }
    use undersigned_core::owner_key::KeyState;
    for state in [KeyState::Waiting, KeyState::Active, KeyState::Retired] {
        keys.insert(format!("keys-state-{}", state.as_str()));
    }
    // html/signing.rs: the page behind each kind of signature link.
    for link in ["confirm", "withdraw"] {
        for part in ["heading", "text", "button"] {
            keys.insert(format!("{link}-{part}"));
        }
    }
    // Proposals (issue 15): where one stands, why it was rejected, the settings' fields and choices.
    use undersigned_core::proposal::{ProposalState, RejectionReason, WhoStarts};
    keys.extend(ProposalState::ALL.iter().map(|s| format!("proposal-state-{}", s.as_str())));
    keys.extend(RejectionReason::ALL.iter().map(|r| format!("rejection-{}", r.as_str())));
    keys.extend(WhoStarts::ALL.iter().map(|w| format!("site-settings-who-{}", w.as_str())));
    // organise/notices.rs and mail/compose_notice.rs: each kind of notice, each mode.
    use undersigned_core::notice::{NoticeKind, NoticeMode};
    for kind in NoticeKind::ALL {
        for family in ["notices-kind", "form-error-notice", "mail-notice"] {
            keys.insert(format!("{family}-{}", kind.as_str()));
        }
    }
    keys.extend(NoticeMode::ALL.iter().map(|m| format!("notices-mode-{}", m.as_str())));
    // html/home.rs: the orders of the open campaigns.
    for sort in ["active", "newest", "closing"] {
        keys.insert(format!("home-sort-{sort}"));
    }
    for field in [
        "who-starts",
        "takedown-reason",
        "sponsors-needed",
        "reason",
        "note",
        "thresholds-en",
        "thresholds-zh-Hans",
        "thresholds-zh-Hant",
    ] {
        keys.insert(format!("form-error-{field}"));
    }
    // The site's own pages (render/site_pages.rs, the footer): their names, the built-in texts,
    // the editor's fields.
    use undersigned_core::site_page::SitePageKind;
    for kind in SitePageKind::ALL {
        keys.insert(format!("site-page-{}", kind.as_str()));
        if kind.has_default() {
            keys.insert(format!("site-page-{}-default", kind.as_str()));
        }
    }
    for field in ["page-title", "page-body"] {
        keys.insert(format!("form-error-{field}"));
    }
    // organise/deliver.rs: the sending form's fields.
    for field in ["target-email", "langs"] {
        keys.insert(format!("form-error-{field}"));
    }
    // render/forms.rs and organise/questions.rs: the campaign's own questions, one message per
    // family of fields (`q-{id}`, `q{id}-prompt-{lang}`...), and their kinds.
    for family in ["question", "question-prompt", "question-choices", "question-kind", "questions-count"] {
        keys.insert(format!("form-error-{family}"));
    }
    for kind in undersigned_core::question::QuestionKind::ALL {
        keys.insert(format!("questions-kind-{}", kind.as_str()));
    }
    // render/pictures.rs: the alt text's error, and why the picture crate refused a file.
    keys.insert("form-error-alt".into());
    keys.extend(undersigned_picture::PictureError::CODES.iter().map(|code| format!("picture-error-{code}")));
    keys
}

/// Every file of the web crate's code and templates, as text.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html" || e == "txt") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("src"), &mut out);
    walk(&root.join("templates"), &mut out);
    out
}

/// The keys a source names literally: the string argument of `t(`, `t1(` or `refuse(` (a form's
/// alert), in templates and code. A string followed by `~` is a family prefix (see `dynamic_keys`).
fn literal_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for call in ["t(", "t1(", "refuse("] {
        for (i, _) in text.match_indices(call) {
            if text[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let args = &text[i + call.len()..];
            // The key is the first string argument; a language may come before it.
            let args = if args.starts_with(['"', '\'']) {
                args
            } else {
                args.split_once(',').map_or("", |(_, r)| r).trim_start()
            };
            let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            let key: String = args[1..].chars().take_while(|c| *c != quote).collect();
            let after = args[1 + key.len() + 1..].trim_start();
            let is_key = key.contains('-')
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if is_key && !after.starts_with('~') {
                keys.insert(key);
            }
        }
    }
    keys
}

#[test]
fn every_message_is_used_and_every_message_used_exists() {
    let all = locales();
    let en = &all["en"];
    let dynamic = dynamic_keys();
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    for (file, text) in sources() {
        for key in literal_keys(&text) {
            if !en.contains_key(&key) {
                problems.push(format!("{file} uses {key}, which no locale defines"));
            }
            used.insert(key);
        }
    }
    for key in &dynamic {
        if !en.contains_key(key) {
            problems.push(format!("the key {key} is built at run time but not defined"));
        }
    }
    for key in en.keys() {
        if !used.contains(key) && !dynamic.contains(key) {
            problems.push(format!("{key} is defined but never used"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
