//! Kraken configuration: test keys (base64 secrets, as Kraken issues them), pairs, balances,
//! fees, the REST call-counter tier and the per-pair trading counter, WebSocket timings.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::limits::CounterConfig;
use super::pairs::{KrakenPair, default_pairs};
use crate::config::KeyConfig;

/// The default Kraken test key (`API-Key` header value).
pub const DEFAULT_KRAKEN_API_KEY: &str = "venue-sim-kraken-test-key";
/// Its secret: the private key of Kraken's published signing example ("Spot REST
/// Authentication"), so the official vector verifies against the default configuration.
pub const DEFAULT_KRAKEN_SECRET: &str =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

/// Kraken part of the configuration (`[kraken]` in TOML).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct KrakenConfig {
    /// Keys; `secret_key` is the base64 private key.
    pub keys: Vec<KeyConfig>,
    /// Pairs.
    pub pairs: Vec<KrakenPair>,
    /// Starting balances by Kraken asset code.
    pub balances: BTreeMap<String, Decimal>,
    /// Maker fee rate.
    pub maker_fee: Decimal,
    /// Taker fee rate.
    pub taker_fee: Decimal,
    /// REST call counter (default: Intermediate tier, max 20, −0.5/s).
    pub call_counter: CounterConfig,
    /// Per-pair trading counter (default: Intermediate tier, 125, −2.34/s).
    pub trading_counter: CounterConfig,
    /// Heartbeat period on subscribed WebSocket connections, ms.
    pub heartbeat_ms: u64,
    /// Lifetime of a WebSocket token, seconds.
    pub token_ttl_s: u64,
}

impl Default for KrakenConfig {
    fn default() -> Self {
        let map = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.parse().unwrap_or_default()))
                .collect()
        };
        KrakenConfig {
            keys: vec![KeyConfig {
                api_key: DEFAULT_KRAKEN_API_KEY.into(),
                secret_key: DEFAULT_KRAKEN_SECRET.into(),
            }],
            pairs: default_pairs(),
            balances: map(&[("ZUSD", "100000"), ("XXBT", "10"), ("XETH", "100")]),
            maker_fee: "0.0016".parse().unwrap_or_default(),
            taker_fee: "0.0026".parse().unwrap_or_default(),
            call_counter: CounterConfig {
                max: "20".parse().unwrap_or_default(),
                decay_per_s: "0.5".parse().unwrap_or_default(),
            },
            trading_counter: CounterConfig {
                max: "125".parse().unwrap_or_default(),
                decay_per_s: "2.34".parse().unwrap_or_default(),
            },
            heartbeat_ms: 1000,
            token_ttl_s: 900,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::SimConfig;

    #[test]
    fn toml_section_as_documented() {
        let c = SimConfig::from_toml(
            r#"
[kraken]
maker_fee = "0.0016"
heartbeat_ms = 250
balances = { ZUSD = "5", XXBT = "1" }
call_counter = { max = "15", decay_per_s = "0.33" }
[[kraken.keys]]
api_key = "my-key"
secret_key = "c2VjcmV0"
[[kraken.pairs]]
key = "XXBTZUSD"
altname = "XBTUSD"
wsname = "XBT/USD"
symbol = "BTC/USD"
base = "XXBT"
quote = "ZUSD"
pair_decimals = 1
lot_decimals = 8
cost_decimals = 5
ordermin = "0.0001"
costmin = "0.5"
tick_size = "0.1"
start_price = "60000"
"#,
        )
        .unwrap();
        let k = &c.kraken;
        assert_eq!((k.heartbeat_ms, k.pairs.len(), k.keys.len()), (250, 1, 1));
        assert_eq!(k.call_counter.max, "15".parse().unwrap());
        assert_eq!(k.trading_counter.max, "125".parse().unwrap());
        assert!(!format!("{k:?}").contains("c2VjcmV0"));
    }
}
