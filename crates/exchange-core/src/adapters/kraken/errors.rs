//! Kraken error strings → [`ExchangeError`] (§6).
//!
//! REST answers (usually with HTTP 200) `{"error":["<Severity><Category>:<Message>[:detail]"],
//! "result":…}`: success iff no `E…` entry (`W…` entries are warnings). WebSocket v2 method
//! responses carry `"success":false,"error":"<text>"` with the same strings. The message is
//! matched on its category and message, ignoring spaces after the colons and the detail
//! (`EGeneral:Invalid arguments:type` → the field `type`), so `EService: Throttled: 1700000000`
//! and `EService:Throttled` are one error.

use serde::Deserialize;

use crate::ExchangeError;
use crate::model::InvalidOrderReason as R;

/// The category, message and detail of a Kraken error string (`EGeneral`, `Invalid arguments`,
/// `type`), trimmed.
pub fn split_error(text: &str) -> (&str, &str, &str) {
    let mut parts = text.splitn(3, ':').map(str::trim);
    let category = parts.next().unwrap_or("");
    let message = parts.next().unwrap_or("");
    let detail = parts.next().unwrap_or("");
    (category, message, detail)
}

/// Whether a Kraken error-array entry is an error (`E…`) rather than a warning (`W…`).
pub fn is_error(text: &str) -> bool {
    text.trim_start().starts_with('E')
}

/// The UNIX time until which `EService: Throttled: <ts>` asks us to hold back, when it says.
pub fn throttled_until(text: &str) -> Option<u64> {
    match split_error(text) {
        ("EService", "Throttled", ts) => ts.parse().ok(),
        _ => None,
    }
}

/// Maps one Kraken error string to the taxonomy.
pub fn map_error_message(text: &str) -> ExchangeError {
    let owned = || format!("kraken: {}", text.trim());
    let rate_limited = || ExchangeError::RateLimited {
        message: owned(),
        retry_after: None,
    };
    let unavailable = || ExchangeError::ExchangeUnavailable {
        message: owned(),
        retry_after: None,
    };
    let invalid = |reason| ExchangeError::invalid_order(reason, owned());
    let (category, message, _detail) = split_error(text);
    match (category, message) {
        ("EAPI", "Invalid key" | "Invalid signature" | "Invalid nonce" | "Invalid token")
        | ("ESession", "Invalid session") => ExchangeError::Authentication(owned()),
        ("EGeneral", "Permission denied")
        | ("EAPI", "Feature disabled")
        | ("EOrder", "Trading agreement required") => ExchangeError::Permission(owned()),
        ("EAPI" | "EOrder", "Rate limit exceeded")
        | ("EGeneral", "Temporary lockout")
        | ("EService", "Throttled") => rate_limited(),
        ("EService", _) | ("EGeneral", "Internal error") => unavailable(),
        ("EQuery", "Unknown asset pair" | "Unknown asset") => ExchangeError::BadSymbol(owned()),
        ("EOrder", "Insufficient funds" | "Insufficient margin" | "Margin allowance exceeded") => {
            ExchangeError::InsufficientFunds(owned())
        }
        ("EOrder", "Unknown order") => ExchangeError::OrderNotFound(owned()),
        ("EOrder", "Order minimum not met") => invalid(R::MinQuantity),
        ("EOrder", "Cost minimum not met") => invalid(R::MinNotional),
        ("EOrder", "Post only order") => invalid(R::PostOnlyWouldTake),
        ("EOrder", "Reduce only") => invalid(R::ReduceOnly),
        ("EOrder", "Invalid price") => invalid(R::TickSize),
        ("EOrder" | "EGeneral", _) => invalid(R::VenueRejected),
        _ => ExchangeError::InvalidResponse(owned()),
    }
}

/// The error of an `error` array: the first `E…` entry, mapped; `None` when there are only
/// warnings or nothing.
pub fn first_error<S: AsRef<str>>(errors: &[S]) -> Option<ExchangeError> {
    errors
        .iter()
        .map(AsRef::as_ref)
        .find(|e| is_error(e))
        .map(map_error_message)
}

#[derive(Deserialize)]
struct ErrorsOnly {
    #[serde(default)]
    error: Vec<String>,
}

/// Reads the error out of a REST body (the [`RestVenue::map_error`] hook): `None` for a success
/// or a body that is not Kraken's envelope (the REST client then judges by HTTP status).
///
/// [`RestVenue::map_error`]: crate::rest::RestVenue::map_error
pub fn map_body(body: &[u8]) -> Option<ExchangeError> {
    let parsed: ErrorsOnly = serde_json::from_slice(body).ok()?;
    first_error(&parsed.error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind as K;

    #[test]
    fn strings_beyond_the_fixture_map_to_their_kinds() {
        for (text, kind) in [
            ("EOrder:Order minimum not met", K::InvalidOrder),
            ("EOrder:Cost minimum not met", K::InvalidOrder),
            ("EOrder:Post only order", K::InvalidOrder),
            ("EService:Busy", K::ExchangeUnavailable),
            (
                "EService:Market in cancel_only mode",
                K::ExchangeUnavailable,
            ),
            ("EGeneral:Internal error", K::ExchangeUnavailable),
            ("EAPI:Invalid token", K::Authentication),
            ("EFunding:Unknown reference id", K::InvalidResponse),
        ] {
            assert_eq!(map_error_message(text).kind(), kind, "{text}");
        }
        assert_eq!(
            map_error_message("EOrder:Cost minimum not met").reason_code(),
            "min_notional"
        );
        assert_eq!(
            map_error_message("EOrder:Post only order").reason_code(),
            "post_only_would_take"
        );
    }

    #[test]
    fn warnings_are_not_errors_and_throttle_times_are_read() {
        assert!(first_error(&["WGeneral:Deprecated"]).is_none());
        assert!(first_error::<&str>(&[]).is_none());
        assert_eq!(
            throttled_until("EService: Throttled: 1700000000"),
            Some(1_700_000_000)
        );
        assert_eq!(
            split_error("EGeneral:Invalid arguments:type"),
            ("EGeneral", "Invalid arguments", "type")
        );
        assert!(map_body(b"not json").is_none());
        assert!(map_body(br#"{"error":[],"result":{}}"#).is_none());
    }
}
