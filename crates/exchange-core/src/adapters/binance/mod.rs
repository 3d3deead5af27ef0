//! Binance spot, margin and USD-M futures: the pure protocol layer and the adapter on top.
//!
//! Facts and sources: `shared/exchanges/binance.md` (official `binance/binance-spot-api-docs`
//! and the USD-M futures pages on developers.binance.com); section numbers below (§) refer to it.
//!
//! - [`symbols`]: venue ids (`BTCUSDT`) ⇄ unified symbols (`BTC/USDT`, `BTC/USDT:USDT`).
//! - [`parse`]: wire structs for every REST body and stream payload we use, and their mapping
//!   to normalized types.
//! - [`auth`]: HMAC-SHA256 request signing for REST and the WebSocket API (§3).
//! - [`errors`]: Binance `{"code","msg"}` bodies and HTTP statuses → [`crate::ExchangeError`] (§7).
//! - [`book_sync`]: the documented local order book procedures, spot and USD-M futures (§5.1).
//! - [`requests`]: our [`crate::model::OrderRequest`] and friends → Binance request parameters.
//! - [`streams`]: market stream names and SUBSCRIBE messages (§5).
//! - [`wsapi`]: WebSocket API requests (signed) and the frames that come back (§6).
//!
//! Nothing above performs I/O. The I/O layer drives them on the shared plumbing:
//!
//! - [`config`]: base URLs by role and options; [`endpoints`]: paths and weights per product.
//! - [`rest_venue`] and [`http`]: signing, error mapping and limiter feedback for the REST
//!   client, clock resync on `-1021`.
//! - [`market_ws`]: the market-stream session protocol; [`book`]: the order-book driver.
//! - [`user_spot`] and [`user_stream`]: the private streams (WS-API, listenKey).
//! - [`exchange`]: [`BinanceExchange`], the [`crate::Exchange`] implementation, with its REST
//!   calls in `trading` and `market_data`.

pub mod auth;
pub mod book;
pub mod book_sync;
pub mod config;
pub mod endpoints;
pub mod errors;
pub mod exchange;
pub mod http;
mod market_data;
pub mod market_poll;
pub mod market_ws;
pub mod markets_cache;
pub mod parse;
pub mod requests;
pub mod rest_venue;
pub mod streams;
pub mod symbols;
mod time;
mod trade_feed;
mod trading;
pub mod user_spot;
pub mod user_stream;
pub mod wsapi;

pub use book_sync::{BookSync, SyncAction, SyncCounters, SyncState};
pub use exchange::BinanceExchange;
pub use symbols::SymbolMap;

/// Registers `binance` (spot), `binance-usdm` and `binance-margin` with `factory`.
pub fn register(factory: &mut crate::ExchangeFactory) -> crate::Result<()> {
    for product in [Product::Spot, Product::UsdM, Product::Margin] {
        factory.register(product.venue_name(), move |config| {
            Ok(std::sync::Arc::new(BinanceExchange::new(product, config)?)
                as std::sync::Arc<dyn crate::Exchange>)
        })?;
    }
    Ok(())
}

/// Which Binance product a request, market or stream belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Spot (`api.binance.com/api/v3`, `stream.binance.com`).
    Spot,
    /// Cross/isolated margin: spot markets traded with borrowed funds (`/sapi/v1/margin/*`).
    Margin,
    /// USD-M futures (`fapi.binance.com`, `fstream.binance.com`): perpetuals settled in the
    /// margin asset, unified as `BASE/QUOTE:SETTLE`.
    UsdM,
}

impl Product {
    /// Whether markets of this product have positions (reduce-only, leverage, positionRisk).
    pub fn is_derivative(self) -> bool {
        matches!(self, Product::UsdM)
    }

    /// The venue name used in the gateway (`binance`, `binance-margin`, `binance-usdm`).
    pub fn venue_name(self) -> &'static str {
        match self {
            Product::Spot => "binance",
            Product::Margin => "binance-margin",
            Product::UsdM => "binance-usdm",
        }
    }
}
