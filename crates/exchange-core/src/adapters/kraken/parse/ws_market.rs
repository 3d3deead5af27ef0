//! WebSocket v2 `trade`, `ticker`, `ohlc` and `instrument` channels (§5.2).
//!
//! Shapes from the Kraken docs pages of each channel (no live capture of these four is in the
//! fixtures; see `kraken.md` §8). Numbers are JSON numbers, read as [`Num`].

use rust_decimal::Decimal;
use serde::Deserialize;

use super::time::rfc3339_to_ns;
use super::{Num, parse_side};
use crate::ExchangeError;
use crate::adapters::kraken::symbols::symbol_from_wsname;
use crate::model::{Candle, Market, MarketKind, Symbol, Ticker, Timeframe, Trade};

fn symbol(name: &str) -> crate::Result<Symbol> {
    symbol_from_wsname(name)
        .map_err(|e| ExchangeError::InvalidResponse(format!("kraken v2 symbol {name:?}: {e}")))
}

fn ts(text: &str) -> i64 {
    rfc3339_to_ns(text).unwrap_or(0)
}

/// One `trade` entry (Kraken docs example):
///
/// ```json
/// {"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit",
///  "trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsTrade {
    /// v2 symbol.
    pub symbol: String,
    /// The taker's side.
    pub side: String,
    /// Price.
    pub price: Num,
    /// Quantity.
    pub qty: Num,
    /// Trade id (per pair).
    pub trade_id: u64,
    /// Time, RFC 3339.
    pub timestamp: String,
}

impl WsTrade {
    /// The normalized trade.
    pub fn to_trade(&self, local_ts_ns: i64) -> crate::Result<Trade> {
        Ok(Trade {
            symbol: symbol(&self.symbol)?,
            trade_id: self.trade_id.to_string(),
            price: self.price.value(),
            quantity: self.qty.value(),
            taker_side: Some(parse_side(&self.side)?),
            exchange_ts_ns: ts(&self.timestamp),
            local_ts_ns,
        })
    }
}

/// One `ticker` entry (Kraken docs example):
///
/// ```json
/// {"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,"ask_qty":1920.0,
///  "last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,
///  "change":-0.00017,"change_pct":-0.17}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsTicker {
    /// v2 symbol.
    pub symbol: String,
    /// Best bid.
    pub bid: Num,
    /// Best bid quantity.
    pub bid_qty: Num,
    /// Best ask.
    pub ask: Num,
    /// Best ask quantity.
    pub ask_qty: Num,
    /// Last trade price.
    pub last: Num,
    /// 24 h volume.
    pub volume: Num,
    /// 24 h VWAP.
    pub vwap: Num,
    /// 24 h low.
    pub low: Num,
    /// 24 h high.
    pub high: Num,
    /// 24 h price change.
    pub change: Num,
    /// Time, RFC 3339, when sent.
    #[serde(default)]
    pub timestamp: Option<String>,
}

impl WsTicker {
    /// The normalized ticker (open = last − change; quote volume = volume × VWAP).
    pub fn to_ticker(&self, local_ts_ns: i64) -> crate::Result<Ticker> {
        let last = self.last.value();
        Ok(Ticker {
            symbol: symbol(&self.symbol)?,
            bid: Some(self.bid.value()),
            bid_qty: Some(self.bid_qty.value()),
            ask: Some(self.ask.value()),
            ask_qty: Some(self.ask_qty.value()),
            last: Some(last),
            open_24h: last.checked_sub(self.change.value()),
            high_24h: Some(self.high.value()),
            low_24h: Some(self.low.value()),
            volume_24h: Some(self.volume.value()),
            quote_volume_24h: self.volume.value().checked_mul(self.vwap.value()),
            exchange_ts_ns: self.timestamp.as_deref().map_or(0, ts),
            local_ts_ns,
        })
    }
}

/// One `ohlc` entry (Kraken docs example):
///
/// ```json
/// {"symbol":"MATIC/USD","open":0.5624,"high":0.5628,"low":0.5622,"close":0.5627,
///  "trades":12,"volume":30927.68066226,"vwap":0.5626,
///  "interval_begin":"2023-10-04T16:25:00.000000000Z","interval":5,
///  "timestamp":"2023-10-04T16:30:00.000000Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsCandle {
    /// v2 symbol.
    pub symbol: String,
    /// Open.
    pub open: Num,
    /// High.
    pub high: Num,
    /// Low.
    pub low: Num,
    /// Close (latest).
    pub close: Num,
    /// Trade count.
    pub trades: u64,
    /// Base volume.
    pub volume: Num,
    /// VWAP.
    pub vwap: Num,
    /// Interval start, RFC 3339.
    pub interval_begin: String,
    /// Interval, minutes.
    pub interval: u32,
}

