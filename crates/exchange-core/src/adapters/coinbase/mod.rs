//! Coinbase Advanced Trade: the pure protocol layer.
//!
//! Facts and sources: `shared/exchanges/coinbase.md` (official SDK `coinbase/coinbase-advanced-py`,
//! the CDP documentation pages, live captures); section numbers below (§) refer to it.
//!
//! - [`symbols`]: product ids (`BTC-USD`, `BTC-PERP-INTX`, `BIT-28JUN24-CDE`) ⇄ unified symbols.
//! - [`parse`]: wire structs for the REST bodies and WebSocket messages we use, and their mapping
//!   to normalized types.
//! - [`auth`]: CDP API key JWTs (ES256 with EC P-256 keys, EdDSA with Ed25519 keys), and a
//!   verifier for the same tokens (§3).
//! - [`errors`]: error bodies, `success:false` order answers and HTTP statuses →
//!   [`crate::ExchangeError`] (§6).
//! - [`requests`]: our [`crate::model::OrderRequest`] → the create-order JSON, and the query
//!   strings of the list endpoints (§2).
//! - [`rest_venue`]: the REST client's hooks: a JWT per request, error mapping, limit resync.
//! - [`book`]: the `level2` (`l2_data`) book with per-connection `sequence_num` gap detection
//!   (§5), and the offline replay behind `xctl replay book --venue coinbase`.
//! - [`user_fills`]: the `user` channel's cumulative order figures → order updates and fills.
//! - [`protocol`]: the WebSocket [`crate::session::SessionProtocol`] (one channel per subscribe
//!   message, a fresh JWT per subscribe, frame classification).
//!
//! Nothing above performs I/O. The I/O layer drives them on the shared plumbing:
//!
//! - [`config`]: base URLs by role (`rest`, `ws_market`, `ws_user`) and options.
//! - [`http`]: the REST client (a JWT per request, the per-second limiter).
//! - [`exchange`]: [`CoinbaseExchange`], the [`crate::Exchange`] implementation, with its REST
//!   calls in `trading`, `account` and `market_data`, its sessions in `connection` and its
//!   streams in `streams` (trades, ticker, candles), `book_driver` (the `level2` book) and
//!   `user_stream` (orders and fills).

mod account;
pub mod auth;
pub mod book;
mod book_driver;
pub mod config;
mod connection;
pub mod errors;
pub mod exchange;
pub mod http;
mod market_data;
pub mod parse;
pub mod protocol;
pub mod requests;
pub mod rest_venue;
mod streams;
pub mod symbols;
mod trading;
pub mod user_fills;
mod user_stream;

pub use exchange::CoinbaseExchange;

/// Registers `coinbase` with `factory`.
pub fn register(factory: &mut crate::ExchangeFactory) -> crate::Result<()> {
    factory.register(VENUE, |config| {
        Ok(std::sync::Arc::new(CoinbaseExchange::new(config)?)
            as std::sync::Arc<dyn crate::Exchange>)
    })
}

/// The venue name used in the gateway.
pub const VENUE: &str = "coinbase";

/// REST base URL of the real venue (§1).
pub const REST_URL: &str = "https://api.coinbase.com";

/// Path prefix of every Advanced Trade REST endpoint (§2).
pub const REST_PREFIX: &str = "/api/v3/brokerage";

/// WebSocket URL for market data (§1).
pub const WS_MARKET_URL: &str = "wss://advanced-trade-ws.coinbase.com";

/// WebSocket URL for user order data (§1); the market endpoint serves as failover.
pub const WS_USER_URL: &str = "wss://advanced-trade-ws-user.coinbase.com";

/// The most candles one REST request may ask for. The sources disagree between 300 and 350
/// (§2); 300 is the figure every source accepts.
pub const MAX_CANDLES_PER_REQUEST: u32 = 300;
