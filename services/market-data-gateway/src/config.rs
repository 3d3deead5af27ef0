//! The gateway's configuration: a TOML file plus `EXGW_` environment overrides
//! (`service_kit::load_config`). `docs/operations.md` documents every key; `config/*.toml` has
//! examples.
//!
//! ```toml
//! [service]
//! name = "market-data-gateway"    # the NATS micro service name
//!
//! [nats]
//! url = "nats://127.0.0.1:4222"
//!
//! [publish]
//! encoding = "msgpack"            # or "json"
//! buffer = 8192                   # messages between the venue side and NATS
//!
//! [book]
//! depth = 100                     # levels per side the adapters keep
//! snapshot_every = 1000           # KV md_books record every N deltas (also at snapshots, stale)
//! snapshot_interval_ms = 1000     # ... and at least this often while deltas come
//!
//! [venues.binance]
//! account = "main"                # credentials pair; public data needs none
//! base_urls = { spot_rest = "http://127.0.0.1:18100", spot_ws = "ws://127.0.0.1:18101" }
//! trades = ["BTC/USDT"]
//! tickers = ["BTC/USDT"]
//! books = ["BTC/USDT", "ETH/USDT"]
//! candles = { "1m" = ["BTC/USDT"] }
//! ```
//!
//! The venue and symbol lists are this instance's shard: two instances with disjoint lists run
//! side by side against one NATS.

use std::collections::BTreeMap;

use bus::Encoding;
use exchange_core::VenueSettings;
use exchange_core::keys::CredentialsConfig;
use exchange_core::model::{Symbol, Timeframe};
use serde::Deserialize;
use service_kit::{HealthConfig, LogConfig, NatsConfig};

use crate::error::{GatewayError, Result};

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    /// `[service]`.
    pub service: ServiceSection,
    /// `[nats]`.
    pub nats: NatsConfig,
    /// `[log]`.
    pub log: LogConfig,
    /// `[health]`.
    pub health: HealthConfig,
    /// `[publish]`.
    pub publish: PublishConfig,
    /// `[book]`.
    pub book: BookConfig,
    /// `[venues.<name>]`: the venues and symbols this instance serves (its shard).
    pub venues: BTreeMap<String, VenueConfig>,
    /// `[credentials.<venue>.<account>]` (see `docs/credentials.md`); the environment wins.
    pub credentials: CredentialsConfig,
}

/// `[service]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceSection {
    /// Name of the NATS micro service and the NATS client (default `market-data-gateway`).
    pub name: String,
    /// How long shutdown may take before tasks are abandoned, ms (default 10 000).
    pub shutdown_timeout_ms: u64,
}

impl Default for ServiceSection {
    fn default() -> Self {
        ServiceSection {
            name: "market-data-gateway".to_owned(),
            shutdown_timeout_ms: 10_000,
        }
    }
}

/// `[publish]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishConfig {
    /// `msgpack` (default) or `json`.
    #[serde(deserialize_with = "encoding")]
    pub encoding: Encoding,
    /// Capacity of the buffer between the feeds and the NATS publisher (default 8192 messages).
    /// When it is full, market data is dropped and counted; books resync instead of a hole.
    pub buffer: usize,
}

impl Default for PublishConfig {
    fn default() -> Self {
        PublishConfig {
            encoding: Encoding::MsgPack,
            buffer: 8192,
        }
    }
}

fn encoding<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Encoding, D::Error> {
    let text = String::deserialize(d)?;
    text.parse()
        .map_err(|_| serde::de::Error::custom("expected \"msgpack\" or \"json\""))
}

/// `[book]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookConfig {
    /// Levels per side the adapters keep (default 100).
    pub depth: usize,
    /// Write the KV `md_books` record every this many deltas (default 1000); records are also
    /// written at every snapshot event and when a book goes stale.
    pub snapshot_every: u64,
    /// And at least this often while deltas come, ms (default 1000; 0 turns it off): bounds how
    /// long a resyncing consumer waits for a record newer than its gap.
    pub snapshot_interval_ms: u64,
    /// Repeat each book's last status this often, ms (default 5000; 0 turns it off), with the
    /// transition's own `ts_ns`: a consumer that missed the transition (it subscribed later, or
    /// reconnected to NATS after the gateway did) learns the current state within this time.
    pub status_refresh_ms: u64,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            depth: 100,
            snapshot_every: 1000,
            snapshot_interval_ms: 1000,
            status_refresh_ms: 5000,
        }
    }
}

