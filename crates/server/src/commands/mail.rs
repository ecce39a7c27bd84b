//! `undersigned mail`: the mail given up, listed and sent again.

use undersigned_core::Store;
use undersigned_core::account::AuditEntry;
use undersigned_core::store::now;

use crate::cli::MailCommand;

/// Runs the command; what it prints.
pub async fn run(store: &dyn Store, command: MailCommand) -> anyhow::Result<String> {
    match command {
        MailCommand::Failed => {
            let failed = store.failed_mail(1_000).await?;
            if failed.is_empty() {
                return Ok("no mail was given up\n".to_owned());
            }
            let mut out = String::new();
            for mail in failed {
                out.push_str(&format!(
                    "#{} {} queued {} given up {} after {} attempts: {}{}\n",
                    mail.id,
                    mail.kind.as_str(),
                    mail.created_at.date(),
                    mail.failed_at.map(|t| t.date().to_string()).unwrap_or_else(|| "-".into()),
                    mail.attempts,
                    mail.error.as_deref().unwrap_or("-"),
                    mail.campaign.map(|c| format!(" ({c})")).unwrap_or_default(),
                ));
            }
            Ok(out)
        }
        MailCommand::Retry { ids, all } => {
            let chosen = (!all).then_some(ids.as_slice());
            let n = store.retry_failed_mail(chosen, now()).await?;
            let subject = if all {
                "all".to_owned()
            } else {
                ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(" ")
            };
            store
                .audit(&AuditEntry {
                    at: now(),
                    actor: "command line".into(),
                    campaign_id: None,
                    action: "mail-retry".into(),
                    subject,
                    detail: format!("{n} requeued"),
                })
                .await?;
            Ok(format!("{n} {} put back in the outbox\n", if n == 1 { "mail" } else { "mails" }))
        }
    }
}
