//! Kraken asset codes and pair names ⇄ unified symbols (§2, §5).
//!
//! Kraken names one market four ways: the AssetPairs key (`XXBTZUSD`), the `altname`
//! (`XBTUSD`), the v1 `wsname` (`XBT/USD`) and the v2 WebSocket symbol (`BTC/USD`). Assets carry
//! Kraken's legacy codes: the classic assets have a one-letter class prefix, `X` for crypto and
//! `Z` for fiat (`XXBT`, `XETH`, `ZUSD`, `ZEUR`), newer assets have none (`DOT`, `USDT`), and
//! two crypto codes differ from everyone else's: `XBT` is BTC and `XDG` is DOGE. Balances may
//! carry a suffix for earn/staking variants (`XBT.M`, `DOT.S`), which is kept.
//!
//! The [`SymbolMap`] is built from AssetPairs (or the v2 `instrument` channel) and knows every
//! name; [`normalize_asset`] and [`symbol_from_wsname`] work without it.

use std::collections::HashMap;

use crate::ExchangeError;
use crate::model::{Symbol, SymbolParseError};

/// The three-letter codes that Kraken writes with a class prefix (`X` crypto, `Z` fiat).
const PREFIXED: [&str; 22] = [
    "XBT", "ETH", "LTC", "XRP", "XLM", "XMR", "ZEC", "ETC", "REP", "MLN", "XDG", "DAO", "ICN",
    "NMC", "XVN", "USD", "EUR", "GBP", "CAD", "JPY", "AUD", "CHF",
];

/// The unified code of a Kraken asset: class prefix removed, `XBT` → `BTC`, `XDG` → `DOGE`,
/// upper case; an earn/staking suffix (`.M`, `.S`, `.F`, `.B`, `.P`) is kept (`XBT.M` → `BTC.M`).
pub fn normalize_asset(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    let (main, suffix) = match code.split_once('.') {
        Some((main, suffix)) => (main, Some(suffix)),
        None => (code.as_str(), None),
    };
    let unprefixed = match main.as_bytes() {
        [b'X' | b'Z', ..] if main.len() == 4 && PREFIXED.contains(&&main[1..]) => &main[1..],
        _ => main,
    };
    let unified = match unprefixed {
        "XBT" => "BTC",
        "XDG" => "DOGE",
        other => other,
    };
    match suffix {
        Some(suffix) => format!("{unified}.{suffix}"),
        None => unified.to_owned(),
    }
}

/// Kraken's own code of a unified asset, as the v1 names write it (`BTC` → `XBT`,
/// `DOGE` → `XDG`); other assets are unchanged.
pub fn kraken_asset(unified: &str) -> &str {
    match unified {
        "BTC" => "XBT",
        "DOGE" => "XDG",
        other => other,
    }
}

/// The unified symbol of a `BASE/QUOTE` name, v1 (`XBT/USD`) or v2 (`BTC/USD`).
pub fn symbol_from_wsname(wsname: &str) -> Result<Symbol, SymbolParseError> {
    match wsname.split_once('/') {
        Some((base, quote)) => Symbol::spot(&normalize_asset(base), &normalize_asset(quote)),
        None => wsname.parse(),
    }
}

/// The v2 WebSocket name of a unified spot symbol (`BTC/USD`): the unified text itself.
pub fn v2_symbol(symbol: &Symbol) -> String {
    format!("{}/{}", symbol.base(), symbol.quote())
}

/// Every name Kraken uses for one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairNames {
    /// The AssetPairs key (`XXBTZUSD`), which keys REST market-data results.
    pub key: String,
    /// The `altname` (`XBTUSD`), accepted as `pair=` and written in order descriptions.
    pub altname: String,
    /// The v1 WebSocket name (`XBT/USD`).
    pub wsname: String,
}

/// Both directions of the Kraken name ⇄ unified symbol mapping.
#[derive(Debug, Clone, Default)]
pub struct SymbolMap {
    by_name: HashMap<String, Symbol>,
    by_symbol: HashMap<Symbol, PairNames>,
}

impl SymbolMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) one pair under all its names, plus its v2 name.
    pub fn insert(&mut self, names: PairNames, symbol: Symbol) {
        for name in [&names.key, &names.altname, &names.wsname] {
            if !name.is_empty() {
                self.by_name.insert(name.clone(), symbol.clone());
            }
        }
        self.by_name.insert(v2_symbol(&symbol), symbol.clone());
        self.by_symbol.insert(symbol, names);
    }

    /// The unified symbol of any Kraken name of a pair. Unknown names in `BASE/QUOTE` form
    /// (v2 symbols of pairs we were not told about) are converted by rule.
    pub fn symbol(&self, name: &str) -> crate::Result<Symbol> {
        if let Some(symbol) = self.by_name.get(name) {
            return Ok(symbol.clone());
        }
        if name.contains('/') {
            return symbol_from_wsname(name)
                .map_err(|e| ExchangeError::BadSymbol(format!("kraken pair {name:?}: {e}")));
        }
        Err(ExchangeError::BadSymbol(format!(
            "kraken pair {name:?} is not in AssetPairs"
        )))
    }

    /// The names of a unified symbol's pair.
    pub fn names(&self, symbol: &Symbol) -> crate::Result<&PairNames> {
        self.by_symbol
            .get(symbol)
            .ok_or_else(|| ExchangeError::BadSymbol(format!("{symbol} is not listed on kraken")))
    }

    /// The `pair=` parameter of REST requests (the `altname`).
    pub fn rest_pair(&self, symbol: &Symbol) -> crate::Result<&str> {
        self.names(symbol).map(|n| n.altname.as_str())
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.by_symbol.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.by_symbol.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_lose_class_prefixes_and_legacy_codes() {
        for (code, unified) in [
            ("XXBT", "BTC"),
            ("XBT", "BTC"),
            ("XETH", "ETH"),
            ("ZUSD", "USD"),
            ("ZEUR", "EUR"),
            ("XXDG", "DOGE"),
            ("XDG", "DOGE"),
            ("USDT", "USDT"),
            ("DOT", "DOT"),
            ("XTZ", "XTZ"),
            ("ZRX", "ZRX"),
            ("ZEUS", "ZEUS"),
            ("XCN", "XCN"),
            ("XBT.M", "BTC.M"),
            ("DOT.S", "DOT.S"),
        ] {
            assert_eq!(normalize_asset(code), unified, "{code}");
        }
        assert_eq!(kraken_asset("BTC"), "XBT");
        assert_eq!(kraken_asset("ETH"), "ETH");
    }

    #[test]
    fn every_pair_name_maps_to_one_symbol() {
        let btc: Symbol = "BTC/USD".parse().unwrap();
        let mut map = SymbolMap::new();
        map.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            btc.clone(),
        );
        for name in ["XXBTZUSD", "XBTUSD", "XBT/USD", "BTC/USD"] {
            assert_eq!(map.symbol(name).unwrap(), btc, "{name}");
        }
        assert_eq!(map.rest_pair(&btc).unwrap(), "XBTUSD");
        assert_eq!(map.symbol("XDG/EUR").unwrap().to_string(), "DOGE/EUR");
        assert_eq!(
            map.symbol("NOPE").unwrap_err().kind(),
            crate::ErrorKind::BadSymbol
        );
        assert_eq!(v2_symbol(&btc), "BTC/USD");
    }
}
