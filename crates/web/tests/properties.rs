//! Property tests of what a stranger's input reaches in the web layer: the Markdown renderer (no
//! script, no event handler, no external load, ever), every form's and query's decoding, and the
//! CSV import of offline endorsements. 256 cases each by default; set `PROPTEST_CASES` for more.

use axum::extract::{Form, FromRequest, FromRequestParts, Query};
use axum::http::Request;
use proptest::prelude::*;
use undersigned_core::{EndorsementSpec, Endorser, OrganisationType};
use undersigned_web::organise::import::{self, COLUMNS};
use undersigned_web::render::markdown::render;

/// Pieces of HTML, JavaScript and Markdown that try to run script or load from another host.
const ATTACKS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"https://tracker.example/p.png\">",
    "![p](https://tracker.example/p.png)",
    "![p][r]\n\n[r]: https://tracker.example/r.png",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java\tscript:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](&#x6A;avascript&colon;alert(1))",
    "[a]( javascript:alert(1))",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](vbscript:msgbox)",
    "[x]: javascript:alert(1)\n\n[y][x]",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href='  jAvAsCrIpT:alert(1)'>x</a>",
    "<a href=\"data:image/svg+xml,<svg onload=alert(1)>\">x</a>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\" onmouseover=x>x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>@import url(https://evil.example/x.css); body{background:url(//evil.example)}</style>",
    "<div style=\"background:url(https://evil.example/p.png)\">x</div>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<video poster=//evil.example/p.png><source src=//evil.example/v.mp4></video>",
    "<audio src=//evil.example/a.mp3>",
    "<picture><source srcset=//evil.example/p.png></picture>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<form action=\"https://evil.example\"><input type=submit formaction=//evil.example></form>",
    "<table background=\"//evil.example/p.png\"><tr><td>x</td></tr></table>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "`<script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a | <img src=x> |\n|---|---|\n| <script> | b |",
    "~~<script>~~",
    "> <iframe>",
    "* <object>\n* <embed>",
    "\"><script>alert(1)</script>",
    "'\"><img src=x onerror=alert(1)>",
    "<a href=\"https://ok.example\">fine</a>",
    "[fine](https://ok.example/path?q=1#f)",
    "[mail](mailto:lam@example.org)",
    "**bold** _em_ # heading\n\n1. one\n2. two",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(ATTACKS).prop_map(str::to_owned),
        2 => "[a-z <>\"'=/:()\\[\\]!&#;`*_\\n-]{0,20}",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// Elements that run script, load from elsewhere, or submit anywhere.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "img", "image", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "style",
    "svg", "math", "audio", "video", "source", "track", "picture", "base", "meta", "form", "input", "button",
    "textarea", "select", "template", "noscript",
];
/// Attributes that load from elsewhere or style.
const FORBIDDEN_ATTRIBUTES: &[&str] =
    &["style", "src", "srcset", "formaction", "action", "background", "poster", "data", "xlink:href"];

/// Decodes the character references a browser would before reading a URL.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            n if n.starts_with("#x") || n.starts_with("#X") => {
                u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
            }
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a link may be followed: http, https or mailto, or a link within the page.
fn safe_url(value: &str) -> bool {
    let url: String = decode_entities(value)
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => matches!(&url[..i], "http" | "https" | "mailto"),
        _ => true,
    }
}

/// Every tag in sanitised output, with its attributes (ammonia always quotes with `"`).
/// A tag's name and its attributes (name, value).
type Tag = (String, Vec<(String, String)>);

fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let rest_tag = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest_tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest_tag.len());
        if name_len == 0 {
            return Err(format!("a `<` that starts no tag at {:?}", &rest[..rest.len().min(20)]));
        }
        let name = rest_tag[..name_len].to_ascii_lowercase();
        let mut attrs_text = &rest_tag[name_len..];
        let mut attrs = Vec::new();
        loop {
            attrs_text = attrs_text.trim_start();
            if let Some(after) = attrs_text.strip_prefix('>').or(attrs_text.strip_prefix("/>")) {
                rest = after;
                break;
            }
            let attr_len = attrs_text.find(['=', ' ', '>', '/']).ok_or("an unclosed tag")?;
            let attr = attrs_text[..attr_len].to_ascii_lowercase();
            attrs_text = &attrs_text[attr_len..];
            let value = match attrs_text.strip_prefix("=\"") {
                Some(v) => {
                    let end = v.find('"').ok_or("an unclosed attribute value")?;
                    attrs_text = &v[end + 1..];
                    v[..end].to_owned()
                }
                None if attrs_text.starts_with('=') => return Err(format!("an unquoted value of {attr}")),
                None => String::new(),
            };
            if attr.is_empty() {
                return Err("an empty attribute name".into());
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    Ok(out)
}

fn assert_safe(input: &str, html: &str) -> Result<(), TestCaseError> {
    let lower = html.to_ascii_lowercase();
    prop_assert!(!lower.contains("<script"), "{input:?} gave {html}");
    let tags = tags(html).map_err(|e| TestCaseError::fail(format!("{e} in {html} from {input:?}")))?;
    for (name, attrs) in tags {
        prop_assert!(!FORBIDDEN_ELEMENTS.contains(&name.as_str()), "<{name}> from {input:?}: {html}");
        for (attr, value) in attrs {
            prop_assert!(!attr.starts_with("on"), "{attr}= on <{name}> from {input:?}: {html}");
            prop_assert!(!FORBIDDEN_ATTRIBUTES.contains(&attr.as_str()), "{attr}= from {input:?}: {html}");
            prop_assert!(!value.to_ascii_lowercase().contains("url("), "url() from {input:?}: {html}");
            if matches!(attr.as_str(), "href" | "cite") {
                prop_assert!(safe_url(&value), "{attr}={value:?} from {input:?}: {html}");
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn rendered_markdown_never_runs_script_or_loads_from_elsewhere(input in markdown()) {
        let html = render(&input);
        assert_safe(&input, &html)?;
        // What the renderer lets through is stable: rendering its own text again is as safe.
        assert_safe(&html, &render(&html))?;
    }
}

#[test]
fn the_checks_themselves_catch_what_they_look_for() {
    let unsafe_html = [
        "<script>x</script>",
        "<p onclick=\"x\">a</p>",
        "<a href=\"java&#x09;script:x\">a</a>",
        "<a href=\"DATA:text/html,x\">a</a>",
        "<img src=\"x\">",
        "<p style=\"background:url(x)\">a</p>",
    ];
    for html in unsafe_html {
        assert!(assert_safe("", html).is_err(), "{html} passed");
    }
    assert!(
        assert_safe("", "<p><a href=\"https://a.example/?a=1&amp;b=2\" rel=\"x\">a</a> &lt;b&gt;</p>")
            .is_ok()
    );
}

/// Decodes `body` as each form, and `query` as each query, the way the handlers' extractors do.
macro_rules! decode_all {
    ($body:expr, $query:expr, forms: [$($form:ty),* $(,)?], queries: [$($q:ty),* $(,)?]) => {{
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        $(
            for content_type in ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"] {
                let request = Request::post("/").header("content-type", content_type).body(axum::body::Body::from($body.clone())).unwrap();
                let _ = runtime.block_on(<Form<$form> as FromRequest<()>>::from_request(request, &()));
            }
        )*
        $(
            if let Ok(request) = Request::get(format!("/?{}", $query)).body(()) {
                let (mut parts, ()) = request.into_parts();
                let _ = runtime.block_on(<Query<$q> as FromRequestParts<()>>::from_request_parts(&mut parts, &()));
            }
        )*
    }};
}

proptest! {
    /// Whatever bytes a form or a query string holds, decoding gives a form or a refusal.
    #[test]
    fn every_form_decodes_or_refuses(
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            "([a-z_]{1,10}=[^&]{0,20}&){0,8}".prop_map(String::into_bytes),
            "(csrf|email|name|page|count|lang|status|demands|id|website|show_name|updates)=(%[0-9A-Fa-f]{0,2}|%FF|%00|[+&=]|[a-z0-9]{0,5}|99999999999999999999|-1|true|on){0,4}"
                .prop_map(String::into_bytes),
        ],
        query in "([a-z_]{1,8}=(%[0-9A-F]{2}|[a-z0-9]|%FF|%C3%28|-1|99999999999999999999){0,4}&?){0,4}",
    ) {
        use undersigned_web::html::{campaign, comments, endorse, manage, share, signatures};
        use undersigned_web::organise::{account, dashboard, editor, export, moderation, offline, response};
        use undersigned_web::render::messages::ButtonForm;
        decode_all!(
            body,
            query,
            forms: [
                manage::RequestForm, manage::ChoicesForm, ButtonForm, endorse::EndorseForm,
                campaign::SignForm, comments::CommentForm, editor::new::NewCampaignForm,
                editor::settings::SettingsForm, dashboard::status::StatusForm,
                moderation::signatures::FilterForm,
                account::LoginForm, account::ForgotForm, account::PasswordForm,
                moderation::DecideForm, offline::OfflineForm, response::ResponseForm,
                undersigned_web::organise::InviteForm,
                import::ConfirmForm, moderation::comments::ActForm, Vec<(String, String)>,
            ],
            queries: [
                manage::SavedQuery, signatures::ListQuery, share::MastodonQuery, editor::settings::SavedQuery,
                editor::settings::AddVersionQuery, moderation::signatures::FilterForm,
                account::NextQuery, export::ExportQuery,
            ]
        );
    }
}

/// A row as an organiser would type it, through the same constructors as the form.
fn endorsement_row() -> impl Strategy<Value = Option<EndorsementSpec>> {
    let name = "[a-zA-Z0-9 ,.;:'\"&()蔡廣業é-]{1,40}";
    (
        0u8..3,
        name,
        prop::sample::select(OrganisationType::ALL.to_vec()),
        proptest::option::of("https?://[a-z]{1,10}\\.org(/[a-z,\"]{0,10})?"),
        1i64..100_000,
        proptest::option::of(prop::sample::select(vec!["HK", "GB", "TW", "US"])),
        proptest::option::of("[a-zA-Z0-9 ,\"\n蔡]{0,60}"),
        "[a-zA-Z0-9 ,\"蔡]{1,40}",
    )
        .prop_map(|(kind, name, org_type, website, count, country, statement, source)| {
            let endorser = match kind {
                0 => EndorsementSpec::organisation(&name, org_type, website.as_deref()),
                1 => EndorsementSpec::person(&name),
                _ => EndorsementSpec::individuals(count),
            };
            Some(EndorsementSpec {
                endorser: endorser.ok()?,
                country: country.map(str::to_owned),
                statement: EndorsementSpec::optional_text("statement", statement.as_deref(), 2_000).ok()?,
                source_note: Some(undersigned_core::validation::text("source", &source, 1, 500, false).ok()?),
            })
        })
}

fn to_csv(specs: &[EndorsementSpec]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).unwrap();
    for spec in specs {
        let (kind, name, org_type, count, website) = match &spec.endorser {
            Endorser::Organisation { name, org_type, website } => {
                ("organisation", name.as_str(), org_type.as_str(), String::new(), website.as_deref())
            }
            Endorser::Person { name } => ("person", name.as_str(), "", String::new(), None),
            Endorser::Individuals { count } => ("individuals", "", "", count.to_string(), None),
        };
        let row = [
            kind,
            name,
            org_type,
            &count,
            spec.country.as_deref().unwrap_or(""),
            website.unwrap_or(""),
            spec.statement.as_deref().unwrap_or(""),
            spec.source_note.as_deref().unwrap_or(""),
        ];
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

proptest! {
    /// Whatever the uploaded file holds: every row or every error, never a panic.
    #[test]
    fn arbitrary_csv_never_panics(
        text in prop_oneof![
            any::<String>(),
            "(type|name|org_type|count|country|website|statement|source|x|)(,(type|name|count|source|\"\"|\"a,b\")){0,8}\n([a-z0-9,\"\n\r ]|individuals|organisation|person|-1|99999999999|1,000){0,40}",
        ],
    ) {
        let _ = import::parse(&text);
        let _ = import::parse(&format!("\u{feff}type,source,name,count\n{text}"));
    }

    /// Valid rows written as CSV by a spreadsheet come back as the same endorsements.
    #[test]
    fn valid_csv_rows_round_trip(rows in prop::collection::vec(endorsement_row(), 1..8)) {
        let specs: Vec<EndorsementSpec> = rows.into_iter().flatten().collect();
        prop_assume!(!specs.is_empty());
        let csv = to_csv(&specs);
        let parsed = import::parse(&csv);
        prop_assert_eq!(parsed.as_ref().ok(), Some(&specs), "{}\n{:?}", csv, parsed.as_ref().err());
    }
}