/// `[venues.<name>]`: one venue of this shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VenueConfig {
    /// The credentials account (default `main`); without credentials, public data only.
    pub account: String,
    /// Base-URL overrides by role (the adapter documents its roles).
    pub base_urls: BTreeMap<String, String>,
    /// Adapter options (free-form, never secrets).
    pub options: serde_json::Value,
    /// Symbols whose public trades are published.
    pub trades: Vec<Symbol>,
    /// Symbols whose tickers are published.
    pub tickers: Vec<Symbol>,
    /// Symbols whose order books are published.
    pub books: Vec<Symbol>,
    /// Candles: timeframe → symbols.
    pub candles: BTreeMap<Timeframe, Vec<Symbol>>,
}

impl Default for VenueConfig {
    fn default() -> Self {
        VenueConfig {
            account: "main".to_owned(),
            base_urls: BTreeMap::new(),
            options: serde_json::Value::Object(serde_json::Map::new()),
            trades: Vec::new(),
            tickers: Vec::new(),
            books: Vec::new(),
            candles: BTreeMap::new(),
        }
    }
}

impl VenueConfig {
    /// The factory settings of this venue.
    pub fn settings(&self) -> VenueSettings {
        VenueSettings {
            base_urls: self.base_urls.clone(),
            options: self.options.clone(),
        }
    }

    /// Every symbol of this venue, once each, sorted.
    pub fn symbols(&self) -> Vec<Symbol> {
        let mut all: Vec<Symbol> = self
            .trades
            .iter()
            .chain(&self.tickers)
            .chain(&self.books)
            .chain(self.candles.values().flatten())
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

impl GatewayConfig {
    /// Checks what serde cannot: tokens, sizes, a non-empty shard.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| Err(GatewayError::Config(why));
        if self.publish.buffer < 16 {
            return bad("publish.buffer must be at least 16".into());
        }
        if self.book.depth == 0 {
            return bad("book.depth must be at least 1".into());
        }
        if self.book.snapshot_every == 0 {
            return bad("book.snapshot_every must be at least 1".into());
        }
        if self.venues.is_empty() {
            return bad("no venues configured: add a [venues.<name>] section".into());
        }
        for (name, venue) in &self.venues {
            bus::subject::check_token("venue", name)
                .map_err(|e| GatewayError::Config(format!("venues.{name}: {e}")))?;
            bus::subject::check_token("account", &venue.account)
                .map_err(|e| GatewayError::Config(format!("venues.{name}.account: {e}")))?;
            if venue.symbols().is_empty() {
                return bad(format!("venues.{name} lists no symbols"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_configs_load() {
        for name in ["demo.toml", "docker.toml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../config")
                .join(name);
            let config: GatewayConfig =
                service_kit::load_config(Some(&path), std::iter::empty()).unwrap();
            config.validate().unwrap();
            let binance = &config.venues["binance"];
            assert!(
                binance.books.contains(&"BTC/USDT".parse().unwrap()),
                "{name}"
            );
        }
    }

    #[test]
    fn environment_overrides_shard_lists() {
        let env = vec![
            (
                "EXGW_VENUES__BINANCE__BOOKS".to_owned(),
                r#"["ETH/USDT"]"#.to_owned(),
            ),
            ("EXGW_PUBLISH__ENCODING".to_owned(), "json".to_owned()),
        ];
        let config: GatewayConfig = service_kit::load_config(None, env).unwrap();
        config.validate().unwrap();
        assert_eq!(config.publish.encoding, Encoding::Json);
        assert_eq!(
            config.venues["binance"].books,
            vec!["ETH/USDT".parse().unwrap()]
        );
        assert_eq!(config.venues["binance"].account, "main");
    }

    #[test]
    fn refuses_bad_values() {
        let env = vec![("EXGW_PUBLISH__ENCODING".to_owned(), "xml".to_owned())];
        assert!(service_kit::load_config::<GatewayConfig>(None, env).is_err());
        let config = GatewayConfig::default();
        assert!(matches!(config.validate(), Err(GatewayError::Config(_))));
    }
}
