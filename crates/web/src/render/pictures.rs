//! What the two pages that manage a campaign's pictures share (the organisers' page, and the
//! proposer's page of their draft): reading an upload, preparing it (checked by its content,
//! stripped of its metadata, resized) and storing it, or saying by each field what is wrong and
//! storing nothing; changing a picture's alt text, choosing the share picture, deleting; and the
//! page itself. The handlers only decide who may, and where the page is.

use std::collections::BTreeMap;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentArgs;
use minijinja::{Value, context};
use serde::Deserialize;
use tokio::sync::Semaphore;
use undersigned_core::picture::{self, MAX_PER_CAMPAIGN, NewPicture, NewRendition, Picture, PictureKey};
use undersigned_core::store::now;
use undersigned_core::{CampaignId, Lang, ValidationError};
use undersigned_picture::{Limits, PictureError, Prepared};

use crate::i18n::Localizer;
use crate::render::forms::FormState;
use crate::{AppError, AppState, Visitor};

/// The largest upload, in bytes: a photo straight from a phone or a camera.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// The body limit of the upload routes: the largest picture and room for the form's other fields.
/// A little above [`MAX_UPLOAD`], so that a file just too large still reaches the form and is
/// refused with a message by its field (a body above this limit is cut off, and said too large
/// all the same when possible).
pub const UPLOAD_BODY_LIMIT: usize = MAX_UPLOAD + 2 * 1024 * 1024;

/// Preparing a picture takes up to a few hundred megabytes for a moment: at most two at once, the
/// others wait their turn.
static PREPARING: Semaphore = Semaphore::const_new(2);

/// Where the pictures of a campaign are managed from, and by whom.
pub struct Place {
    pub campaign: CampaignId,
    /// The page's address (`/organise/c/{slug}/pictures` or `/p/{token}/pictures`); the forms
    /// post there.
    pub base: String,
    /// Where the page leads back to: the campaign's editor, or the proposer's page.
    pub back: String,
    /// The organiser section's frame (its tabs), on the organisers' page only.
    pub frame: Option<Value>,
}

/// An upload as the form sent it.
#[derive(Default)]
pub struct Upload {
    pub csrf: String,
    pub alt: String,
    /// The file's bytes, or why they could not be read.
    file: Option<Result<Vec<u8>, PictureError>>,
}

impl Upload {
    /// The file's bytes, or why there are none (no file chosen: [`PictureError::Empty`]).
    pub(crate) fn take_file(&mut self) -> Result<Vec<u8>, PictureError> {
        self.file.take().unwrap_or(Err(PictureError::Empty))
    }
}

/// Reads the upload form: its token, the alt text and the file. A body cut off at the route's
/// limit is a file too large (the alt text is kept when it came first, as the form sends it).
pub async fn read_upload(mut multipart: Multipart) -> Upload {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    upload.file = Some(Err(PictureError::TooLarge { max_bytes: MAX_UPLOAD }));
                }
                break;
            }
        };
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await.unwrap_or_default(),
            Some("alt") => upload.alt = field.text().await.unwrap_or_default(),
            Some("file") => {
                upload.file = Some(match field.bytes().await {
                    Ok(bytes) => Ok(bytes.to_vec()),
                    Err(_) => Err(PictureError::TooLarge { max_bytes: MAX_UPLOAD }),
                });
            }
            _ => {}
        }
    }
    upload
}

/// The upload prepared in renditions of these `widths` (see `undersigned_picture::rendition_widths`),
/// on a blocking thread, two at most at once: the picture, or why not.
pub(crate) async fn prepare(bytes: Vec<u8>, widths: Vec<u32>) -> Result<Prepared, PictureError> {
    let _turn = PREPARING.acquire().await.map_err(|_| PictureError::EncodingFailed)?;
    let limits = Limits { max_bytes: MAX_UPLOAD, widths, ..Limits::default() };
    tokio::task::spawn_blocking(move || undersigned_picture::prepare(&bytes, &limits))
        .await
        .unwrap_or(Err(PictureError::EncodingFailed))
}

