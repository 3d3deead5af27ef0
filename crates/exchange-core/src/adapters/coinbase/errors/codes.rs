//! Error bodies (the generic grpc-gateway one and the `error_response` of a refused order) and
//! the refusal and cancel-failure codes: what they mean in the taxonomy.

use serde::Deserialize;

use crate::ExchangeError;
use crate::model::InvalidOrderReason as R;

/// The grpc-gateway error body of a failed REST call.
///
/// ```json
/// {"error":"unknown","error_details":"order with this orderID was not found",
///  "message":"order with this orderID was not found"}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    /// Code (`NOT_FOUND`, `INVALID_ARGUMENT`, `PERMISSION_DENIED`, `unknown`, ...).
    #[serde(default)]
    pub error: String,
    /// Detail text.
    #[serde(default)]
    pub error_details: String,
    /// Message text.
    #[serde(default)]
    pub message: String,
}

/// The `error_response` of a refused order (HTTP 200, `success:false`).
///
/// ```json
/// {"error":"INSUFFICIENT_FUND","message":"Insufficient balance in source account",
///  "error_details":"","preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND"}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorResponse {
    /// Generic code, often `UNKNOWN_FAILURE_REASON`.
    #[serde(default)]
    pub error: String,
    /// Message text.
    #[serde(default)]
    pub message: String,
    /// Detail text.
    #[serde(default)]
    pub error_details: String,
    /// Preview check that failed (`PREVIEW_INSUFFICIENT_FUND`, ...).
    #[serde(default)]
    pub preview_failure_reason: String,
    /// Order check that failed (`INVALID_LIMIT_PRICE_POST_ONLY`, ...).
    #[serde(default)]
    pub new_order_failure_reason: String,
}

impl ErrorResponse {
    /// The most specific code: the order or preview reason, else the generic code.
    pub fn code(&self) -> &str {
        [
            self.new_order_failure_reason.as_str(),
            self.preview_failure_reason.as_str(),
            self.error.as_str(),
        ]
        .into_iter()
        .find(|c| is_specific(c))
        .unwrap_or(self.error.as_str())
    }

    /// A message for people: the venue's text, else its code.
    fn text(&self) -> String {
        let text = [&self.message, &self.error_details]
            .into_iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_default();
        if text.is_empty() {
            self.code().to_owned()
        } else {
            format!("{}: {text}", self.code())
        }
    }

    /// The error this refusal means.
    pub fn to_error(&self) -> ExchangeError {
        map_order_code(self.code(), &self.text())
    }
}

/// Whether a code says something (not empty, not `UNKNOWN_*`, not `*_UNSPECIFIED`).
fn is_specific(code: &str) -> bool {
    !code.is_empty()
        && !code.starts_with("UNKNOWN_")
        && !code.ends_with("_UNSPECIFIED")
        && code != "unknown"
}

/// An order refusal code → error; `text` is the message to carry.
pub fn map_order_code(code: &str, text: &str) -> ExchangeError {
    let code = code.strip_prefix("PREVIEW_").unwrap_or(code);
    let invalid = |reason| ExchangeError::invalid_order(reason, format!("coinbase: {text}"));
    match code {
        "INSUFFICIENT_FUND" | "INSUFFICIENT_FUNDS" | "INSUFFICIENT_MARGIN" => {
            ExchangeError::InsufficientFunds(format!("coinbase: {text}"))
        }
        "INVALID_LIMIT_PRICE_POST_ONLY" => invalid(R::PostOnlyWouldTake),
        "INVALID_SIZE_PRECISION" => invalid(R::LotSize),
        "INVALID_PRICE_PRECISION" => invalid(R::TickSize),
        "INVALID_BASE_SIZE_TOO_SMALL" => invalid(R::MinQuantity),
        "INVALID_QUOTE_SIZE_TOO_SMALL" => invalid(R::MinNotional),
        "INVALID_BASE_SIZE_TOO_LARGE" | "INVALID_QUOTE_SIZE_TOO_LARGE" => invalid(R::MaxQuantity),
        "INVALID_LIMIT_PRICE" | "INVALID_STOP_PRICE" => invalid(R::NonPositivePrice),
        "INVALID_END_TIME" | "INVALID_EXPIRY_TIME" => invalid(R::Expiry),
        "ORDER_ENTRY_DISABLED"
        | "TRADING_DISABLED"
        | "CANCEL_ONLY"
        | "LIMIT_ONLY"
        | "POST_ONLY" => invalid(R::MarketClosed),
        "INVALID_PRODUCT_ID" | "UNKNOWN_PRODUCT" => {
            ExchangeError::BadSymbol(format!("coinbase: {text}"))
        }
        c if c.contains("DUPLICATE") => invalid(R::DuplicateClientOrderId),
        _ => invalid(R::VenueRejected),
    }
}

/// A `batch_cancel` result's `failure_reason` → error.
///
/// `UNKNOWN_CANCEL_ORDER` and `COMMANDER_REJECTED_CANCEL_ORDER` (the order is already done) mean
/// there is no working order to cancel; a duplicate or unexplained failure leaves the order's
/// state unknown until reconciled.
pub fn map_cancel_failure(reason: &str, order_id: &str) -> ExchangeError {
    match reason {
        "UNKNOWN_CANCEL_ORDER" | "COMMANDER_REJECTED_CANCEL_ORDER" => ExchangeError::OrderNotFound(
            format!("coinbase: cannot cancel order {order_id}: {reason}"),
        ),
        "INVALID_CANCEL_REQUEST" => ExchangeError::InvalidResponse(format!(
            "coinbase: cancel of order {order_id} refused: {reason}"
        )),
        _ => ExchangeError::UnknownOrderStatus(format!(
            "coinbase: cancel of order {order_id} failed: {reason}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind as K;

    #[test]
    fn the_most_specific_code_wins() {
        let e = ErrorResponse {
            error: "UNKNOWN_FAILURE_REASON".into(),
            new_order_failure_reason: "INVALID_LIMIT_PRICE_POST_ONLY".into(),
            ..Default::default()
        };
        assert_eq!(e.code(), "INVALID_LIMIT_PRICE_POST_ONLY");
        assert_eq!(e.to_error().reason_code(), "post_only_would_take");
        let only_unknown = ErrorResponse {
            error: "UNKNOWN_FAILURE_REASON".into(),
            ..Default::default()
        };
        assert_eq!(only_unknown.to_error().reason_code(), "venue_rejected");
    }

    #[test]
    fn order_codes_table() {
        for (code, kind, reason) in [
            (
                "INSUFFICIENT_FUND",
                K::InsufficientFunds,
                "insufficient_funds",
            ),
            (
                "PREVIEW_INSUFFICIENT_FUND",
                K::InsufficientFunds,
                "insufficient_funds",
            ),
            ("INVALID_SIZE_PRECISION", K::InvalidOrder, "lot_size"),
            (
                "PREVIEW_INVALID_PRICE_PRECISION",
                K::InvalidOrder,
                "tick_size",
            ),
            (
                "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL",
                K::InvalidOrder,
                "min_quantity",
            ),
            (
                "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
                K::InvalidOrder,
                "min_notional",
            ),
            ("INVALID_PRODUCT_ID", K::BadSymbol, "bad_symbol"),
            (
                "UNSUPPORTED_ORDER_CONFIGURATION",
                K::InvalidOrder,
                "venue_rejected",
            ),
        ] {
            let e = map_order_code(code, code);
            assert_eq!((e.kind(), e.reason_code()), (kind, reason), "{code}");
        }
    }
}
