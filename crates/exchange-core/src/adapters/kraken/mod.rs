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
//! Nothing here performs I/O; the REST client and WebSocket sessions drive these pieces. The
//! REST call counter and the per-pair trading counter live in [`crate::ratelimit::kraken`].

pub mod auth;
pub mod book;
pub mod errors;
pub mod parse;
pub mod requests;
pub mod symbols;
pub mod ws;
pub mod ws_orders;

pub use auth::{NonceGenerator, Signer};
pub use book::{BookAction, BookState, KrakenBook};
pub use symbols::SymbolMap;
pub use ws::{KrakenWsProtocol, WsKey};

/// The venue name used in the gateway.
pub const VENUE: &str = "kraken";
