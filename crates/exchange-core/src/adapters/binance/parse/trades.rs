//! Public trades (§5): the `<s>@trade` and `<s>@aggTrade` streams.
//!
//! `m` ("is the buyer the market maker") gives the aggressor: a maker buyer means the taker sold.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{Side, Trade};

fn taker_side(buyer_is_maker: bool) -> Side {
    if buyer_is_maker {
        Side::Sell
    } else {
        Side::Buy
    }
}

/// A raw trade, `<s>@trade` (no live capture exists; this is the documented example).
///
/// ```json
/// {"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100",
///  "T":1672515782136,"m":true,"M":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TradeEvent {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Trade id.
    #[serde(rename = "t")]
    pub trade_id: u64,
    /// Price.
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Quantity.
    #[serde(rename = "q")]
    pub quantity: Decimal,
    /// Trade time, ms.
    #[serde(rename = "T")]
    pub trade_time: i64,
    /// Whether the buyer was the maker.
    #[serde(rename = "m")]
    pub buyer_is_maker: bool,
}

impl TradeEvent {
    /// The normalized trade.
    pub fn to_trade(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Trade> {
        Ok(Trade {
            symbol: symbols.symbol(&self.symbol)?.clone(),
            trade_id: self.trade_id.to_string(),
            price: self.price,
            quantity: self.quantity,
            taker_side: Some(taker_side(self.buyer_is_maker)),
            exchange_ts_ns: ms_to_ns(self.trade_time),
            local_ts_ns,
        })
    }
}

/// An aggregate trade, `<s>@aggTrade` (live capture, spot; USD-M has the same fields minus `M`).
///
/// ```json
/// {"e":"aggTrade","E":1633998523963,"s":"NKNUSDT","a":15683430,"p":"0.35280000",
///  "q":"58.00000000","f":19862790,"l":19862790,"T":1633998523963,"m":false,"M":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AggTradeEvent {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Aggregate trade id.
    #[serde(rename = "a")]
    pub agg_trade_id: u64,
    /// Price.
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Quantity.
    #[serde(rename = "q")]
    pub quantity: Decimal,
    /// First trade id aggregated.
    #[serde(rename = "f")]
    pub first_trade_id: u64,
    /// Last trade id aggregated.
    #[serde(rename = "l")]
    pub last_trade_id: u64,
    /// Trade time, ms.
    #[serde(rename = "T")]
    pub trade_time: i64,
    /// Whether the buyer was the maker.
    #[serde(rename = "m")]
    pub buyer_is_maker: bool,
}

impl AggTradeEvent {
    /// The normalized trade; its id is the aggregate trade id.
    pub fn to_trade(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Trade> {
        Ok(Trade {
            symbol: symbols.symbol(&self.symbol)?.clone(),
            trade_id: self.agg_trade_id.to_string(),
            price: self.price,
            quantity: self.quantity,
            taker_side: Some(taker_side(self.buyer_is_maker)),
            exchange_ts_ns: ms_to_ns(self.trade_time),
            local_ts_ns,
        })
    }
}
