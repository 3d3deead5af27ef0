//! `GET /0/public/OHLC` → [`Candle`]s (§2).
//!
//! Rows are `[time, open, high, low, close, vwap, volume, count]` (time and count JSON
//! integers, the rest strings); at most the 720 most recent rows are returned, and the **last
//! row is the current, uncommitted candle** (`closed = false`). `last` is the `since=` cursor.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Num, from_json};
use crate::ExchangeError;
use crate::adapters::kraken::SymbolMap;
use crate::model::{Candle, Symbol, Timeframe};

/// The most rows one OHLC call returns.
pub const MAX_ROWS: usize = 720;

/// Kraken's `interval` (minutes) for a timeframe; `None` for those it does not offer.
pub fn interval_minutes(timeframe: Timeframe) -> Option<u32> {
    Some(match timeframe {
        Timeframe::M1 => 1,
        Timeframe::M5 => 5,
        Timeframe::M15 => 15,
        Timeframe::M30 => 30,
        Timeframe::H1 => 60,
        Timeframe::H4 => 240,
        Timeframe::D1 => 1440,
        Timeframe::W1 => 10080,
        _ => return None,
    })
}

/// One OHLC row (fixture `kraken_rest_ohlc.json`):
///
/// ```json
/// [1762777200,"106038.1","106044.3","106038.1","106040.1","106039.6","0.08317981",3]
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct OhlcRow(
    pub i64,
    pub Num,
    pub Num,
    pub Num,
    pub Num,
    pub Num,
    pub Num,
    pub u64,
);

impl OhlcRow {
    /// The normalized candle; `closed` is false for the last (uncommitted) row.
    pub fn to_candle(&self, symbol: Symbol, timeframe: Timeframe, closed: bool) -> Candle {
        const NS: i64 = 1_000_000_000;
        let seconds = i64::try_from(timeframe.nominal_seconds()).unwrap_or(i64::MAX);
        let open_time_ns = self.0.saturating_mul(NS);
        Candle {
            symbol,
            timeframe,
            open_time_ns,
            close_time_ns: open_time_ns
                .saturating_add(seconds.saturating_mul(NS))
                .saturating_sub(1),
            open: self.1.value(),
            high: self.2.value(),
            low: self.3.value(),
            close: self.4.value(),
            volume: self.6.value(),
            quote_volume: self.5.value().checked_mul(self.6.value()),
            trades: Some(self.7),
            closed,
        }
    }
}

/// A parsed OHLC result: the candles, oldest first, and the `last` cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OhlcPage {
    /// Candles, oldest first; the last one is open.
    pub candles: Vec<Candle>,
    /// The `since=` cursor for the next call (the last committed candle's time).
    pub last: Option<i64>,
}

/// Parses an OHLC body for one pair.
pub fn parse_ohlc(
    body: &str,
    symbols: &SymbolMap,
    timeframe: Timeframe,
) -> crate::Result<OhlcPage> {
    let result: HashMap<String, Box<RawValue>> = super::parse_result("OHLC", body)?;
    let (pair, raw) = result
        .iter()
        .find(|(k, _)| k.as_str() != "last")
        .ok_or_else(|| ExchangeError::InvalidResponse("kraken OHLC: no pair in result".into()))?;
    let symbol = symbols.symbol(pair)?;
    let rows: Vec<OhlcRow> = from_json("OHLC", raw.get())?;
    let last = match result.get("last") {
        Some(raw) => Some(from_json::<i64>("OHLC last", raw.get())?),
        None => None,
    };
    let n = rows.len();
    let candles = rows
        .iter()
        .enumerate()
        .map(|(i, row)| row.to_candle(symbol.clone(), timeframe, i + 1 < n))
        .collect();
    Ok(OhlcPage { candles, last })
}
