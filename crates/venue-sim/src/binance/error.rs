//! Binance error bodies (`{"code":-1121,"msg":"Invalid symbol."}`) with their HTTP status, and the
//! mapping from engine refusals to codes (errors.md).

use serde::Serialize;

use crate::engine::EngineError;

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status (and WS-API `status`).
    pub http: u16,
    /// Binance error code.
    pub code: i64,
    /// Message.
    pub msg: String,
    /// `Retry-After` seconds (429/418).
    pub retry_after: Option<u64>,
}

/// The JSON body of an error.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// Code.
    pub code: i64,
    /// Message.
    pub msg: &'a str,
}

impl ApiError {
    /// A 400 error with code and message.
    pub fn bad(code: i64, msg: impl Into<String>) -> Self {
        ApiError {
            http: 400,
            code,
            msg: msg.into(),
            retry_after: None,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        serde_json::to_string(&ErrorBody {
            code: self.code,
            msg: &self.msg,
        })
        .unwrap_or_default()
    }

    /// `-1102` mandatory parameter missing.
    pub fn mandatory(name: &str) -> Self {
        Self::bad(
            -1102,
            format!("Mandatory parameter '{name}' was not sent, was empty/null, or malformed."),
        )
    }

    /// `-1100` illegal characters.
    pub fn illegal_chars(name: &str) -> Self {
        Self::bad(
            -1100,
            format!("Illegal characters found in parameter '{name}'."),
        )
    }

    /// `-1100` malformed decimal.
    pub fn illegal_decimal(name: &str) -> Self {
        Self::bad(
            -1100,
            format!(
                "Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'."
            ),
        )
    }

    /// `-1100` malformed integer.
    pub fn illegal_int(name: &str) -> Self {
        Self::bad(
            -1100,
            format!(
                "Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'."
            ),
        )
    }

    /// `-1121` invalid symbol.
    pub fn bad_symbol() -> Self {
        Self::bad(-1121, "Invalid symbol.")
    }

    /// `-1022` bad signature.
    pub fn bad_signature() -> Self {
        Self::bad(-1022, "Signature for this request is not valid.")
    }

    /// `-2014` API key format invalid.
    pub fn key_format() -> Self {
        ApiError {
            http: 401,
            ..Self::bad(-2014, "API-key format invalid.")
        }
    }

    /// `-2015` invalid key.
    pub fn bad_key() -> Self {
        ApiError {
            http: 401,
            ..Self::bad(-2015, "Invalid API-key, IP, or permissions for action.")
        }
    }

    /// `-1021` outside recvWindow.
    pub fn outside_window() -> Self {
        Self::bad(
            -1021,
            "Timestamp for this request is outside of the recvWindow.",
        )
    }

    /// `-1021` ahead of the server.
    pub fn ahead() -> Self {
        Self::bad(
            -1021,
            "Timestamp for this request was 1000ms ahead of the server's time.",
        )
    }

    /// `-1003` weight limit hit (429).
    pub fn too_much_weight(limit: u64, retry_after: u64) -> Self {
        ApiError {
            http: 429,
            retry_after: Some(retry_after),
            ..Self::bad(
                -1003,
                format!(
                    "Too much request weight used; current limit is {limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."
                ),
            )
        }
    }

    /// `-1003` IP banned (418).
    pub fn banned(until_ms: u64, retry_after: u64) -> Self {
        ApiError {
            http: 418,
            retry_after: Some(retry_after),
            ..Self::bad(
                -1003,
                format!(
                    "Way too much request weight used; IP banned until {until_ms}. Please use WebSocket Streams for live updates to avoid bans."
                ),
            )
        }
    }

    /// `-1015` order rate limit (429).
    pub fn too_many_orders(limit: u64, interval: &str, retry_after: u64) -> Self {
        ApiError {
            http: 429,
            retry_after: Some(retry_after),
            ..Self::bad(
                -1015,
                format!("Too many new orders; current limit is {limit} orders per {interval}."),
            )
        }
    }

    /// `-1007` backend timeout, execution status unknown.
    pub fn timeout() -> Self {
        ApiError {
            http: 503,
            ..Self::bad(
                -1007,
                "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
            )
        }
    }

    /// An internal error with a 5xx status (`-1000`).
    pub fn internal(http: u16) -> Self {
        ApiError {
            http,
            ..Self::bad(
                -1000,
                "An unknown error occurred while processing the request.",
            )
        }
    }

    /// Maps an engine refusal on order entry.
    pub fn from_new_order(e: EngineError) -> Self {
        match e {
            EngineError::UnknownSymbol => Self::bad_symbol(),
            EngineError::Filter(f) => Self::bad(-1013, format!("Filter failure: {}", f.as_str())),
            EngineError::MarginInsufficient => Self::bad(-2019, "Margin is insufficient."),
            EngineError::ReduceOnly => Self::bad(-2022, "ReduceOnly Order is rejected."),
            EngineError::UnknownOrder => Self::bad(-2013, "Order does not exist."),
            EngineError::UnknownAccount => Self::bad_key(),
            other => Self::bad(-2010, other.to_string()),
        }
    }

    /// Maps an engine refusal on cancel.
    pub fn from_cancel(e: EngineError) -> Self {
        match e {
            EngineError::UnknownOrder => Self::bad(-2011, "Unknown order sent."),
            other => Self::from_new_order(other),
        }
    }

    /// Maps an engine refusal on query (`-2013`).
    pub fn from_query(e: EngineError) -> Self {
        match e {
            EngineError::UnknownOrder => Self::bad(-2013, "Order does not exist."),
            other => Self::from_new_order(other),
        }
    }
}
