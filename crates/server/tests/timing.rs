//! Timing: the forms whose answer must not tell whether an address is known (manage, password
//! reset, sign, endorse, comment) answer in the same time either way.
//!
//! A test binary of its own, not a module of `http`: timing is measured to a fraction of a
//! millisecond, and the two hundred stories of `http` running beside it in one process (cargo
//! runs test binaries one after the other, a binary's tests side by side) would add their noise.

#[allow(dead_code)] // the support module of `http`, of which this binary uses a part
#[path = "http/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use undersigned::config::Options;
use undersigned_store_tests::{TestDb, on_both_backends};

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const SIGN: &str = "/c/release-cai-guangye/sign";
const COMMENTS: &str = "/c/release-cai-guangye/comments";
const MANAGE: &str = "/c/release-cai-guangye/manage";

/// A form whose answer must not tell whether an address is known.
struct TimedForm {
    name: &'static str,
    /// The page whose CSRF token the form sends, and where the form posts.
    page: &'static str,
    action: &'static str,
    /// The field of the address, and the others.
    email_field: &'static str,
    fields: &'static [(&'static str, &'static str)],
    /// The answer, the same for every address.
    status: u16,
    /// The known address, and whether a request makes its address known (then each request for
    /// an unknown address takes a new one).
    known: &'static str,
    makes_known: bool,
}

/// Known: signed and still pending, an account, an endorsement's contact, a commenter.
const KNOWN: &str = "known@example.org";
/// Signed and confirmed.
const CONFIRMED: &str = "confirmed@example.org";

const SIGN_FIELDS: &[(&str, &str)] = &[("name", "Known Signer"), ("country", "HK")];

const FORMS: &[TimedForm] = &[
    TimedForm {
        name: "manage",
        page: MANAGE,
        action: MANAGE,
        email_field: "email",
        fields: &[],
        status: 200,
        known: KNOWN,
        makes_known: false,
    },
    TimedForm {
        name: "password reset",
        page: "/account/forgot",
        action: "/account/forgot",
        email_field: "email",
        fields: &[],
        status: 200,
        known: KNOWN,
        makes_known: false,
    },
    TimedForm {
        name: "sign (pending)",
        page: DEMO,
        action: SIGN,
        email_field: "email",
        fields: SIGN_FIELDS,
        status: 303,
        known: KNOWN,
        makes_known: true,
    },
    TimedForm {
        name: "sign (confirmed)",
        page: DEMO,
        action: SIGN,
        email_field: "email",
        fields: SIGN_FIELDS,
        status: 303,
        known: CONFIRMED,
        makes_known: true,
    },
    TimedForm {
        name: "endorse",
        page: "/c/release-cai-guangye/endorse",
        action: "/c/release-cai-guangye/endorse",
        email_field: "contact_email",
        fields: &[
            ("organisation", "Dockers' Union"),
            ("org_type", "trade-union"),
            ("country", "HK"),
            ("contact_name", "Known Endorser"),
        ],
        status: 303,
        known: KNOWN,
        makes_known: true,
    },
    TimedForm {
        name: "comment",
        page: COMMENTS,
        action: COMMENTS,
        email_field: "email",
        fields: &[("name", "Known Commenter"), ("body", "Words.")],
        status: 200,
        known: KNOWN,
        makes_known: true,
    },
];

/// Times a POST of `email` to `form`, as if from the address `ip` (the limits are per IP
/// address), in microseconds.
async fn timed(browser: &Browser, csrf: &str, form: &TimedForm, email: &str, ip: &str) -> u128 {
    let fields = [form.fields, &[(form.email_field, email), ("csrf", csrf)]].concat();
    let request = browser
        .client
        .post(format!("{}{}", browser.base, form.action))
        .header("X-Forwarded-For", ip)
        .form(&fields);
    let start = Instant::now();
    let answer = Page::from(request.send().await.expect("a response")).await;
    let took = start.elapsed().as_micros();
    assert_eq!(answer.status, form.status, "{}: {}", form.name, answer.body);
    took
}

