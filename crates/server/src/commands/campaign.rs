//! `undersigned campaign import` and `export`: campaigns as folders of files, moved in and out
//! under the same rules as the browser editor (see `undersigned_core::records`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use undersigned_core::campaign_file::{self, CampaignFolder, FileError};
use undersigned_core::records::{CampaignImport, campaign_records, current_campaign, plan_import};
use undersigned_core::store::now;
use undersigned_core::{Slug, Store, StoreError};
use undersigned_web::i18n::Localizer;
use undersigned_web::organise::dashboard::status::win_announcement;

/// What importing one folder did, in words.
pub fn describe(import: &CampaignImport) -> String {
    let spec = &import.spec;
    match import.replaces {
        None => format!(
            "imported {} ({} language versions, {} endorsements)",
            spec.content.slug,
            spec.content.versions.len(),
            spec.endorsements.len() + import.add.endorsements.len()
        ),
        Some(_) => format!("imported {}: {}", spec.content.slug, import.changes.join("; ")),
    }
}

/// Reads every folder, then checks each against the campaign it replaces (the editor's rules),
/// then imports them all in one transaction: a bad file or a refused change stops the whole
/// import before anything is written. Returns a line for each folder.
pub async fn import_campaigns(store: &dyn Store, paths: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut folders = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    for path in paths {
        match campaign_file::read_folder(path) {
            Ok(folder) => folders.push((path, folder)),
            Err(e) => errors.push(e),
        }
    }
    let mut imports = Vec::new();
    let mut lines = Vec::new();
    let at = now();
    let mut words = None;
    for (path, CampaignFolder { spec, records }) in folders {
        let slug = spec.content.slug.clone();
        let current = current_campaign(store, &slug).await.context("nothing was imported")?;
        let dir = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let dir = if dir.is_dir() { dir } else { dir.parent().map(Path::to_owned).unwrap_or(dir) };
        match plan_import(current.as_ref(), spec, records, &dir.display().to_string(), at) {
            Ok(Some(mut import)) => {
                if import.declares_won {
                    // Announced as the browser announces a win, in the site's words.
                    if words.is_none() {
                        words = Some(Localizer::embedded().map_err(anyhow::Error::msg)?);
                    }
                    let i18n = words.as_ref().expect("loaded just above");
                    import.win = win_announcement(i18n, &import.spec.content);
                }
                lines.push(describe(&import));
                imports.push(import);
            }
            Ok(None) => lines.push(format!("{slug}: unchanged, nothing to import")),
            Err(refusal) => {
                errors.push(campaign_file::error_at(&dir, &refusal.field, &refusal.near, refusal.message))
            }
        }
    }
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("nothing was imported:\n  {}", list.join("\n  "));
    }
    match store.apply_import(&imports).await {
        Ok(_) => Ok(lines),
        Err(StoreError::Conflict(why)) => bail!("nothing was imported: {why}"),
        Err(e) => Err(e).context("nothing was imported"),
    }
}

/// Writes a campaign as a folder: its text, every listed endorsement (those from outside the files
/// marked by origin), its updates and the target's response. Never its signatures, nor the
/// contacts of endorsements.
pub async fn export_campaign(store: &dyn Store, slug: &str, out: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let slug = Slug::parse("slug", slug)?;
    let Some(current) = current_campaign(store, &slug).await? else {
        bail!("there is no campaign {slug}");
    };
    let records = campaign_records(store, current.campaign.id).await?;
    let folder = CampaignFolder {
        spec: undersigned_core::CampaignSpec {
            content: current.campaign.content,
            endorsements: current.file_endorsements,
        },
        records,
    };
    campaign_file::write_all(&folder, out).with_context(|| format!("writing {}", out.display()))
}
