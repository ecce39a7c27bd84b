//! Bots stopped without a third party, over HTTP on both backends: in the "under attack" mode a
//! signature needs a proof of work (ALTCHA's format) that verifies and was not used before, or,
//! without one, room within the stricter limits; block lists drop what they name; the automatic
//! switch turns the mode on; a domain signing unusually fast is mailed to the organisers, once.

use undersigned::config::Options;
use undersigned_core::Slug;
use undersigned_core::account::Role;
use undersigned_core::defence::{AttackCause, UnderAttack};
use undersigned_core::keys::{Keys, day_number};
use undersigned_core::store::now;
use undersigned_store_tests::{TestDb, on_both_backends};
use undersigned_web::defence::altcha;

use crate::support::{Browser, Page, TestApp};

const DEMO: &str = "/c/release-cai-guangye";
const ORG: &str = "/organise/c/release-cai-guangye";
const PASSWORD: &str = "a long enough password";
const SECRET: [u8; 32] = [42; 32];

/// Behind a proxy on 127.0.0.1 (so that each request can name its address), with a known secret
/// key (so that the test can make the server's challenges and IP hashes).
fn options(options: Options) -> Options {
    Options {
        trusted_proxies: Some(vec!["127.0.0.1".parse().unwrap()]),
        secret_key: Some(SECRET.iter().map(|b| format!("{b:02x}")).collect()),
        sign_rate_limit: Some(1_000),
        pow_max_number: Some(2_000),
        ..options
    }
}

async fn post_from(browser: &Browser, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
    let request = browser.client.post(format!("{}{path}", browser.base)).header("x-forwarded-for", from);
    Page::from(request.form(fields).send().await.unwrap()).await
}

/// Signs the demo campaign as `email` from `from`, with a solution (or none: "").
async fn sign(app: &TestApp, csrf: &str, from: &str, email: &str, altcha: &str) -> Page {
    let fields =
        [("name", "Signer"), ("email", email), ("country", "HK"), ("csrf", csrf), ("altcha", altcha)];
    post_from(app, from, &format!("{DEMO}/sign"), &fields).await
}

async fn campaign_id(db: &TestDb) -> i64 {
    let store = db.store().await;
    store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap().id
}

async fn owner(db: &TestDb, email: &str) {
    let store = db.store().await;
    let (_, id) = undersigned::add_user(store.as_ref(), email, None, false, PASSWORD).await.unwrap();
    store.set_role(campaign_id(db).await, id, Some(Role::Owner)).await.unwrap();
}

async fn log_in(app: &TestApp, email: &str) -> Browser {
    let organiser = app.new_browser();
    let fields = [("email", email), ("password", PASSWORD), ("next", "/organise")];
    assert_eq!(organiser.submit("/login", "/login", &fields).await.status, 303);
    organiser
}

async fn under_attack(db: &TestDb) {
    let at = now().unix_timestamp();
    let mode = UnderAttack {
        scope: campaign_id(db).await,
        since: at,
        cause: AttackCause::Hand,
        detail: "test".into(),
        busy_at: at,
    };
    db.store().await.set_under_attack(mode.scope, Some(&mode)).await.unwrap();
    // As another instance (or the command line) would: the server sees it within its freshness.
    tokio::time::sleep(undersigned_web::defence::Defence::FRESH + std::time::Duration::from_millis(100))
        .await;
}

