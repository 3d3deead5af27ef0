//! Candles (§2): `GET /products/{id}/candles` with a `granularity` enum, newest first, all
//! strings → [`Candle`]; the granularities ⇄ [`Timeframe`]s.
//!
//! Coinbase offers eight granularities; every other timeframe is
//! [`ExchangeError::NotSupported`]. The WebSocket `candles` channel only has five-minute buckets
//! ([`super::ws::candles`]).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::time::unix_secs_to_ns;
use crate::ExchangeError;
use crate::adapters::coinbase::symbols;
use crate::model::{Candle, Symbol, Timeframe};

/// A candle granularity as the REST API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// `ONE_MINUTE`.
    OneMinute,
    /// `FIVE_MINUTE`.
    FiveMinute,
    /// `FIFTEEN_MINUTE`.
    FifteenMinute,
    /// `THIRTY_MINUTE`.
    ThirtyMinute,
    /// `ONE_HOUR`.
    OneHour,
    /// `TWO_HOUR`.
    TwoHour,
    /// `SIX_HOUR`.
    SixHour,
    /// `ONE_DAY`.
    OneDay,
}

impl Granularity {
    /// Every granularity, shortest first.
    pub const ALL: [Granularity; 8] = [
        Granularity::OneMinute,
        Granularity::FiveMinute,
        Granularity::FifteenMinute,
        Granularity::ThirtyMinute,
        Granularity::OneHour,
        Granularity::TwoHour,
        Granularity::SixHour,
        Granularity::OneDay,
    ];

    /// The wire name (`ONE_MINUTE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::OneMinute => "ONE_MINUTE",
            Granularity::FiveMinute => "FIVE_MINUTE",
            Granularity::FifteenMinute => "FIFTEEN_MINUTE",
            Granularity::ThirtyMinute => "THIRTY_MINUTE",
            Granularity::OneHour => "ONE_HOUR",
            Granularity::TwoHour => "TWO_HOUR",
            Granularity::SixHour => "SIX_HOUR",
            Granularity::OneDay => "ONE_DAY",
        }
    }

    /// The wire name's granularity.
    pub fn parse(text: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.as_str() == text)
    }

    /// The matching timeframe.
    pub fn timeframe(self) -> Timeframe {
        match self {
            Granularity::OneMinute => Timeframe::M1,
            Granularity::FiveMinute => Timeframe::M5,
            Granularity::FifteenMinute => Timeframe::M15,
            Granularity::ThirtyMinute => Timeframe::M30,
            Granularity::OneHour => Timeframe::H1,
            Granularity::TwoHour => Timeframe::H2,
            Granularity::SixHour => Timeframe::H6,
            Granularity::OneDay => Timeframe::D1,
        }
    }

    /// The granularity of a timeframe; Coinbase has none for 1s, 3m, 4h, 8h, 12h, 3d, 1w, 1M.
    pub fn from_timeframe(tf: Timeframe) -> crate::Result<Granularity> {
        Granularity::ALL
            .into_iter()
            .find(|g| g.timeframe() == tf)
            .ok_or_else(|| {
                ExchangeError::NotSupported(format!(
                    "coinbase has no {tf} candles (1m 5m 15m 30m 1h 2h 6h 1d only)"
                ))
            })
    }

    /// The interval in seconds.
    pub fn seconds(self) -> i64 {
        self.timeframe().nominal_seconds() as i64
    }
}

/// One candle, all strings (live capture).
///
/// ```json
/// {"start":"1712192400","low":"66055.14","high":"66331.99","open":"66312.4",
///  "close":"66181.6","volume":"355.82896243"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WireCandle {
    /// Interval start, UNIX seconds.
    pub start: String,
    /// Low.
    pub low: Decimal,
    /// High.
    pub high: Decimal,
    /// Open.
    pub open: Decimal,
    /// Close (or latest).
    pub close: Decimal,
    /// Base volume.
    pub volume: Decimal,
    /// Product id (WebSocket only).
    #[serde(default)]
    pub product_id: Option<String>,
}

impl WireCandle {
    /// The normalized candle of `symbol` at `timeframe`; it is closed when its interval ended
    /// before `now_ns`.
    pub fn to_candle(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        now_ns: i64,
    ) -> crate::Result<Candle> {
        let open_time_ns = unix_secs_to_ns(&self.start)?;
        let len_ns = (timeframe.nominal_seconds() as i64).saturating_mul(1_000_000_000);
        let close_time_ns = open_time_ns.saturating_add(len_ns) - 1;
        Ok(Candle {
            symbol: symbol.clone(),
            timeframe,
            open_time_ns,
            close_time_ns,
            open: self.open,
            high: self.high,
            low: self.low,
            close: self.close,
            volume: self.volume,
            quote_volume: None,
            trades: None,
            closed: close_time_ns < now_ns,
        })
    }
}

/// `GET /products/BTC-USD/candles?granularity=ONE_HOUR` (live capture, abridged).
///
/// ```json
/// {"candles":[{"start":"1712192400","low":"66055.14","high":"66331.99","open":"66312.4",
///  "close":"66181.6","volume":"355.82896243"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CandlesResponse {
    /// Candles, newest first.
    pub candles: Vec<WireCandle>,
}

impl CandlesResponse {
    /// The candles of `product_id` at `granularity`, **oldest first** (the venue sends newest
    /// first; callers of `fetch_ohlcv` expect time order).
    pub fn to_candles(
        &self,
        product_id: &str,
        granularity: Granularity,
        now_ns: i64,
    ) -> crate::Result<Vec<Candle>> {
        let symbol = symbols::to_symbol(product_id)?;
        let mut out = self
            .candles
            .iter()
            .map(|c| c.to_candle(&symbol, granularity.timeframe(), now_ns))
            .collect::<crate::Result<Vec<_>>>()?;
        out.sort_by_key(|c| c.open_time_ns);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granularities_map_to_timeframes_and_back() {
        for g in Granularity::ALL {
            assert_eq!(Granularity::from_timeframe(g.timeframe()).unwrap(), g);
            assert_eq!(Granularity::parse(g.as_str()), Some(g));
        }
        assert_eq!(Granularity::OneHour.seconds(), 3600);
        for tf in [
            Timeframe::S1,
            Timeframe::M3,
            Timeframe::H4,
            Timeframe::W1,
            Timeframe::Mo1,
        ] {
            let e = Granularity::from_timeframe(tf).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::NotSupported, "{tf}");
        }
    }
}
