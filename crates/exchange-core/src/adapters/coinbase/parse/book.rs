//! REST books (§2): `GET /product_book` (and `/market/product_book`) → [`BookSnapshot`], and
//! `GET /best_bid_ask` → [`Ticker`]s.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::opt_decimal;
use super::time::opt_rfc3339_to_ns;
use crate::adapters::coinbase::symbols;
use crate::model::{BookSnapshot, Level, Ticker};

/// One price level: `{"price":"68923.66","size":"0.17189468"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct PriceLevel {
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub size: Decimal,
}

impl From<PriceLevel> for Level {
    fn from(l: PriceLevel) -> Self {
        Level::new(l.price, l.size)
    }
}

/// A product's book, best first (live capture, cut to one level per side).
///
/// ```json
/// {"product_id":"BTC-USD","bids":[{"price":"68923.66","size":"0.17189468"}],
///  "asks":[{"price":"68923.67","size":"0.16987193"}],"time":"2026-04-07T00:28:59.662782Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PriceBook {
    /// Product id.
    pub product_id: String,
    /// Bids, best first.
    #[serde(default)]
    pub bids: Vec<PriceLevel>,
    /// Asks, best first.
    #[serde(default)]
    pub asks: Vec<PriceLevel>,
    /// Book time, RFC 3339.
    #[serde(default)]
    pub time: Option<String>,
}

impl PriceBook {
    /// The normalized snapshot (no venue sequence: REST books carry none).
    pub fn to_snapshot(&self, local_ts_ns: i64) -> crate::Result<BookSnapshot> {
        Ok(BookSnapshot {
            symbol: symbols::to_symbol(&self.product_id)?,
            bids: self.bids.iter().copied().map(Level::from).collect(),
            asks: self.asks.iter().copied().map(Level::from).collect(),
            venue_seq: None,
            exchange_ts_ns: opt_rfc3339_to_ns(self.time.as_deref())?.unwrap_or(0),
            local_ts_ns,
        })
    }

    /// A ticker of the best bid and ask.
    pub fn to_ticker(&self, local_ts_ns: i64) -> crate::Result<Ticker> {
        let bid = self.bids.first();
        let ask = self.asks.first();
        Ok(Ticker {
            symbol: symbols::to_symbol(&self.product_id)?,
            bid: bid.map(|l| l.price),
            bid_qty: bid.map(|l| l.size),
            ask: ask.map(|l| l.price),
            ask_qty: ask.map(|l| l.size),
            last: None,
            open_24h: None,
            high_24h: None,
            low_24h: None,
            volume_24h: None,
            quote_volume_24h: None,
            exchange_ts_ns: opt_rfc3339_to_ns(self.time.as_deref())?.unwrap_or(0),
            local_ts_ns,
        })
    }
}

/// `GET /product_book?product_id=BTC-USD&limit=5` (live capture, abridged).
///
/// ```json
/// {"pricebook":{"product_id":"BTC-USD","bids":[{"price":"68923.66","size":"0.17189468"}],
///  "asks":[{"price":"68923.67","size":"0.16987193"}],"time":"2026-04-07T00:28:59.662782Z"},
///  "last":"68923.665","mid_market":"68923.665","spread_bps":"0.001450880372",
///  "spread_absolute":"0.01"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProductBookResponse {
    /// The book.
    pub pricebook: PriceBook,
    /// Last price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub last: Option<Decimal>,
    /// Mid price.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub mid_market: Option<Decimal>,
    /// Spread in basis points.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub spread_bps: Option<Decimal>,
    /// Spread in quote units.
    #[serde(default, deserialize_with = "opt_decimal::deserialize")]
    pub spread_absolute: Option<Decimal>,
}

/// `GET /best_bid_ask?product_ids=BTC-USD` (SDK docstring shape).
///
/// ```json
/// {"pricebooks":[{"product_id":"BTC-USD","bids":[{"price":"68923.66","size":"0.17"}],
///  "asks":[{"price":"68923.67","size":"0.16"}],"time":"2026-04-07T00:28:59.662782Z"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BestBidAskResponse {
    /// One book per product, one level per side.
    pub pricebooks: Vec<PriceBook>,
}

impl BestBidAskResponse {
    /// One ticker per product.
    pub fn to_tickers(&self, local_ts_ns: i64) -> crate::Result<Vec<Ticker>> {
        self.pricebooks
            .iter()
            .map(|b| b.to_ticker(local_ts_ns))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_bid_ask_maps_to_tickers() {
        let r: BestBidAskResponse = serde_json::from_str(
            r#"{"pricebooks":[{"product_id":"BTC-USD","bids":[{"price":"68923.66","size":"0.17"}],"asks":[{"price":"68923.67","size":"0.16"}],"time":"2026-04-07T00:28:59.662782Z"},{"product_id":"ETH-USD","bids":[],"asks":[]}]}"#,
        )
        .unwrap();
        let t = r.to_tickers(3).unwrap();
        assert_eq!(t[0].symbol.to_string(), "BTC/USD");
        assert_eq!(t[0].bid.unwrap().to_string(), "68923.66");
        assert_eq!(t[0].ask_qty.unwrap().to_string(), "0.16");
        assert_eq!(t[0].exchange_ts_ns, 1_775_521_739_662_782_000);
        assert_eq!((t[1].bid, t[1].ask, t[1].exchange_ts_ns), (None, None, 0));
    }
}
