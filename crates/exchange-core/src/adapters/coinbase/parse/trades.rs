//! Market trades (§2): `GET /products/{product_id}/ticker` → [`Trade`]s, newest first, plus
//! the best bid and ask → [`Ticker`].

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::opt_decimal;
use super::time::rfc3339_to_ns;
use crate::ExchangeError;
use crate::adapters::coinbase::symbols;
use crate::model::{Side, Ticker, Trade};

/// `BUY` / `SELL` on the wire (the aggressor side for public trades).
pub fn parse_side(text: &str) -> crate::Result<Side> {
    match text {
        "BUY" | "buy" => Ok(Side::Buy),
        "SELL" | "sell" => Ok(Side::Sell),
        other => Err(ExchangeError::InvalidResponse(format!(
            "coinbase: unknown side {other:?}"
        ))),
    }
}

/// One public trade (live capture).
///
/// ```json
/// {"trade_id":"995098663","product_id":"BTC-USD","price":"68923.67","size":"0.00064",
///  "time":"2026-04-07T00:28:58.544778Z","side":"SELL","bid":"","ask":"","exchange":"coinbase"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MarketTrade {
    /// Trade id.
    pub trade_id: String,
    /// Product id.
    pub product_id: String,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub size: Decimal,
    /// Trade time, RFC 3339.
    pub time: String,
    /// Aggressor side, `BUY` or `SELL`.
    pub side: String,
}

impl MarketTrade {
    /// The normalized trade.
    pub fn to_trade(&self, local_ts_ns: i64) -> crate::Result<Trade> {
        Ok(Trade {
            symbol: symbols::to_symbol(&self.product_id)?,
            trade_id: self.trade_id.clone(),
            price: self.price,
            quantity: self.size,
            taker_side: Some(parse_side(&self.side)?),
            exchange_ts_ns: rfc3339_to_ns(&self.time)?,
            local_ts_ns,
        })
    }
}

/// `GET /products/BTC-USD/ticker?limit=3` (live capture, abridged to one trade).
///
/// ```json
/// {"trades":[{"trade_id":"995098663","product_id":"BTC-USD","price":"68923.67",
///  "size":"0.00064","time":"2026-04-07T00:28:58.544778Z","side":"SELL","bid":"","ask":""}],
///  "best_bid":"68923.66","best_ask":"68923.67"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MarketTradesResponse {
    /// Trades, newest first.
    pub trades: Vec<MarketTrade>,
    /// Best bid.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_bid: Option<Decimal>,
    /// Best ask.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_ask: Option<Decimal>,
}

impl MarketTradesResponse {
    /// The normalized trades, newest first as received.
    pub fn to_trades(&self, local_ts_ns: i64) -> crate::Result<Vec<Trade>> {
        self.trades
            .iter()
            .map(|t| t.to_trade(local_ts_ns))
            .collect()
    }

    /// A ticker of `product_id`: best bid/ask, last price and time from the newest trade.
    pub fn to_ticker(&self, product_id: &str, local_ts_ns: i64) -> crate::Result<Ticker> {
        let newest = self.trades.first();
        Ok(Ticker {
            symbol: symbols::to_symbol(product_id)?,
            bid: self.best_bid,
            bid_qty: None,
            ask: self.best_ask,
            ask_qty: None,
            last: newest.map(|t| t.price),
            open_24h: None,
            high_24h: None,
            low_24h: None,
            volume_24h: None,
            quote_volume_24h: None,
            exchange_ts_ns: match newest {
                Some(t) => rfc3339_to_ns(&t.time)?,
                None => 0,
            },
            local_ts_ns,
        })
    }
}
