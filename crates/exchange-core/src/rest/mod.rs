//! The REST client shared by every adapter.
//!
//! - [`RestClient`]: one reqwest client per venue (connection pool, timeouts, gzip), the
//!   venue's [`RateLimiter`](crate::ratelimit::RateLimiter), retries for idempotent requests only.
//! - [`RestVenue`]: the adapter's hooks: signing, reading error bodies, limiter feedback.
//! - [`RestRequest`] / [`RequestKind`]: what is sent and what it does; an order request's 5xx
//!   or timeout is [`UnknownOrderStatus`](crate::ExchangeError::UnknownOrderStatus).
//! - [`classify`]: the status/transport → error rules, as pure functions.
//! - [`tls`]: rustls settings (ring provider, webpki roots) shared with the WebSocket sessions.

pub mod classify;
mod client;
mod config;
mod request;
mod response;
pub mod tls;
mod venue;

pub use client::RestClient;
pub use config::RestConfig;
pub use request::{Body, RequestKind, RestRequest, encode_pairs};
pub use response::RestResponse;
pub use venue::{RestVenue, SignRequest};
