//! Coinbase error bodies (pure): the grpc-gateway style `{"error","error_details","message"}`
//! for 4xx/5xx, the plain-text `401 Unauthorized`, and the HTTP-200 `success:false` order
//! failures with their `error_response` codes (coinbase.md §6, `coinbase_error_bodies.json`).

use serde_json::{Value, json};

/// A REST answer that is not a success.
#[derive(Debug, Clone, PartialEq)]
pub struct CbError {
    /// HTTP status.
    pub http: u16,
    /// Body.
    pub body: String,
    /// Whether the body is JSON (else plain text).
    pub json: bool,
}

impl CbError {
    /// `{"error":code,"error_details":msg,"message":msg}` with `http`.
    pub fn generic(http: u16, code: &str, msg: &str) -> Self {
        CbError {
            http,
            body: json!({"error": code, "error_details": msg, "message": msg}).to_string(),
            json: true,
        }
    }
    /// 400 INVALID_ARGUMENT.
    pub fn invalid(msg: &str) -> Self {
        Self::generic(400, "INVALID_ARGUMENT", msg)
    }
    /// 404 NOT_FOUND.
    pub fn not_found(msg: &str) -> Self {
        Self::generic(404, "NOT_FOUND", msg)
    }
    /// Unknown order: 404 with the recorded body.
    pub fn order_not_found() -> Self {
        Self::generic(404, "unknown", "order with this orderID was not found")
    }
    /// 401 plain text `Unauthorized` (bad, expired or missing JWT).
    pub fn unauthorized() -> Self {
        CbError {
            http: 401,
            body: "Unauthorized".into(),
            json: false,
        }
    }
    /// 429 (over the per-second limit).
    pub fn rate_limited() -> Self {
        Self::generic(429, "RATE_LIMIT_EXCEEDED", "Too many requests")
    }
    /// A forced status from the control API.
    pub fn forced(status: u16) -> Self {
        match status {
            401 => Self::unauthorized(),
            429 => Self::rate_limited(),
            s if s >= 500 => Self::generic(s, "INTERNAL", "internal error"),
            s => Self::generic(s, "unknown", "forced error"),
        }
    }
    /// 503 after an accepted order (status unknown to the client).
    pub fn timeout() -> Self {
        Self::generic(503, "UNAVAILABLE", "upstream request timeout")
    }
}

/// Why an order was refused (HTTP 200, `success:false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFailure {
    /// Not enough available balance.
    InsufficientFund,
    /// A post-only order would take.
    PostOnly,
    /// Size is not a multiple of `base_increment`.
    SizePrecision,
    /// Price is not a multiple of `quote_increment`.
    PricePrecision,
    /// Size under `base_min_size`.
    BaseTooSmall,
    /// Size over `base_max_size`.
    BaseTooLarge,
    /// Notional under `quote_min_size`.
    QuoteTooSmall,
    /// Unknown product.
    ProductId,
    /// No or several configuration keys, or one this venue does not take.
    UnsupportedConfiguration,
    /// Stop price already reached (stop-up below last / stop-down above last).
    StopAboveLast,
    /// See [`OrderFailure::StopAboveLast`].
    StopBelowLast,
    /// A market order found no liquidity.
    NoLiquidity,
    /// GTD end time in the past.
    EndTime,
}

impl OrderFailure {
    /// (`error`, `message`, `preview_failure_reason`, `new_order_failure_reason`).
    fn codes(self) -> (&'static str, &'static str, &'static str, &'static str) {
        use OrderFailure as F;
        const UNK: &str = "UNKNOWN_FAILURE_REASON";
        const UNKP: &str = "UNKNOWN_PREVIEW_FAILURE_REASON";
        match self {
            F::InsufficientFund => (
                "INSUFFICIENT_FUND",
                "Insufficient balance in source account",
                "PREVIEW_INSUFFICIENT_FUND",
                UNK,
            ),
            F::PostOnly => (UNK, "", UNKP, "INVALID_LIMIT_PRICE_POST_ONLY"),
            F::SizePrecision => (
                "INVALID_SIZE_PRECISION",
                "Too many decimals in order amount",
                "PREVIEW_INVALID_SIZE_PRECISION",
                "INVALID_SIZE_PRECISION",
            ),
            F::PricePrecision => (
                "INVALID_PRICE_PRECISION",
                "Too many decimals in order price",
                "PREVIEW_INVALID_PRICE_PRECISION",
                "INVALID_PRICE_PRECISION",
            ),
            F::BaseTooSmall => (
                "INVALID_ARGUMENT",
                "Order size is too small",
                "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL",
                UNK,
            ),
            F::BaseTooLarge => (
                "INVALID_ARGUMENT",
                "Order size is too large",
                "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE",
                UNK,
            ),
            F::QuoteTooSmall => (
                "INVALID_ARGUMENT",
                "Order value is too small",
                "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
                UNK,
            ),
            F::ProductId => (
                "INVALID_PRODUCT_ID",
                "Invalid product_id",
                "PREVIEW_INVALID_PRODUCT_ID",
                "INVALID_PRODUCT_ID",
            ),
            F::UnsupportedConfiguration => (
                "UNSUPPORTED_ORDER_CONFIGURATION",
                "Unsupported order configuration",
                UNKP,
                "UNSUPPORTED_ORDER_CONFIGURATION",
            ),
            F::StopAboveLast => (
                "INVALID_ARGUMENT",
                "Stop price is above the last trade price",
                "PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE",
                UNK,
            ),
            F::StopBelowLast => (
                "INVALID_ARGUMENT",
                "Stop price is below the last trade price",
                "PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE",
                UNK,
            ),
            F::NoLiquidity => (
                "INSUFFICIENT_LIQUIDITY",
                "Insufficient liquidity",
                "PREVIEW_INSUFFICIENT_LIQUIDITY",
                UNK,
            ),
            F::EndTime => (
                "INVALID_ARGUMENT",
                "end_time must be in the future",
                "PREVIEW_INVALID_END_TIME",
                "INVALID_END_TIME",
            ),
        }
    }

    /// The whole HTTP-200 body, echoing the request's `order_configuration`.
    pub fn body(self, configuration: &Value) -> Value {
        let (error, message, preview, new_order) = self.codes();
        json!({
            "success": false,
            "failure_reason": "UNKNOWN_FAILURE_REASON",
            "order_id": "",
            "error_response": {
                "error": error,
                "message": message,
                "error_details": "",
                "preview_failure_reason": preview,
                "new_order_failure_reason": new_order,
            },
            "order_configuration": configuration,
        })
    }
}
