//! Configuration: listen addresses per API, test keys, symbols, balances, fees, flow and limits.
//! Every field has a default; a TOML file may override any subset (see docs/venue-sim.md).

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::binance::limits::LimitConfig;
use crate::coinbase::CoinbaseConfig;
use crate::engine::SymbolSpec;
use crate::engine::spec::{default_futures_symbols, default_spot_symbols};
use crate::error::SimError;
use crate::kraken::KrakenConfig;

/// Binance's published documentation key (rest-api.md signing examples), used as the default test key.
pub const DEFAULT_API_KEY: &str =
    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
/// Secret of [`DEFAULT_API_KEY`], as published in the same documentation.
pub const DEFAULT_SECRET_KEY: &str =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Listen ports per API (0 = any free port).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Ports {
    /// Spot + margin REST (`/api/v3`, `/sapi/v1`).
    pub spot_rest: u16,
    /// Spot market streams (`/ws`, `/stream`).
    pub spot_ws: u16,
    /// Spot WebSocket API (`/ws-api/v3`).
    pub ws_api: u16,
    /// USD-M futures REST (`/fapi`).
    pub futures_rest: u16,
    /// USD-M futures streams (`/ws`, `/stream`, listenKey streams).
    pub futures_ws: u16,
    /// Control API.
    pub control: u16,
    /// Kraken REST (`/0/public`, `/0/private`).
    pub kraken_rest: u16,
    /// Kraken WebSocket v2, public (`/v2`).
    pub kraken_ws: u16,
    /// Kraken WebSocket v2, auth (`/v2`).
    pub kraken_ws_auth: u16,
    /// Coinbase REST (`/api/v3/brokerage`).
    pub coinbase_rest: u16,
    /// Coinbase WebSocket, market data.
    pub coinbase_ws: u16,
    /// Coinbase WebSocket, user data.
    pub coinbase_user_ws: u16,
}

impl Default for Ports {
    fn default() -> Self {
        Ports {
            spot_rest: 18100,
            spot_ws: 18101,
            ws_api: 18102,
            futures_rest: 18103,
            futures_ws: 18104,
            control: 18105,
            kraken_rest: 18110,
            kraken_ws: 18111,
            kraken_ws_auth: 18112,
            coinbase_rest: 18120,
            coinbase_ws: 18121,
            coinbase_user_ws: 18122,
        }
    }
}

impl Ports {
    /// All ports 0 (tests).
    pub fn ephemeral() -> Self {
        Ports {
            spot_rest: 0,
            spot_ws: 0,
            ws_api: 0,
            futures_rest: 0,
            futures_ws: 0,
            control: 0,
            kraken_rest: 0,
            kraken_ws: 0,
            kraken_ws_auth: 0,
            coinbase_rest: 0,
            coinbase_ws: 0,
            coinbase_user_ws: 0,
        }
    }
}

/// An API key pair. Debug never shows the secret.
#[derive(Clone, Deserialize)]
pub struct KeyConfig {
    /// API key (header `X-MBX-APIKEY`).
    pub api_key: String,
    /// HMAC secret.
    pub secret_key: String,
}

impl fmt::Debug for KeyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyConfig")
            .field("api_key", &self.api_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// Starting balances per product, applied to every key's accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Balances {
    /// Spot wallet.
    pub spot: BTreeMap<String, Decimal>,
    /// Cross-margin wallet.
    pub margin: BTreeMap<String, Decimal>,
    /// USD-M futures wallet.
    pub futures: BTreeMap<String, Decimal>,
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

impl Default for Balances {
    fn default() -> Self {
        let map = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), dec(b))).collect();
        Balances {
            spot: map(&[("USDT", "100000"), ("BTC", "10"), ("ETH", "100")]),
            margin: map(&[("USDT", "10000"), ("BTC", "1")]),
            futures: map(&[("USDT", "100000")]),
        }
    }
}

/// Full configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Listen host.
    pub host: String,
    /// Ports.
    pub ports: Ports,
    /// Seed of the synthetic order flow.
    pub seed: u64,
    /// Flow steps per second per market (0 = no background flow; drive it via the control API).
    pub flow_rate: u32,
    /// Depth publisher tick (the `@100ms` stream period) in ms.
    pub tick_ms: u64,
    /// Server ping interval on WebSocket connections, ms.
    pub ping_interval_ms: u64,
    /// Disconnect a WebSocket client that has not answered a ping for this long, ms.
    pub pong_timeout_ms: u64,
    /// Test keys; each gets a spot, a margin and a futures account.
    pub keys: Vec<KeyConfig>,
    /// Spot symbols.
    pub spot_symbols: Vec<SymbolSpec>,
    /// Futures symbols.
    pub futures_symbols: Vec<SymbolSpec>,
    /// Starting balances.
    pub balances: Balances,
    /// Maker fee rate.
    pub maker_fee: Decimal,
    /// Taker fee rate.
    pub taker_fee: Decimal,
    /// Price levels per side the flow seeds each book with.
    pub seed_levels: usize,
    /// Rate limits (same for spot and futures REST).
    pub limits: LimitConfig,
    /// Kraken spot (`[kraken]`).
    pub kraken: KrakenConfig,
    /// Coinbase Advanced Trade (`[coinbase]`).
    pub coinbase: CoinbaseConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            host: "127.0.0.1".into(),
            ports: Ports::default(),
            seed: 1,
            flow_rate: 50,
            tick_ms: 100,
            ping_interval_ms: 20_000,
            pong_timeout_ms: 60_000,
            keys: vec![KeyConfig {
                api_key: DEFAULT_API_KEY.into(),
                secret_key: DEFAULT_SECRET_KEY.into(),
            }],
            spot_symbols: default_spot_symbols(),
            futures_symbols: default_futures_symbols(),
            balances: Balances::default(),
            maker_fee: dec("0.001"),
            taker_fee: dec("0.001"),
            seed_levels: 50,
            limits: LimitConfig::default(),
            kraken: KrakenConfig::default(),
            coinbase: CoinbaseConfig::default(),
        }
    }
}

impl SimConfig {
    /// Defaults with every port ephemeral (for tests).
    pub fn for_tests() -> Self {
        SimConfig {
            ports: Ports::ephemeral(),
            ..SimConfig::default()
        }
    }

    /// Parses a TOML document over the defaults.
    pub fn from_toml(text: &str) -> Result<Self, SimError> {
        toml::from_str(text).map_err(|e| SimError::Config(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_overrides_and_debug_redacts() {
        let c = SimConfig::from_toml(
            "seed = 9\n[ports]\ncontrol = 1\n[[keys]]\napi_key = \"k\"\nsecret_key = \"s3cr3t\"\n",
        )
        .unwrap();
        assert_eq!((c.seed, c.ports.control, c.ports.spot_rest), (9, 1, 18100));
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert!(SimConfig::from_toml("seed = \"x\"").is_err());
    }
}
