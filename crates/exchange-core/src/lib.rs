//! exchange-core: the venue-independent heart of the gateway.
//!
//! - [`model`]: normalized types (symbols, markets, trades, books, orders, fills, ...).
//! - [`error`]: one error taxonomy for every venue.
//! - [`orderbook`]: the price-level book every adapter and the bus helper share.
//! - [`exchange`]: the [`Exchange`] trait, its capabilities and subscription streams.
//! - [`factory`] and [`keys`]: building adapters by name with credentials per account.
//! - [`session`]: the WebSocket session manager (reconnects, heartbeats, watchdogs, polling).
//! - [`rest`]: the REST client (pool, signing hook, retries, unknown order status).
//! - [`ratelimit`]: per-venue, per-class, weight-aware rate limiting.
//! - [`clock`]: server-time offset for venues with receive windows.

pub mod adapters;
pub mod clock;
pub mod error;
pub mod exchange;
pub mod factory;
pub mod keys;
pub mod model;
pub mod orderbook;
pub mod ratelimit;
pub mod rest;
pub mod session;
pub mod stream;

pub use error::{ErrorKind, ExchangeError, Result};
pub use exchange::{Capabilities, Capability, Exchange};
pub use factory::{AdapterConfig, ExchangeFactory, VenueSettings};
pub use keys::{Credentials, KeyManager, SecretKind};
pub use stream::{BookUpdate, ConnectionState, StreamEvent, Subscription};
