//! Kraken's error strings (`<Severity><Category>:<Message>`) and the REST envelope
//! `{"error":[...],"result":...}` (kraken.md §6).

/// A Kraken error: the HTTP status it is sent with (200 for nearly all) and the error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text}")]
pub struct KrakenError {
    /// HTTP status.
    pub http: u16,
    /// Error text, e.g. `EAPI:Invalid nonce`.
    pub text: String,
}

impl KrakenError {
    /// An error sent with HTTP 200.
    pub fn new(text: impl Into<String>) -> Self {
        KrakenError {
            http: 200,
            text: text.into(),
        }
    }
    /// `EAPI:Invalid key`.
    pub fn invalid_key() -> Self {
        Self::new("EAPI:Invalid key")
    }
    /// `EAPI:Invalid signature`.
    pub fn invalid_signature() -> Self {
        Self::new("EAPI:Invalid signature")
    }
    /// `EAPI:Invalid nonce`.
    pub fn invalid_nonce() -> Self {
        Self::new("EAPI:Invalid nonce")
    }
    /// `EAPI:Rate limit exceeded` (REST call counter).
    pub fn api_rate_limit() -> Self {
        Self::new("EAPI:Rate limit exceeded")
    }
    /// `EOrder:Rate limit exceeded` (per-pair trading counter).
    pub fn order_rate_limit() -> Self {
        Self::new("EOrder:Rate limit exceeded")
    }
    /// `EQuery:Unknown asset pair`.
    pub fn unknown_pair() -> Self {
        Self::new("EQuery:Unknown asset pair")
    }
    /// `EGeneral:Invalid arguments[:field]`.
    pub fn invalid_arguments(field: Option<&str>) -> Self {
        match field {
            Some(f) => Self::new(format!("EGeneral:Invalid arguments:{f}")),
            None => Self::new("EGeneral:Invalid arguments"),
        }
    }
    /// `EOrder:Unknown order`.
    pub fn unknown_order() -> Self {
        Self::new("EOrder:Unknown order")
    }
    /// `EGeneral:Unknown method` (HTTP 404).
    pub fn unknown_method() -> Self {
        KrakenError {
            http: 404,
            text: "EGeneral:Unknown method".into(),
        }
    }
    /// `EService:Unavailable` with an HTTP status.
    pub fn unavailable(http: u16) -> Self {
        KrakenError {
            http,
            text: "EService:Unavailable".into(),
        }
    }

    /// The REST body: `{"error":["<text>"]}`.
    pub fn body(&self) -> String {
        format!("{{\"error\":[{}]}}", super::json::string(&self.text))
    }
}

/// The REST success body: `{"error":[],"result":<result>}`.
pub fn ok_body(result_json: &str) -> String {
    format!("{{\"error\":[],\"result\":{result_json}}}")
}
