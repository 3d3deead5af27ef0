//! Public REST market data: `Ticker`, `Depth`, `Trades` (§2).
//!
//! Each result is keyed by the pair key (`XXBTZUSD`); `Trades` adds a `last` cursor beside it.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Num, from_json, parse_side};
use crate::ExchangeError;
use crate::adapters::kraken::SymbolMap;
use crate::model::{BookSnapshot, Level, Symbol, Ticker, Trade};

/// The single pair entry of a result keyed by pair (ignoring `last`), with its pair key.
fn single_pair<'a>(
    what: &str,
    result: &'a HashMap<String, Box<RawValue>>,
) -> crate::Result<(&'a str, &'a RawValue)> {
    result
        .iter()
        .find(|(k, _)| k.as_str() != "last")
        .map(|(k, v)| (k.as_str(), v.as_ref()))
        .ok_or_else(|| ExchangeError::InvalidResponse(format!("kraken {what}: no pair in result")))
}

/// One pair of the `Ticker` result (Kraken docs example):
///
/// ```json
/// {"a":["30300.10000","1","1.000"],"b":["30300.00000","1","1.000"],
///  "c":["30303.20000","0.00067643"],"v":["4083.67001100","4412.73601799"],
///  "p":["30706.77771","30689.13205"],"t":[34619,38907],"l":["29868.30000","29868.30000"],
///  "h":["31631.00000","31631.00000"],"o":"30502.80000"}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct RestTicker {
    /// Ask `[price, whole lot volume, lot volume]`.
    pub a: (Num, Num, Num),
    /// Bid `[price, whole lot volume, lot volume]`.
    pub b: (Num, Num, Num),
    /// Last trade `[price, lot volume]`.
    pub c: (Num, Num),
    /// Volume `[today, last 24 hours]`.
    pub v: (Num, Num),
    /// VWAP `[today, last 24 hours]`.
    pub p: (Num, Num),
    /// Low `[today, last 24 hours]`.
    pub l: (Num, Num),
    /// High `[today, last 24 hours]`.
    pub h: (Num, Num),
    /// Today's opening price (since 00:00 UTC, not 24 hours ago).
    pub o: Num,
}

impl RestTicker {
    /// The normalized ticker; the quote volume is the 24 h volume × 24 h VWAP.
    pub fn to_ticker(&self, symbol: Symbol, local_ts_ns: i64) -> Ticker {
        Ticker {
            symbol,
            bid: Some(self.b.0.value()),
            bid_qty: Some(self.b.2.value()),
            ask: Some(self.a.0.value()),
            ask_qty: Some(self.a.2.value()),
            last: Some(self.c.0.value()),
            open_24h: None,
            high_24h: Some(self.h.1.value()),
            low_24h: Some(self.l.1.value()),
            volume_24h: Some(self.v.1.value()),
            quote_volume_24h: self.v.1.value().checked_mul(self.p.1.value()),
            exchange_ts_ns: 0,
            local_ts_ns,
        }
    }
}

/// Parses a `Ticker` body for one pair.
pub fn parse_ticker(body: &str, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Ticker> {
    let result: HashMap<String, Box<RawValue>> = super::parse_result("Ticker", body)?;
    let (pair, raw) = single_pair("Ticker", &result)?;
    let ticker: RestTicker = from_json("Ticker", raw.get())?;
    Ok(ticker.to_ticker(symbols.symbol(pair)?, local_ts_ns))
}

/// One pair of the `Depth` result (Kraken docs example); levels are `[price, volume, time]`:
///
/// ```json
/// {"asks":[["30384.10000","2.059",1688671659]],"bids":[["30297.00000","0.115",1688671659]]}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct RestDepth {
    /// Asks, lowest first.
    pub asks: Vec<(Num, Num, i64)>,
    /// Bids, highest first.
    pub bids: Vec<(Num, Num, i64)>,
}

fn levels(rows: &[(Num, Num, i64)]) -> Vec<Level> {
    rows.iter()
        .map(|(p, q, _)| Level::new(p.value(), q.value()))
        .collect()
}

/// Parses a `Depth` body for one pair into a snapshot; its time is the newest level's.
pub fn parse_depth(
    body: &str,
    symbols: &SymbolMap,
    local_ts_ns: i64,
) -> crate::Result<BookSnapshot> {
    let result: HashMap<String, Box<RawValue>> = super::parse_result("Depth", body)?;
    let (pair, raw) = single_pair("Depth", &result)?;
    let depth: RestDepth = from_json("Depth", raw.get())?;
    let newest = depth.asks.iter().chain(&depth.bids).map(|l| l.2).max();
    Ok(BookSnapshot {
        symbol: symbols.symbol(pair)?,
        bids: levels(&depth.bids),
        asks: levels(&depth.asks),
        venue_seq: None,
        exchange_ts_ns: newest.map_or(0, |s| s.saturating_mul(1_000_000_000)),
        local_ts_ns,
    })
}

