//! `candles` (§5): five-minute buckets, updated every second.

use serde::Deserialize;

use crate::ExchangeError;
use crate::adapters::coinbase::parse::candles::WireCandle;
use crate::adapters::coinbase::symbols;
use crate::model::{Candle, Timeframe};

/// The only timeframe of the WebSocket `candles` channel.
pub const WS_CANDLE_TIMEFRAME: Timeframe = Timeframe::M5;

/// One `candles` event (SDK type shape; no live capture exists, §8).
///
/// ```json
/// {"type":"snapshot","candles":[{"start":"1688998200","high":"1867.72","low":"1865.63",
///  "open":"1867.38","close":"1866.81","volume":"0.20269406","product_id":"ETH-USD"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CandlesEvent {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Candles (with `product_id`).
    #[serde(default)]
    pub candles: Vec<WireCandle>,
}

impl CandlesEvent {
    /// The normalized five-minute candles; closed when their bucket ended before `now_ns`.
    pub fn to_candles(&self, now_ns: i64) -> crate::Result<Vec<Candle>> {
        self.candles
            .iter()
            .map(|c| {
                let id = c.product_id.as_deref().ok_or_else(|| {
                    ExchangeError::InvalidResponse("coinbase candles: no product_id".into())
                })?;
                c.to_candle(&symbols::to_symbol(id)?, WS_CANDLE_TIMEFRAME, now_ns)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::coinbase::parse::ws::{ChannelBody, WsMessage, parse_message};

    #[test]
    fn five_minute_candles() {
        let text = r#"{"channel":"candles","client_id":"","timestamp":"2023-06-09T20:19:35.39625135Z","sequence_num":0,"events":[{"type":"snapshot","candles":[{"start":"1688998200","high":"1867.72","low":"1865.63","open":"1867.38","close":"1866.81","volume":"0.20269406","product_id":"ETH-USD"}]}]}"#;
        let WsMessage::Channel(msg) = parse_message(text).unwrap() else {
            panic!()
        };
        let ChannelBody::Candles(events) = msg.body else {
            panic!()
        };
        let c = &events[0]
            .to_candles(1_688_998_200_000_000_000 + 60_000_000_000)
            .unwrap()[0];
        assert_eq!(c.symbol.to_string(), "ETH/USD");
        assert_eq!(c.timeframe, Timeframe::M5);
        assert_eq!(c.open_time_ns, 1_688_998_200_000_000_000);
        assert_eq!(c.close_time_ns, 1_688_998_499_999_999_999);
        assert_eq!(c.close.to_string(), "1866.81");
        assert!(!c.closed, "the bucket is still running");
    }
}
