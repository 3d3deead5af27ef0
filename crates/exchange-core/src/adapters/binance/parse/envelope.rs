//! Envelopes around payloads: combined streams, WS-API user data events and WS-API responses.

use serde::Deserialize;

use crate::adapters::binance::errors::{ApiError, RequestKind, map_wsapi_error};

/// A combined-stream frame (§5): the payload with the stream it came from.
///
/// ```json
/// {"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"NKNUSDT",
///  "a":15683430,"p":"0.35280000","q":"58.00000000","f":19862790,"l":19862790,
///  "T":1633998523963,"m":false,"M":true}}
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Combined<T> {
    /// Stream name, e.g. `lrcbtc@depth@100ms`.
    pub stream: String,
    /// The payload, as a raw stream would carry it.
    pub data: T,
}

/// A user data event delivered over a WS-API subscription (§6).
///
/// ```json
/// {"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034571105,
///  "u":1564034571073,"B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}}
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEnvelope<T> {
    /// Which `userDataStream.subscribe` this event belongs to.
    pub subscription_id: u64,
    /// The event.
    pub event: T,
}

/// One entry of a WS-API `rateLimits` array.
///
/// ```json
/// {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":13}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitState {
    /// `REQUEST_WEIGHT`, `ORDERS` or `RAW_REQUESTS`.
    pub rate_limit_type: String,
    /// `SECOND`, `MINUTE`, `HOUR` or `DAY`.
    pub interval: String,
    /// Number of intervals in the window.
    pub interval_num: u32,
    /// The limit for the window.
    pub limit: u64,
    /// Usage so far in the window.
    #[serde(default)]
    pub count: Option<u64>,
}

/// A WS-API response (web-socket-api.md): either `result` or `error`.
///
/// ```json
/// {"id":"e2a85d9f-07a5-4f94-8d5f-789dc3deb097","status":400,
///  "error":{"code":-2010,"msg":"Account has insufficient balance for requested action."},
///  "rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":13}]}
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WsApiResponse<T> {
    /// The request id echoed back (string, number or null).
    #[serde(default)]
    pub id: serde_json::Value,
    /// HTTP-like status: 200 success, 4xx client error, 418/429 limits, 5xx unknown.
    pub status: u16,
    /// The result, on success.
    #[serde(default = "Option::default")]
    pub result: Option<T>,
    /// The error, on failure.
    #[serde(default)]
    pub error: Option<ApiError>,
    /// Rate limit usage after this request (absent with `returnRateLimits=false`).
    #[serde(default)]
    pub rate_limits: Vec<RateLimitState>,
}

impl<T> WsApiResponse<T> {
    /// The result, or the error mapped onto the taxonomy.
    pub fn into_result(self, kind: RequestKind) -> crate::Result<T> {
        match (self.result, self.error) {
            (Some(result), None) if self.status < 300 => Ok(result),
            (_, Some(error)) => Err(map_wsapi_error(self.status, &error, kind)),
            _ => Err(crate::adapters::binance::errors::map_error(
                self.status,
                None,
                None,
                kind,
            )),
        }
    }
}
