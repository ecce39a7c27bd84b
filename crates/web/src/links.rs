//! The addresses that mails link to, as mails write them. The router (`lib.rs`) serves the same
//! addresses, written there as literals (the route walker of the server's tests reads them from
//! the source); the test below keeps the two the same, so that a link in a mail always leads to a
//! page.

/// The confirmation of a signature.
pub const CONFIRM_SIGNATURE: &str = "/s/confirm/{token}";
/// The withdrawal of a signature, months later if need be.
pub const WITHDRAW_SIGNATURE: &str = "/s/withdraw/{token}";
/// "Manage my signature".
pub const MANAGE_SIGNATURE: &str = "/s/manage/{token}";
/// No more update mails, in one click.
pub const UNSUBSCRIBE: &str = "/s/unsubscribe/{token}";
/// The confirmation of an organisation's endorsement.
pub const CONFIRM_ENDORSEMENT: &str = "/e/confirm/{token}";
/// The confirmation of a comment.
pub const CONFIRM_COMMENT: &str = "/k/confirm/{token}";
/// An organiser's password, set from an invitation or a reset.
pub const SET_PASSWORD: &str = "/account/password/{token}";
/// A campaign's public page.
pub const CAMPAIGN: &str = "/c/{slug}";
/// A proposer's private page: confirm, edit, follow their proposal.
pub const PROPOSAL: &str = "/p/{token}";
/// A proposal's sponsor link.
pub const SPONSOR: &str = "/sponsor/{token}";

/// A route with its parameter filled in: `fill(CONFIRM_SIGNATURE, token)`.
pub fn fill(route: &str, value: &str) -> String {
    let start = route.find('{').expect("a route with a parameter");
    let end = route[start..].find('}').map_or(route.len(), |e| start + e + 1);
    format!("{}{value}{}", &route[..start], &route[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The route paths the router's table names, read from its source as the route walker does
    /// (the call spelled in two pieces, so that the walker does not take this for a route).
    fn routes() -> Vec<String> {
        let (source, call) = (include_str!("lib.rs"), [".route", "("].concat());
        source
            .match_indices(&call)
            .filter_map(|(i, _)| source[i + call.len()..].trim_start().strip_prefix('"')?.split_once('"'))
            .map(|(path, _)| path.to_owned())
            .collect()
    }

    #[test]
    fn every_address_a_mail_links_to_is_a_route() {
        let routes = routes();
        for link in [
            CONFIRM_SIGNATURE,
            WITHDRAW_SIGNATURE,
            MANAGE_SIGNATURE,
            UNSUBSCRIBE,
            CONFIRM_ENDORSEMENT,
            CONFIRM_COMMENT,
            SET_PASSWORD,
            CAMPAIGN,
            PROPOSAL,
            SPONSOR,
        ] {
            assert!(routes.iter().any(|r| r == link), "{link} is not a route: {routes:?}");
        }
    }

    #[test]
    fn a_link_is_its_route_with_the_token_in_it() {
        assert_eq!(fill(CONFIRM_SIGNATURE, "abc"), "/s/confirm/abc");
        assert_eq!(fill(CAMPAIGN, "free-him"), "/c/free-him");
    }
}
