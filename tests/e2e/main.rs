//! Cross-service end-to-end tests against a real `nats-server` (spawned by testkit).
//!
//! - [`book_resync`]: a publisher keeps a book and publishes snapshot + deltas with `seq` and KV
//!   snapshots; the bus book consumer, fed a `seq` gap (also after a NATS restart, and with a KV
//!   snapshot older than the gap), resyncs and ends equal to it.
//! - [`md_gateway`]: the market-data-gateway between venue-sim and plain NATS consumers, through
//!   a sequence gap, a venue disconnect, a NATS restart and a garbage frame.

mod book_publisher;
mod book_resync;
mod consumer_task;
mod md_gateway;
