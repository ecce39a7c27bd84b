//! `/organise/organisations`: the organisations that campaign together (issue 16). Site admins
//! create them and add their first members; an organisation's admins manage its members, its age
//! key and its webhooks; its members see, for each campaign it partners, the counts (in all,
//! through its link, consenting to it) and export the signers who consented to it, sealed to its
//! key (an age file: `age -d -i key.txt`). No key, no export. Its admins upload its logo (checked,
//! re-encoded without metadata and made small as a campaign's pictures are), shown by its name on
//! the pages of the campaigns it partners, or remove it. Who may do what is decided in one
//! place, `undersigned_core::organisation::org_allowed`; one who is not a member is told the
//! organisation is not found, so that nobody learns another's signers, or that it partners a
//! campaign.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use undersigned_core::account::User;
use undersigned_core::organisation::{
    LOGO_WIDTH, NewLogo, NewOrganisation, OrgAction, OrgRole, Organisation, OrganisationInput, org_allowed,
    parse_recipient,
};
use undersigned_core::picture::PictureKey;
use undersigned_core::signature::Signature;
use undersigned_core::store::now;
use undersigned_core::webhook::{EventSet, WebhookEvent};
use undersigned_core::{Campaign, Slug, StoreError, ValidationError, age};

use super::export::neutralise;
use super::webhooks::{Actor, check_endpoint};
use super::{CurrentUser, audit};
use crate::render::campaign::version_for;
use crate::render::forms::FormState;
use crate::render::messages::ButtonForm;
use crate::render::partners::logo_value;
use crate::render::pictures::{self, MAX_UPLOAD};
use crate::webhooks::resolve;
use crate::{AppError, AppState, Visitor};

const BASE: &str = "/organise/organisations";

fn logged_in(current: CurrentUser, next: &str) -> Result<User, AppError> {
    current.0.ok_or_else(|| AppError::LoginRequired { next: next.into() })
}

/// The organisation at `slug` if `user` may do `action` there, with the user's role in it. One
/// who may not even see it is told it is not found.
async fn organisation(
    state: &AppState,
    user: &User,
    slug: &str,
    action: OrgAction,
) -> Result<(Organisation, Option<OrgRole>), AppError> {
    let org = state.store.organisation_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let role = state.store.organisation_members(org.id).await?.into_iter().find(|m| m.user_id == user.id);
    let role = role.map(|m| m.role);
    if !org_allowed(user, role, OrgAction::View) {
        return Err(AppError::NotFound);
    }
    if !org_allowed(user, role, action) {
        return Err(AppError::Forbidden);
    }
    Ok((org, role))
}

/// A form sent to an organisation's page: the signed-in user (else to the login), the
/// organisation if they may do `action` there (`organisation`), with their role, and the form's
/// token checked, in that order.
async fn sent_form(
    state: &AppState,
    visitor: &Visitor,
    current: CurrentUser,
    slug: &str,
    action: OrgAction,
    csrf: &str,
) -> Result<(User, Organisation, Option<OrgRole>), AppError> {
    let user = logged_in(current, &format!("{BASE}/{slug}"))?;
    let (org, role) = organisation(state, &user, slug, action).await?;
    if !visitor.csrf_ok(&state.keys, csrf) {
        return Err(AppError::Forbidden);
    }
    Ok((user, org, role))
}

/// A campaign the organisation partners, by its slug; not found for any other.
async fn partnered(state: &AppState, org: &Organisation, slug: &str) -> Result<Campaign, AppError> {
    let slug = Slug::parse("slug", slug).map_err(|_| AppError::NotFound)?;
    let campaign = state.store.campaign_by_slug(&slug).await?.ok_or(AppError::NotFound)?;
    let partners = state.store.campaign_partners(campaign.id).await?;
    if !partners.iter().any(|p| p.organisation.id == org.id) {
        return Err(AppError::NotFound);
    }
    Ok(campaign)
}

