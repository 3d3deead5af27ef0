//! Test support shared by every crate's integration tests.
//!
//! - [`NatsServer`]: a private `nats-server` with JetStream in a temp dir on a free port, that can
//!   be stopped and restarted on the same port and store for fault tests, and is killed on drop.
//! - [`wait_until`] / [`wait_for`]: await a condition with a deadline; no fixed sleeps.
//! - [`free_port`] / [`http_status`]: a free local port; the status of a health endpoint.
//! - [`WsServer`]: a local WebSocket server that drops, freezes, refuses, pings and announces
//!   shutdowns on command, and records what clients sent.

mod error;
mod http;
mod nats;
mod wait;
pub mod ws_server;

pub use error::TestkitError;
pub use http::{free_port, http_status};
pub use nats::NatsServer;
pub use wait::{wait_for, wait_until};
pub use ws_server::{Received, ReceivedKind, WsServer};
