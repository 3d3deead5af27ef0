//! `Time`, `SystemStatus` and `GetWebSocketsToken` (§2).

use serde::Deserialize;

/// `GET /0/public/Time` result (fixture `kraken_rest_server_time.json`):
///
/// ```json
/// {"unixtime":1762820224,"rfc1123":"Tue, 11 Nov 25 00:17:04 +0000"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServerTime {
    /// Seconds since the epoch.
    pub unixtime: i64,
    /// The same time, RFC 1123.
    pub rfc1123: String,
}

impl ServerTime {
    /// The server time in milliseconds since the epoch (second resolution).
    pub fn unix_ms(&self) -> i64 {
        self.unixtime.saturating_mul(1000)
    }
}

/// Kraken's trading status (`SystemStatus` result `status`, v2 `status` frame `system`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemState {
    /// Trading normally.
    Online,
    /// Down for maintenance: no trading, no cancels.
    Maintenance,
    /// Cancels only.
    CancelOnly,
    /// Post-only orders and cancels only.
    PostOnly,
    /// Limit orders and cancels only.
    LimitOnly,
}

impl SystemState {
    /// Whether new orders of every kind are accepted.
    pub fn is_online(self) -> bool {
        self == SystemState::Online
    }
}

/// `GET /0/public/SystemStatus` result (Kraken docs example):
///
/// ```json
/// {"status":"online","timestamp":"2023-07-06T18:52:00Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SystemStatus {
    /// Current state.
    pub status: SystemState,
    /// When it was reported, RFC 3339.
    pub timestamp: String,
}

/// `POST /0/private/GetWebSocketsToken` result (Kraken docs example):
///
/// ```json
/// {"token":"1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw","expires":900}
/// ```
///
/// The token is a credential: this struct is deliberately not `Debug`.
#[derive(Clone, Deserialize)]
pub struct WebSocketsToken {
    /// The token for private v2 subscriptions and methods.
    pub token: String,
    /// Seconds it stays valid unless a private subscription is maintained.
    pub expires: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::kraken::parse::parse_result;

    #[test]
    fn status_and_token_parse() {
        let s: SystemStatus = parse_result(
            "SystemStatus",
            r#"{"error":[],"result":{"status":"cancel_only","timestamp":"2023-07-06T18:52:00Z"}}"#,
        )
        .unwrap();
        assert_eq!(s.status, SystemState::CancelOnly);
        assert!(!s.status.is_online());
        let t: WebSocketsToken = parse_result(
            "GetWebSocketsToken",
            r#"{"error":[],"result":{"token":"abc","expires":900}}"#,
        )
        .unwrap();
        assert_eq!((t.token.as_str(), t.expires), ("abc", 900));
    }
}
