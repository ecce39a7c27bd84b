//! The web interface: the router, the pages and the middleware around them.
//!
//! Handlers stay thin: they read the request into domain types, call the store, and render a
//! template or redirect. Every word a visitor reads comes from `locales/` through [`i18n`].
//!
//! The rooms: [`html`] (the public pages), [`organise`] (the organisers' pages) and [`api`] (the
//! read API, badge and oEmbed) hold one feature each and never import one another; what pages share lives below them, in [`render`]
//! (rendering helpers), [`extract`] (who is asking, who is logged in), [`limits`] and
//! [`state`]; [`mail`] says what each mail says, to the addresses in [`links`], and [`webhooks`]
//! what each webhook delivery says and where an endpoint may point.

pub mod api;
pub mod cache;
pub mod conditional;
pub mod defence;
mod embedded;
pub mod error;
pub mod extract;
pub mod html;
pub mod http_metrics;
pub mod i18n;
pub mod ip_hash;
pub mod limits;
pub mod links;
pub mod lookups;
pub mod mail;
pub mod middleware;
pub mod oidc;
pub mod organise;
pub mod paths;
pub mod problem;
pub mod rate_limit;
pub mod render;
pub mod security;
pub mod signature_log;
pub mod signing;
pub mod state;
pub mod thresholds;
pub mod webhooks;
pub mod withdrawal;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::AppError;
pub use extract::visitor::Visitor;
pub use render::pages::Pages;
pub use state::{AppState, Shared, WebConfig, hash_permits};

