//! REST market data used when polling replaces the WebSocket (§2): recent trades, book ticker
//! and 24 h statistics. Shapes from rest-api.md; no recorded bodies are in the fixtures.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::adapters::binance::time::ms_to_ns;
use crate::model::{Side, Symbol, Ticker, Trade};

/// One entry of `GET /api/v3/trades`.
///
/// ```json
/// {"id":28457,"price":"4.00000100","qty":"12.00000000","quoteQty":"48.000012",
///  "time":1499865549590,"isBuyerMaker":true,"isBestMatch":true}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestTrade {
    /// Trade id.
    pub id: u64,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Trade time, ms.
    pub time: i64,
    /// Whether the buyer was the maker.
    pub is_buyer_maker: bool,
}

impl RestTrade {
    /// The normalized trade for `symbol` (the body does not name it).
    pub fn to_trade(&self, symbol: Symbol, local_ts_ns: i64) -> Trade {
        Trade {
            symbol,
            trade_id: self.id.to_string(),
            price: self.price,
            quantity: self.qty,
            taker_side: Some(if self.is_buyer_maker {
                Side::Sell
            } else {
                Side::Buy
            }),
            exchange_ts_ns: ms_to_ns(self.time),
            local_ts_ns,
        }
    }
}

/// `GET /api/v3/ticker/bookTicker?symbol=…`.
///
/// ```json
/// {"symbol":"LTCBTC","bidPrice":"4.00000000","bidQty":"431.00000000",
///  "askPrice":"4.00000200","askQty":"9.00000000"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestBookTicker {
    /// Venue symbol id.
    pub symbol: String,
    /// Best bid.
    pub bid_price: Decimal,
    /// Best bid quantity.
    pub bid_qty: Decimal,
    /// Best ask.
    pub ask_price: Decimal,
    /// Best ask quantity.
    pub ask_qty: Decimal,
}

/// `GET /api/v3/ticker/24hr?symbol=…` (FULL).
///
/// ```json
/// {"symbol":"BNBBTC","priceChange":"-94.99999800","priceChangePercent":"-95.960",
///  "weightedAvgPrice":"0.29628482","prevClosePrice":"0.10002000","lastPrice":"4.00000200",
///  "lastQty":"200.00000000","bidPrice":"4.00000000","bidQty":"100.00000000",
///  "askPrice":"4.00000200","askQty":"100.00000000","openPrice":"99.00000000",
///  "highPrice":"100.00000000","lowPrice":"0.10000000","volume":"8913.30000000",
///  "quoteVolume":"15.30000000","openTime":1499783499040,"closeTime":1499869899040,
///  "firstId":28385,"lastId":28460,"count":76}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rest24hTicker {
    /// Venue symbol id.
    pub symbol: String,
    /// Last price.
    pub last_price: Decimal,
    /// Best bid.
    #[serde(default)]
    pub bid_price: Option<Decimal>,
    /// Best bid quantity.
    #[serde(default)]
    pub bid_qty: Option<Decimal>,
    /// Best ask.
    #[serde(default)]
    pub ask_price: Option<Decimal>,
    /// Best ask quantity.
    #[serde(default)]
    pub ask_qty: Option<Decimal>,
    /// Open price of the window.
    pub open_price: Decimal,
    /// High.
    pub high_price: Decimal,
    /// Low.
    pub low_price: Decimal,
    /// Base volume.
    pub volume: Decimal,
    /// Quote volume.
    pub quote_volume: Decimal,
    /// End of the window, ms.
    pub close_time: i64,
}

impl Rest24hTicker {
    /// The normalized ticker for `symbol`; `book` fills bid/ask when given (a bookTicker is
    /// fresher than the 24 h body's).
    pub fn to_ticker(
        &self,
        symbol: Symbol,
        book: Option<&RestBookTicker>,
        local_ts_ns: i64,
    ) -> Ticker {
        Ticker {
            symbol,
            bid: book.map(|b| b.bid_price).or(self.bid_price),
            bid_qty: book.map(|b| b.bid_qty).or(self.bid_qty),
            ask: book.map(|b| b.ask_price).or(self.ask_price),
            ask_qty: book.map(|b| b.ask_qty).or(self.ask_qty),
            last: Some(self.last_price),
            open_24h: Some(self.open_price),
            high_24h: Some(self.high_price),
            low_24h: Some(self.low_price),
            volume_24h: Some(self.volume),
            quote_volume_24h: Some(self.quote_volume),
            exchange_ts_ns: ms_to_ns(self.close_time),
            local_ts_ns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn sym() -> Symbol {
        "BNB/BTC".parse().unwrap()
    }

    #[test]
    fn recent_trades() {
        let trades: Vec<RestTrade> = serde_json::from_str(
            r#"[{"id":28457,"price":"4.00000100","qty":"12.00000000","quoteQty":"48.000012",
                 "time":1499865549590,"isBuyerMaker":true,"isBestMatch":true}]"#,
        )
        .unwrap();
        let t = trades[0].to_trade(sym(), 3);
        assert_eq!(t.trade_id, "28457");
        assert_eq!(t.price.to_string(), "4.00000100");
        assert_eq!(t.quantity, dec!(12));
        assert_eq!(t.taker_side, Some(Side::Sell));
        assert_eq!(t.exchange_ts_ns, 1_499_865_549_590_000_000);
    }

    #[test]
    fn ticker_from_24h_and_book_ticker() {
        let day: Rest24hTicker = serde_json::from_str(
            r#"{"symbol":"BNBBTC","priceChange":"-94.99999800","priceChangePercent":"-95.960",
              "weightedAvgPrice":"0.29628482","prevClosePrice":"0.10002000",
              "lastPrice":"4.00000200","lastQty":"200.00000000","bidPrice":"4.00000000",
              "bidQty":"100.00000000","askPrice":"4.00000200","askQty":"100.00000000",
              "openPrice":"99.00000000","highPrice":"100.00000000","lowPrice":"0.10000000",
              "volume":"8913.30000000","quoteVolume":"15.30000000","openTime":1499783499040,
              "closeTime":1499869899040,"firstId":28385,"lastId":28460,"count":76}"#,
        )
        .unwrap();
        let book: RestBookTicker = serde_json::from_str(
            r#"{"symbol":"BNBBTC","bidPrice":"4.00000001","bidQty":"431.00000000",
              "askPrice":"4.00000200","askQty":"9.00000000"}"#,
        )
        .unwrap();
        let t = day.to_ticker(sym(), None, 0);
        assert_eq!(t.bid, Some(dec!(4)));
        assert_eq!(t.last, Some(dec!(4.000002)));
        assert_eq!(t.open_24h, Some(dec!(99)));
        assert_eq!(t.low_24h, Some(dec!(0.1)));
        assert_eq!(t.volume_24h, Some(dec!(8913.3)));
        assert_eq!(t.exchange_ts_ns, 1_499_869_899_040_000_000);
        let t = day.to_ticker(sym(), Some(&book), 0);
        assert_eq!(t.bid, Some(dec!(4.00000001)));
        assert_eq!(t.ask_qty, Some(dec!(9)));
    }
}
