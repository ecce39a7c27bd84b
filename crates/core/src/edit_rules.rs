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
    /// Unpublishing a campaign nobody signed makes it a draft again, not withdrawn.
    NobodySigned { from: CampaignStatus },
    /// Unpublishing a campaign people signed withdraws it (their signatures kept), never makes it
    /// a draft.
    PeopleSigned { from: CampaignStatus },
    /// A withdrawn campaign goes back to where it was, `back` ([`CampaignStatus::republished`]),
    /// and moves on from there as any campaign does.
    Republish { to: CampaignStatus, back: CampaignStatus },
}

impl EditRefusal {
    /// The field the refusal is about.
    pub fn field(&self) -> &str {
        match self {
            Self::StatusMove { .. }
            | Self::NobodySigned { .. }
            | Self::PeopleSigned { .. }
            | Self::Republish { .. } => "status",
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
            Self::NobodySigned { from } => write!(
                f,
                "cannot go from {} to withdrawn: nobody signed it, so unpublishing it makes it a draft again (status = \"draft\")",
                from.as_str()
            ),
            Self::PeopleSigned { from } => write!(
                f,
                "cannot go from {} to draft: people signed it, so unpublishing it withdraws it and keeps their signatures (status = \"withdrawn\")",
                from.as_str()
            ),
            Self::Republish { to, back } => write!(
                f,
                "cannot go from withdrawn to {}: a withdrawn campaign is put back as it was when it was withdrawn ({}), and moves on from there as any campaign does",
                to.as_str(),
                back.as_str()
            ),
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

/// What the owner may do to a campaign's status besides the editor's moves, on the life-cycle
/// page: unpublish it, and put a withdrawn one back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LifeMoves {
    /// Whether anyone signed it: unpublishing then withdraws it instead of making it a draft again.
    pub signed: bool,
    /// What republishing makes of it, when it is withdrawn ([`CampaignStatus::republished`]).
    pub republished: Option<CampaignStatus>,
}

/// Checks a change of a campaign made by importing its files, which may do what its owner can do
/// in the browser: the editor's moves ([`check_edit`]), unpublishing (withdrawn if people signed
/// it, else a draft again) and republishing a withdrawn campaign as it was (from where it may move
/// on as any campaign does, as the owner may right after republishing it).
pub fn check_import(
    current: Option<(&CampaignContent, LifeMoves)>,
    next: &CampaignContent,
) -> Result<(), EditRefusal> {
    use CampaignStatus::{Draft, Open, Withdrawn};
    let Some((current, life)) = current else { return check_edit(None, next) };
    let (from, to) = (current.status, next.status);
    if from == to {
        return check_edit(Some(current), next);
    }
    if from == Withdrawn {
        let Some(back) = life.republished else { return Err(EditRefusal::StatusMove { from, to }) };
        if to != back && !back.can_become(to) {
            return Err(EditRefusal::Republish { to, back });
        }
    } else if from.is_public() && matches!(to, Draft | Withdrawn) {
        match (from.unpublished(life.signed), to) {
            (Some(unpublished), _) if unpublished == to => {}
            (_, Withdrawn) => return Err(EditRefusal::NobodySigned { from }),
            _ => return Err(EditRefusal::PeopleSigned { from }),
        }
    } else {
        return check_edit(Some(current), next);
    }
    if to == Open {
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
            Some(new)
                if new == old && current.demand_texts_in(&old.lang) == next.demand_texts_in(&old.lang) => {}
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
        (
            c.opens_at,
            c.closes_at,
            c.dated,
            c.contact.clone(),
            c.signature_goal,
            c.default_lang.clone(),
            c.embed_sites.clone(),
        )
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
        let demands = demands.iter().map(|d| Some((*d).to_owned())).collect();
        CampaignContent {
            slug: Slug::parse("slug", "a").unwrap(),
            status,
            opens_at: None,
            closes_at: None,
            dated: None,
            contact: Contact::parse("Lam", None).unwrap(),
            signature_goal: None,
            default_lang: Lang::known("en"),
            versions: vec![CampaignVersion::parse(Lang::known("en"), "T", "", "", "Text").unwrap()],
            demands: crate::demand::by_position(&[(Lang::known("en"), demands)]),
            embed_sites: Default::default(),
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
    fn an_import_unpublishes_and_republishes_as_the_owner_can() {
        use CampaignStatus::*;
        let at = |status| campaign(status, &["Free them"]);
        let signed = LifeMoves { signed: true, republished: None };
        let unsigned = LifeMoves { signed: false, republished: None };
        let check = |from, to, life| check_import(Some((&at(from), life)), &at(to));
        for from in [Open, Closed, Won] {
            assert_eq!(check(from, Withdrawn, signed), Ok(()));
            assert_eq!(check(from, Draft, unsigned), Ok(()));
            assert_eq!(check(from, Withdrawn, unsigned), Err(EditRefusal::NobodySigned { from }));
            assert_eq!(check(from, Draft, signed), Err(EditRefusal::PeopleSigned { from }));
        }
        assert_eq!(
            check(Draft, Withdrawn, signed),
            Err(EditRefusal::StatusMove { from: Draft, to: Withdrawn })
        );
        assert_eq!(check(Open, Closed, signed), Ok(()), "the editor's moves");

        let back = |status| LifeMoves { signed: true, republished: Some(status) };
        assert_eq!(check(Withdrawn, Open, back(Open)), Ok(()));
        assert_eq!(check(Withdrawn, Closed, back(Open)), Ok(()), "republished, then closed");
        assert_eq!(check(Withdrawn, Won, back(Closed)), Ok(()), "republished, then won");
        assert_eq!(
            check(Withdrawn, Open, back(Closed)),
            Err(EditRefusal::Republish { to: Open, back: Closed })
        );
        assert_eq!(
            check(Withdrawn, Draft, back(Open)),
            Err(EditRefusal::Republish { to: Draft, back: Open })
        );
        assert_eq!(check(Withdrawn, Withdrawn, back(Closed)), Ok(()), "staying withdrawn is no move");
        assert!(check_import(Some((&at(Withdrawn), back(Open))), &campaign(Open, &[])).is_err(), "complete");
        assert_eq!(check_import(None, &at(Withdrawn)), Ok(()), "a new campaign may arrive withdrawn");
        let err = check(Withdrawn, Open, back(Closed)).unwrap_err();
        assert_eq!(err.field(), "status");
        assert!(
            err.to_string().starts_with("cannot go from withdrawn to open: a withdrawn campaign is put back")
        );
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
        next.versions.push(CampaignVersion::parse(Lang::known("fr"), "L", "", "", "").unwrap());
        assert_eq!(setting_changes(&open, &next), ["status open → closed"]);
        assert_eq!(
            version_changes(&open, &next, true),
            ["en changed (the text that was signed is kept in the public history)", "fr added"]
        );
        assert!(version_changes(&open, &open, true).is_empty());
    }
}
