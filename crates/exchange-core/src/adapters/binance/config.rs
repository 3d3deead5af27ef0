//! What a Binance adapter is built from: its product, base URLs by role and options, read from
//! the factory's [`AdapterConfig`].
//!
//! Base-URL roles (override any of them, e.g. to point at venue-sim):
//!
//! | role | default (binance.md §1) | used by |
//! |---|---|---|
//! | `spot_rest` | `https://api.binance.com` | spot and margin REST |
//! | `spot_ws` | `wss://stream.binance.com:9443` | spot and margin market streams (`/stream`) |
//! | `ws_api` | `wss://ws-api.binance.com:443/ws-api/v3` | spot user data |
//! | `futures_rest` | `https://fapi.binance.com` | USD-M REST |
//! | `futures_ws` | `wss://fstream.binance.com` | USD-M market streams and the listenKey stream |
//!
//! Options (`[venues.<name>.options]`, all optional): see [`BinanceOptions`].

use std::time::Duration;

use serde::Deserialize;

use super::Product;
use crate::{AdapterConfig, Result};

/// Default spot and margin REST base URL.
pub const SPOT_REST: &str = "https://api.binance.com";
/// Default spot market-stream base URL.
pub const SPOT_WS: &str = "wss://stream.binance.com:9443";
/// Default WebSocket API URL.
pub const WS_API: &str = "wss://ws-api.binance.com:443/ws-api/v3";
/// Default USD-M futures REST base URL.
pub const FUTURES_REST: &str = "https://fapi.binance.com";
/// Default USD-M futures stream base URL.
pub const FUTURES_WS: &str = "wss://fstream.binance.com";

/// Adapter options; every field has a default suited to the real venue.
///
/// ```toml
/// [venues.binance.options]
/// recv_window_ms = 5000
/// ticker_24h = false        # venue-sim serves no @ticker stream
/// stale_after_ms = 60000
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BinanceOptions {
    /// `recvWindow` of signed requests, ms (clamped to 1..=60000).
    pub recv_window_ms: u64,
    /// Whether `subscribe_ticker` adds the `<s>@ticker` 24 h statistics to `<s>@bookTicker`.
    pub ticker_24h: bool,
    /// Whether trades come from `<s>@aggTrade` instead of `<s>@trade`.
    pub agg_trades: bool,
    /// Connection watchdog of the market and user sessions: no frame (data or server ping) for
    /// this long means the stream is frozen, ms.
    pub stale_after_ms: u64,
    /// Subscription watchdog of a depth stream (no diff for this long → reconnect), ms; 0 turns
    /// it off (a quiet book may rightly send nothing).
    pub book_stale_after_ms: u64,
    /// How long a request may wait for the rate limiter before failing as rate-limited, ms.
    pub max_limiter_wait_ms: u64,
    /// How long a query may wait to be retried after a retryable error, ms.
    pub max_retry_wait_ms: u64,
    /// REST request timeout, ms.
    pub request_timeout_ms: u64,
    /// Keep-alive period of the USD-M listenKey, ms (Binance expires it after 60 minutes).
    pub listen_key_keepalive_ms: u64,
    /// Market streams: after this many failed connection attempts in a row, REST polling
    /// stands in (books and trades; `0` never polls).
    pub poll_after_failures: u32,
    /// Market streams: how often REST polling runs while it stands in, ms.
    pub poll_interval_ms: u64,
    /// Market streams: the largest wait between reconnect attempts, ms (full-jitter
    /// exponential backoff from 250 ms).
    pub reconnect_cap_ms: u64,
}

impl Default for BinanceOptions {
    fn default() -> Self {
        BinanceOptions {
            recv_window_ms: super::auth::DEFAULT_RECV_WINDOW_MS,
            ticker_24h: true,
            agg_trades: false,
            stale_after_ms: 60_000,
            book_stale_after_ms: 0,
            max_limiter_wait_ms: 10_000,
            max_retry_wait_ms: 5_000,
            request_timeout_ms: 10_000,
            listen_key_keepalive_ms: 30 * 60 * 1000,
            poll_after_failures: 3,
            poll_interval_ms: 2_000,
            reconnect_cap_ms: 30_000,
        }
    }
}

impl BinanceOptions {
    /// The connection watchdog window.
    pub fn stale_after(&self) -> Duration {
        Duration::from_millis(self.stale_after_ms.max(1))
    }

    /// The depth-stream watchdog window, if any.
    pub fn book_stale_after(&self) -> Option<Duration> {
        (self.book_stale_after_ms > 0).then(|| Duration::from_millis(self.book_stale_after_ms))
    }
}

/// Base URLs, resolved from overrides and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinanceUrls {
    /// REST base of the product (spot/margin or USD-M).
    pub rest: String,
    /// Market-stream base of the product.
    pub market_ws: String,
    /// WebSocket API (spot user data).
    pub ws_api: String,
}

/// Everything a [`super::exchange::BinanceExchange`] is built from.
#[derive(Debug, Clone)]
pub struct BinanceConfig {
    /// Spot, margin or USD-M.
    pub product: Product,
    /// Base URLs.
    pub urls: BinanceUrls,
    /// Options.
    pub options: BinanceOptions,
}

impl BinanceConfig {
    /// Reads the product's URLs and options from the factory's configuration.
    pub fn from_adapter(product: Product, config: &AdapterConfig) -> Result<Self> {
        let options: BinanceOptions = config.options()?;
        let urls = match product {
            Product::Spot | Product::Margin => BinanceUrls {
                rest: config.base_url("spot_rest", SPOT_REST).to_owned(),
                market_ws: config.base_url("spot_ws", SPOT_WS).to_owned(),
                ws_api: config.base_url("ws_api", WS_API).to_owned(),
            },
            Product::UsdM => BinanceUrls {
                rest: config.base_url("futures_rest", FUTURES_REST).to_owned(),
                market_ws: config.base_url("futures_ws", FUTURES_WS).to_owned(),
                ws_api: config.base_url("ws_api", WS_API).to_owned(),
            },
        };
        Ok(BinanceConfig {
            product,
            urls,
            options,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_real_venue_and_overrides_win() {
        let mut c = AdapterConfig::public("binance-usdm", "main");
        let b = BinanceConfig::from_adapter(Product::UsdM, &c).unwrap();
        assert_eq!(b.urls.rest, FUTURES_REST);
        assert_eq!(b.urls.market_ws, FUTURES_WS);
        assert!(b.options.ticker_24h);
        c.base_urls
            .insert("futures_rest".into(), "http://127.0.0.1:1".into());
        c.options = serde_json::json!({"ticker_24h": false, "recv_window_ms": 7000});
        let b = BinanceConfig::from_adapter(Product::UsdM, &c).unwrap();
        assert_eq!(b.urls.rest, "http://127.0.0.1:1");
        assert!(!b.options.ticker_24h);
        assert_eq!(b.options.recv_window_ms, 7000);
        c.options = serde_json::json!({"nope": 1});
        assert!(BinanceConfig::from_adapter(Product::Spot, &c).is_err());
    }
}
