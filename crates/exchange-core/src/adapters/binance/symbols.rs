//! Binance venue ids (`BTCUSDT`) ⇄ unified symbols.
//!
//! Binance ids are the base and quote assets glued together, so an id cannot be split reliably on
//! its own (`BTCUSDT` vs a hypothetical `BTCU`/`SDT`): the mapping comes from exchangeInfo's
//! `baseAsset`/`quoteAsset` (and `marginAsset` on USD-M futures). Spot and margin markets are
//! `BASE/QUOTE`; USD-M perpetuals are `BASE/QUOTE:SETTLE` with the margin asset as settlement
//! (`BTCUSDT` perpetual → `BTC/USDT:USDT`).

use std::collections::HashMap;

use super::Product;
use crate::ExchangeError;
use crate::model::{Market, Symbol, SymbolParseError};

/// Quote assets tried, longest first, by [`guess_symbol`] when no exchangeInfo is at hand.
const KNOWN_QUOTES: [&str; 14] = [
    "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "DAI", "BTC", "ETH", "BNB", "EUR", "TRY",
    "BRL", "JPY",
];

/// The unified symbol of a Binance market from its exchangeInfo assets.
///
/// `settle` is the USD-M `marginAsset`; it is ignored for spot and margin.
pub fn unified_symbol(
    product: Product,
    base_asset: &str,
    quote_asset: &str,
    settle: Option<&str>,
) -> Result<Symbol, SymbolParseError> {
    match product {
        Product::Spot | Product::Margin => Symbol::spot(base_asset, quote_asset),
        Product::UsdM => Symbol::derivative(base_asset, quote_asset, settle.unwrap_or(quote_asset)),
    }
}

/// Best-effort split of a venue id by well-known quote assets, for offline tools that have no
/// exchangeInfo (`LRCBTC` → `LRC/BTC`). Adapters use a [`SymbolMap`] built from exchangeInfo.
pub fn guess_symbol(product: Product, venue_id: &str) -> Option<Symbol> {
    let id = venue_id.to_ascii_uppercase();
    KNOWN_QUOTES.iter().find_map(|quote| {
        let base = id.strip_suffix(quote)?;
        unified_symbol(product, base, quote, None).ok()
    })
}

/// The lower-case stream prefix of a venue id (`BTCUSDT` → `btcusdt`, as in `btcusdt@depth`).
pub fn stream_symbol(venue_id: &str) -> String {
    venue_id.to_ascii_lowercase()
}

/// Both directions of the venue id ⇄ unified symbol mapping for one product.
#[derive(Debug, Clone, Default)]
pub struct SymbolMap {
    by_id: HashMap<String, Symbol>,
    by_symbol: HashMap<Symbol, String>,
}

impl SymbolMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// The map of these markets (as parsed from exchangeInfo).
    pub fn from_markets(markets: &[Market]) -> Self {
        let mut map = Self::new();
        for market in markets {
            map.insert(&market.venue_id, market.symbol.clone());
        }
        map
    }

    /// Adds (or replaces) one mapping.
    pub fn insert(&mut self, venue_id: &str, symbol: Symbol) {
        let id = venue_id.to_ascii_uppercase();
        self.by_symbol.insert(symbol.clone(), id.clone());
        self.by_id.insert(id, symbol);
    }

    /// The unified symbol of a venue id (any case, as stream names are lower-case).
    pub fn symbol(&self, venue_id: &str) -> crate::Result<&Symbol> {
        self.by_id
            .get(venue_id)
            .or_else(|| self.by_id.get(&venue_id.to_ascii_uppercase()))
            .ok_or_else(|| ExchangeError::BadSymbol(format!("unknown Binance symbol {venue_id}")))
    }

    /// The venue id of a unified symbol.
    pub fn venue_id(&self, symbol: &Symbol) -> crate::Result<&str> {
        self.by_symbol
            .get(symbol)
            .map(String::as_str)
            .ok_or_else(|| ExchangeError::BadSymbol(format!("{symbol} is not listed on Binance")))
    }

    /// Number of markets mapped.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no market is mapped.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn spot_and_usdm_symbols_come_from_assets() {
        let spot = unified_symbol(Product::Spot, "BTC", "USDT", None).unwrap();
        assert_eq!(spot.to_string(), "BTC/USDT");
        let perp = unified_symbol(Product::UsdM, "BTC", "USDT", Some("USDT")).unwrap();
        assert_eq!(perp.to_string(), "BTC/USDT:USDT");
        assert!(unified_symbol(Product::Spot, "btc", "USDT", None).is_err());
    }

    #[test]
    fn map_resolves_both_ways_in_any_case() {
        let mut map = SymbolMap::new();
        map.insert("BTCUSDT", "BTC/USDT".parse().unwrap());
        assert_eq!(map.symbol("btcusdt").unwrap().to_string(), "BTC/USDT");
        assert_eq!(
            map.venue_id(&"BTC/USDT".parse().unwrap()).unwrap(),
            "BTCUSDT"
        );
        assert_eq!(
            map.symbol("ETHBTC").unwrap_err().kind(),
            ErrorKind::BadSymbol
        );
        assert_eq!(
            map.venue_id(&"ETH/BTC".parse().unwrap())
                .unwrap_err()
                .kind(),
            ErrorKind::BadSymbol
        );
    }

    #[test]
    fn guesses_by_known_quotes() {
        assert_eq!(
            guess_symbol(Product::Spot, "LRCBTC").unwrap().to_string(),
            "LRC/BTC"
        );
        assert_eq!(
            guess_symbol(Product::UsdM, "btcusdt").unwrap().to_string(),
            "BTC/USDT:USDT"
        );
        assert_eq!(guess_symbol(Product::Spot, "USDT"), None, "empty base");
        assert_eq!(guess_symbol(Product::Spot, "ABCXYZ"), None);
        assert_eq!(stream_symbol("BTCUSDT"), "btcusdt");
    }
}
