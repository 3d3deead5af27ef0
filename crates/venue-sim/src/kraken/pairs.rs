//! Kraken asset pairs: the four names of one market (AssetPairs key `XXBTZUSD`, `altname`
//! `XBTUSD`, v1 `wsname` `XBT/USD`, v2 symbol `BTC/USD`), their precisions and minimums, and the
//! engine [`SymbolSpec`] each becomes (the engine symbol is the altname; assets keep Kraken's
//! codes, `XXBT`, `ZUSD`).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::engine::SymbolSpec;

/// One Kraken pair.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KrakenPair {
    /// AssetPairs key (`XXBTZUSD`).
    pub key: String,
    /// Alternate name (`XBTUSD`); the engine symbol.
    pub altname: String,
    /// v1 WebSocket name (`XBT/USD`).
    pub wsname: String,
    /// v2 WebSocket symbol (`BTC/USD`).
    pub symbol: String,
    /// Base asset code (`XXBT`).
    pub base: String,
    /// Quote asset code (`ZUSD`).
    pub quote: String,
    /// Price decimals.
    pub pair_decimals: u32,
    /// Volume decimals.
    pub lot_decimals: u32,
    /// Cost decimals.
    pub cost_decimals: u32,
    /// Minimum order volume.
    pub ordermin: Decimal,
    /// Minimum order cost (quote).
    pub costmin: Decimal,
    /// Price tick.
    pub tick_size: Decimal,
    /// Reference price the synthetic flow starts around.
    pub start_price: Decimal,
}

impl KrakenPair {
    /// Volume step (10^-lot_decimals).
    pub fn lot_step(&self) -> Decimal {
        Decimal::new(1, self.lot_decimals)
    }

    /// v2 base name (`BTC`).
    pub fn base_v2(&self) -> &str {
        self.symbol.split('/').next().unwrap_or(&self.symbol)
    }

    /// v2 quote name (`USD`).
    pub fn quote_v2(&self) -> &str {
        self.symbol.split('/').nth(1).unwrap_or("")
    }

    /// Whether `name` is any of this pair's names.
    pub fn is_named(&self, name: &str) -> bool {
        [&self.key, &self.altname, &self.wsname, &self.symbol]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The engine specification.
    pub fn spec(&self) -> SymbolSpec {
        SymbolSpec {
            symbol: self.altname.clone(),
            base: self.base.clone(),
            quote: self.quote.clone(),
            tick_size: self.tick_size,
            step_size: self.lot_step(),
            min_qty: self.ordermin,
            max_qty: Decimal::from(100_000_000u64),
            min_price: self.tick_size,
            max_price: Decimal::from(100_000_000u64),
            min_notional: self.costmin,
            start_price: self.start_price,
        }
    }
}

/// The pair of any name among `pairs`.
pub fn find<'a>(pairs: &'a [KrakenPair], name: &str) -> Option<&'a KrakenPair> {
    pairs.iter().find(|p| p.is_named(name.trim()))
}

/// v2 name of an asset code (`XXBT` → `BTC`, `ZUSD` → `USD`).
pub fn asset_v2(code: &str) -> String {
    let unprefixed = match code.as_bytes() {
        [b'X' | b'Z', ..] if code.len() == 4 => &code[1..],
        _ => code,
    };
    match unprefixed {
        "XBT" => "BTC".into(),
        "XDG" => "DOGE".into(),
        other => other.into(),
    }
}

/// Display decimals of an asset in balances (fiat 4, crypto 10, as Kraken prints them).
pub fn asset_decimals(code: &str) -> u32 {
    if code.starts_with('Z') && code.len() == 4 {
        4
    } else {
        10
    }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn pair(
    key: &str,
    altname: &str,
    wsname: &str,
    symbol: &str,
    base: &str,
    quote: &str,
    decimals: (u32, u32, u32),
    ordermin: &str,
    costmin: &str,
    start: &str,
) -> KrakenPair {
    KrakenPair {
        key: key.into(),
        altname: altname.into(),
        wsname: wsname.into(),
        symbol: symbol.into(),
        base: base.into(),
        quote: quote.into(),
        pair_decimals: decimals.0,
        lot_decimals: decimals.1,
        cost_decimals: decimals.2,
        ordermin: d(ordermin),
        costmin: d(costmin),
        tick_size: Decimal::new(1, decimals.0),
        start_price: d(start),
    }
}

/// Default pairs: XBT/USD, ETH/USD, ETH/XBT.
pub fn default_pairs() -> Vec<KrakenPair> {
    vec![
        pair(
            "XXBTZUSD",
            "XBTUSD",
            "XBT/USD",
            "BTC/USD",
            "XXBT",
            "ZUSD",
            (1, 8, 5),
            "0.0001",
            "0.5",
            "60000",
        ),
        pair(
            "XETHZUSD",
            "ETHUSD",
            "ETH/USD",
            "ETH/USD",
            "XETH",
            "ZUSD",
            (2, 8, 5),
            "0.002",
            "0.5",
            "3000",
        ),
        pair(
            "XETHXXBT",
            "ETHXBT",
            "ETH/XBT",
            "ETH/BTC",
            "XETH",
            "XXBT",
            (5, 8, 10),
            "0.002",
            "0.00002",
            "0.05",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let p = default_pairs();
        for n in ["XXBTZUSD", "XBTUSD", "XBT/USD", "BTC/USD", "xbtusd"] {
            assert_eq!(find(&p, n).unwrap().key, "XXBTZUSD");
        }
        assert!(find(&p, "DOGEUSD").is_none());
        assert_eq!(
            (asset_v2("XXBT"), asset_v2("ZUSD"), asset_v2("USDT")),
            ("BTC".into(), "USD".into(), "USDT".into())
        );
        assert_eq!(p[0].spec().step_size, d("0.00000001"));
    }
}