/// One row of the `Trades` result (Kraken docs example):
/// `[price, volume, time, buy/sell, market/limit, miscellaneous, trade_id]`.
///
/// ```json
/// ["30243.40000","0.34507674",1688669597.8277369,"b","m","",61044952]
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct RestTradeRow(
    pub Num,
    pub Num,
    pub Num,
    pub String,
    pub String,
    pub String,
    pub u64,
);

impl RestTradeRow {
    /// The normalized trade (`b`/`s` is the aggressor's side).
    pub fn to_trade(&self, symbol: Symbol, local_ts_ns: i64) -> crate::Result<Trade> {
        Ok(Trade {
            symbol,
            trade_id: self.6.to_string(),
            price: self.0.value(),
            quantity: self.1.value(),
            taker_side: Some(parse_side(&self.3)?),
            exchange_ts_ns: self.2.seconds_to_ns().unwrap_or(0),
            local_ts_ns,
        })
    }
}

/// Parses a `Trades` body for one pair: the trades, oldest first, and the `last` cursor for
/// the next `since=`.
pub fn parse_trades(
    body: &str,
    symbols: &SymbolMap,
    local_ts_ns: i64,
) -> crate::Result<(Vec<Trade>, Option<String>)> {
    let result: HashMap<String, Box<RawValue>> = super::parse_result("Trades", body)?;
    let (pair, raw) = single_pair("Trades", &result)?;
    let symbol = symbols.symbol(pair)?;
    let rows: Vec<RestTradeRow> = from_json("Trades", raw.get())?;
    let last = match result.get("last") {
        Some(raw) => Some(
            from_json::<Num>("Trades last", raw.get())?
                .text()
                .to_owned(),
        ),
        None => None,
    };
    let trades = rows
        .iter()
        .map(|r| r.to_trade(symbol.clone(), local_ts_ns))
        .collect::<crate::Result<_>>()?;
    Ok((trades, last))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::symbols::PairNames;
    use crate::model::Side;

    fn map() -> SymbolMap {
        let mut map = SymbolMap::new();
        map.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            "BTC/USD".parse().unwrap(),
        );
        map
    }

    #[test]
    fn ticker_depth_and_trades_from_the_doc_examples() {
        let body = r#"{"error":[],"result":{"XXBTZUSD":{"a":["30300.10000","1","1.000"],"b":["30300.00000","1","1.000"],"c":["30303.20000","0.00067643"],"v":["4083.67001100","4412.73601799"],"p":["30706.77771","30689.13205"],"t":[34619,38907],"l":["29868.30000","29868.30000"],"h":["31631.00000","31631.00000"],"o":"30502.80000"}}}"#;
        let t = parse_ticker(body, &map(), 7).unwrap();
        assert_eq!(t.symbol.to_string(), "BTC/USD");
        assert_eq!(
            (t.bid, t.ask),
            (Some(dec!(30300.00000)), Some(dec!(30300.10000)))
        );
        assert_eq!(t.bid_qty, Some(dec!(1.000)));
        assert_eq!(t.last, Some(dec!(30303.20000)));
        assert_eq!(t.volume_24h, Some(dec!(4412.73601799)));
        assert_eq!(t.high_24h, Some(dec!(31631.00000)));

        let body = r#"{"error":[],"result":{"XXBTZUSD":{"asks":[["30384.10000","2.059",1688671659],["30387.90000","1.500",1688671380]],"bids":[["30297.00000","0.115",1688671659]]}}}"#;
        let book = parse_depth(body, &map(), 7).unwrap();
        assert_eq!(book.asks[1], Level::new(dec!(30387.9), dec!(1.5)));
        assert_eq!(book.bids[0].qty.to_string(), "0.115");
        assert_eq!(book.exchange_ts_ns, 1_688_671_659_000_000_000);

        let body = r#"{"error":[],"result":{"XXBTZUSD":[["30243.40000","0.34507674",1688669597.8277369,"b","m","",61044952],["30243.30000","0.00376960",1688669598.2804112,"s","l","",61044953]],"last":"1688671969993150842"}}"#;
        let (trades, last) = parse_trades(body, &map(), 7).unwrap();
        assert_eq!(last.as_deref(), Some("1688671969993150842"));
        assert_eq!(trades[0].trade_id, "61044952");
        assert_eq!(trades[0].taker_side, Some(Side::Buy));
        assert_eq!(trades[1].taker_side, Some(Side::Sell));
        assert_eq!(trades[0].exchange_ts_ns, 1_688_669_597_827_736_900);
    }
}
