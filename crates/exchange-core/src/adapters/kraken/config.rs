//! What a Kraken adapter is built from: base URLs by role and options, read from the factory's
//! [`AdapterConfig`].
//!
//! Base-URL roles (override any of them, e.g. to point at venue-sim):
//!
//! | role | default (kraken.md §1) | used by |
//! |---|---|---|
//! | `rest` | `https://api.kraken.com` | `/0/public/…` and `/0/private/…` |
//! | `ws_public` | `wss://ws.kraken.com/v2` | trades, ticker, candles, books |
//! | `ws_auth` | `wss://ws-auth.kraken.com/v2` | the `executions` channel |
//!
//! Options (`[venues.kraken.options]`, all optional): see [`KrakenOptions`].

use std::time::Duration;

use serde::Deserialize;

use crate::ratelimit::kraken::Tier;
use crate::{AdapterConfig, Result};

/// Default REST base URL.
pub const REST: &str = "https://api.kraken.com";
/// Default WebSocket v2 public URL.
pub const WS_PUBLIC: &str = "wss://ws.kraken.com/v2";
/// Default WebSocket v2 auth URL.
pub const WS_AUTH: &str = "wss://ws-auth.kraken.com/v2";

/// The account tier as configured (`starter`, `intermediate`, `pro`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierName {
    /// REST 15 at −0.33/s; trading 60 at −1/s.
    Starter,
    /// REST 20 at −0.5/s; trading 125 at −2.34/s.
    Intermediate,
    /// REST 20 at −1/s; trading 180 at −3.75/s.
    Pro,
}

impl From<TierName> for Tier {
    fn from(t: TierName) -> Tier {
        match t {
            TierName::Starter => Tier::Starter,
            TierName::Intermediate => Tier::Intermediate,
            TierName::Pro => Tier::Pro,
        }
    }
}

/// Adapter options; every field has a default suited to the real venue.
///
/// ```toml
/// [venues.kraken.options]
/// tier = "intermediate"
/// stale_after_ms = 10000
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KrakenOptions {
    /// The account tier, which sets the REST and trading counters (Starter by default: the
    /// most cautious).
    pub tier: TierName,
    /// Connection watchdog: no frame (data, heartbeat, pong) for this long means the socket is
    /// frozen, ms. Kraken sends a heartbeat every second once subscribed.
    pub stale_after_ms: u64,
    /// Period of the application-level `ping`, ms.
    pub ping_interval_ms: u64,
    /// How long a request may wait for the rate limiter before failing as rate-limited, ms.
    pub max_limiter_wait_ms: u64,
    /// REST request timeout, ms.
    pub request_timeout_ms: u64,
}

impl Default for KrakenOptions {
    fn default() -> Self {
        KrakenOptions {
            tier: TierName::Starter,
            stale_after_ms: 10_000,
            ping_interval_ms: 5_000,
            max_limiter_wait_ms: 10_000,
            request_timeout_ms: 10_000,
        }
    }
}

impl KrakenOptions {
    /// The connection watchdog window.
    pub fn stale_after(&self) -> Duration {
        Duration::from_millis(self.stale_after_ms.max(1))
    }
}

/// Base URLs, resolved from overrides and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KrakenUrls {
    /// REST base.
    pub rest: String,
    /// WebSocket v2 public endpoint.
    pub ws_public: String,
    /// WebSocket v2 auth endpoint.
    pub ws_auth: String,
}

/// Everything a [`super::exchange::KrakenExchange`] is built from.
#[derive(Debug, Clone)]
pub struct KrakenConfig {
    /// Base URLs.
    pub urls: KrakenUrls,
    /// Options.
    pub options: KrakenOptions,
}

impl KrakenConfig {
    /// Reads URLs and options from the factory's configuration.
    pub fn from_adapter(config: &AdapterConfig) -> Result<Self> {
        Ok(KrakenConfig {
            urls: KrakenUrls {
                rest: config.base_url("rest", REST).to_owned(),
                ws_public: config.base_url("ws_public", WS_PUBLIC).to_owned(),
                ws_auth: config.base_url("ws_auth", WS_AUTH).to_owned(),
            },
            options: config.options()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_real_venue_and_overrides_win() {
        let mut c = AdapterConfig::public("kraken", "main");
        let k = KrakenConfig::from_adapter(&c).unwrap();
        assert_eq!(k.urls.rest, REST);
        assert_eq!(k.urls.ws_public, WS_PUBLIC);
        assert_eq!(k.urls.ws_auth, WS_AUTH);
        assert_eq!(k.options.tier, TierName::Starter);
        c.base_urls
            .insert("ws_auth".into(), "ws://127.0.0.1:1/v2".into());
        c.options = serde_json::json!({"tier": "pro", "stale_after_ms": 1500});
        let k = KrakenConfig::from_adapter(&c).unwrap();
        assert_eq!(k.urls.ws_auth, "ws://127.0.0.1:1/v2");
        assert_eq!(k.options.tier, TierName::Pro);
        assert_eq!(k.options.stale_after(), Duration::from_millis(1500));
        c.options = serde_json::json!({"nope": 1});
        assert!(KrakenConfig::from_adapter(&c).is_err());
    }
}
