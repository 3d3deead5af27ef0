//! What a Coinbase adapter is built from: base URLs by role and options, read from the
//! factory's [`AdapterConfig`].
//!
//! Base-URL roles (override any of them, e.g. to point at venue-sim):
//!
//! | role | default (coinbase.md §1) | used by |
//! |---|---|---|
//! | `rest` | `https://api.coinbase.com` | every REST call (`/api/v3/brokerage/...`) |
//! | `ws_market` | `wss://advanced-trade-ws.coinbase.com` | public channels |
//! | `ws_user` | `wss://advanced-trade-ws-user.coinbase.com` | the `user` channel |
//!
//! Options (`[venues.coinbase.options]`, all optional): see [`CoinbaseOptions`].

use std::time::Duration;

use serde::Deserialize;

use super::{REST_URL, WS_MARKET_URL, WS_USER_URL};
use crate::{AdapterConfig, Result};

/// Adapter options; every field has a default suited to the real venue.
///
/// ```toml
/// [venues.coinbase.options]
/// request_timeout_ms = 10000
/// stale_after_ms = 30000
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoinbaseOptions {
    /// Connection watchdog of the WebSocket sessions: no frame (data or heartbeat) for this
    /// long means the connection is frozen, ms.
    pub stale_after_ms: u64,
    /// How long a request may wait for the rate limiter before failing as rate-limited, ms.
    pub max_limiter_wait_ms: u64,
    /// How long a query may wait to be retried after a retryable error, ms.
    pub max_retry_wait_ms: u64,
    /// REST request timeout, ms.
    pub request_timeout_ms: u64,
    /// How many pages of `orders/historical/batch` (newest first) an order lookup by client
    /// order id reads before giving up.
    pub lookup_pages: u32,
    /// Accounts per page of `GET /accounts` (the venue allows 1..=250).
    pub accounts_page: u32,
    /// Polling period of `subscribe_ohlcv` for timeframes the `candles` channel does not serve
    /// (it serves five minutes only), ms.
    pub candle_poll_ms: u64,
}

impl Default for CoinbaseOptions {
    fn default() -> Self {
        CoinbaseOptions {
            stale_after_ms: 30_000,
            max_limiter_wait_ms: 10_000,
            max_retry_wait_ms: 5_000,
            request_timeout_ms: 10_000,
            lookup_pages: 10,
            accounts_page: 250,
            candle_poll_ms: 10_000,
        }
    }
}

impl CoinbaseOptions {
    /// The connection watchdog window.
    pub fn stale_after(&self) -> Duration {
        Duration::from_millis(self.stale_after_ms.max(1))
    }
}

/// Base URLs, resolved from overrides and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoinbaseUrls {
    /// REST base (without `/api/v3/brokerage`).
    pub rest: String,
    /// Market-data WebSocket.
    pub ws_market: String,
    /// User-data WebSocket.
    pub ws_user: String,
}

/// Everything a [`super::exchange::CoinbaseExchange`] is built from.
#[derive(Debug, Clone)]
pub struct CoinbaseConfig {
    /// Base URLs.
    pub urls: CoinbaseUrls,
    /// Options.
    pub options: CoinbaseOptions,
}

impl CoinbaseConfig {
    /// Reads the URLs and options from the factory's configuration.
    pub fn from_adapter(config: &AdapterConfig) -> Result<Self> {
        let options: CoinbaseOptions = config.options()?;
        let urls = CoinbaseUrls {
            rest: config.base_url("rest", REST_URL).to_owned(),
            ws_market: config.base_url("ws_market", WS_MARKET_URL).to_owned(),
            ws_user: config.base_url("ws_user", WS_USER_URL).to_owned(),
        };
        Ok(CoinbaseConfig { urls, options })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_real_venue_and_overrides_win() {
        let mut c = AdapterConfig::public("coinbase", "main");
        let cb = CoinbaseConfig::from_adapter(&c).unwrap();
        assert_eq!(cb.urls.rest, REST_URL);
        assert_eq!(cb.urls.ws_market, WS_MARKET_URL);
        assert_eq!(cb.urls.ws_user, WS_USER_URL);
        assert_eq!(cb.options, CoinbaseOptions::default());
        c.base_urls
            .insert("rest".into(), "http://127.0.0.1:1".into());
        c.options = serde_json::json!({"lookup_pages": 3});
        let cb = CoinbaseConfig::from_adapter(&c).unwrap();
        assert_eq!(cb.urls.rest, "http://127.0.0.1:1");
        assert_eq!(cb.options.lookup_pages, 3);
        c.options = serde_json::json!({"nope": 1});
        assert!(CoinbaseConfig::from_adapter(&c).is_err());
    }
}
