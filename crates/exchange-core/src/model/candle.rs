//! Candles (OHLCV) and their timeframes.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Symbol;

/// A candle interval, written as CCXT and Binance write it (`1m`, `4h`, `1d`, `1M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timeframe {
    /// 1 second.
    S1,
    /// 1 minute.
    M1,
    /// 3 minutes.
    M3,
    /// 5 minutes.
    M5,
    /// 15 minutes.
    M15,
    /// 30 minutes.
    M30,
    /// 1 hour.
    H1,
    /// 2 hours.
    H2,
    /// 4 hours.
    H4,
    /// 6 hours.
    H6,
    /// 8 hours.
    H8,
    /// 12 hours.
    H12,
    /// 1 day.
    D1,
    /// 3 days.
    D3,
    /// 1 week.
    W1,
    /// 1 calendar month (its length varies; [`Timeframe::nominal_seconds`] uses 30 days).
    Mo1,
}

/// Why a text is not a [`Timeframe`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown timeframe {0:?} (expected one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M)"
)]
pub struct TimeframeParseError(String);

impl Timeframe {
    /// Every timeframe, shortest first.
    pub const ALL: [Timeframe; 16] = [
        Timeframe::S1,
        Timeframe::M1,
        Timeframe::M3,
        Timeframe::M5,
        Timeframe::M15,
        Timeframe::M30,
        Timeframe::H1,
        Timeframe::H2,
        Timeframe::H4,
        Timeframe::H6,
        Timeframe::H8,
        Timeframe::H12,
        Timeframe::D1,
        Timeframe::D3,
        Timeframe::W1,
        Timeframe::Mo1,
    ];

    /// The canonical text (`1m`, `1M`); case matters: `1m` is a minute, `1M` a month.
    pub fn as_str(self) -> &'static str {
        match self {
            Timeframe::S1 => "1s",
            Timeframe::M1 => "1m",
            Timeframe::M3 => "3m",
            Timeframe::M5 => "5m",
            Timeframe::M15 => "15m",
            Timeframe::M30 => "30m",
            Timeframe::H1 => "1h",
            Timeframe::H2 => "2h",
            Timeframe::H4 => "4h",
            Timeframe::H6 => "6h",
            Timeframe::H8 => "8h",
            Timeframe::H12 => "12h",
            Timeframe::D1 => "1d",
            Timeframe::D3 => "3d",
            Timeframe::W1 => "1w",
            Timeframe::Mo1 => "1M",
        }
    }

    /// The interval's length in seconds (a month counts as 30 days).
    pub fn nominal_seconds(self) -> u64 {
        const MIN: u64 = 60;
        const HOUR: u64 = 60 * MIN;
        const DAY: u64 = 24 * HOUR;
        match self {
            Timeframe::S1 => 1,
            Timeframe::M1 => MIN,
            Timeframe::M3 => 3 * MIN,
            Timeframe::M5 => 5 * MIN,
            Timeframe::M15 => 15 * MIN,
            Timeframe::M30 => 30 * MIN,
            Timeframe::H1 => HOUR,
            Timeframe::H2 => 2 * HOUR,
            Timeframe::H4 => 4 * HOUR,
            Timeframe::H6 => 6 * HOUR,
            Timeframe::H8 => 8 * HOUR,
            Timeframe::H12 => 12 * HOUR,
            Timeframe::D1 => DAY,
            Timeframe::D3 => 3 * DAY,
            Timeframe::W1 => 7 * DAY,
            Timeframe::Mo1 => 30 * DAY,
        }
    }
}

impl FromStr for Timeframe {
    type Err = TimeframeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timeframe::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| TimeframeParseError(s.to_owned()))
    }
}

impl fmt::Display for Timeframe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Timeframe {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Timeframe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One OHLCV candle.
///
/// ```json
/// {"symbol":"BTC/USDT","timeframe":"1m","open_time_ns":1672515780000000000,
///  "close_time_ns":1672515839999000000,"open":"0.0010","high":"0.0025","low":"0.0015",
///  "close":"0.0020","volume":"1000","quote_volume":"1.0000","trades":100,"closed":false}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candle {
    /// Unified symbol.
    pub symbol: Symbol,
    /// Interval.
    pub timeframe: Timeframe,
    /// Start of the interval, ns since the epoch.
    pub open_time_ns: i64,
    /// End of the interval (inclusive, as the venue reports it), ns since the epoch.
    pub close_time_ns: i64,
    /// Open price.
    pub open: Decimal,
    /// High price.
    pub high: Decimal,
    /// Low price.
    pub low: Decimal,
    /// Close (or latest) price.
    pub close: Decimal,
    /// Base volume.
    pub volume: Decimal,
    /// Quote volume, when the venue reports it.
    pub quote_volume: Option<Decimal>,
    /// Number of trades, when the venue reports it.
    pub trades: Option<u64>,
    /// Whether the interval is over and this candle is final.
    pub closed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_timeframe_round_trips_and_case_matters() {
        for tf in Timeframe::ALL {
            assert_eq!(tf.as_str().parse::<Timeframe>().unwrap(), tf);
        }
        assert_eq!("1m".parse::<Timeframe>().unwrap(), Timeframe::M1);
        assert_eq!("1M".parse::<Timeframe>().unwrap(), Timeframe::Mo1);
        assert!("1H".parse::<Timeframe>().is_err());
        assert!("".parse::<Timeframe>().is_err());
        assert_eq!(Timeframe::H4.nominal_seconds(), 14_400);
    }
}
