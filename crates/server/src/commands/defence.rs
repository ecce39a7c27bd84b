//! `undersigned under-attack on|off|status [--campaign SLUG]`: the operator's switch of the
//! "under attack" mode, written to the database (every running instance sees it within seconds)
//! and to the audit log.

use anyhow::Context;
use undersigned_core::Store;
use undersigned_core::account::AuditEntry;
use undersigned_core::campaign::Slug;
use undersigned_core::defence::{AttackCause, SITE, UnderAttack};
use undersigned_core::store::now;

pub async fn under_attack(store: &dyn Store, mode: &str, campaign: Option<&str>) -> anyhow::Result<String> {
    let (scope, name) = match campaign {
        None => (SITE, "the whole site".to_owned()),
        Some(slug) => {
            let parsed =
                Slug::parse("campaign", slug).map_err(|e| anyhow::anyhow!("--campaign: {}", e.reason))?;
            let found =
                store.campaign_by_slug(&parsed).await?.with_context(|| format!("no campaign {slug}"))?;
            (found.id, format!("the campaign {slug}"))
        }
    };
    let current = store.under_attack().await?.into_iter().find(|m| m.scope == scope);
    let at = now();
    let on = match mode {
        "status" => {
            return Ok(match current {
                Some(m) => format!("under attack: on for {name} ({}: {})\n", m.cause.as_str(), m.detail),
                None => format!("under attack: off for {name}\n"),
            });
        }
        "on" => true,
        _ => false,
    };
    let mode = on.then(|| UnderAttack {
        scope,
        since: at.unix_timestamp(),
        cause: AttackCause::Hand,
        detail: "the operator".into(),
        busy_at: at.unix_timestamp(),
    });
    store.set_under_attack(scope, mode.as_ref()).await?;
    let entry = AuditEntry {
        at,
        actor: "the operator (command line)".into(),
        campaign_id: (scope != SITE).then_some(scope),
        action: if on { "under-attack-on" } else { "under-attack-off" }.into(),
        subject: name.clone(),
        detail: String::new(),
    };
    store.audit(&entry).await?;
    Ok(format!("under attack: {} for {name}\n", if on { "on" } else { "off" }))
}
