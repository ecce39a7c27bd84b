//! The automatic switch and the trending alert. Each instance counts the signatures it takes
//! in memory (per campaign and minute: all of them, per IP hash, per email domain) and adds them
//! to the database every `tally_every`; then, from the sums over every instance, it turns the mode
//! on for a campaign signed faster than the switch's rate from many addresses, and records (and
//! mails, once an hour) a domain or IP hash that signed unusually fast. The IP hashes in the
//! tallies are keyed again ([`undersigned_core::keys::Keys::tally_ip_key`]); the alert names the
//! hash as the moderation page shows it, which only the instance that counted it knows.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Instant;

use undersigned_core::Store;
use undersigned_core::account::AuditEntry;
use undersigned_core::defence::{AttackCause, Tally, Trend, TrendKind, UnderAttack};
use undersigned_core::keys::ShortKey;
use undersigned_core::store::{StoreResult, now};

use crate::AppState;

/// The actor the audit log names for what the switch does.
const SWITCH: &str = "automatic switch";

/// The signatures counted since the last flush, per (campaign, minute): all of them, per IP hash
/// (as stored: keyed again, and written out, only when they are flushed, not on every signature)
/// and per email domain.
#[derive(Default)]
struct Pending {
    all: HashMap<(i64, i64), i64>,
    ips: HashMap<(i64, i64, ShortKey), i64>,
    domains: HashMap<(i64, i64), HashMap<String, i64>>,
}

#[derive(Default)]
pub struct Watch {
    pending: Mutex<Pending>,
    flushed: Mutex<Option<Instant>>,
    flushing: tokio::sync::Mutex<()>,
}

impl Watch {
    /// Counts one signature of `campaign` in `minute`, from `domain` and the stored IP hash.
    pub fn count(&self, campaign: i64, minute: i64, domain: &str, ip: Option<&ShortKey>) {
        let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *p.all.entry((campaign, minute)).or_default() += 1;
        if let Some(ip) = ip {
            *p.ips.entry((campaign, minute, *ip)).or_default() += 1;
        }
        if !domain.is_empty() {
            // Looked up by reference first: a domain counted already allocates nothing.
            let minute_domains = p.domains.entry((campaign, minute)).or_default();
            match minute_domains.get_mut(domain) {
                Some(n) => *n += 1,
                None => {
                    minute_domains.insert(domain.to_owned(), 1);
                }
            }
        }
    }

    fn due(&self, state: &AppState) -> bool {
        let mut flushed = self.flushed.lock().unwrap_or_else(|e| e.into_inner());
        match *flushed {
            Some(at) if at.elapsed() < state.defence.config.tally_every => false,
            _ => {
                *flushed = Some(Instant::now());
                true
            }
        }
    }
}

/// Adds the tallies when due, then looks at the campaigns they were about.
pub async fn flush_if_due(state: &AppState) -> StoreResult<()> {
    let watch = &state.defence.watch;
    if !watch.due(state) {
        return Ok(());
    }
    let _one = watch.flushing.lock().await;
    let pending = std::mem::take(&mut *watch.pending.lock().unwrap_or_else(|e| e.into_inner()));
    if pending.all.is_empty() {
        return Ok(());
    }
    let minute = now().unix_timestamp().div_euclid(60);
    // Per campaign, the tally key of each IP hash counted and the hash as shown; its domains.
    let mut shown: HashMap<i64, HashMap<String, String>> = HashMap::new();
    let mut domains: HashMap<i64, HashSet<String>> = HashMap::new();
    let mut tallies: Vec<Tally> = pending
        .all
        .into_iter()
        .map(|((campaign_id, minute), count)| Tally {
            campaign_id,
            minute,
            kind: "all",
            key: String::new(),
            count,
        })
        .collect();
    for ((campaign_id, minute, ip), count) in pending.ips {
        let key = hex::encode(state.keys.tally_ip_key(&ip));
        shown.entry(campaign_id).or_default().insert(key.clone(), hex::encode(ip));
        tallies.push(Tally { campaign_id, minute, kind: "ip", key, count });
    }
    for ((campaign_id, minute), counted) in pending.domains {
        for (domain, count) in counted {
            domains.entry(campaign_id).or_default().insert(domain.clone());
            tallies.push(Tally { campaign_id, minute, kind: "domain", key: domain, count });
        }
    }
    state.store.add_tallies(&tallies, minute - 120).await?;
    let campaigns: HashSet<i64> = tallies.iter().map(|t| t.campaign_id).collect();
    for campaign in campaigns {
        switch(state, campaign, minute).await?;
        let ips = shown.remove(&campaign).unwrap_or_default();
        let domains = domains.remove(&campaign).unwrap_or_default();
        trending(state, campaign, minute, ips, domains).await?;
    }
    Ok(())
}

