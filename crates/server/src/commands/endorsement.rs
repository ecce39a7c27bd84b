//! `undersigned endorsement ...`: the organisers' work on endorsements from the command line,
//! until the organiser pages exist.

use anyhow::{Context, bail};
use undersigned_core::endorsement::{EndorsementSpec, Endorser, OrganisationType};
use undersigned_core::store::{EndorsementState, now};
use undersigned_core::{Slug, Store, StoreError};

use crate::cli::EndorsementCommand;

fn state(value: &str) -> anyhow::Result<EndorsementState> {
    [
        EndorsementState::Unverified,
        EndorsementState::AwaitingApproval,
        EndorsementState::Approved,
        EndorsementState::Rejected,
    ]
    .into_iter()
    .find(|s| s.as_str() == value)
    .with_context(|| {
        format!("--state must be unverified, awaiting-approval, approved or rejected (not {value})")
    })
}

async fn campaign_id(store: &dyn Store, slug: &str) -> anyhow::Result<i64> {
    let slug = Slug::parse("campaign", slug)?;
    match store.campaign_by_slug(&slug).await? {
        Some(c) => Ok(c.id),
        None => bail!("there is no campaign {slug}"),
    }
}

/// Runs one command; returns what to print.
pub async fn run(store: &dyn Store, command: EndorsementCommand) -> anyhow::Result<String> {
    match command {
        EndorsementCommand::List { campaign, state: wanted } => {
            let campaign = match campaign {
                Some(slug) => Some(campaign_id(store, &slug).await?),
                None => None,
            };
            let wanted = state(&wanted)?;
            let mut out = String::new();
            for (e, state) in store.endorsements_in(campaign, wanted).await? {
                let who = match &e.spec.endorser {
                    Endorser::Organisation { name, org_type, .. } => {
                        format!("{name} ({})", org_type.as_str())
                    }
                    Endorser::Person { name } => format!("{name} (person)"),
                    Endorser::Individuals { count } => format!("{count} individuals"),
                };
                let contact = match store.endorsement_contact(e.id).await? {
                    Some(c) => format!("  contact: {} <{}>", c.contact_name, c.contact_email),
                    None => String::new(),
                };
                out.push_str(&format!(
                    "#{}  campaign {}  {who}  {}  [{}]{contact}\n",
                    e.id,
                    e.campaign_id,
                    e.spec.country.as_deref().unwrap_or("-"),
                    state.as_str()
                ));
                if let Some(statement) = &e.spec.statement {
                    out.push_str(&format!("    “{statement}”\n"));
                }
            }
            if out.is_empty() {
                out = format!("no endorsements {}\n", wanted.as_str());
            }
            Ok(out)
        }
        EndorsementCommand::Approve { id } => decide(store, id, true, None).await,
        EndorsementCommand::Reject { id, reason } => decide(store, id, false, reason.as_deref()).await,
        EndorsementCommand::Add {
            campaign,
            organisation,
            org_type,
            website,
            individuals,
            person,
            country,
            statement,
            source,
        } => {
            let campaign = campaign_id(store, &campaign).await?;
            let endorser = match (organisation, individuals, person) {
                (None, None, Some(name)) => EndorsementSpec::person(&name)?,
                (Some(name), None, None) => EndorsementSpec::organisation(
                    &name,
                    OrganisationType::parse("type", &org_type)?,
                    website.as_deref(),
                )?,
                (None, Some(count), None) => EndorsementSpec::individuals(count)?,
                _ => bail!("give one of --organisation NAME, --person NAME or --individuals N"),
            };
            let spec = EndorsementSpec {
                endorser,
                country: country.map(|c| EndorsementSpec::parse_country("country", &c)).transpose()?,
                statement: EndorsementSpec::optional_text("statement", statement.as_deref(), 5_000)?,
                source_note: EndorsementSpec::optional_text("source", Some(&source), 500)?,
            };
            let id = store.add_offline_endorsement(campaign, &spec).await?;
            Ok(format!("recorded endorsement #{id}, collected offline: listed and counted now\n"))
        }
    }
}

async fn decide(store: &dyn Store, id: i64, approve: bool, reason: Option<&str>) -> anyhow::Result<String> {
    match store.decide_endorsement(id, approve, reason, now()).await {
        Ok(()) if approve => Ok(format!("approved endorsement #{id}: it is listed and counted now\n")),
        Ok(()) => Ok(format!("rejected endorsement #{id}\n")),
        Err(StoreError::NotFound) => {
            bail!(
                "endorsement #{id} is not awaiting approval (unknown, not confirmed by its contact yet, or decided already)"
            )
        }
        Err(e) => Err(e.into()),
    }
}
