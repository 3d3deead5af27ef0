//! market-data-gateway: venue market data on NATS, by the bus contract (docs/bus.md).
//!
//! Per configured (venue, channel, symbol) a feed task subscribes through the venue's adapter
//! (`exchange_core::Exchange`) and hands encoded messages to one NATS publisher task through a
//! bounded buffer; books go through a pure publisher state ([`book_state`]) that numbers events
//! gap-free and writes KV `md_books` records through a coalescing writer ([`kv_writer`]).
//!
//! - [`config`]: the configuration (file + environment).
//! - [`run`](mod@run): the service entry, also used in-process by the end-to-end tests.
//! - [`outbox`]: the bounded buffer between the venue side and the NATS side, with counted drops.
//! - [`publisher`]: the NATS side: publishes what the feeds hand over.
//! - [`feeds`]: the venue side: one task per feed.
//! - [`metrics`]: the gateway's Prometheus metrics.

pub mod book_state;
pub mod config;
pub mod error;
pub mod feeds;
pub mod kv_writer;
pub mod metrics;
pub mod outbox;
pub mod publisher;
pub mod run;

pub use config::GatewayConfig;
pub use error::{GatewayError, Result};
pub use run::{Gateway, run};
