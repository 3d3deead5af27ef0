//! The Kraken spot protocol on the shared engine: REST `/0/public` + `/0/private` (API-Sign,
//! nonces, the `{"error":[],"result":…}` envelope, the call and trading counters) and WebSocket v2
//! (public and auth endpoints: `status`, `heartbeat`, `ping`, `book` with CRC32 checksums,
//! `trade`, `ticker`, `ohlc`, `instrument`, `executions`, `add_order` / `cancel_order`).
//!
//! Pure protocol logic (signing, checksums, number text, counters, rendering) lives in modules
//! without I/O; [`http`] and [`ws`] are the servers. The Kraken market is its own [`Exchange`]
//! (separate books, accounts and flow from the Binance markets).
//!
//! [`Exchange`]: crate::engine::Exchange

pub mod book_feed;
pub mod config;
pub mod error;
pub mod exec_render;
pub mod http;
pub mod ids;
pub mod json;
pub mod limits;
pub mod order_json;
pub mod orders;
pub mod pairs;
pub mod publish;
pub mod rest_private;
pub mod rest_public;
pub mod sign;
pub mod state;
pub mod time;
pub mod truth;
pub mod ws;
pub mod ws_render;
pub mod ws_session;
pub mod ws_trading;

pub use config::KrakenConfig;
pub use state::KrakenShared;
