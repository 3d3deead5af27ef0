//! Integration tests of the gateway with a scripted adapter and a real nats-server.
//!
//! - [`overflow`]: with NATS gone, the venue side never blocks; market data is dropped and
//!   counted, books hold their state and resync with a snapshot when NATS is back.
//! - [`binary`]: the binary from a config file and environment overrides, stopped by SIGTERM.
//! - [`shards`]: two instances with disjoint shards side by side on one NATS.

mod binary;
mod overflow;
mod scripted;
mod shards;
