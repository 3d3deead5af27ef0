//! order-gateway: orders from NATS to the venue, exactly once, with every fill (docs/bus.md,
//! docs/operations.md).
//!
//! Per configured (venue, account) a *desk* consumes `orders.cmd.<venue>.<account>` from the
//! JetStream work queue `ORDERS_CMD` through one durable consumer (shared by every instance),
//! places and cancels through the venue's adapter, follows the account's private stream, and
//! publishes `orders.evt.<venue>.<account>` on `ORDERS_EVT`. KV `orders` holds each order's record.
//!
//! - [`ledger`]: the pure rules: what each fact about an order publishes and records.
//! - [`journal`]: runs the ledger against KV `orders` and the event stream (revision checks,
//!   message ids, per-order serialization).
//! - [`commands`]: the command consumer: decoding, validation, place, cancel, cancel-all.
//! - [`account`]: the private stream of each desk, into the journal.
//! - [`reconcile`]: on start and after any reconnect, the venue's view into the journal.
//! - [`queries`]: `acct.<venue>.<account>.<query>` request-reply.
//! - [`trace`]: W3C trace context from commands to events and spans.
//! - [`config`], [`metrics`], [`run`](mod@run): the service frame.

pub mod account;
pub mod commands;
pub mod config;
pub mod desk;
pub mod error;
pub mod journal;
pub mod ledger;
pub mod metrics;
pub mod queries;
pub mod reconcile;
pub mod run;
pub mod trace;

pub use config::GatewayConfig;
pub use error::{GatewayError, Result};
pub use run::{OrderGateway, run};
