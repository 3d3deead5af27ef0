//! The Coinbase Advanced Trade protocol on the shared engine: REST under `/api/v3/brokerage`
//! (JWT-authenticated with ES256 or EdDSA CDP keys, grpc-gateway error bodies, HTTP-200 order
//! failures) and the market-data and user-data WebSocket endpoints (`level2` as `l2_data`,
//! `market_trades`, `ticker`, `ticker_batch`, `candles`, `status`, `heartbeats`, `user`, with
//! the per-connection `sequence_num`).
//!
//! Coinbase has its own markets (a spot [`Exchange`] and an INTX perpetual one), separate from
//! the Binance and Kraken markets. Pure protocol logic (JWT verification, parsing, rendering,
//! the session's sequencing) lives apart from the servers ([`rest`], [`ws`]).
//!
//! [`Exchange`]: crate::engine::Exchange

pub mod config;
pub mod error;
pub mod feed;
pub mod ids;
pub mod jwt;
pub mod orders;
pub mod render;
pub mod rest;
pub mod rest_market;
pub mod rest_private;
pub mod state;
pub mod time;
pub mod truth;
pub mod ws;
pub mod ws_session;

pub use config::CoinbaseConfig;
pub use state::CoinbaseShared;