impl WsCandle {
    /// The normalized candle. The channel streams the current interval, so `closed` is false;
    /// a candle is final once a candle with a later `interval_begin` arrives.
    pub fn to_candle(&self) -> crate::Result<Candle> {
        let timeframe = Timeframe::ALL
            .into_iter()
            .find(|tf| super::ohlc::interval_minutes(*tf) == Some(self.interval))
            .ok_or_else(|| {
                ExchangeError::InvalidResponse(format!("kraken ohlc interval {}", self.interval))
            })?;
        let open_time_ns = rfc3339_to_ns(&self.interval_begin).ok_or_else(|| {
            ExchangeError::InvalidResponse("kraken ohlc interval_begin is not RFC 3339".into())
        })?;
        let len_ns = i64::from(self.interval) * 60 * 1_000_000_000;
        Ok(Candle {
            symbol: symbol(&self.symbol)?,
            timeframe,
            open_time_ns,
            close_time_ns: open_time_ns + len_ns - 1,
            open: self.open.value(),
            high: self.high.value(),
            low: self.low.value(),
            close: self.close.value(),
            volume: self.volume.value(),
            quote_volume: self.volume.value().checked_mul(self.vwap.value()),
            trades: Some(self.trades),
            closed: false,
        })
    }
}

/// One pair of the `instrument` channel (Kraken docs example):
///
/// ```json
/// {"symbol":"EUR/USD","base":"EUR","quote":"USD","status":"online","qty_precision":8,
///  "qty_increment":0.00000001,"price_precision":5,"cost_precision":5,"marginable":false,
///  "has_index":true,"cost_min":0.50,"tick_size":0.00001,"price_increment":0.00001,
///  "qty_min":0.50000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsInstrumentPair {
    /// v2 symbol.
    pub symbol: String,
    /// `online`, `cancel_only`, `post_only`, `limit_only`, `reduce_only`, `maintenance`, ….
    pub status: String,
    /// Quantity decimals.
    pub qty_precision: u32,
    /// Quantity step.
    pub qty_increment: Num,
    /// Price decimals.
    pub price_precision: u32,
    /// Price step.
    #[serde(default)]
    pub tick_size: Option<Num>,
    /// Price step (older name).
    #[serde(default)]
    pub price_increment: Option<Num>,
    /// Minimum quantity.
    pub qty_min: Num,
    /// Minimum cost.
    #[serde(default)]
    pub cost_min: Option<Num>,
}

impl WsInstrumentPair {
    /// The normalized market (`venue_id` is the v2 symbol).
    pub fn to_market(&self) -> crate::Result<Market> {
        let symbol = symbol(&self.symbol)?;
        let tick = self
            .tick_size
            .as_ref()
            .or(self.price_increment.as_ref())
            .map_or_else(|| super::markets::step(self.price_precision), Num::value);
        Ok(Market {
            venue_id: self.symbol.clone(),
            kind: MarketKind::Spot,
            base: symbol.base().to_owned(),
            quote: symbol.quote().to_owned(),
            settle: None,
            tick_size: tick,
            lot_size: self.qty_increment.value(),
            min_qty: Some(self.qty_min.value()).filter(|q| *q > Decimal::ZERO),
            max_qty: None,
            min_notional: self.cost_min.as_ref().map(Num::value),
            price_precision: self.price_precision,
            qty_precision: self.qty_precision,
            contract_size: None,
            active: self.status == "online",
            symbol,
        })
    }
}

/// The `instrument` channel's `data`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsInstrumentData {
    /// Pairs.
    #[serde(default)]
    pub pairs: Vec<WsInstrumentPair>,
}

/// A channel frame whose `data` is a list (`trade`, `ticker`, `ohlc`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListFrame<T> {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Entries.
    pub data: Vec<T>,
}

/// The `instrument` frame.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InstrumentFrame {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Assets and pairs.
    pub data: WsInstrumentData,
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::parse::from_json;

    #[test]
    fn doc_examples_map_to_normalized_types() {
        let f: ListFrame<WsTrade> = from_json("trade", r#"{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"}]}"#).unwrap();
        let t = f.data[0].to_trade(1).unwrap();
        assert_eq!((t.price, t.quantity), (dec!(0.5147), dec!(6423.46326)));
        assert_eq!(t.trade_id, "4665846");
        let f: ListFrame<WsTicker> = from_json("ticker", r#"{"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,"ask_qty":1920.0,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17}]}"#).unwrap();
        let t = f.data[0].to_ticker(1).unwrap();
        assert_eq!(t.open_24h, Some(dec!(0.10052)));
        assert_eq!(t.bid_qty.unwrap().to_string(), "740.0");
        let f: ListFrame<WsCandle> = from_json("ohlc", r#"{"channel":"ohlc","type":"update","data":[{"symbol":"MATIC/USD","open":0.5624,"high":0.5628,"low":0.5622,"close":0.5627,"trades":12,"volume":30927.68066226,"vwap":0.5626,"interval_begin":"2023-10-04T16:25:00.000000000Z","interval":5,"timestamp":"2023-10-04T16:30:00.000000Z"}]}"#).unwrap();
        let c = f.data[0].to_candle().unwrap();
        assert_eq!(c.timeframe, Timeframe::M5);
        assert!(!c.closed);
        assert_eq!(c.close_time_ns - c.open_time_ns, 300_000_000_000 - 1);
        let f: InstrumentFrame = from_json("instrument", r#"{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"EUR/USD","base":"EUR","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":5,"cost_precision":5,"marginable":false,"has_index":true,"cost_min":0.50,"tick_size":0.00001,"price_increment":0.00001,"qty_min":0.50000000}]}}"#).unwrap();
        let m = f.data.pairs[0].to_market().unwrap();
        assert_eq!(m.symbol.to_string(), "EUR/USD");
        assert_eq!((m.tick_size, m.lot_size), (dec!(0.00001), dec!(0.00000001)));
        assert_eq!(m.min_notional, Some(dec!(0.5)));
    }
}
