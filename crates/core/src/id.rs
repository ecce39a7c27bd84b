//! The identifiers the domain's types share, in a room of their own so that the types that name
//! each other's identifiers (a campaign lists its endorsements; an endorsement names its
//! campaign) need not import each other.

/// A campaign's number in the store.
pub type CampaignId = i64;
