//! The markets an adapter knows, from its last `exchangeInfo`: for order validation and for
//! mapping venue ids ⇄ unified symbols in every parsed payload.

use std::collections::HashMap;

use super::SymbolMap;
use crate::model::{Market, Symbol};
use crate::{ExchangeError, Result};

/// One product's markets, indexed both ways.
#[derive(Debug, Clone, Default)]
pub struct MarketCache {
    markets: Vec<Market>,
    by_symbol: HashMap<Symbol, usize>,
    symbols: SymbolMap,
}

impl MarketCache {
    /// The cache of these markets.
    pub fn new(markets: Vec<Market>) -> Self {
        let by_symbol = markets
            .iter()
            .enumerate()
            .map(|(i, m)| (m.symbol.clone(), i))
            .collect();
        let symbols = SymbolMap::from_markets(&markets);
        MarketCache {
            markets,
            by_symbol,
            symbols,
        }
    }

    /// Every market.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// The venue id ⇄ symbol map.
    pub fn symbols(&self) -> &SymbolMap {
        &self.symbols
    }

    /// The market of `symbol`, or [`ExchangeError::BadSymbol`].
    pub fn market(&self, symbol: &Symbol) -> Result<&Market> {
        self.by_symbol
            .get(symbol)
            .and_then(|i| self.markets.get(*i))
            .ok_or_else(|| ExchangeError::BadSymbol(format!("{symbol} is not listed on Binance")))
    }

    /// The venue id of `symbol`.
    pub fn venue_id(&self, symbol: &Symbol) -> Result<&str> {
        self.market(symbol).map(|m| m.venue_id.as_str())
    }
}
