//! `GET /open`: the page that opens a sealed export (`.csv.age`) in the browser, with the
//! organiser's secret key, by its own script (`/static/open.js` and the age library, both served
//! from here). The server takes no part: nothing is sent back. Without script the page shows the
//! `age` command that does the same.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;

use crate::{AppError, AppState, Visitor};

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Html<String>, AppError> {
    let title = state.pages.i18n.t(&visitor.ui, "open-heading", None);
    state.pages.render("open.html", &visitor, context! { title => title })
}
