//! Coinbase configuration (`[coinbase]` in TOML; ports are in `[ports]`): test keys (public halves only: the
//! simulator verifies JWTs, it never signs), products, balances, fees, WebSocket timings and the
//! per-request candle limit.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::engine::SymbolSpec;

/// Name (`kid`/`sub`) of the default test key: the key name of the official SDK's tests
/// (coinbase-advanced-py `tests/constants.py`).
pub const DEFAULT_KEY_NAME: &str = "organizations/test-organization/apiKeys/test-api-key";
/// Public half of the SDK's EC P-256 test key (ES256), SPKI PEM.
pub const DEFAULT_ES256_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbAtpLlSZYVOwYICz+uEyxcS29vRI\nujiES/gQ1DC7FV4zK4JuYE9vqDyGZQYjdXHLM7I6f/QnnOITL+dXYWBHRA==\n-----END PUBLIC KEY-----\n";
/// Public half of the SDK's Ed25519 test key (EdDSA), base64 of the 32 raw bytes.
pub const DEFAULT_ED25519_PUBLIC_B64: &str = "zirEQMIMq6REC3gbUtc505sz1+l69njlqc8ep1vJJ5A=";

/// A CDP API key as the simulator knows it: its name and one or both public keys.
#[derive(Debug, Clone, Deserialize)]
pub struct CoinbaseKey {
    /// `organizations/{org}/apiKeys/{id}`: the JWT `kid` and `sub`.
    pub name: String,
    /// EC P-256 public key (SPKI PEM) for ES256 tokens.
    #[serde(default)]
    pub es256_public_pem: Option<String>,
    /// Ed25519 public key (base64, 32 bytes) for EdDSA tokens.
    #[serde(default)]
    pub ed25519_public_b64: Option<String>,
}

/// One Coinbase product.
#[derive(Debug, Clone, Deserialize)]
pub struct CoinbaseProduct {
    /// `BTC-USD`, `BTC-PERP-INTX`.
    pub product_id: String,
    /// Base currency.
    pub base: String,
    /// Quote currency.
    pub quote: String,
    /// `quote_increment` / `price_increment`.
    pub quote_increment: Decimal,
    /// `base_increment`.
    pub base_increment: Decimal,
    /// `base_min_size`.
    pub base_min_size: Decimal,
    /// `base_max_size`.
    pub base_max_size: Decimal,
    /// `quote_min_size`.
    pub quote_min_size: Decimal,
    /// `quote_max_size`.
    pub quote_max_size: Decimal,
    /// Price the synthetic flow starts around.
    pub start_price: Decimal,
    /// Display names.
    pub base_name: String,
    /// Display names.
    pub quote_name: String,
}

impl CoinbaseProduct {
    /// The engine specification.
    pub fn spec(&self) -> SymbolSpec {
        SymbolSpec {
            symbol: self.product_id.clone(),
            base: self.base.clone(),
            quote: self.quote.clone(),
            tick_size: self.quote_increment,
            step_size: self.base_increment,
            min_qty: self.base_min_size,
            max_qty: self.base_max_size,
            min_price: self.quote_increment,
            max_price: Decimal::from(100_000_000u64),
            min_notional: self.quote_min_size,
            start_price: self.start_price,
        }
    }

    /// Whether this is an INTX perpetual (settled as a futures position).
    pub fn is_perp(&self) -> bool {
        self.product_id.ends_with("-PERP-INTX")
    }
}

/// Coinbase part of the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CoinbaseConfig {
    /// Keys.
    pub keys: Vec<CoinbaseKey>,
    /// Spot products.
    pub products: Vec<CoinbaseProduct>,
    /// INTX perpetual products.
    pub perp_products: Vec<CoinbaseProduct>,
    /// Starting spot balances by currency.
    pub balances: BTreeMap<String, Decimal>,
    /// Starting INTX collateral by currency.
    pub intx_balances: BTreeMap<String, Decimal>,
    /// Maker fee rate.
    pub maker_fee: Decimal,
    /// Taker fee rate.
    pub taker_fee: Decimal,
    /// `heartbeats` period, ms.
    pub heartbeat_ms: u64,
    /// A subscribed connection that received nothing for this long is closed, ms (Coinbase:
    /// "most channels close after 60–90 s without updates"; `heartbeats` prevents it).
    pub idle_close_ms: u64,
    /// `ticker_batch` period, ms.
    pub ticker_batch_ms: u64,
    /// `status` period, ms.
    pub status_ms: u64,
    /// Maximum candles per REST request.
    pub max_candles: usize,
    /// Allowed JWT clock skew on `nbf`, seconds.
    pub jwt_skew_s: u64,
    /// Public REST requests per second per IP (then HTTP 429).
    pub public_per_second: u32,
    /// Private REST requests per second per user (then HTTP 429).
    pub private_per_second: u32,
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn product(
    id: &str,
    base: &str,
    quote: &str,
    tick: &str,
    step: &str,
    min_quote: &str,
    start: &str,
    names: (&str, &str),
) -> CoinbaseProduct {
    CoinbaseProduct {
        product_id: id.into(),
        base: base.into(),
        quote: quote.into(),
        quote_increment: d(tick),
        base_increment: d(step),
        base_min_size: d(step),
        base_max_size: d("3400"),
        quote_min_size: d(min_quote),
        quote_max_size: d("150000000"),
        start_price: d(start),
        base_name: names.0.into(),
        quote_name: names.1.into(),
    }
}

