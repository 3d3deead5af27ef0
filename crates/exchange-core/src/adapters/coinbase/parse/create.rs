//! Order placement and cancellation answers (§2): `POST /orders` and `POST /orders/batch_cancel`.
//!
//! A refused order is HTTP 200 with `success:false`; [`CreateOrderResponse::into_result`] turns
//! it into the matching [`crate::ExchangeError`] (see [`crate::adapters::coinbase::errors`]).

use serde::Deserialize;

use super::num::opt_text;
use super::order_config::{OrderConfiguration, lenient};
use crate::adapters::coinbase::errors::{ErrorResponse, map_cancel_failure, map_order_code};
use crate::{ExchangeError, model::InvalidOrderReason};

/// What an accepted order got: `{"order_id":"…","product_id":"BTC-USD","side":"BUY",
/// "client_order_id":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SuccessResponse {
    /// Venue order id.
    pub order_id: String,
    /// Product id.
    #[serde(default)]
    pub product_id: String,
    /// `BUY` / `SELL`.
    #[serde(default)]
    pub side: String,
    /// Our client order id, echoed.
    #[serde(default)]
    pub client_order_id: String,
}

/// `POST /orders` answer (refusal: app-logged live body; acceptance: SDK docstring shape).
///
/// ```json
/// {"success":false,"error_response":{"error":"INSUFFICIENT_FUND",
///  "message":"Insufficient balance in source account","error_details":"",
///  "preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND"},
///  "order_configuration":{"market_market_ioc":{"quote_size":"50.0"}}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreateOrderResponse {
    /// Whether the order was accepted.
    pub success: bool,
    /// Present when accepted.
    #[serde(default)]
    pub success_response: Option<SuccessResponse>,
    /// Present when refused.
    #[serde(default)]
    pub error_response: Option<ErrorResponse>,
    /// Older top-level refusal reason.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub failure_reason: Option<String>,
    /// The configuration, echoed.
    #[serde(default, deserialize_with = "lenient")]
    pub order_configuration: Option<OrderConfiguration>,
}

impl CreateOrderResponse {
    /// The accepted order's ids, or the error the refusal means.
    pub fn into_result(self) -> crate::Result<SuccessResponse> {
        if self.success {
            return self.success_response.ok_or_else(|| {
                ExchangeError::InvalidResponse(
                    "coinbase create order: success without success_response".into(),
                )
            });
        }
        Err(match (self.error_response, self.failure_reason) {
            (Some(e), _) => e.to_error(),
            (None, Some(reason)) => map_order_code(&reason, &reason),
            (None, None) => ExchangeError::invalid_order(
                InvalidOrderReason::VenueRejected,
                "coinbase: order refused without a reason",
            ),
        })
    }
}

/// One result of `POST /orders/batch_cancel`.
///
/// ```json
/// {"success":false,"failure_reason":"UNKNOWN_CANCEL_ORDER","order_id":"0000-000000-000000"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CancelResult {
    /// Whether the cancel was accepted.
    pub success: bool,
    /// Why not.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub failure_reason: Option<String>,
    /// The order.
    #[serde(default)]
    pub order_id: String,
}

impl CancelResult {
    /// `Ok` when accepted, else the error its failure reason means.
    pub fn into_result(self) -> crate::Result<String> {
        if self.success {
            Ok(self.order_id)
        } else {
            let reason = self
                .failure_reason
                .unwrap_or_else(|| "UNKNOWN_CANCEL_FAILURE_REASON".to_owned());
            Err(map_cancel_failure(&reason, &self.order_id))
        }
    }
}

/// `POST /orders/batch_cancel` answer: `{"results":[{…}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BatchCancelResponse {
    /// One result per order id sent.
    pub results: Vec<CancelResult>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn accepted_and_cancelled() {
        let ok: CreateOrderResponse = serde_json::from_str(
            r#"{"success":true,"success_response":{"order_id":"11111-00000-000000","product_id":"BTC-USD","side":"BUY","client_order_id":"c-1"},"order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00","post_only":false}}}"#,
        )
        .unwrap();
        let s = ok.into_result().unwrap();
        assert_eq!(
            (s.order_id.as_str(), s.client_order_id.as_str()),
            ("11111-00000-000000", "c-1")
        );
        let batch: BatchCancelResponse = serde_json::from_str(
            r#"{"results":[{"success":true,"failure_reason":"UNKNOWN_CANCEL_FAILURE_REASON","order_id":"a"},{"success":false,"failure_reason":"UNKNOWN_CANCEL_ORDER","order_id":"b"}]}"#,
        )
        .unwrap();
        let mut r = batch.results.into_iter();
        assert_eq!(r.next().unwrap().into_result().unwrap(), "a");
        assert_eq!(
            r.next().unwrap().into_result().unwrap_err().kind(),
            ErrorKind::OrderNotFound
        );
    }
}
