//! Kraken spot (REST `/0`, WebSocket v2): the pure protocol layer.
//!
//! Facts and sources: `shared/exchanges/kraken.md` (Kraken API Center pages, Kraken's official
//! Go SDK `krakenfx/api-go`, live v2 frames); section numbers below (§) refer to it.
//!
//! - [`symbols`]: Kraken asset codes (`XXBT`, `ZUSD`, `XDG`) and pair names (`XXBTZUSD`,
//!   `XBTUSD`, `XBT/USD`, v2 `BTC/USD`) ⇄ unified symbols (`BTC/USD`).
//! - [`parse`]: wire structs for every REST body and WebSocket v2 frame we use, and their mapping
//!   to normalized types; numbers keep their exact text ([`parse::Num`]).
//! - [`auth`]: `API-Sign` (HMAC-SHA512) and a nonce generator that never goes backwards (§3).
//! - [`errors`]: Kraken's `E<Category>:<Message>` strings → [`crate::ExchangeError`] (§6).
//! - [`book`]: the v2 book with its CRC32 checksum, and an offline [`book::replay`] (§5.3).
//! - [`requests`]: our [`crate::model::OrderRequest`] and friends → REST form parameters (§2).
//! - [`ws`]: the v2 [`SessionProtocol`](crate::session::SessionProtocol): subscribe frames and
//!   frame classification (§5.1, §5.2).
//! - [`ws_orders`]: `add_order` / `cancel_order` frames for trading over v2 (§5.4).
//!
//! Nothing above performs I/O; the REST call counter and the per-pair trading counter live in
//! [`crate::ratelimit::kraken`]. The I/O layer drives them on the shared plumbing:
//!
//! - [`config`]: base URLs by role (`rest`, `ws_public`, `ws_auth`) and options.
//! - [`rest_venue`] and [`http`]: signing with nonces, the error envelope, limiter feedback.
//! - [`exchange`]: [`KrakenExchange`], the [`crate::Exchange`] implementation, with its REST
//!   calls in `trading` and `market_data`, the book driver in [`book_driver`] and the private
//!   stream in `executions`.

pub mod auth;
pub mod book;
pub mod book_driver;
pub mod config;
pub mod errors;
pub mod exchange;
mod executions;
pub mod http;
mod market_data;
pub mod parse;
pub mod requests;
pub mod rest_venue;
pub mod symbols;
mod trading;
pub mod ws;
pub mod ws_orders;

pub use auth::{NonceGenerator, Signer};
pub use book::{BookAction, BookState, KrakenBook};
pub use exchange::KrakenExchange;
pub use symbols::SymbolMap;
pub use ws::{KrakenWsProtocol, WsKey};

/// The venue name used in the gateway.
pub const VENUE: &str = "kraken";

/// Registers `kraken` (spot) with `factory`.
pub fn register(factory: &mut crate::ExchangeFactory) -> crate::Result<()> {
    factory.register(VENUE, |config| {
        Ok(std::sync::Arc::new(KrakenExchange::new(config)?)
            as std::sync::Arc<dyn crate::Exchange>)
    })
}
