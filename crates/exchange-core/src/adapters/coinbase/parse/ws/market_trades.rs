//! `market_trades` (§5): a snapshot of recent trades, then updates.

use serde::Deserialize;

use crate::adapters::coinbase::parse::trades::MarketTrade;
use crate::model::Trade;

/// One `market_trades` event (SDK type shape; no live capture exists, §8).
///
/// ```json
/// {"type":"update","trades":[{"trade_id":"000000000","product_id":"ETH-USD",
///  "price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TradesEvent {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Trades (same fields as the REST ones).
    #[serde(default)]
    pub trades: Vec<MarketTrade>,
}

impl TradesEvent {
    /// The normalized trades.
    pub fn to_trades(&self, local_ts_ns: i64) -> crate::Result<Vec<Trade>> {
        self.trades
            .iter()
            .map(|t| t.to_trade(local_ts_ns))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::adapters::coinbase::parse::ws::{ChannelBody, WsMessage, parse_message};
    use crate::model::Side;

    #[test]
    fn trades_map() {
        let text = r#"{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":0,"events":[{"type":"snapshot","trades":[{"trade_id":"000000000","product_id":"ETH-USD","price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}"#;
        let WsMessage::Channel(msg) = parse_message(text).unwrap() else {
            panic!()
        };
        let ChannelBody::MarketTrades(events) = msg.body else {
            panic!()
        };
        let t = &events[0].to_trades(3).unwrap()[0];
        assert_eq!(t.symbol.to_string(), "ETH/USD");
        assert_eq!(
            (t.trade_id.as_str(), t.taker_side),
            ("000000000", Some(Side::Buy))
        );
        assert_eq!(
            (t.price.to_string(), t.quantity.to_string()),
            ("1260.01".into(), "0.3".into())
        );
        assert_eq!(t.exchange_ts_ns, 1_565_815_347_265_000_000);
    }
}