/// The size an organisation's logo is shown at on its own page: 64 pixels high, 160 wide at most.
const LOGO_SHOWN: (u32, u32) = (64, 160);

fn org_value(org: &Organisation) -> Value {
    context! {
        logo => org.logo.as_ref().map(|l| logo_value(l, LOGO_SHOWN)),
        slug => &org.slug,
        name => &org.name,
        org_type => org.org_type.as_str(),
        region => &org.region,
        website => &org.website,
        recipient => &org.recipient,
        path => format!("{BASE}/{}", org.slug),
    }
}

/// `GET /organise/organisations`: the organisations one is a member of (every one, for an admin),
/// and for an admin the form that creates one.
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
) -> Result<Response, AppError> {
    let user = logged_in(current, BASE)?;
    render_list(&state, &visitor, &user, FormState::new(OrganisationInput::default()), StatusCode::OK).await
}

async fn render_list(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    form: FormState<OrganisationInput>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let orgs: Vec<Value> = if user.is_admin {
        state.store.organisations().await?.iter().map(org_value).collect()
    } else {
        state.store.organisations_of(user.id).await?.iter().map(|(o, _)| org_value(o)).collect()
    };
    let page = context! {
        title => state.pages.i18n.t(&visitor.ui, "organisations-heading", None),
        organisations => orgs,
        may_create => user.is_admin,
        types => organisation_types(),
        form => form,
    };
    Ok((status, state.pages.render("organise/organisations.html", visitor, page)?).into_response())
}

/// The types an organisation may be of, as the forms offer them.
fn organisation_types() -> Vec<&'static str> {
    undersigned_core::OrganisationType::ALL.iter().map(|t| t.as_str()).collect()
}

/// The organisation's form: to make one, or to change its details.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    #[serde(flatten)]
    input: OrganisationInput,
    csrf: String,
}

