//! Signing load against a running server, and what the database holds afterwards: shared by the
//! tests that run the real binary (durability, a full disk).

use std::path::Path;
use std::sync::Arc;

use undersigned_core::keys::Keys;
use undersigned_core::store::Store;
use undersigned_core::{Campaign, Email, Slug};
use undersigned_store_tests::TestDb;

/// A browser-like client with the campaign page's CSRF token.
pub async fn signer(base: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page =
        client.get(format!("{base}/c/release-cai-guangye")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start_at = page.find(marker).unwrap() + marker.len();
    let csrf = page[start_at..start_at + page[start_at..].find('"').unwrap()].to_owned();
    (client, csrf)
}

/// Posts the demo campaign's signing form; the HTTP status, or the error when the server is gone.
pub async fn sign(client: &reqwest::Client, base: &str, csrf: &str, email: &str) -> reqwest::Result<u16> {
    let fields = [("name", "Durable"), ("email", email), ("country", "HK"), ("csrf", csrf)];
    let r = client.post(format!("{base}/c/release-cai-guangye/sign")).form(&fields).send().await?;
    Ok(r.status().as_u16())
}

pub async fn demo_campaign(db: &TestDb) -> (Arc<dyn Store>, Campaign) {
    let store = db.store().await;
    let campaign =
        store.campaign_by_slug(&Slug::parse("s", "release-cai-guangye").unwrap()).await.unwrap().unwrap();
    (store, campaign)
}

/// The acknowledged addresses with no signature stored.
pub async fn missing(
    store: &dyn Store,
    campaign: &Campaign,
    data_dir: &Path,
    emails: &[String],
) -> Vec<String> {
    let secret: [u8; 32] = hex::decode(std::fs::read_to_string(data_dir.join("secret.key")).unwrap().trim())
        .unwrap()
        .try_into()
        .unwrap();
    let keys = Keys::new(secret);
    let mut missing = Vec::new();
    for email in emails {
        let key = keys.email_key(campaign.id, &Email::parse("email", email).unwrap().canonical());
        if store.signature_by_key(&key).await.unwrap().is_none() {
            missing.push(email.clone());
        }
    }
    missing
}

/// Everyone counted, recounted from the stored rows (not from the aggregated counts): every
/// confirmed, valid signature, read page by page, and the individuals endorsing offline.
pub async fn recount(store: &dyn Store, campaign: &Campaign) -> i64 {
    let (mut signatures, mut after) = (0, None);
    loop {
        let page = store.signatures_for_export(campaign.id, after, 1_000).await.unwrap();
        signatures += page.len() as i64;
        match page.last() {
            Some(last) => {
                after = Some(undersigned_core::signature::ListCursor {
                    confirmed_at: last.confirmed_at.unwrap(),
                    id: last.id,
                })
            }
            None => break,
        }
    }
    signatures + store.counts(campaign.id).await.unwrap().offline_individuals
}

/// The count the public sees, from `count.json`.
pub async fn public_count(client: &reqwest::Client, base: &str) -> i64 {
    let body = client
        .get(format!("{base}/c/release-cai-guangye/count.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["signature_count"].as_i64().unwrap_or_else(|| panic!("count.json without a count: {json}"))
}
