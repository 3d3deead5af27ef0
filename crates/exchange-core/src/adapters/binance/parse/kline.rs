//! Candles: the `<s>@kline_<interval>` stream and `GET /api/v3/klines` rows.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::ExchangeError;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{Candle, Symbol, Timeframe};

fn timeframe(interval: &str) -> crate::Result<Timeframe> {
    interval
        .parse()
        .map_err(|e| ExchangeError::InvalidResponse(format!("binance kline interval: {e}")))
}

/// A kline stream event; `k.x` says whether the candle is closed.
///
/// ```json
/// {"e":"kline","E":1633998523963,"s":"NKNUSDT","k":{"t":1633998480000,"T":1633998539999,
///  "s":"NKNUSDT","i":"1m","f":19862761,"L":19862790,"o":"0.35270000","c":"0.35280000",
///  "h":"0.35280000","l":"0.35220000","v":"25877.00000000","n":30,"x":false,
///  "q":"9116.04600000","V":"58.00000000","Q":"20.46240000","B":"0"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KlineEvent {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// The candle.
    #[serde(rename = "k")]
    pub kline: KlineData,
}

/// The `k` object of a [`KlineEvent`].
///
/// ```json
/// {"t":1626992700000,"T":1626992759999,"s":"CTKUSDT","i":"1m","f":23961275,"L":23961322,
///  "o":"1.01000","c":"1.01100","h":"1.01100","l":"1.01000","v":"3917","n":48,"x":false,
///  "q":"3957.89900","V":"1729","Q":"1748.01900","B":"0"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KlineData {
    /// Open time, ms.
    #[serde(rename = "t")]
    pub open_time: i64,
    /// Close time, ms (inclusive).
    #[serde(rename = "T")]
    pub close_time: i64,
    /// Interval (`1m`, `1h`, …).
    #[serde(rename = "i")]
    pub interval: String,
    /// Open.
    #[serde(rename = "o")]
    pub open: Decimal,
    /// Close (latest).
    #[serde(rename = "c")]
    pub close: Decimal,
    /// High.
    #[serde(rename = "h")]
    pub high: Decimal,
    /// Low.
    #[serde(rename = "l")]
    pub low: Decimal,
    /// Base volume.
    #[serde(rename = "v")]
    pub volume: Decimal,
    /// Number of trades.
    #[serde(rename = "n")]
    pub trades: u64,
    /// Whether this candle is closed.
    #[serde(rename = "x")]
    pub closed: bool,
    /// Quote volume.
    #[serde(rename = "q")]
    pub quote_volume: Decimal,
}

impl KlineEvent {
    /// The normalized candle for `symbol`.
    pub fn to_candle(&self, symbol: Symbol) -> crate::Result<Candle> {
        let k = &self.kline;
        Ok(Candle {
            symbol,
            timeframe: timeframe(&k.interval)?,
            open_time_ns: ms_to_ns(k.open_time),
            close_time_ns: ms_to_ns(k.close_time),
            open: k.open,
            high: k.high,
            low: k.low,
            close: k.close,
            volume: k.volume,
            quote_volume: Some(k.quote_volume),
            trades: Some(k.trades),
            closed: k.closed,
        })
    }
}

/// One row of `GET /api/v3/klines` (and `/fapi/v1/klines`): `[openTime, open, high, low, close,
/// volume, closeTime, quoteVolume, numTrades, takerBuyBase, takerBuyQuote, ignore]`.
///
/// ```json
/// [1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",
///  1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KlineRow(
    pub i64,
    pub Decimal,
    pub Decimal,
    pub Decimal,
    pub Decimal,
    pub Decimal,
    pub i64,
    pub Decimal,
    pub u64,
    pub IgnoredAny,
    pub IgnoredAny,
    pub IgnoredAny,
);

impl KlineRow {
    /// The normalized candle; it is closed when its close time is before `now_ms` (server or
    /// local time), as the REST row carries no closed flag.
    pub fn to_candle(&self, symbol: Symbol, timeframe: Timeframe, now_ms: i64) -> Candle {
        Candle {
            symbol,
            timeframe,
            open_time_ns: ms_to_ns(self.0),
            close_time_ns: ms_to_ns(self.6),
            open: self.1,
            high: self.2,
            low: self.3,
            close: self.4,
            volume: self.5,
            quote_volume: Some(self.7),
            trades: Some(self.8),
            closed: self.6 < now_ms,
        }
    }
}

/// Where the next page of `GET /api/v3/klines` starts: one millisecond after the last row's close
/// time (`startTime` is inclusive), or `None` for an empty page (nothing more to fetch).
pub fn next_page_start(rows: &[KlineRow]) -> Option<i64> {
    rows.last().map(|row| row.6.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_continue_after_the_last_close() {
        let rows: Vec<KlineRow> = serde_json::from_str(
            r#"[[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100",
                "148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397",
                "28.46694368","0"]]"#,
        )
        .unwrap();
        assert_eq!(next_page_start(&rows), Some(1_499_644_800_000));
        assert_eq!(next_page_start(&[]), None);
        assert!(serde_json::from_str::<Vec<KlineRow>>("[[1,\"1\"]]").is_err());
    }
}