/// `POST /organise/organisations`: a site admin creates an organisation.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    let user = logged_in(current, BASE)?;
    if !user.is_admin {
        return Err(AppError::Forbidden);
    }
    let i18n = &state.pages.i18n;
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        let page = FormState::new(form.input).with_alert(i18n.t(&visitor.ui, "form-error-csrf", None));
        return render_list(&state, &visitor, &user, page, StatusCode::FORBIDDEN).await;
    }
    let org = match NewOrganisation::parse(&form.input) {
        Ok(org) => org,
        Err(errors) => {
            let page = FormState::new(form.input).with_errors(i18n, &visitor.ui, &errors);
            return render_list(&state, &visitor, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = match state.store.create_organisation(&org, now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            let mut page = FormState::new(form.input);
            page.errors.insert("org_slug".into(), i18n.t(&visitor.ui, "organisation-error-slug-taken", None));
            page.order.push("org_slug".into());
            let page = page.with_alert(i18n.t(&visitor.ui, "form-alert-check", None));
            return render_list(&state, &visitor, &user, page, StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    };
    audit(&state, &user, None, "create-organisation", format!("organisation #{id} {}", org.slug), org.name)
        .await;
    Ok(Redirect::to(&format!("{BASE}/{}", org.slug)).into_response())
}

/// The forms of an organisation's page, each shown again with its errors when refused.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct MemberForm {
    member_email: String,
    member_role: String,
    #[serde(skip_serializing)]
    csrf: String,
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct KeyForm {
    org_key: String,
    #[serde(skip_serializing)]
    csrf: String,
}

#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub struct HookForm {
    url: String,
    #[serde(skip_serializing)]
    csrf: String,
}

#[derive(Default)]
struct Forms {
    member: Option<FormState<MemberForm>>,
    key: Option<FormState<KeyForm>>,
    /// The campaign (slug) whose webhook form this is.
    hook: Option<(String, FormState<HookForm>)>,
    /// A webhook's secret, shown once when it was made.
    secret: Option<String>,
    /// The logo's form, with why the file was refused.
    logo: Option<FormState<BTreeMap<String, String>>>,
    /// Its name, type, region and website, as typed.
    details: Option<FormState<OrganisationInput>>,
}

/// `GET /organise/organisations/{org}`.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let user = logged_in(current, &format!("{BASE}/{slug}"))?;
    let (org, role) = organisation(&state, &user, &slug, OrgAction::View).await?;
    render_page(&state, &visitor, &user, &org, role, Forms::default(), StatusCode::OK).await
}

async fn render_page(
    state: &AppState,
    visitor: &Visitor,
    user: &User,
    org: &Organisation,
    role: Option<OrgRole>,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let manage = org_allowed(user, role, OrgAction::Manage);
    let members: Vec<Value> = state
        .store
        .organisation_members(org.id)
        .await?
        .iter()
        .map(|m| context! { id => m.user_id, name => &m.name, email => &m.email, role => m.role.as_str() })
        .collect();
    let mut campaigns = Vec::new();
    for id in state.store.partnered_campaigns(org.id).await? {
        let Some(campaign) = state.store.campaign_by_id(id).await? else { continue };
        let counts = state.store.partner_counts(id, org.id).await?;
        let c = &campaign.content;
        let hooks: Vec<Value> = state
            .store
            .webhooks(id)
            .await?
            .iter()
            .filter(|e| e.organisation_id == Some(org.id))
            .map(|e| context! { id => e.id, url => &e.url, state => e.state.as_str() })
            .collect();
        let hook_form = match &forms.hook {
            Some((slug, form)) if *slug == c.slug.as_str() => Some(form),
            _ => None,
        };
        campaigns.push(context! {
            slug => c.slug.as_str(),
            title => &version_for(&campaign, visitor).title,
            link => format!("{}/c/{}?via={}", state.config.base_url, c.slug, org.slug),
            counts => counts,
            hooks => hooks,
            hook_form => hook_form,
            export => format!("{BASE}/{}/c/{}/export", org.slug, c.slug),
            hook_action => format!("{BASE}/{}/c/{}/webhooks", org.slug, c.slug),
        });
    }
    let roles: Vec<&str> = OrgRole::ALL.iter().map(|r| r.as_str()).collect();
    let details = forms.details.unwrap_or_else(|| {
        FormState::new(OrganisationInput {
            org_slug: org.slug.clone(),
            org_name: org.name.clone(),
            org_type: org.org_type.as_str().into(),
            org_region: org.region.clone().unwrap_or_default(),
            org_website: org.website.clone().unwrap_or_default(),
        })
    });
    let page = context! {
        title => &org.name,
        org => org_value(org),
        manage => manage,
        members => members,
        roles => roles,
        campaigns => campaigns,
        member_form => forms.member.unwrap_or_else(|| FormState::new(MemberForm { member_role: "member".into(), ..Default::default() })),
        key_form => forms.key.unwrap_or_else(|| FormState::new(KeyForm { org_key: org.recipient.clone().unwrap_or_default(), ..Default::default() })),
        blank_hook => FormState::new(HookForm::default()),
        logo_form => forms.logo.unwrap_or_else(|| FormState::new(BTreeMap::new())),
        details_form => details,
        types => organisation_types(),
        max_megabytes => MAX_UPLOAD / (1024 * 1024),
        secret => forms.secret,
    };
    Ok((status, state.pages.render("organise/organisation.html", visitor, page)?).into_response())
}

/// `POST /organise/organisations/{org}/members`: an organisation's admin (or a site admin) adds an
/// organiser's account, or changes its role.
pub async fn add_member(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let user = logged_in(current, &format!("{BASE}/{slug}"))?;
    let (org, role) = organisation(&state, &user, &slug, OrgAction::Manage).await?;
    let i18n = &state.pages.i18n;
    let refuse = |form: MemberForm, field: &str, key: &str| {
        let mut page = FormState::new(form);
        page.errors.insert(field.into(), i18n.t(&visitor.ui, key, None));
        page.order.push(field.into());
        Forms {
            member: Some(page.with_alert(i18n.t(&visitor.ui, "form-alert-check", None))),
            ..Default::default()
        }
    };
    if !visitor.csrf_ok(&state.keys, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let Ok(member_role) = OrgRole::parse("member_role", &form.member_role) else {
        let forms = refuse(form, "member_role", "form-error-member-role");
        return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let email = form.member_email.trim().to_lowercase();
    let Some((member, _)) = state.store.user_by_email(&email).await? else {
        let forms = refuse(form, "member_email", "form-error-member-email");
        return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    state.store.set_organisation_member(org.id, member.id, member_role).await?;
    let subject = format!("organisation {} user #{} {}", org.slug, member.id, member.email);
    audit(&state, &user, None, "organisation-member", subject, member_role.as_str().into()).await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

#[derive(Deserialize)]
pub struct MemberPath {
    slug: String,
    user: i64,
}

/// `POST /organise/organisations/{org}/members/{user}/remove`.
pub async fn remove_member(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(MemberPath { slug, user: member }): Path<MemberPath>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (user, org, _) = sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    if !state.store.remove_organisation_member(org.id, member).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &state,
        &user,
        None,
        "organisation-member-remove",
        format!("organisation {} user #{member}", org.slug),
        String::new(),
    )
    .await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

/// `POST /organise/organisations/{org}/details`: its admin (or a site admin) corrects its name,
/// type, region or website. Its slug stays: partners' links carry it. The pages of the campaigns
/// it partners show the new name at once.
pub async fn update_details(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    let (user, org, role) =
        sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    let input = OrganisationInput { org_slug: org.slug.clone(), ..form.input };
    let details = match NewOrganisation::parse(&input) {
        Ok(details) => details,
        Err(errors) => {
            let page = FormState::new(input).with_errors(&state.pages.i18n, &visitor.ui, &errors);
            let forms = Forms { details: Some(page), ..Default::default() };
            return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    if !state.store.update_organisation(org.id, &details).await? {
        return Err(AppError::NotFound);
    }
    forget_partnered(&state, &org).await?;
    let detail = format!("{} ({})", details.name, details.org_type.as_str());
    audit(&state, &user, None, "organisation-details", format!("organisation {}", org.slug), detail).await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

/// `POST /organise/organisations/{org}/key`: its admin sets (or, left empty, removes) the age
/// public key its exports are sealed to. The secret key never reaches the server.
pub async fn set_key(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<KeyForm>,
) -> Result<Response, AppError> {
    let (user, org, role) =
        sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    let i18n = &state.pages.i18n;
    let recipient = match parse_recipient("org_key", &form.org_key) {
        Ok(recipient) => recipient,
        Err(e) => {
            let mut page = FormState::new(form.clone());
            let message = i18n.t(&visitor.ui, &format!("form-error-owner-key-{}", e.reason), None);
            page.errors.insert(e.field.clone(), message);
            page.order.push(e.field);
            let page = page.with_alert(i18n.t(&visitor.ui, "form-alert-check", None));
            let forms = Forms { key: Some(page), ..Default::default() };
            return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    state.store.set_organisation_key(org.id, recipient.as_deref()).await?;
    let detail = recipient.unwrap_or_else(|| "removed".into());
    audit(&state, &user, None, "organisation-key", format!("organisation {}", org.slug), detail).await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

/// `POST /organise/organisations/{org}/logo`: its admin uploads its logo (a multipart form, as a
/// campaign's pictures are), in place of the one before. The file is checked by its content and
/// re-encoded without its metadata, with the pictures' limits and their messages by the field;
/// one rendition is kept, at most [`LOGO_WIDTH`] wide, under a new random key.
pub async fn upload_logo(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let user = logged_in(current, &format!("{BASE}/{slug}"))?;
    let (org, role) = organisation(&state, &user, &slug, OrgAction::Manage).await?;
    let mut upload = pictures::read_upload(multipart).await;
    if !visitor.csrf_ok(&state.keys, &upload.csrf) {
        return Err(AppError::Forbidden);
    }
    let prepared = match upload.take_file() {
        Ok(bytes) => pictures::prepare(bytes, vec![LOGO_WIDTH]).await,
        Err(error) => Err(error),
    };
    // One width asked, one rendition made: the widest, should there be more.
    let prepared = prepared.and_then(|mut p| {
        let media_type = p.media_type;
        p.renditions.pop().map(|r| (media_type, r)).ok_or(undersigned_picture::PictureError::EncodingFailed)
    });
    let (media_type, rendition) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let form = pictures::upload_errors(&state.pages.i18n, &visitor.ui, None, Some(&error), false);
            let forms = Forms { logo: Some(form), ..Default::default() };
            return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let logo = NewLogo {
        key: PictureKey::random(),
        media_type: media_type.to_owned(),
        width: rendition.width,
        height: rendition.height,
        bytes: rendition.bytes,
    };
    state.store.set_organisation_logo(org.id, &logo, now()).await?;
    forget_partnered(&state, &org).await?;
    let detail = format!("logo {} ({} × {})", logo.key, logo.width, logo.height);
    audit(&state, &user, None, "organisation-logo", format!("organisation {}", org.slug), detail).await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

/// `POST /organise/organisations/{org}/logo/remove`: its admin removes its logo; its address
/// serves nothing from then on.
pub async fn remove_logo(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (user, org, _) = sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    if !state.store.remove_organisation_logo(org.id).await? {
        return Err(AppError::NotFound);
    }
    forget_partnered(&state, &org).await?;
    let subject = format!("organisation {}", org.slug);
    audit(&state, &user, None, "organisation-logo-remove", subject, String::new()).await;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}

/// The pages of the campaigns the organisation partners show its name and logo: read anew at the
/// next request.
async fn forget_partnered(state: &AppState, org: &Organisation) -> Result<(), AppError> {
    for id in state.store.partnered_campaigns(org.id).await? {
        if let Some(campaign) = state.store.campaign_by_id(id).await? {
            state.page_cache.forget(campaign.content.slug.as_str());
        }
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct CampaignPath {
    slug: String,
    campaign: String,
}

/// The columns of a partner's export: what the signer consented to give the partner.
const HEADER: [&str; 8] =
    ["confirmed_at", "name", "email", "country", "language", "source", "via", "signature"];

fn row(s: &Signature, org: &Organisation) -> Vec<String> {
    let v = &s.signer;
    vec![
        s.confirmed_at.and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default(),
        neutralise(&v.name),
        neutralise(v.email.as_str()),
        v.country.clone(),
        v.lang.to_string(),
        s.src.clone().unwrap_or_default(),
        if s.via == Some(org.id) { org.slug.clone() } else { String::new() },
        s.id.to_string(),
    ]
}

/// `POST /organise/organisations/{org}/c/{campaign}/export`: the campaign's signers who consented
/// to the organisation (and only those), as CSV sealed to the organisation's key. In the audit log.
pub async fn export(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(CampaignPath { slug, campaign }): Path<CampaignPath>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (user, org, _) = sent_form(&state, &visitor, current, &slug, OrgAction::View, &form.csrf).await?;
    let campaign = partnered(&state, &org, &campaign).await?;
    let Some(recipient) = &org.recipient else {
        let i18n = &state.pages.i18n;
        let heading = i18n.t(&visitor.ui, "organisation-export-no-key-heading", None);
        let text = vec![i18n.t(&visitor.ui, "organisation-export-no-key", None)];
        let back = Some((format!("{BASE}/{slug}"), i18n.t(&visitor.ui, "organisation-back", None)));
        return crate::render::messages::message(&state, &visitor, StatusCode::CONFLICT, heading, text, back);
    };
    let recipient: age::Recipient = recipient
        .parse()
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("organisation key: {e}"))))?;
    let signers = state.store.consenting_signatures(campaign.id, org.id).await?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| AppError::Store(StoreError::Database(e.to_string()));
    csv.write_record(HEADER).map_err(failed)?;
    for s in &signers {
        csv.write_record(row(s, &org)).map_err(failed)?;
    }
    let csv = csv.into_inner().map_err(|e| AppError::Store(StoreError::Database(e.to_string())))?;
    let sealed = age::encrypt(std::slice::from_ref(&recipient), &csv);
    let subject = format!("organisation {} campaign {}", org.slug, campaign.content.slug);
    let detail = format!("{} consenting signers; sealed to {}", signers.len(), recipient.as_str());
    audit(&state, &user, Some(campaign.id), "partner-export", subject, detail).await;
    let filename =
        format!("attachment; filename=\"{}-{}-consenting.csv.age\"", campaign.content.slug, org.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        sealed,
    )
        .into_response())
}

/// The events a partner's endpoint hears of: its consenting signers' confirmations and
/// withdrawals, and their consents withdrawn.
const PARTNER_EVENTS: [WebhookEvent; 3] =
    [WebhookEvent::SignatureConfirmed, WebhookEvent::SignatureWithdrawn, WebhookEvent::ConsentWithdrawn];

/// `POST /organise/organisations/{org}/c/{campaign}/webhooks`: an organisation's admin registers
/// its own endpoint for a campaign it partners. It hears only of the signers who consented to the
/// organisation, with their names and addresses (what they consented to give it); its secret is
/// shown once.
pub async fn create_webhook(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(CampaignPath { slug, campaign }): Path<CampaignPath>,
    Form(form): Form<HookForm>,
) -> Result<Response, AppError> {
    let (user, org, role) =
        sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    let campaign = partnered(&state, &org, &campaign).await?;
    let i18n = &state.pages.i18n;
    let allow_private = state.config.webhook_allow_private;
    let events = EventSet::of(PARTNER_EVENTS);
    let checked = match check_endpoint(&form.url, events, true, allow_private, true) {
        Ok((url, _, _)) => resolve(&url, allow_private)
            .await
            .map(|_| url)
            .map_err(|e| vec![ValidationError::new("url", e.to_string())]),
        Err(errors) => Err(errors),
    };
    let url = match checked {
        Ok(url) => url,
        Err(errors) => {
            let page = FormState::new(form.clone()).with_errors(i18n, &visitor.ui, &errors);
            let forms = Forms { hook: Some((campaign.content.slug.to_string(), page)), ..Default::default() };
            return render_page(&state, &visitor, &user, &org, role, forms, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let actor = Actor { user: &user, campaign: campaign.id, token: None };
    let (_, secret) = actor.register_for(&state, url, events, true, Some(org.id)).await?;
    let forms = Forms { secret: Some(secret.encoded()), ..Default::default() };
    render_page(&state, &visitor, &user, &org, role, forms, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct HookPath {
    slug: String,
    campaign: String,
    id: i64,
}

/// `POST /organise/organisations/{org}/c/{campaign}/webhooks/{id}/delete`: one of its own.
pub async fn delete_webhook(
    State(state): State<AppState>,
    visitor: Visitor,
    current: CurrentUser,
    Path(HookPath { slug, campaign, id }): Path<HookPath>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, AppError> {
    let (user, org, _) = sent_form(&state, &visitor, current, &slug, OrgAction::Manage, &form.csrf).await?;
    let campaign = partnered(&state, &org, &campaign).await?;
    let endpoint = state.store.webhook(campaign.id, id).await?;
    let Some(endpoint) = endpoint.filter(|e| e.organisation_id == Some(org.id)) else {
        return Err(AppError::NotFound);
    };
    let actor = Actor { user: &user, campaign: campaign.id, token: None };
    actor.delete(&state, &endpoint).await?;
    Ok(Redirect::to(&format!("{BASE}/{slug}")).into_response())
}
