//! JetStream definitions of the bus: the order streams and the KV buckets, created or updated
//! idempotently at service start.
//!
//! | name | kind | subjects / keys | retention |
//! |---|---|---|---|
//! | `ORDERS_CMD` | stream | `orders.cmd.>` | work queue, duplicate window (2 min) |
//! | `ORDERS_EVT` | stream | `orders.evt.>` | limits (max age 7 days), file storage |
//! | `md_books` | KV | `<venue>.<symbol>` | history 1 |
//! | `orders` | KV | `<venue>.<account>.<client_order_id>` | history 10 |
//!
//! [`ensure`] creates what is missing and updates what differs; calling it twice, or from several
//! services at once, is fine. A difference the server cannot apply in place (a retention policy
//! or storage type change) fails with [`BusError::Nats`] naming the stream and what was asked,
//! instead of silently running with another definition. Only NATS 2.10 features are used.

use std::time::Duration;

use async_nats::jetstream::{self, kv, stream};

use crate::error::{BusError, Result};
use crate::subject::{ORDER_COMMANDS_ALL, ORDER_EVENTS_ALL};

/// Name of the order command work-queue stream.
pub const ORDERS_CMD_STREAM: &str = "ORDERS_CMD";
/// Name of the order event stream.
pub const ORDERS_EVT_STREAM: &str = "ORDERS_EVT";
/// Name of the KV bucket holding the latest snapshot of every book.
pub const MD_BOOKS_BUCKET: &str = "md_books";
/// Name of the KV bucket holding the current state of every order.
pub const ORDERS_BUCKET: &str = "orders";

/// The smallest history the `orders` bucket may keep.
pub const MIN_ORDERS_HISTORY: i64 = 5;

/// Tunables of the JetStream definitions; [`Default`] is the documented setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JetStreamConfig {
    /// How long JetStream remembers a `Nats-Msg-Id` to drop repeats (default 2 min).
    pub duplicate_window: Duration,
    /// How long order events are kept (default 7 days).
    pub events_max_age: Duration,
    /// Storage of the order streams and the `orders` bucket (default file).
    pub storage: stream::StorageType,
    /// Storage of the `md_books` bucket (default file, so books survive a server restart).
    pub books_storage: stream::StorageType,
    /// Replicas of every stream and bucket (default 1; 3 on a cluster).
    pub replicas: usize,
    /// Values kept per key in `orders` (default 10, at least [`MIN_ORDERS_HISTORY`], at most 64).
    pub orders_history: i64,
}

impl Default for JetStreamConfig {
    fn default() -> Self {
        JetStreamConfig {
            duplicate_window: Duration::from_secs(120),
            events_max_age: Duration::from_secs(7 * 24 * 3600),
            storage: stream::StorageType::File,
            books_storage: stream::StorageType::File,
            replicas: 1,
            orders_history: 10,
        }
    }
}

/// Handles to the KV buckets, as [`ensure`] returns them.
#[derive(Debug, Clone)]
pub struct BusStores {
    /// `md_books`.
    pub md_books: kv::Store,
    /// `orders`.
    pub orders: kv::Store,
}

/// The `ORDERS_CMD` stream definition.
pub fn orders_cmd_stream(config: &JetStreamConfig) -> stream::Config {
    stream::Config {
        name: ORDERS_CMD_STREAM.to_owned(),
        description: Some("Order commands: a work queue, one consumer per venue/account".into()),
        subjects: vec![ORDER_COMMANDS_ALL.to_owned()],
        retention: stream::RetentionPolicy::WorkQueue,
        storage: config.storage,
        num_replicas: config.replicas,
        duplicate_window: config.duplicate_window,
        ..Default::default()
    }
}

/// The `ORDERS_EVT` stream definition.
pub fn orders_evt_stream(config: &JetStreamConfig) -> stream::Config {
    stream::Config {
        name: ORDERS_EVT_STREAM.to_owned(),
        description: Some("Order events: accepted, rejected, fills, cancels".into()),
        subjects: vec![ORDER_EVENTS_ALL.to_owned()],
        retention: stream::RetentionPolicy::Limits,
        storage: config.storage,
        num_replicas: config.replicas,
        duplicate_window: config.duplicate_window,
        max_age: config.events_max_age,
        ..Default::default()
    }
}

/// The `md_books` bucket definition.
pub fn md_books_bucket(config: &JetStreamConfig) -> kv::Config {
    kv::Config {
        bucket: MD_BOOKS_BUCKET.to_owned(),
        description: "Latest snapshot of every order book, with its seq".into(),
        history: 1,
        storage: config.books_storage,
        num_replicas: config.replicas,
        ..Default::default()
    }
}

/// The `orders` bucket definition.
pub fn orders_bucket(config: &JetStreamConfig) -> kv::Config {
    kv::Config {
        bucket: ORDERS_BUCKET.to_owned(),
        description: "Current state of every order".into(),
        history: config.orders_history,
        storage: config.storage,
        num_replicas: config.replicas,
        ..Default::default()
    }
}

/// Creates or updates the order streams and the KV buckets.
pub async fn ensure(js: &jetstream::Context, config: &JetStreamConfig) -> Result<BusStores> {
    if !(MIN_ORDERS_HISTORY..=64).contains(&config.orders_history) {
        return Err(BusError::Config(format!(
            "orders_history {} is outside {MIN_ORDERS_HISTORY}..=64",
            config.orders_history
        )));
    }
    if config.duplicate_window.is_zero() {
        return Err(BusError::Config("duplicate_window must not be zero".into()));
    }
    for definition in [orders_cmd_stream(config), orders_evt_stream(config)] {
        let op = format!(
            "define stream {} on {:?} ({:?} retention, {:?} storage)",
            definition.name, definition.subjects, definition.retention, definition.storage
        );
        js.create_or_update_stream(definition)
            .await
            .map_err(|e| BusError::nats(op, e))?;
    }
    Ok(BusStores {
        md_books: ensure_bucket(js, md_books_bucket(config)).await?,
        orders: ensure_bucket(js, orders_bucket(config)).await?,
    })
}

async fn ensure_bucket(js: &jetstream::Context, bucket: kv::Config) -> Result<kv::Store> {
    let op = format!(
        "define KV bucket {} (history {}, {:?} storage)",
        bucket.bucket, bucket.history, bucket.storage
    );
    js.create_or_update_key_value(bucket)
        .await
        .map_err(|e| BusError::nats(op, e))
}

/// Opens the `md_books` bucket without defining it (for consumers, which must not redefine it).
pub async fn md_books(js: &jetstream::Context) -> Result<kv::Store> {
    js.get_key_value(MD_BOOKS_BUCKET)
        .await
        .map_err(|e| BusError::nats(format!("open KV bucket {MD_BOOKS_BUCKET}"), e))
}

/// Opens the `orders` bucket without defining it.
pub async fn orders(js: &jetstream::Context) -> Result<kv::Store> {
    js.get_key_value(ORDERS_BUCKET)
        .await
        .map_err(|e| BusError::nats(format!("open KV bucket {ORDERS_BUCKET}"), e))
}