async fn challenge(app: &TestApp) -> altcha::Challenge {
    let page = app.get(&format!("{DEMO}/challenge")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    serde_json::from_str(&page.body).unwrap()
}

fn alert(page: &Page) -> String {
    crate::support::strip_tags(&page.first("div class=\"form-alert\""))
}

async fn a_forged_replayed_or_expired_proof_of_work_gets_a_clear_error(db: &TestDb) {
    let app = TestApp::spawn_with(db, options(Options::default())).await;
    assert_eq!(app.get(&format!("{DEMO}/challenge")).await.status, 204, "no challenge while the mode is off");
    under_attack(db).await;
    let csrf = app.get(DEMO).await.csrf();
    let made = challenge(&app).await;
    assert_eq!(made.algorithm, "SHA-256");
    assert!(made.salt.contains("?expires="));
    let solution = altcha::solve(&made).unwrap();
    let signed = sign(&app, &csrf, "203.0.113.1", "solved@example.org", &solution).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let replayed = sign(&app, &csrf, "203.0.113.2", "again@example.org", &solution).await;
    assert_eq!(replayed.status, 422);
    assert!(alert(&replayed).contains("This check was used for a signature already"), "{}", alert(&replayed));
    assert_eq!(replayed.input_value("email").as_deref(), Some("again@example.org"), "what was typed is kept");

    let forged = altcha::solve(&altcha::challenge(&[9; 32], 100, now().unix_timestamp() + 60)).unwrap();
    let page = sign(&app, &csrf, "203.0.113.3", "forged@example.org", &forged).await;
    assert_eq!(page.status, 422);
    assert!(alert(&page).contains("was not one this site gave"), "{}", alert(&page));

    let key = Keys::new(SECRET).pow_key();
    let expired = altcha::solve(&altcha::challenge(&key, 100, now().unix_timestamp() - 1)).unwrap();
    let page = sign(&app, &csrf, "203.0.113.4", "late@example.org", &expired).await;
    assert_eq!(page.status, 422);
    assert!(alert(&page).contains("has expired"), "{}", alert(&page));

    let page = sign(&app, &csrf, "203.0.113.5", "wrong@example.org", "bm90IGEgc29sdXRpb24=").await;
    assert_eq!(page.status, 422);
    assert!(alert(&page).contains("did not work out"), "{}", alert(&page));
    app.stop().await;
}

async fn without_javascript_signatures_are_taken_within_the_stricter_limit(db: &TestDb) {
    let limits = Options {
        unsolved_per_ip_hour: Some(2),
        unsolved_per_campaign_minute: Some(3),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options(limits)).await;
    under_attack(db).await;
    let csrf = app.get(DEMO).await.csrf();
    let mut statuses = Vec::new();
    for (i, from) in
        ["198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.3"].iter().enumerate()
    {
        statuses.push(sign(&app, &csrf, from, &format!("nojs-{i}@example.org"), "").await);
    }
    let codes: Vec<u16> = statuses.iter().map(|p| p.status).collect();
    assert_eq!(codes, [303, 303, 429, 303, 429], "two an address, three a campaign's minute");
    for refused in [&statuses[2], &statuses[4]] {
        let text = alert(refused);
        assert!(text.contains("Too many signatures without the check just now: try again in"), "{text}");
        assert!(text.contains("or with JavaScript on"), "{text}");
        assert!(!refused.header("retry-after").is_empty());
    }
    app.stop().await;
}

async fn block_lists_drop_what_they_name_and_errors_name_the_field(db: &TestDb) {
    let sink = undersigned_smtp_sink::SmtpSink::start();
    let app =
        TestApp::spawn_with(db, options(Options { smtp_url: Some(sink.url()), ..Default::default() })).await;
    owner(db, "owner@example.org").await;
    let organiser = log_in(&app, "owner@example.org").await;
    let page = format!("{ORG}/defence");
    let bad = [("blocked_domains", "bots.test\nnot a domain"), ("blocked_ip_ranges", "10.0.0.0/40")];
    let refused = organiser.submit(&page, &format!("{page}/blocks"), &bad).await;
    assert_eq!(refused.status, 422);
    let domains = refused.field_error("blocked_domains").unwrap();
    assert!(domains.contains("line 2") && domains.contains("not a domain"), "{domains}");
    assert!(refused.field_error("blocked_ip_ranges").unwrap().contains("10.0.0.0/40"));
    assert!(refused.body.contains("not a domain</textarea>"), "what was typed is kept");

    // Today's IP hash of an address, as the moderation page shows it.
    let store = db.store().await;
    let day_key = store.ip_hash_key(day_number(now()), rand_key()).await.unwrap();
    let hash: String = Keys::new(SECRET)
        .stored_ip_key(&day_key, &"192.0.2.77".parse().unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let good = [
        ("blocked_domains", "bots.test"),
        ("blocked_ip_ranges", "198.51.100.0/24"),
        ("blocked_ip_hashes", hash.as_str()),
    ];
    assert_eq!(organiser.submit(&page, &format!("{page}/blocks"), &good).await.status, 303);
    let shown = organiser.get(&page).await;
    assert!(shown.body.contains("198.51.100.0/24") && shown.body.contains(&hash));

    let csrf = app.get(DEMO).await.csrf();
    for (from, email) in [
        ("203.0.113.10", "a@mail.bots.test"),
        ("198.51.100.9", "ranged@example.org"),
        ("192.0.2.77", "hashed@example.org"),
    ] {
        let page = sign(&app, &csrf, from, email, "").await;
        assert_eq!(page.status, 303, "a blocked signature is answered as any other");
        assert!(page.location().ends_with("/check-email"));
    }
    sign(&app, &csrf, "203.0.113.11", "fine@example.org", "").await;
    sink.one_for("fine@example.org").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for blocked in ["a@mail.bots.test", "ranged@example.org", "hashed@example.org"] {
        assert!(sink.wait_for(blocked, 0).await.is_empty(), "{blocked} was mailed");
    }
    app.stop().await;
}

fn rand_key() -> [u8; 32] {
    [7; 32]
}

async fn the_switch_turns_the_mode_on_when_many_addresses_sign_fast(db: &TestDb) {
    let switch = Options {
        under_attack_signatures: Some(4),
        under_attack_addresses: Some(3),
        defence_tally_seconds: Some(0),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options(switch)).await;
    owner(db, "owner@example.org").await;
    let csrf = app.get(DEMO).await.csrf();
    for i in 0..3 {
        assert_eq!(
            sign(&app, &csrf, &format!("203.0.113.{}", 20 + i), &format!("fast-{i}@example.org"), "")
                .await
                .status,
            303
        );
    }
    assert_eq!(app.get(&format!("{DEMO}/challenge")).await.status, 204, "three is below the rate");
    assert_eq!(sign(&app, &csrf, "203.0.113.30", "fast-3@example.org", "").await.status, 303);
    challenge(&app).await;
    let organiser = log_in(&app, "owner@example.org").await;
    let dashboard = crate::support::strip_tags(&organiser.get(ORG).await.body);
    assert!(
        dashboard.contains("Turned on automatically: 4 signatures from 4 different networks"),
        "{dashboard}"
    );
    // By hand, off.
    let off = organiser
        .submit(ORG, &format!("{ORG}/defence/mode"), &[("mode", "off"), ("back", "dashboard")])
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(app.get(&format!("{DEMO}/challenge")).await.status, 204);
    app.stop().await;
}

async fn a_domain_signing_unusually_fast_is_mailed_to_the_organisers_once(db: &TestDb) {
    let sink = undersigned_smtp_sink::SmtpSink::start();
    let trending = Options {
        smtp_url: Some(sink.url()),
        trending_log_per_hour: Some(2),
        trending_notify_per_hour: Some(3),
        defence_tally_seconds: Some(0),
        under_attack_signatures: Some(0),
        ..Default::default()
    };
    let app = TestApp::spawn_with(db, options(trending)).await;
    owner(db, "owner@example.org").await;
    let csrf = app.get(DEMO).await.csrf();
    for i in 0..5 {
        sign(&app, &csrf, &format!("203.0.113.{}", 40 + i), &format!("s{i}@swarm.test"), "").await;
    }
    let mail = sink.one_for("owner@example.org").await;
    assert!(mail.subject().contains("swarm.test"), "{}", mail.subject());
    assert!(mail.text().contains("signatures of"), "{}", mail.text());
    assert!(mail.text().contains("/organise/c/release-cai-guangye/defence"));
    for i in 5..8 {
        sign(&app, &csrf, &format!("203.0.113.{}", 40 + i), &format!("s{i}@swarm.test"), "").await;
    }
    sink.one_for("s7@swarm.test").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to_owner = sink.all().into_iter().filter(|m| m.to.iter().any(|t| t == "owner@example.org")).count();
    assert_eq!(to_owner, 1, "once an hour");
    let organiser = log_in(&app, "owner@example.org").await;
    let dashboard = crate::support::strip_tags(&organiser.get(ORG).await.body);
    assert!(dashboard.contains("signatures from addresses at swarm.test"), "{dashboard}");
    app.stop().await;
}

async fn an_admin_turns_the_mode_on_for_the_whole_site(db: &TestDb) {
    let app = TestApp::spawn_with(db, options(Options::default())).await;
    let store = db.store().await;
    undersigned::add_user(store.as_ref(), "admin@example.org", None, true, PASSWORD).await.unwrap();
    let admin = log_in(&app, "admin@example.org").await;
    assert_eq!(app.get(&format!("{DEMO}/challenge")).await.status, 204);
    let on = admin.submit("/organise/defence", "/organise/defence/mode", &[("mode", "on")]).await;
    assert_eq!((on.status, on.location()), (303, "/organise/defence"));
    challenge(&app).await;
    let page = crate::support::strip_tags(&admin.get("/organise/defence").await.body);
    assert!(page.contains("On since"), "{page}");
    let campaign = crate::support::strip_tags(&admin.get(ORG).await.body);
    assert!(campaign.contains("On for the whole site"), "{campaign}");
    let bad = [(
        "blocked_ip_ranges",
        "203.0.113.0/24
2001:db8::/129",
    )];
    let refused = admin.submit("/organise/defence", "/organise/defence/blocks", &bad).await;
    assert_eq!(refused.status, 422);
    assert!(refused.field_error("blocked_ip_ranges").unwrap().contains("line 2"));
    let audit = crate::support::strip_tags(&admin.get("/organise/audit").await.body);
    assert!(audit.contains("under-attack-on"), "{audit}");
    let off = admin.submit("/organise/defence", "/organise/defence/mode", &[("mode", "off")]).await;
    assert_eq!(off.status, 303);
    assert_eq!(app.get(&format!("{DEMO}/challenge")).await.status, 204);
    app.stop().await;
}

on_both_backends!(
    an_admin_turns_the_mode_on_for_the_whole_site,
    a_forged_replayed_or_expired_proof_of_work_gets_a_clear_error,
    without_javascript_signatures_are_taken_within_the_stricter_limit,
    block_lists_drop_what_they_name_and_errors_name_the_field,
    the_switch_turns_the_mode_on_when_many_addresses_sign_fast,
    a_domain_signing_unusually_fast_is_mailed_to_the_organisers_once,
);