fn median<T: Ord + Copy>(mut samples: Vec<T>) -> T {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Requests for a known and an unknown address in groups of `ROUNDS` each, interleaved (which
/// goes first alternating), `SAMPLES` groups. Within a group the fastest of each kind are compared
/// (the load of a busy machine only ever adds time), and the median of these differences (robust
/// to a load that changes over the run) must stay within `MARGIN_MICROS`, or a twentieth of the
/// median answer on a machine so loaded that answers take tens of milliseconds. The old code was
/// 1.2 to 2.3 ms (SQLite) and 5 to 9 ms (PostgreSQL) slower for a known address at manage and
/// password reset, with medians of 4 to 6 ms and of 30 to 50 ms; signing from an address that
/// had signed was 0.3 to 0.7 ms (SQLite) and 2 to 3.5 ms (PostgreSQL) slower, with medians of 10
/// to 12 ms and of 20 to 30 ms. Six forms share one server, `SAMPLES` groups each.
///
/// On a machine so loaded (a load average of 10 on 2 cores) that PostgreSQL answers in 15 to 30
/// ms, the median difference of 40 groups of a form that makes no difference spreads by 1.2 to
/// 1.6 ms (measured), as much as the margin: a form beyond the margin is measured again, `SAMPLES`
/// more groups at a time up to `PASSES` times, and judged on all its groups together. More groups
/// only narrow the spread; a real difference stays beyond the margin however many there are.
const SAMPLES: usize = 40;
const ROUNDS: usize = 3;
const PASSES: usize = 3;
const MARGIN_MICROS: i64 = 400;

/// How many mails were written to files.
fn mail_files(app: &TestApp) -> usize {
    app.mail_files().len()
}

/// The first link starting with `prefix` in a mail to `to` written to a file, waiting for it.
async fn mail_file_link(app: &TestApp, to: &str, prefix: &str) -> String {
    for _ in 0..200 {
        for file in app.mail_files() {
            let raw = std::fs::read(file).unwrap();
            let mail = undersigned_smtp_sink::ReceivedMail {
                from: String::new(),
                to: Vec::new(),
                raw,
                declared_8bit: false,
            };
            if mail.header("To").is_some_and(|t| t.contains(to)) {
                return mail.link(prefix).expect("a link");
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail to {to}")
}

/// A form's answer times so far: each request's, for the known and the unknown address, and each
/// group's difference.
#[derive(Default)]
struct Measured {
    all: [Vec<u128>; 2],
    differences: Vec<i64>,
}

impl Measured {
    /// The median time for the known address, for the unknown one, and of the differences.
    fn medians(&self) -> (u128, u128, i64) {
        let [k, u] = &self.all;
        (median(k.clone()), median(u.clone()), median(self.differences.clone()))
    }
}

/// Measures `samples` groups more of `form`. The requests come from `10.{net}.*.*`, and new
/// addresses are `new-{net}-*`.
async fn compare(app: &TestApp, form: &TimedForm, samples: usize, net: usize, measured: &mut Measured) {
    let browser = app.new_browser();
    let csrf = browser.get(form.page).await.csrf();
    let before = mail_files(app);
    let mut n = 0;
    for i in 0..samples {
        let mut fastest = [u128::MAX, u128::MAX];
        for _ in 0..ROUNDS {
            for j in [i % 2, 1 - i % 2] {
                // Each request from another address (the limits are per address).
                n += 1;
                let ip = format!("10.{net}.{}.{}", n / 250, n % 250 + 1);
                let unknown = if form.makes_known {
                    format!("new-{net}-{n}@example.org")
                } else {
                    "unknown@example.org".to_owned()
                };
                let took = timed(&browser, &csrf, form, [form.known, &unknown][j], &ip).await;
                fastest[j] = fastest[j].min(took);
                measured.all[j].push(took);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        measured.differences.push(fastest[0] as i64 - fastest[1] as i64);
    }
    // The known address was sent its mails meanwhile (written to files, without an SMTP server).
    tokio::time::sleep(Duration::from_secs(1)).await;
    eprintln!("{}: {} mails written", form.name, mail_files(app) - before);
    assert!(mail_files(app) > before + 1, "the known address's mails");
}

async fn forms_answer_in_the_same_time_whether_an_address_is_known_or_not(db: &TestDb) {
    let options = Options {
        sign_rate_limit: Some(0),
        mails_per_address: Some(1_000_000),
        trusted_proxies: Some(vec!["127.0.0.1".parse().unwrap()]),
        // Hundreds of signatures a minute from as many addresses is what turns the "under attack"
        // mode on by itself, after which the form needs a proof of work: not what is timed here.
        under_attack_signatures: Some(0),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options).await;
    // The known addresses: a signature still pending (which is also an endorser's, a commenter's
    // and an account's address), and a confirmed signature.
    let signer = |email| [("name", "Known Signer"), ("email", email), ("country", "HK")];
    assert_eq!(app.submit(DEMO, SIGN, &signer(KNOWN)).await.status, 303);
    assert_eq!(app.submit(DEMO, SIGN, &signer(CONFIRMED)).await.status, 303);
    let link = mail_file_link(&app, CONFIRMED, &format!("{}/s/confirm/", app.base)).await;
    let page = app.get(&app.path_of(&link)).await;
    let revision = page.hidden("revision").expect("the revision shown");
    let done = app.post(&app.path_of(&link), &[("csrf", &page.csrf()), ("revision", &revision)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), KNOWN, None, false, "a long enough password").await.unwrap();
    let endorse = FORMS.iter().find(|f| f.name == "endorse").unwrap();
    let comment = FORMS.iter().find(|f| f.name == "comment").unwrap();
    for form in [endorse, comment] {
        let browser = app.new_browser();
        let csrf = browser.get(form.page).await.csrf();
        timed(&browser, &csrf, form, KNOWN, "10.0.0.1").await;
    }
    // Warm up (connections, caches).
    compare(&app, &FORMS[0], 10, 1, &mut Measured::default()).await;
    let mut failed = Vec::new();
    for (i, form) in FORMS.iter().enumerate() {
        let mut measured = Measured::default();
        for pass in 0..PASSES {
            compare(&app, form, SAMPLES, 2 + i * PASSES + pass, &mut measured).await;
            let (known, unknown, diff) = measured.medians();
            let said = format!(
                "{}: medians {known} µs (known address), {unknown} µs (unknown), {diff} µs apart ({} groups)",
                form.name,
                measured.differences.len()
            );
            eprintln!("{said}");
            let margin = MARGIN_MICROS.max(known.min(unknown) as i64 / 20);
            if diff.abs() <= margin {
                break;
            }
            if pass + 1 == PASSES {
                failed.push(format!("{said}; the margin {margin} µs"));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
    app.stop().await;
}

on_both_backends!(forms_answer_in_the_same_time_whether_an_address_is_known_or_not);
