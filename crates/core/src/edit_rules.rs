//! The rules every change to a campaign obeys, whether it is made in the browser editor or by
//! importing the campaign's files: how its status may move, when it must be complete, and when the
//! text it replaces is kept for the public history.

use std::fmt;

use crate::ValidationError;
use crate::campaign::{CampaignContent, CampaignStatus};

/// Why a change to a campaign is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditRefusal {
    /// The status cannot move from one to the other (see [`CampaignStatus::can_become`]).
    StatusMove { from: CampaignStatus, to: CampaignStatus },
    /// An open campaign keeps every version complete.
    Incomplete(ValidationError),
}

impl EditRefusal {
    /// The field the refusal is about.
    pub fn field(&self) -> &str {
        match self {
            Self::StatusMove { .. } => "status",
            Self::Incomplete(e) => &e.field,
        }
    }
}

impl fmt::Display for EditRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StatusMove { from, to } => write!(
                f,
                "cannot go from {} to {}: a campaign goes from draft to open, from open to closed or won, and from closed to won",
                from.as_str(),
                to.as_str()
            ),
            Self::Incomplete(e) => f.write_str(&e.reason),
        }
    }
}

/// Checks a change of a campaign, `current` (`None` for a new one), into `next`: its status moves
/// only as a campaign's life allows, and an open campaign has every version complete.
pub fn check_edit(current: Option<&CampaignContent>, next: &CampaignContent) -> Result<(), EditRefusal> {
    if let Some(current) = current
        && current.status != next.status
        && !current.status.can_become(next.status)
    {
        return Err(EditRefusal::StatusMove { from: current.status, to: next.status });
    }
    if next.status == CampaignStatus::Open {
        next.ready_to_open().map_err(EditRefusal::Incomplete)?;
    }
    Ok(())
}

/// Whether a change of the campaign's text must keep the text it replaces on the public history
/// page: people have signed it.
pub fn keeps_history(status: CampaignStatus, confirmed_signatures: i64) -> bool {
    status != CampaignStatus::Draft && confirmed_signatures > 0
}

/// What a change does to the language versions, in words: `en changed`, `fr added`,
/// `de removed`, each changed or removed one marked as kept in the history where `kept`.
pub fn version_changes(current: &CampaignContent, next: &CampaignContent, kept: bool) -> Vec<String> {
    let keep_note = if kept { " (the text that was signed is kept in the public history)" } else { "" };
    let mut changes = Vec::new();
    for old in &current.versions {
        match next.version(&old.lang) {
            Some(new) if new == old => {}
            Some(_) => changes.push(format!("{} changed{keep_note}", old.lang)),
            None => changes.push(format!("{} removed{keep_note}", old.lang)),
        }
    }
    for new in &next.versions {
        if current.version(&new.lang).is_none() {
            changes.push(format!("{} added", new.lang));
        }
    }
    changes
}

/// What a change does to everything but the versions, in words.
pub fn setting_changes(current: &CampaignContent, next: &CampaignContent) -> Vec<String> {
    let mut changes = Vec::new();
    if current.status != next.status {
        changes.push(format!("status {} → {}", current.status.as_str(), next.status.as_str()));
    }
    let settings = |c: &CampaignContent| {
        (c.opens_at, c.closes_at, c.dated, c.contact.clone(), c.signature_goal, c.default_lang.clone())
    };
    if settings(current) != settings(next) {
        changes.push("settings changed".to_owned());
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::campaign::{CampaignVersion, Contact, Slug};

    fn campaign(status: CampaignStatus, demands: &[&str]) -> CampaignContent {
        let demands: Vec<String> = demands.iter().map(|d| (*d).to_owned()).collect();
        CampaignContent {
            slug: Slug::parse("slug", "a").unwrap(),
            status,
            opens_at: None,
            closes_at: None,
            dated: None,
            contact: Contact::parse("Lam", None).unwrap(),
            signature_goal: None,
            default_lang: Lang::known("en"),
            versions: vec![CampaignVersion::parse(Lang::known("en"), "T", "", "", "Text", &demands).unwrap()],
        }
    }

    #[test]
    fn status_moves_only_forward_and_an_open_campaign_is_complete() {
        use CampaignStatus::*;
        let open = campaign(Open, &["Free them"]);
        let draft = campaign(Draft, &["Free them"]);
        assert_eq!(check_edit(Some(&open), &draft), Err(EditRefusal::StatusMove { from: Open, to: Draft }));
        assert_eq!(check_edit(Some(&draft), &open), Ok(()));
        assert_eq!(check_edit(Some(&open), &open), Ok(()), "staying open is no move");
        assert_eq!(check_edit(None, &campaign(Closed, &[])), Ok(()), "a new campaign may start anywhere");
        let incomplete = campaign(Open, &[]);
        let err = check_edit(Some(&draft), &incomplete).unwrap_err();
        assert_eq!(err.field(), "status");
        assert!(err.to_string().contains("at least one demand"), "{err}");
        assert!(check_edit(Some(&open), &incomplete).is_err(), "an open campaign stays complete");
    }

    #[test]
    fn the_signed_text_is_kept_once_people_signed_a_public_campaign() {
        assert!(keeps_history(CampaignStatus::Open, 1));
        assert!(keeps_history(CampaignStatus::Closed, 3));
        assert!(!keeps_history(CampaignStatus::Open, 0));
        assert!(!keeps_history(CampaignStatus::Draft, 5));
    }

    #[test]
    fn changes_are_named() {
        let open = campaign(CampaignStatus::Open, &["Free them"]);
        let mut next = open.clone();
        next.status = CampaignStatus::Closed;
        next.versions[0].title = "New".into();
        next.versions.push(CampaignVersion::parse(Lang::known("fr"), "L", "", "", "", &[]).unwrap());
        assert_eq!(setting_changes(&open, &next), ["status open → closed"]);
        assert_eq!(
            version_changes(&open, &next, true),
            ["en changed (the text that was signed is kept in the public history)", "fr added"]
        );
        assert!(version_changes(&open, &open, true).is_empty());
    }
}
