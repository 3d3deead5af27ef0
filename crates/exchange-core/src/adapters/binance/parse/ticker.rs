//! Best bid/offer: the `<s>@bookTicker` stream and `GET /api/v3/ticker/bookTicker`.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::Ticker;

/// Best bid/ask. Spot sends no event type or time; USD-M adds `e`, `E` and `T`.
///
/// ```json
/// {"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000","a":"0.35260000",
///  "A":"3199.00000000"}
/// ```
/// ```json
/// {"e":"bookTicker","u":600859600576,"s":"SUSHIUSDT","b":"7.6110","B":"2","a":"7.6120",
///  "A":"297","T":1626992741012,"E":1626992741017}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BookTickerEvent {
    /// Order book update id.
    #[serde(rename = "u")]
    pub update_id: u64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Best bid price.
    #[serde(rename = "b")]
    pub bid: Decimal,
    /// Best bid quantity.
    #[serde(rename = "B")]
    pub bid_qty: Decimal,
    /// Best ask price.
    #[serde(rename = "a")]
    pub ask: Decimal,
    /// Best ask quantity.
    #[serde(rename = "A")]
    pub ask_qty: Decimal,
    /// USD-M only: event time, ms.
    #[serde(rename = "E", default)]
    pub event_time: Option<i64>,
    /// USD-M only: transaction time, ms.
    #[serde(rename = "T", default)]
    pub transaction_time: Option<i64>,
}

impl BookTickerEvent {
    /// The normalized ticker (bid/ask only; venue time 0 on spot, which sends none).
    pub fn to_ticker(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Ticker> {
        Ok(Ticker {
            symbol: symbols.symbol(&self.symbol)?.clone(),
            bid: Some(self.bid),
            bid_qty: Some(self.bid_qty),
            ask: Some(self.ask),
            ask_qty: Some(self.ask_qty),
            last: None,
            open_24h: None,
            high_24h: None,
            low_24h: None,
            volume_24h: None,
            quote_volume_24h: None,
            exchange_ts_ns: self
                .transaction_time
                .or(self.event_time)
                .map_or(0, ms_to_ns),
            local_ts_ns,
        })
    }
}

/// Rolling 24 h statistics, `<s>@ticker` (spot has best bid/ask too; USD-M does not). No
/// capture is in the fixtures; this is the spot documentation's example.
///
/// ```json
/// {"e":"24hrTicker","E":1672515782136,"s":"BNBBTC","p":"0.0015","P":"250.00","w":"0.0018",
///  "x":"0.0009","c":"0.0025","Q":"10","b":"0.0024","B":"10","a":"0.0026","A":"100",
///  "o":"0.0010","h":"0.0025","l":"0.0010","v":"10000","q":"18","O":0,"C":86400000,"F":0,
///  "L":18150,"n":18151}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ticker24hEvent {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Last price.
    #[serde(rename = "c")]
    pub last: Decimal,
    /// Best bid (spot only).
    #[serde(rename = "b", default)]
    pub bid: Option<Decimal>,
    /// Best bid quantity (spot only).
    #[serde(rename = "B", default)]
    pub bid_qty: Option<Decimal>,
    /// Best ask (spot only).
    #[serde(rename = "a", default)]
    pub ask: Option<Decimal>,
    /// Best ask quantity (spot only).
    #[serde(rename = "A", default)]
    pub ask_qty: Option<Decimal>,
    /// Open price 24 h ago.
    #[serde(rename = "o")]
    pub open: Decimal,
    /// High.
    #[serde(rename = "h")]
    pub high: Decimal,
    /// Low.
    #[serde(rename = "l")]
    pub low: Decimal,
    /// Base volume.
    #[serde(rename = "v")]
    pub volume: Decimal,
    /// Quote volume.
    #[serde(rename = "q")]
    pub quote_volume: Decimal,
}

impl Ticker24hEvent {
    /// The normalized ticker.
    pub fn to_ticker(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Ticker> {
        Ok(Ticker {
            symbol: symbols.symbol(&self.symbol)?.clone(),
            bid: self.bid,
            bid_qty: self.bid_qty,
            ask: self.ask,
            ask_qty: self.ask_qty,
            last: Some(self.last),
            open_24h: Some(self.open),
            high_24h: Some(self.high),
            low_24h: Some(self.low),
            volume_24h: Some(self.volume),
            quote_volume_24h: Some(self.quote_volume),
            exchange_ts_ns: ms_to_ns(self.event_time),
            local_ts_ns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn ticker_24h_doc_example() {
        let text = r#"{"e":"24hrTicker","E":1672515782136,"s":"BNBBTC","p":"0.0015","P":"250.00",
          "w":"0.0018","x":"0.0009","c":"0.0025","Q":"10","b":"0.0024","B":"10","a":"0.0026",
          "A":"100","o":"0.0010","h":"0.0025","l":"0.0010","v":"10000","q":"18","O":0,
          "C":86400000,"F":0,"L":18150,"n":18151}"#;
        let ev: Ticker24hEvent = serde_json::from_str(text).unwrap();
        let mut symbols = SymbolMap::new();
        symbols.insert("BNBBTC", "BNB/BTC".parse().unwrap());
        let t = ev.to_ticker(&symbols, 1).unwrap();
        assert_eq!(t.last, Some(dec!(0.0025)));
        assert_eq!((t.bid, t.ask), (Some(dec!(0.0024)), Some(dec!(0.0026))));
        assert_eq!(t.open_24h, Some(dec!(0.0010)));
        assert_eq!(t.volume_24h, Some(dec!(10000)));
        assert_eq!(t.quote_volume_24h, Some(dec!(18)));
        assert_eq!(t.exchange_ts_ns, 1_672_515_782_136_000_000);
    }
}
