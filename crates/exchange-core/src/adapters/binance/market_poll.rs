//! The REST stand-in for the market streams (§2): while the market WebSocket stays unreachable,
//! the session manager runs this [`Poller`] for every active stream it can serve.
//!
//! | stream | poll | yields |
//! |---|---|---|
//! | `<s>@depth@100ms`, `<s>@depth` | `GET /api/v3/depth` (`/fapi/v1/depth`), the book's own request | one [`MarketEvent::PartialDepth`]: a full snapshot the book driver publishes as is |
//! | `<s>@trade` | `GET /api/v3/trades` (`/fapi/v1/trades`), the latest 500 | [`MarketEvent::Trade`]s, oldest first; the trade stream drops ids it already gave |
//!
//! Other streams (tickers, candles, aggregate trades) answer `NotSupported` and stay silent
//! until the WebSocket is back. Streams register what to poll when they subscribe; the
//! registration outlives the subscription, which is harmless (only subscribed keys are polled).

use std::collections::HashMap;
use std::sync::Mutex;

use futures_util::future::BoxFuture;

use super::Product;
use super::http::BinanceHttp;
use super::parse::depth::DepthSnapshot;
use super::parse::frame::MarketEvent;
use super::parse::rest_market::RestTrade;
use super::parse::trades::TradeEvent;
use crate::ratelimit::binance::{CLASS_MARKET, request_cost};
use crate::rest::RestRequest;
use crate::session::Poller;
use crate::{ExchangeError, Result};

/// Trades per poll: the venue's default page.
const TRADES_PER_POLL: u32 = 500;
/// Request weight of `GET /api/v3/trades` (spot: 25; USD-M charges less).
const TRADES_WEIGHT: u32 = 25;

/// What one stream key is polled with.
#[derive(Debug, Clone)]
enum Target {
    Depth(RestRequest),
    Trades {
        venue_id: String,
        request: RestRequest,
    },
}

/// The market-stream poller of one adapter.
#[derive(Debug)]
pub struct MarketPoller {
    http: BinanceHttp,
    trades_path: &'static str,
    targets: Mutex<HashMap<String, Target>>,
}

impl MarketPoller {
    /// A poller for `product` over `http`, serving nothing until streams register.
    pub fn new(http: BinanceHttp, product: Product) -> Self {
        let trades_path = match product {
            Product::Spot | Product::Margin => "/api/v3/trades",
            Product::UsdM => "/fapi/v1/trades",
        };
        MarketPoller {
            http,
            trades_path,
            targets: Mutex::new(HashMap::new()),
        }
    }

    fn targets(&self) -> std::sync::MutexGuard<'_, HashMap<String, Target>> {
        self.targets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Polls `stream` (a depth stream) with the book's own snapshot request.
    pub fn register_depth(&self, stream: &str, request: RestRequest) {
        self.targets()
            .insert(stream.to_owned(), Target::Depth(request));
    }

    /// Polls `stream` (a `@trade` stream of `venue_id`) with the recent-trades request.
    pub fn register_trades(&self, stream: &str, venue_id: &str) {
        let request = RestRequest::get(self.trades_path)
            .cost(request_cost(CLASS_MARKET, TRADES_WEIGHT))
            .query("symbol", venue_id.to_owned())
            .query("limit", TRADES_PER_POLL.to_string());
        self.targets().insert(
            stream.to_owned(),
            Target::Trades {
                venue_id: venue_id.to_owned(),
                request,
            },
        );
    }
}

impl Poller<String, MarketEvent> for MarketPoller {
    fn poll(&self, key: &String) -> BoxFuture<'static, Result<Vec<MarketEvent>>> {
        let target = self.targets().get(key).cloned();
        let http = self.http.clone();
        let key = key.clone();
        Box::pin(async move {
            match target {
                Some(Target::Depth(request)) => {
                    let snapshot: DepthSnapshot = http.json(&request).await?;
                    Ok(vec![MarketEvent::PartialDepth(snapshot)])
                }
                Some(Target::Trades { venue_id, request }) => {
                    let trades: Vec<RestTrade> = http.json(&request).await?;
                    Ok(trades
                        .into_iter()
                        .map(|t| MarketEvent::Trade(trade_event(&venue_id, t)))
                        .collect())
                }
                None => Err(ExchangeError::NotSupported(format!(
                    "binance: no REST polling for stream {key}"
                ))),
            }
        })
    }
}

/// A REST trade as the `<s>@trade` event it stands in for.
fn trade_event(venue_id: &str, t: RestTrade) -> TradeEvent {
    TradeEvent {
        event_time: t.time,
        symbol: venue_id.to_owned(),
        trade_id: t.id,
        price: t.price,
        quantity: t.qty,
        trade_time: t.time,
        buyer_is_maker: t.is_buyer_maker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_rest_trade_becomes_the_stream_event() {
        let rest: RestTrade = serde_json::from_str(
            r#"{"id":28457,"price":"4.00000100","qty":"12.00000000","quoteQty":"48.000012",
                "time":1499865549590,"isBuyerMaker":true,"isBestMatch":true}"#,
        )
        .unwrap();
        let ev = trade_event("BNBBTC", rest);
        assert_eq!(ev.trade_id, 28457);
        assert_eq!(ev.symbol, "BNBBTC");
        assert_eq!(ev.price, dec!(4.00000100));
        assert!(ev.buyer_is_maker);
        assert_eq!(ev.trade_time, 1499865549590);
    }
}