/// Turns the mode on for a campaign signed faster than the switch's rate from many addresses, or
/// notes that an automatic mode is still busy.
async fn switch(state: &AppState, campaign: i64, minute: i64) -> StoreResult<()> {
    let config = &state.defence.config;
    if config.auto_signatures == 0 {
        return Ok(());
    }
    let pace = state.store.pace(campaign, minute - 1).await?;
    if pace.signatures < config.auto_signatures || pace.distinct_ips < config.auto_distinct_ips {
        return Ok(());
    }
    let now = now().unix_timestamp();
    let current = state.store.under_attack().await?.into_iter().find(|m| m.scope == campaign);
    let mode = match current {
        Some(m) if m.cause == AttackCause::Hand => return Ok(()),
        Some(m) => UnderAttack { busy_at: now, ..m },
        None => {
            tracing::warn!(
                campaign,
                signatures = pace.signatures,
                addresses = pace.distinct_ips,
                "under attack: turned on"
            );
            let entry = AuditEntry {
                at: undersigned_core::store::now(),
                actor: SWITCH.into(),
                campaign_id: Some(campaign),
                action: "under-attack-on".into(),
                subject: format!("campaign #{campaign}"),
                detail: format!(
                    "{} signatures from {} IP hashes in two minutes",
                    pace.signatures, pace.distinct_ips
                ),
            };
            state.store.audit(&entry).await?;
            UnderAttack {
                scope: campaign,
                since: now,
                cause: AttackCause::Rate,
                detail: format!("{}/{}", pace.signatures, pace.distinct_ips),
                busy_at: now,
            }
        }
    };
    state.store.set_under_attack(campaign, Some(&mode)).await?;
    state.defence.changed();
    Ok(())
}

/// Turns off an automatic mode that has been quiet since `quiet_before`: true when it did.
pub async fn quiet(store: &dyn Store, mode: &UnderAttack, quiet_before: i64) -> StoreResult<bool> {
    if mode.cause != AttackCause::Rate || mode.busy_at >= quiet_before {
        return Ok(false);
    }
    store.set_under_attack(mode.scope, None).await?;
    tracing::info!(campaign = mode.scope, "under attack: quiet again, turned off");
    let entry = AuditEntry {
        at: now(),
        actor: SWITCH.into(),
        campaign_id: Some(mode.scope),
        action: "under-attack-off".into(),
        subject: format!("campaign #{}", mode.scope),
        detail: "quiet".into(),
    };
    store.audit(&entry).await?;
    Ok(true)
}

/// Records the domains and IP hashes counted here that signed the campaign unusually fast in the
/// last hour (sixty minutes of tallies), and mails its organisers about those past the second
/// threshold, once an hour.
async fn trending(
    state: &AppState,
    campaign: i64,
    minute: i64,
    ips: HashMap<String, String>,
    domains: HashSet<String>,
) -> StoreResult<()> {
    let config = &state.defence.config;
    if config.trend_log == 0 {
        return Ok(());
    }
    let hour = minute.div_euclid(60);
    let from = minute - 59;
    let keys: Vec<String> = ips.keys().cloned().collect();
    let mut busy: Vec<(TrendKind, String, i64)> = Vec::new();
    for (key, n) in state.store.busy_keys(campaign, "ip", &keys, from, config.trend_log).await? {
        busy.extend(ips.get(&key).map(|shown| (TrendKind::IpHash, shown.clone(), n)));
    }
    let keys: Vec<String> = domains.into_iter().collect();
    for (domain, n) in state.store.busy_keys(campaign, "domain", &keys, from, config.trend_log).await? {
        busy.push((TrendKind::Domain, domain, n));
    }
    for (kind, shown, count) in busy {
        let notify = config.trend_notify > 0 && count >= config.trend_notify;
        tracing::warn!(campaign, kind = kind.as_str(), shown = %shown, count, notify, "trending");
        let trend = Trend { campaign_id: campaign, kind, shown, hour, count };
        state.store.record_trend(&trend, notify, now()).await?;
        if notify {
            state.mail_queued.notify_one();
        }
    }
    Ok(())
}
