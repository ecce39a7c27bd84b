//! `undersigned retention`: the signers of campaigns that ended more than the retention period ago
//! are anonymised. The server does the same by itself, hourly (`workers::upkeep`).

use undersigned_core::Store;
use undersigned_core::store::now;

/// Anonymises (or, with `dry_run`, lists) the campaigns whose retention period of `days` is over;
/// a line for each.
pub async fn run(store: &dyn Store, days: i64, dry_run: bool) -> anyhow::Result<String> {
    let before = now() - time::Duration::days(days);
    let mut out = String::new();
    for due in store.retention_due(before).await? {
        let slug =
            store.campaign_by_id(due.campaign).await?.map(|c| c.content.slug.to_string()).unwrap_or_default();
        if dry_run {
            out.push_str(&format!(
                "{slug}: ended {}; would anonymise {} signatures and {} endorsement contacts\n",
                due.ended_at.date(),
                due.signatures,
                due.endorsements
            ));
        } else {
            let n = store.anonymise(due.campaign).await?;
            tracing::info!(campaign = %slug, signatures = n, "anonymised after the retention period");
            out.push_str(&format!("{slug}: anonymised {n} signatures\n"));
        }
    }
    if out.is_empty() {
        out = "nothing is due\n".to_owned();
    }
    Ok(out)
}
