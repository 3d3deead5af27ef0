//! `status` (§5): products and their trading status, sent on an interval.

use serde::Deserialize;

use crate::adapters::coinbase::parse::num::opt_decimal;

/// One product's status (SDK type shape; no live capture exists, §8).
///
/// ```json
/// {"product_type":"SPOT","id":"BTC-USD","base_currency":"BTC","quote_currency":"USD",
///  "base_increment":"0.00000001","quote_increment":"0.01","display_name":"BTC/USD",
///  "status":"online","status_message":"","min_market_funds":"1"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProductStatus {
    /// Product id.
    pub id: String,
    /// `online`, `offline`, ...
    #[serde(default)]
    pub status: String,
    /// Free text.
    #[serde(default)]
    pub status_message: String,
    /// Smallest market order value.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub min_market_funds: Option<rust_decimal::Decimal>,
}

/// One `status` event: `{"type":"snapshot","products":[{…}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusEvent {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Products.
    #[serde(default)]
    pub products: Vec<ProductStatus>,
}

#[cfg(test)]
mod tests {
    use crate::adapters::coinbase::parse::ws::{ChannelBody, WsMessage, parse_message};

    #[test]
    fn status_products() {
        let text = r#"{"channel":"status","client_id":"","timestamp":"2023-02-09T20:29:49.753424311Z","sequence_num":0,"events":[{"type":"snapshot","products":[{"product_type":"SPOT","id":"BTC-USD","base_currency":"BTC","quote_currency":"USD","base_increment":"0.00000001","quote_increment":"0.01","display_name":"BTC/USD","status":"online","status_message":"","min_market_funds":"1"}]}]}"#;
        let WsMessage::Channel(msg) = parse_message(text).unwrap() else {
            panic!()
        };
        let ChannelBody::Status(events) = msg.body else {
            panic!()
        };
        let p = &events[0].products[0];
        assert_eq!((p.id.as_str(), p.status.as_str()), ("BTC-USD", "online"));
        assert_eq!(p.min_market_funds.unwrap().to_string(), "1");
    }
}
