//! `ticker` and `ticker_batch` (§5): 24-hour statistics and, on `ticker`, the best bid/ask.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::adapters::coinbase::parse::num::opt_decimal;
use crate::adapters::coinbase::symbols;
use crate::model::Ticker;

/// One product's ticker (SDK/AsyncAPI shape; no live capture exists, §8).
///
/// ```json
/// {"type":"ticker","product_id":"BTC-USD","price":"21932.98","volume_24_h":"16038.28770938",
///  "low_24_h":"21835.29","high_24_h":"23011.18","low_52_w":"15460","high_52_w":"48240",
///  "price_percent_chg_24_h":"-4.15775596190603","best_bid":"21931.98",
///  "best_bid_quantity":"8000.21","best_ask":"21933.98","best_ask_quantity":"8038.07770478"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WireTicker {
    /// Product id.
    pub product_id: String,
    /// Last price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub price: Option<Decimal>,
    /// 24 h base volume.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub volume_24_h: Option<Decimal>,
    /// 24 h low.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub low_24_h: Option<Decimal>,
    /// 24 h high.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub high_24_h: Option<Decimal>,
    /// 24 h change, percent.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub price_percent_chg_24_h: Option<Decimal>,
    /// Best bid (absent on `ticker_batch`).
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_bid: Option<Decimal>,
    /// Quantity at the best bid.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_bid_quantity: Option<Decimal>,
    /// Best ask.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_ask: Option<Decimal>,
    /// Quantity at the best ask.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub best_ask_quantity: Option<Decimal>,
}

impl WireTicker {
    /// The normalized ticker; the 24 h open is derived from the last price and the change.
    pub fn to_ticker(&self, exchange_ts_ns: i64, local_ts_ns: i64) -> crate::Result<Ticker> {
        let hundred = Decimal::ONE_HUNDRED;
        let open_24h = match (self.price, self.price_percent_chg_24_h) {
            (Some(p), Some(chg)) if chg != -hundred => (p * hundred)
                .checked_div(hundred + chg)
                .map(|o| o.round_dp(12).normalize()),
            _ => None,
        };
        Ok(Ticker {
            symbol: symbols::to_symbol(&self.product_id)?,
            bid: self.best_bid,
            bid_qty: self.best_bid_quantity,
            ask: self.best_ask,
            ask_qty: self.best_ask_quantity,
            last: self.price,
            open_24h,
            high_24h: self.high_24_h,
            low_24h: self.low_24_h,
            volume_24h: self.volume_24_h,
            quote_volume_24h: None,
            exchange_ts_ns,
            local_ts_ns,
        })
    }
}

/// One `ticker` / `ticker_batch` event: `{"type":"update","tickers":[{…}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TickerEvent {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Tickers.
    #[serde(default)]
    pub tickers: Vec<WireTicker>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::coinbase::parse::ws::{ChannelBody, WsMessage, parse_message};

    #[test]
    fn ticker_and_ticker_batch_map_to_tickers() {
        let text = r#"{"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:30:37.167359596Z","sequence_num":0,"events":[{"type":"snapshot","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"21932.98","volume_24_h":"16038.28770938","low_24_h":"21835.29","high_24_h":"23011.18","low_52_w":"15460","high_52_w":"48240","price_percent_chg_24_h":"-4.15775596190603","best_bid":"21931.98","best_bid_quantity":"8000.21","best_ask":"21933.98","best_ask_quantity":"8038.07770478"}]}]}"#;
        let WsMessage::Channel(msg) = parse_message(text).unwrap() else {
            panic!()
        };
        let ChannelBody::Ticker(events) = msg.body else {
            panic!()
        };
        let t = events[0].tickers[0].to_ticker(msg.timestamp_ns, 5).unwrap();
        assert_eq!(t.symbol.to_string(), "BTC/USD");
        assert_eq!(t.last.unwrap().to_string(), "21932.98");
        assert_eq!(t.bid.unwrap().to_string(), "21931.98");
        assert_eq!(t.ask_qty.unwrap().to_string(), "8038.07770478");
        assert_eq!(t.high_24h.unwrap().to_string(), "23011.18");
        assert_eq!(t.volume_24h.unwrap().to_string(), "16038.28770938");
        // 21932.98 / (1 - 0.0415775596190603) ≈ 22884.46
        let open = t.open_24h.unwrap();
        assert!(
            open > Decimal::from(22884) && open < Decimal::from(22885),
            "{open}"
        );
        assert_eq!(t.exchange_ts_ns, 1_675_974_637_167_359_596);

        let batch = text
            .replace("\"channel\":\"ticker\"", "\"channel\":\"ticker_batch\"")
            .replace(",\"best_bid\":\"21931.98\",\"best_bid_quantity\":\"8000.21\",\"best_ask\":\"21933.98\",\"best_ask_quantity\":\"8038.07770478\"", "");
        let WsMessage::Channel(msg) = parse_message(&batch).unwrap() else {
            panic!()
        };
        assert_eq!(msg.channel, "ticker_batch");
        let ChannelBody::Ticker(events) = msg.body else {
            panic!()
        };
        let t = events[0].tickers[0].to_ticker(0, 0).unwrap();
        assert_eq!((t.bid, t.ask), (None, None));
    }
}