/// Default spot products: BTC-USD, ETH-USD, ETH-BTC.
pub fn default_products() -> Vec<CoinbaseProduct> {
    vec![
        product(
            "BTC-USD",
            "BTC",
            "USD",
            "0.01",
            "0.00000001",
            "1",
            "60000",
            ("Bitcoin", "US Dollar"),
        ),
        product(
            "ETH-USD",
            "ETH",
            "USD",
            "0.01",
            "0.00000001",
            "1",
            "3000",
            ("Ethereum", "US Dollar"),
        ),
        product(
            "ETH-BTC",
            "ETH",
            "BTC",
            "0.00001",
            "0.00000001",
            "0.000001",
            "0.05",
            ("Ethereum", "Bitcoin"),
        ),
    ]
}

/// Default INTX perpetual: BTC-PERP-INTX (collateral USDC).
pub fn default_perp_products() -> Vec<CoinbaseProduct> {
    vec![product(
        "BTC-PERP-INTX",
        "BTC",
        "USDC",
        "0.1",
        "0.0001",
        "10",
        "60000",
        ("Bitcoin", "USDC"),
    )]
}

impl Default for CoinbaseConfig {
    fn default() -> Self {
        let map = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), d(b))).collect();
        CoinbaseConfig {
            keys: vec![CoinbaseKey {
                name: DEFAULT_KEY_NAME.into(),
                es256_public_pem: Some(DEFAULT_ES256_PUBLIC_PEM.into()),
                ed25519_public_b64: Some(DEFAULT_ED25519_PUBLIC_B64.into()),
            }],
            products: default_products(),
            perp_products: default_perp_products(),
            balances: map(&[
                ("USD", "100000"),
                ("BTC", "10"),
                ("ETH", "100"),
                ("USDC", "10000"),
            ]),
            intx_balances: map(&[("USDC", "100000")]),
            maker_fee: d("0.004"),
            taker_fee: d("0.006"),
            heartbeat_ms: 1000,
            idle_close_ms: 60_000,
            ticker_batch_ms: 5000,
            status_ms: 10_000,
            max_candles: 350,
            jwt_skew_s: 5,
            public_per_second: 10,
            private_per_second: 30,
        }
    }
}

impl CoinbaseConfig {
    /// Every product, spot first.
    pub fn all_products(&self) -> impl Iterator<Item = &CoinbaseProduct> {
        self.products.iter().chain(&self.perp_products)
    }

    /// A product by id.
    pub fn product(&self, id: &str) -> Option<&CoinbaseProduct> {
        self.all_products().find(|p| p.product_id == id)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::SimConfig;

    #[test]
    fn toml_section_overrides_defaults() {
        let c = SimConfig::from_toml(
            "[ports]\ncoinbase_rest = 1\n[coinbase]\nidle_close_ms = 5\n[coinbase.balances]\nUSD = \"7\"\n\
             [[coinbase.keys]]\nname = \"organizations/o/apiKeys/k\"\ned25519_public_b64 = \"zirEQMIMq6REC3gbUtc505sz1+l69njlqc8ep1vJJ5A=\"\n",
        )
        .unwrap();
        assert_eq!((c.ports.coinbase_rest, c.ports.coinbase_ws), (1, 18121));
        assert_eq!(c.coinbase.idle_close_ms, 5);
        assert_eq!(c.coinbase.balances["USD"].to_string(), "7");
        assert_eq!(c.coinbase.keys.len(), 1);
        assert_eq!(c.coinbase.products.len(), 3);
        assert_eq!(c.coinbase.max_candles, 350);
    }
}
