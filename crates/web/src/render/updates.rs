//! Campaign updates as pages show them (the campaign's page, the organisers' updates page): in
//! the visitor's language where the update has it.

use minijinja::{Value, context};
use undersigned_core::Campaign;
use undersigned_core::store::Update;

use crate::render::markdown;
use crate::{AppState, Visitor};

/// The updates of a campaign as its page shows them, in the visitor's language where it can.
pub fn for_page(state: &AppState, visitor: &Visitor, campaign: &Campaign, updates: &[Update]) -> Vec<Value> {
    updates
        .iter()
        .filter_map(|u| {
            let text = u.text(&visitor.ui, &campaign.content.default_lang)?;
            Some(context! {
                id => u.id,
                lang => text.lang.as_str(),
                title => &text.title,
                date => state.pages.i18n.date(&visitor.ui, u.published_at.date()),
                date_iso => u.published_at.date().to_string(),
                body => Value::from_safe_string(markdown::render(&text.body)),
            })
        })
        .collect()
}