/// A form's errors by field: the alt text's as every form says it, the file's as the picture
/// crate says it (with its limits), in the reader's language.
pub(crate) fn upload_errors(
    i18n: &Localizer,
    lang: &Lang,
    alt: Option<&ValidationError>,
    file: Option<&PictureError>,
    full: bool,
) -> FormState<BTreeMap<String, String>> {
    let mut form = FormState::new(BTreeMap::new());
    if let Some(error) = alt {
        form = form.with_errors(i18n, lang, std::slice::from_ref(error));
    }
    let file_error = match (file, full) {
        (_, true) => Some(i18n.t1(lang, "picture-error-too-many", "max", MAX_PER_CAMPAIGN)),
        (Some(error), _) => Some(picture_error(i18n, lang, error)),
        _ => None,
    };
    if let Some(message) = file_error {
        form.errors.insert("file".into(), message);
        form.order.insert(0, "file".into());
        form.alert = Some(i18n.t(lang, "form-alert-check", None));
    }
    form
}

/// Why a file was refused, with the limit it passed, in the reader's language.
pub fn picture_error(i18n: &Localizer, lang: &Lang, error: &PictureError) -> String {
    let mut args = FluentArgs::new();
    match error {
        PictureError::TooLarge { max_bytes } => args.set("megabytes", max_bytes / (1024 * 1024)),
        PictureError::UnsupportedFormat { format } => args.set("format", *format),
        PictureError::DimensionsTooLarge { max_dimension } => args.set("pixels", *max_dimension),
        PictureError::TooManyPixels { max } => args.set("megapixels", max / 1_000_000),
        PictureError::TooSmall { min_dimension } => args.set("pixels", *min_dimension),
        _ => {}
    }
    i18n.t(lang, &format!("picture-error-{}", error.code()), Some(&args))
}

/// Checks and stores an upload: the picture, or the form again with what is wrong by field (and
/// nothing stored).
pub async fn store_upload(
    state: &AppState,
    visitor: &Visitor,
    place: &Place,
    mut upload: Upload,
) -> Result<Result<Picture, FormState<BTreeMap<String, String>>>, AppError> {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let alt = picture::alt_text("alt", &upload.alt);
    // The file is checked even when the alt text is missing, so that the form names both at once.
    let prepared = match upload.take_file() {
        Ok(bytes) => prepare(bytes, Limits::default().widths).await,
        Err(error) => Err(error),
    };
    let (alt, prepared) = match (alt, prepared) {
        (Ok(alt), Ok(prepared)) => (alt, prepared),
        (alt, prepared) => {
            let mut form = upload_errors(i18n, lang, alt.as_ref().err(), prepared.as_ref().err(), false);
            form.typed.insert("alt".into(), upload.alt);
            return Ok(Err(form));
        }
    };
    let new = NewPicture {
        key: PictureKey::random(),
        alt,
        width: prepared.width,
        height: prepared.height,
        media_type: prepared.media_type.to_owned(),
        renditions: prepared
            .renditions
            .into_iter()
            .map(|r| NewRendition { width: r.width, height: r.height, bytes: r.bytes })
            .collect(),
    };
    match state.store.add_picture(place.campaign, &new, MAX_PER_CAMPAIGN, now()).await? {
        Some(picture) => Ok(Ok(picture)),
        None => {
            let mut form = upload_errors(i18n, lang, None, None, true);
            form.typed.insert("alt".into(), upload.alt);
            Ok(Err(form))
        }
    }
}

/// The page's query: what was just done.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub done: Option<String>,
}

/// What a picture's small form sends: its token, and its alt text when that is what changes.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PictureForm {
    pub csrf: String,
    pub alt: String,
}

/// What a picture's form did, for the organisers' audit log.
pub enum Done {
    Alt,
    Share,
    Unshare,
    Deleted,
}

impl Done {
    pub fn as_str(&self) -> &'static str {
        match self {
            Done::Alt => "picture-alt",
            Done::Share => "picture-share",
            Done::Unshare => "picture-unshare",
            Done::Deleted => "delete-picture",
        }
    }
}

