//! `GET /0/public/AssetPairs` → [`Market`]s and the [`SymbolMap`] (§2).

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::Num;
use crate::adapters::kraken::symbols::{PairNames, SymbolMap, normalize_asset, symbol_from_wsname};
use crate::model::{Market, MarketKind, Symbol};

/// One pair of AssetPairs' `result`, keyed by the pair key (`XETHXXBT`). Kraken docs example:
///
/// ```json
/// {"altname":"ETHXBT","wsname":"ETH/XBT","aclass_base":"currency","base":"XETH",
///  "aclass_quote":"currency","quote":"XXBT","lot":"unit","cost_decimals":6,"pair_decimals":5,
///  "lot_decimals":8,"lot_multiplier":1,"leverage_buy":[2,3,4,5],"leverage_sell":[2,3,4,5],
///  "fees":[[0,0.26],[50000,0.24]],"fees_maker":[[0,0.16],[50000,0.14]],
///  "fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"0.01",
///  "costmin":"0.00002","tick_size":"0.00001","status":"online"}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct AssetPair {
    /// Alternate name (`ETHXBT`): the `pair=` of requests and the pair of order descriptions.
    pub altname: String,
    /// v1 WebSocket name (`ETH/XBT`); absent on dark-pool pairs.
    #[serde(default)]
    pub wsname: Option<String>,
    /// Base asset code (`XETH`).
    pub base: String,
    /// Quote asset code (`XXBT`).
    pub quote: String,
    /// Price decimals.
    pub pair_decimals: u32,
    /// Volume decimals.
    pub lot_decimals: u32,
    /// Cost (price × volume) decimals.
    #[serde(default)]
    pub cost_decimals: Option<u32>,
    /// Minimum order volume.
    #[serde(default)]
    pub ordermin: Option<Num>,
    /// Minimum order cost, in the quote asset.
    #[serde(default)]
    pub costmin: Option<Num>,
    /// Price increment.
    #[serde(default)]
    pub tick_size: Option<Num>,
    /// `online`, `cancel_only`, `post_only`, `limit_only`, `reduce_only`.
    #[serde(default)]
    pub status: Option<String>,
    /// Margin leverage levels for buys (empty: no margin).
    #[serde(default)]
    pub leverage_buy: Vec<u32>,
}

/// AssetPairs' `result`: pair key → pair.
pub type AssetPairs = HashMap<String, AssetPair>;

/// `10^-decimals`: the step of a value with that many decimals.
pub(crate) fn step(decimals: u32) -> Decimal {
    Decimal::new(1, decimals.min(28))
}

impl AssetPair {
    /// The unified symbol: from `wsname` when present, else from `base`/`quote`.
    pub fn symbol(&self) -> Option<Symbol> {
        match &self.wsname {
            Some(ws) => symbol_from_wsname(ws).ok(),
            None => Symbol::spot(&normalize_asset(&self.base), &normalize_asset(&self.quote)).ok(),
        }
    }

    /// The normalized market (`venue_id` is the `wsname`, else the `altname`).
    pub fn to_market(&self, symbol: Symbol) -> Market {
        Market {
            venue_id: self.wsname.clone().unwrap_or_else(|| self.altname.clone()),
            kind: MarketKind::Spot,
            base: symbol.base().to_owned(),
            quote: symbol.quote().to_owned(),
            settle: None,
            tick_size: self
                .tick_size
                .as_ref()
                .map_or_else(|| step(self.pair_decimals), Num::value),
            lot_size: step(self.lot_decimals),
            min_qty: self.ordermin.as_ref().map(Num::value),
            max_qty: None,
            min_notional: self.costmin.as_ref().map(Num::value),
            price_precision: self.pair_decimals,
            qty_precision: self.lot_decimals,
            contract_size: None,
            active: self.status.as_deref().is_none_or(|s| s == "online"),
            symbol,
        }
    }
}

/// The markets of an AssetPairs result, sorted by symbol, and the map of every pair name.
/// Pairs whose assets form no unified symbol (dark-pool `.d` pairs) are skipped.
pub fn markets(pairs: &AssetPairs) -> (Vec<Market>, SymbolMap) {
    let mut map = SymbolMap::new();
    let mut markets = Vec::with_capacity(pairs.len());
    for (key, pair) in pairs {
        let Some(symbol) = pair.symbol() else {
            continue;
        };
        map.insert(
            PairNames {
                key: key.clone(),
                altname: pair.altname.clone(),
                wsname: pair.wsname.clone().unwrap_or_default(),
            },
            symbol.clone(),
        );
        markets.push(pair.to_market(symbol));
    }
    markets.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    (markets, map)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::parse::parse_result;

    const DOC_EXAMPLE: &str = r#"{"error":[],"result":{"XETHXXBT":{"altname":"ETHXBT","wsname":"ETH/XBT","aclass_base":"currency","base":"XETH","aclass_quote":"currency","quote":"XXBT","lot":"unit","cost_decimals":6,"pair_decimals":5,"lot_decimals":8,"lot_multiplier":1,"leverage_buy":[2,3,4,5],"leverage_sell":[2,3,4,5],"fees":[[0,0.26],[50000,0.24]],"fees_maker":[[0,0.16],[50000,0.14]],"fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"0.01","costmin":"0.00002","tick_size":"0.00001","status":"online"},"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD","pair_decimals":1,"lot_decimals":8,"cost_decimals":5,"ordermin":"0.00005","costmin":"0.5","tick_size":"0.1","status":"cancel_only"}}}"#;

    #[test]
    fn asset_pairs_become_markets_and_names() {
        let pairs: AssetPairs = parse_result("AssetPairs", DOC_EXAMPLE).unwrap();
        let (markets, map) = markets(&pairs);
        assert_eq!(markets.len(), 2);
        let btc = &markets[0];
        assert_eq!(btc.symbol.to_string(), "BTC/USD");
        assert_eq!(btc.venue_id, "XBT/USD");
        assert_eq!(btc.tick_size, dec!(0.1));
        assert_eq!(btc.lot_size, dec!(0.00000001));
        assert_eq!(btc.min_qty, Some(dec!(0.00005)));
        assert_eq!(btc.min_notional, Some(dec!(0.5)));
        assert_eq!((btc.price_precision, btc.qty_precision), (1, 8));
        assert!(!btc.active, "cancel_only is not open for new orders");
        let eth = &markets[1];
        assert_eq!(eth.symbol.to_string(), "ETH/BTC");
        assert_eq!(eth.tick_size, dec!(0.00001));
        assert_eq!(eth.min_notional, Some(dec!(0.00002)));
        assert!(eth.active);
        for name in ["XETHXXBT", "ETHXBT", "ETH/XBT", "ETH/BTC"] {
            assert_eq!(map.symbol(name).unwrap(), eth.symbol, "{name}");
        }
        assert_eq!(map.rest_pair(&btc.symbol).unwrap(), "XBTUSD");
    }
}