/// Every route. One table, read top to bottom, so it stays one function (longer than most).
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    // Spreadsheets of paper endorsements are larger than any form: a limit of their own (the
    // confirmation carries the file again, URL-encoded, so up to three times its size).
    let import_limit = organise::import::MAX_BYTES * 3;
    let imports = Router::new()
        .route(
            "/organise/c/{slug}/endorsements/import",
            get(organise::import::page).post(organise::import::check),
        )
        .route("/organise/c/{slug}/endorsements/import/confirm", post(organise::import::import))
        .layer(DefaultBodyLimit::max(import_limit))
        .layer(RequestBodyLimitLayer::new(import_limit));
    // A site page's text may be as long as `MAX_BODY` characters in any script: URL-encoded, a
    // Chinese character takes nine bytes, so the usual limit would refuse a long Chinese notice.
    let page_limit = undersigned_core::site_page::MAX_BODY * 12;
    let site_pages = Router::new()
        .route(
            "/organise/pages/{page}/{lang}",
            get(organise::site_pages::edit_page).post(organise::site_pages::save),
        )
        .layer(DefaultBodyLimit::max(page_limit))
        .layer(RequestBodyLimitLayer::new(page_limit));
    // Pictures are uploaded whole, photos straight from a camera: a limit of their own.
    let upload_limit = render::pictures::UPLOAD_BODY_LIMIT;
    let uploads = Router::new()
        .route("/organise/c/{slug}/pictures", get(organise::pictures::page).post(organise::pictures::upload))
        .route(
            "/p/{token}/pictures",
            get(html::propose::pictures::page).post(html::propose::pictures::upload),
        )
        .route("/organise/organisations/{slug}/logo", post(organise::organisations::upload_logo))
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(RequestBodyLimitLayer::new(upload_limit));
    let routes = Router::new()
        .route("/", get(html::home::show))
        .route("/archive", get(html::home::archive))
        .route("/open", get(html::open::show))
        .route("/propose", get(html::propose::form).post(html::propose::propose))
        .route("/propose/sent", get(html::propose::sent))
        .route("/p/{token}", get(html::propose::private_page).post(html::propose::private_action))
        .route("/p/{token}/pictures/{id}/{action}", post(html::propose::pictures::act))
        .route("/sponsor/{token}", get(html::propose::sponsor_page))
        .route("/sponsor/{token}/sign", post(html::propose::sponsor))
        .route("/rejected", get(html::propose::rejected))
        .route("/organise/proposals", get(organise::proposals::queue))
        .route("/organise/proposals/{id}/decide", post(organise::proposals::decide))
        .route(
            "/organise/settings",
            get(organise::proposals::settings_page).post(organise::proposals::save_settings),
        )
        .route("/privacy", get(html::site_pages::privacy))
        .route("/terms", get(html::site_pages::terms))
        .route("/imprint", get(html::site_pages::imprint))
        .route("/accessibility", get(html::site_pages::accessibility))
        .route("/organise/pages", get(organise::site_pages::list))
        .route("/organise/pages/{page}/{lang}/delete", post(organise::site_pages::delete))
        .route("/c/{slug}", get(html::campaign::show))
        .route("/c/{slug}/sign", post(html::campaign::sign))
        .route("/c/{slug}/challenge", get(defence::challenge))
        .route("/c/{slug}/embed", get(html::campaign::embed))
        .route("/c/{slug}/embed/check-email", get(html::signing::check_email_embedded))
        .route("/c/{slug}/check-email", get(html::signing::check_email))
        .route("/c/{slug}/thanks", get(html::signing::thanks))
        .route("/c/{slug}/withdrawn", get(html::signing::withdrawn))
        .route("/c/{slug}/endorse", get(html::endorse::form).post(html::endorse::submit))
        .route("/c/{slug}/signatures", get(html::signatures::list))
        .route("/c/{slug}/count.json", get(html::signatures::count))
        .route("/c/{slug}/history", get(html::history::show))
        .route("/c/{slug}/log/checkpoint", get(html::log::show_checkpoint))
        .route("/c/{slug}/log/proof", get(html::log::proof))
        .route("/c/{slug}/log/consistency", get(html::log::consistency))
        .route("/c/{slug}/log/check", get(html::log::check))
        .route("/log/key", get(html::log::key))
        .route("/c/{slug}/share/mastodon", get(html::share::mastodon))
        .route("/c/{slug}/qr.svg", get(html::share::qr))
        .route("/c/{slug}/updates.atom", get(html::updates::campaign_feed))
        .route("/updates.atom", get(html::updates::site_feed))
        .route("/c/{slug}/comments", get(html::comments::page).post(html::comments::post))
        .route("/c/{slug}/comments/{id}/report", post(html::comments::report))
        .route("/c/{slug}/comments/oidc/{provider}", post(html::comments::sign_in))
        .route("/c/{slug}/comments/sign-out", post(html::comments::sign_out))
        .route("/k/confirm/{token}", get(html::comments::confirm_page).post(html::comments::confirm))
        .route("/organise/c/{slug}/comments/mode", post(organise::moderation::comments::mode))
        .route("/organise/c/{slug}/comments/{id}/{action}", post(organise::moderation::comments::act))
        .route("/c/{slug}/manage", get(html::manage::request_page).post(html::manage::request))
        .route("/s/manage/{token}", get(html::manage::page).post(html::manage::save))
        .route("/s/manage/{token}/data.json", get(html::manage::data))
        .route("/s/manage/{token}/withdraw", post(html::manage::withdraw))
        .route(
            "/s/unsubscribe/{token}",
            get(html::updates::unsubscribe_page).post(html::updates::unsubscribe),
        )
        .route("/organise/c/{slug}/updates", get(organise::updates::page).post(organise::updates::post))
        .route("/organise/c/{slug}/response", get(organise::response::page).post(organise::response::save))
        .route("/organise/c/{slug}/demands", get(organise::demands::page))
        .route("/organise/c/{slug}/demands/{demand}", post(organise::demands::mark))
        .route(
            "/organise/c/{slug}/take-down",
            get(organise::takedown::page).post(organise::takedown::take_down),
        )
        .route(
            "/organise/c/{slug}/thresholds",
            get(organise::thresholds::page).post(organise::thresholds::save),
        )
        .route("/organise/c/{slug}/questions", get(organise::questions::page).post(organise::questions::save))
        .route("/s/confirm/{token}", get(html::signing::confirm_page).post(html::signing::confirm))
        .route("/s/withdraw/{token}", get(html::signing::withdraw_page).post(html::signing::withdraw))
        .route("/e/confirm/{token}", get(html::endorse::confirm_page).post(html::endorse::confirm))
        .route("/login", get(organise::account::login_page).post(organise::account::login))
        .route("/logout", post(organise::account::logout))
        .route("/login/oidc/callback", get(oidc::pages::callback))
        .route("/login/oidc/{provider}", post(organise::sign_in::login))
        .route("/organise/account/sign-in", get(organise::sign_in::page))
        .route("/organise/account/sign-in/{provider}", post(organise::sign_in::link))
        .route("/organise/account/sign-in/{provider}/unlink", post(organise::sign_in::unlink))
        .route(
            "/login/code",
            get(organise::second_factor::login_code_page).post(organise::second_factor::login_code),
        )
        .route(
            "/organise/account/second-factor",
            get(organise::second_factor::page).post(organise::second_factor::enable),
        )
        .route("/organise/account/second-factor/off", post(organise::second_factor::disable))
        .route("/organise/account/passkeys/start", post(organise::passkeys::register_start))
        .route("/organise/account/passkeys/finish", post(organise::passkeys::register_finish))
        .route("/organise/account/passkeys/{id}/remove", post(organise::passkeys::remove))
        .route("/login/passkey/start", post(organise::passkeys::authenticate_start))
        .route("/login/passkey/finish", post(organise::passkeys::authenticate_finish))
        .route("/organise/account/second-factor/recovery-codes", post(organise::second_factor::renew_codes))
        .route(
            "/organise/account/second-factor/confirm",
            get(organise::second_factor::confirm_page).post(organise::second_factor::confirm),
        )
        .route("/account/forgot", get(organise::account::forgot_page).post(organise::account::forgot))
        .route(
            "/account/password/{token}",
            get(organise::account::password_page).post(organise::account::set_password),
        )
        .route("/organise", get(organise::site::home))
        .route("/organise/account", get(organise::notices::page).post(organise::notices::save))
        .route("/organise/account/sessions", get(organise::sessions::page))
        .route("/organise/account/sessions/end", post(organise::sessions::end))
        .route("/organise/account/sessions/end-others", post(organise::sessions::end_others))
        .route("/organise/audit", get(organise::site::audit_log))
        .route("/organise/mail", get(organise::outbox::failed_mail))
        .route("/organise/mail/retry", post(organise::outbox::retry))
        .route("/organise/invite", get(organise::site::invite_page).post(organise::site::invite))
        .route("/organise/new", get(organise::editor::new::new_page).post(organise::editor::new::create))
        .route("/organise/c/{slug}", get(organise::dashboard::dashboard))
        .route(
            "/organise/c/{slug}/edit",
            get(organise::editor::settings::settings_page).post(organise::editor::settings::save_settings),
        )
        .route("/organise/c/{slug}/add-version", get(organise::editor::settings::add_version))
        .route(
            "/organise/c/{slug}/edit/{lang}",
            get(organise::editor::version::version_page).post(organise::editor::version::save_version),
        )
        .route("/organise/c/{slug}/status", post(organise::dashboard::status::change_status))
        .route(
            "/organise/c/{slug}/unpublish",
            get(organise::dashboard::life::unpublish_page).post(organise::dashboard::life::unpublish),
        )
        .route(
            "/organise/c/{slug}/republish",
            get(organise::dashboard::life::republish_page).post(organise::dashboard::life::republish),
        )
        .route(
            "/organise/c/{slug}/delete",
            get(organise::dashboard::life::delete_page).post(organise::dashboard::life::delete),
        )
        .route("/organise/c/{slug}/moderation", get(organise::moderation::moderation))
        .route("/organise/c/{slug}/defence", get(organise::defence::campaign_page))
        .route("/organise/c/{slug}/defence/mode", post(organise::defence::campaign_mode))
        .route("/organise/c/{slug}/defence/blocks", post(organise::defence::campaign_blocks))
        .route("/organise/defence", get(organise::defence::site_page))
        .route("/organise/defence/mode", post(organise::defence::site_mode))
        .route("/organise/defence/blocks", post(organise::defence::site_blocks))
        .route("/organise/c/{slug}/endorsements/{id}/decide", post(organise::moderation::decide))
        .route(
            "/organise/c/{slug}/invalidate",
            get(organise::moderation::signatures::preview).post(organise::moderation::signatures::invalidate),
        )
        .route(
            "/organise/c/{slug}/invalidations/{id}/restore",
            post(organise::moderation::signatures::restore),
        )
        .route(
            "/organise/c/{slug}/endorsements/new",
            get(organise::offline::offline_page).post(organise::offline::add_offline),
        )
        .route("/organise/c/{slug}/team", get(organise::team::team).post(organise::team::invite_to_team))
        .route("/organise/c/{slug}/team/{user}/remove", post(organise::team::remove_from_team))
        .route("/organise/c/{slug}/partners", get(organise::partners::page).post(organise::partners::save))
        .route("/organise/c/{slug}/partners/{organisation}/remove", post(organise::partners::remove))
        .route(
            "/organise/organisations",
            get(organise::organisations::list).post(organise::organisations::create),
        )
        .route("/organise/organisations/{slug}", get(organise::organisations::page))
        .route("/organise/organisations/{slug}/members", post(organise::organisations::add_member))
        .route(
            "/organise/organisations/{slug}/members/{user}/remove",
            post(organise::organisations::remove_member),
        )
        .route("/organise/organisations/{slug}/key", post(organise::organisations::set_key))
        .route("/organise/organisations/{slug}/details", post(organise::organisations::update_details))
        .route("/organise/organisations/{slug}/logo/remove", post(organise::organisations::remove_logo))
        .route("/organise/organisations/{slug}/c/{campaign}/export", post(organise::organisations::export))
        .route(
            "/organise/organisations/{slug}/c/{campaign}/webhooks",
            post(organise::organisations::create_webhook),
        )
        .route(
            "/organise/organisations/{slug}/c/{campaign}/webhooks/{id}/delete",
            post(organise::organisations::delete_webhook),
        )
        .route("/s/manage/{token}/consents/{organisation}/withdraw", post(html::manage::withdraw_consent))
        .route("/organise/c/{slug}/webhooks", get(organise::webhooks::list).post(organise::webhooks::create))
        .route("/organise/c/{slug}/webhooks/{id}", get(organise::webhooks::show))
        .route("/organise/c/{slug}/webhooks/{id}/{action}", post(organise::webhooks::act))
        .route(
            "/organise/c/{slug}/webhooks/{id}/deliveries/{delivery}/retry",
            post(organise::webhooks::retry),
        )
        .route("/organise/tokens", get(organise::tokens::page).post(organise::tokens::create))
        .route("/organise/tokens/{id}/revoke", post(organise::tokens::revoke))
        .route("/organise/keys", get(organise::keys::page).post(organise::keys::register))
        .route("/organise/keys/{id}/activate", post(organise::keys::activate))
        .route("/organise/people", get(organise::people::page))
        .route("/organise/people/{id}/{action}", post(organise::people::act))
        .route("/organise/c/{slug}/export.csv", post(organise::export::csv))
        .route("/organise/c/{slug}/delivery", get(organise::deliver::page).post(organise::deliver::send))
        .route("/organise/c/{slug}/delivery/{lang}", post(organise::delivery::document))
        .route("/organise/c/{slug}/delivery/{lang}/pdf", post(organise::deliver::pdf))
        .route("/healthz", get(html::health::check))
        .route("/static/{file}", get(html::assets::serve))
        .route("/media/{key}", get(html::media::widest))
        .route("/media/{key}/{width}", get(html::media::sized))
        .route("/media/logo/{key}", get(html::media::logo))
        .route("/organise/c/{slug}/pictures/{id}/{action}", post(organise::pictures::act))
        .merge(api::routes())
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn(security::strip_nul))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .merge(imports)
        .merge(site_pages)
        .merge(uploads)
        .layer(security::trace());
    // Around each route (only there is the matched route known), and only when metrics are on.
    let routes = match state.config.metrics {
        true => routes.layer(http_metrics::RequestMetricsLayer::new()),
        false => routes,
    }
    .with_state(state.clone());
    // What every request passes through, wrapped once around the whole router. `Router::layer`
    // wraps each route in each layer, boxed, and every request cloned its route's whole stack
    // (about a hundred allocations for the sign form's POST, in the profile).
    let around = tower::ServiceBuilder::new()
        // Outside the limits and the timeout, so that their refusals are rendered as pages too.
        .layer(axum::middleware::from_fn_with_state(state, middleware::every_request))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .service(routes);
    Router::new().fallback_service(around)
}