/// One picture's action (`alt`, `share`, `unshare`, `delete`), once the caller has checked who may
/// and the form's token: what was done (then back to the page), or the page again with the alt
/// text's error by its field. A picture the campaign does not have is a 404.
pub async fn act(
    state: &AppState,
    visitor: &Visitor,
    place: &Place,
    id: i64,
    action: &str,
    form: &PictureForm,
) -> Result<Result<Done, Response>, AppError> {
    let store = &state.store;
    let (done, found) = match action {
        "alt" => match picture::alt_text(&format!("alt_{id}"), &form.alt) {
            Ok(alt) => (Done::Alt, store.set_picture_alt(place.campaign, id, &alt).await?),
            Err(error) => {
                let mut page =
                    FormState::new(BTreeMap::new()).with_errors(&state.pages.i18n, &visitor.ui, &[error]);
                // Every alt field's error says the same: the one message for alt texts.
                let message = state.pages.i18n.t(&visitor.ui, "form-error-alt", None);
                page.errors.insert(format!("alt_{id}"), message);
                page.typed.insert(format!("alt_{id}"), form.alt.clone());
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(Err(render(state, visitor, place, page, status, None).await?));
            }
        },
        "share" => (Done::Share, store.set_share_picture(place.campaign, Some(id)).await?),
        "unshare" => {
            let shared = store.pictures(place.campaign).await?.iter().any(|p| p.id == id && p.share);
            if shared {
                store.set_share_picture(place.campaign, None).await?;
            }
            (Done::Unshare, shared)
        }
        "delete" => (Done::Deleted, store.delete_picture(place.campaign, id).await?),
        _ => return Err(AppError::NotFound),
    };
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Ok(done))
}

/// What the page says after an action or an upload (`?done=` in its address).
fn done_message(i18n: &Localizer, lang: &Lang, done: &str) -> Option<String> {
    Some(match done {
        "picture-added" => i18n.t(lang, "pictures-done-added", None),
        "picture-alt" => i18n.t(lang, "pictures-done-alt", None),
        "picture-share" => i18n.t(lang, "pictures-done-share", None),
        "picture-unshare" => i18n.t(lang, "pictures-done-unshare", None),
        "delete-picture" => i18n.t(lang, "pictures-done-deleted", None),
        _ => return None,
    })
}

/// The page's address after a picture was added, saying so.
pub fn added(place: &Place) -> Response {
    Redirect::to(&format!("{}?done=picture-added", place.base)).into_response()
}

/// Back to the page after an action, saying what was done.
pub fn done(place: &Place, done: &Done) -> Response {
    Redirect::to(&format!("{}?done={}", place.base, done.as_str())).into_response()
}

/// The page: the campaign's pictures (each with the Markdown that shows it in the text, its alt
/// text, share and delete), and the upload form.
pub async fn render(
    state: &AppState,
    visitor: &Visitor,
    place: &Place,
    mut form: FormState<BTreeMap<String, String>>,
    status: StatusCode,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let (i18n, lang) = (&state.pages.i18n, &visitor.ui);
    let pictures = state.store.pictures(place.campaign).await?;
    form.typed.entry("alt".into()).or_default();
    let items: Vec<Value> = pictures
        .iter()
        .map(|p| {
            // Each alt field shows the stored text, unless it is the one just refused.
            form.typed.entry(format!("alt_{}", p.id)).or_insert_with(|| p.alt.clone());
            let thumb = p.widths.first().copied().unwrap_or(p.width);
            context! {
                id => p.id,
                key => p.key.as_str(),
                alt => &p.alt,
                share => p.share,
                thumb => p.path(thumb),
                thumb_width => thumb,
                thumb_height => p.height_at(thumb),
                full => p.widest_path(),
                size => i18n.t(lang, "pictures-size", Some(&size_args(p))),
                markdown => format!("![{}](/media/{})", markdown_alt(&p.alt), p.key),
            }
        })
        .collect();
    let page = context! {
        title => i18n.t(lang, "organise-tab-pictures", None),
        frame => &place.frame,
        base => &place.base,
        back => &place.back,
        pictures => items,
        full => pictures.len() >= MAX_PER_CAMPAIGN as usize,
        max => MAX_PER_CAMPAIGN,
        max_megabytes => MAX_UPLOAD / (1024 * 1024),
        done => done.and_then(|d| done_message(i18n, lang, d)),
        form => form,
    };
    Ok((status, state.pages.render("pictures.html", visitor, page)?).into_response())
}

fn size_args(picture: &Picture) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("width", picture.width);
    args.set("height", picture.height);
    args
}

/// An alt text as Markdown's image text: brackets and backslashes escaped, so that the text
/// cannot end the image early.
fn markdown_alt(alt: &str) -> String {
    alt.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
}

/// The absolute address of the campaign's share picture, if it has one, for Open Graph.
pub fn share_picture(state: &AppState, pictures: &[Picture]) -> Option<String> {
    pictures.iter().find(|p| p.share).map(|p| format!("{}{}", state.config.base_url, p.widest_path()))
}

#[cfg(test)]
mod tests {
    use super::markdown_alt;

    #[test]
    fn an_alt_text_cannot_end_its_markdown_early() {
        assert_eq!(markdown_alt(r"a [b] \c"), r"a \[b\] \\c");
    }
}
