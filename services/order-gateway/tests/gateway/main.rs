//! The order-gateway against a real nats-server (testkit) and venue-sim over real sockets.
//!
//! - [`lifecycle`]: an order placed, filled in parts, each fill once; a cancel; a rejection by
//!   validation; account queries; trace context from command to events.
//! - [`idempotency`]: one command three times (inside and after the duplicate window) → one
//!   order; an unknown place outcome reconciled without a second placement.
//! - [`bad_input`]: each kind of bad payload → a rejected event or a terminated message, and the
//!   next good command still goes through.
//! - [`restarts`]: NATS restarted mid-stream; the gateway binary SIGKILLed between the venue's
//!   acceptance and its own ack.
//! - [`scale`]: two instances on one desk; a private stream that went silent and reconnected.
//! - [`telemetry`]: the binary exporting a traced command's span over OTLP/HTTP, as a child of
//!   the caller's span, and flushing what is batched at SIGTERM.
//! - [`venues`]: the lifecycle, a rejection and a lost place answer on Coinbase, Kraken and
//!   Binance USD-M desks ([`venue_desks`]).

mod bad_input;
mod binary;
mod harness;
mod idempotency;
mod lifecycle;
mod restarts;
mod scale;
mod telemetry;
mod venue_desks;
mod venues;
