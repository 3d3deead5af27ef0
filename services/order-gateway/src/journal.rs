//! The journal of one desk: runs the [`ledger`](crate::ledger) against KV `orders` and the event
//! stream `ORDERS_EVT`.
//!
//! One [`Journal::apply`] reads the order's record and its revision, lets the ledger decide, publishes
//! the events (each with its content-derived `Nats-Msg-Id`, waiting for JetStream's ack), then
//! writes the record only if the revision is still the one read. A lost race (another instance, or
//! a crash and restart) re-reads and decides again; the events decided twice carry the same ids
//! and JetStream drops the repeats. Inside one process, updates of one order take a per-order lock
//! so they rarely race at all.
//!
//! Events go out before the record: a crash between the two re-publishes on restart (dropped as a
//! duplicate within the window), never loses an event.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

use async_nats::HeaderMap;
use async_nats::jetstream::{self, kv};
use bus::codec::{decode, encode};
use bus::{Encoding, OrderEvent, OrderEventKind, OrderRecord};
use futures_util::StreamExt;
use tracing::Instrument;

use crate::error::{GatewayError, Result};
use crate::ledger::{self, LedgerError, Step, Update};
use crate::metrics::OrderMetrics;
use crate::trace;

/// How many times one update is decided again after losing a revision race.
const MAX_RACES: usize = 16;

/// A record as read from KV, with its revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The record.
    pub record: OrderRecord,
    /// Its KV revision.
    pub revision: u64,
}

/// The journal of one (venue, account). Cheap to clone.
#[derive(Clone)]
pub struct Journal {
    venue: String,
    account: String,
    js: jetstream::Context,
    orders: kv::Store,
    encoding: Encoding,
    locks: Arc<Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>>,
    unsettled: Arc<Mutex<BTreeSet<String>>>,
    metrics: OrderMetrics,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("venue", &self.venue)
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// Nanoseconds since the epoch, now.
pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Journal {
    /// The journal of `venue`/`account` over the `orders` bucket and the stream behind `js`.
    pub fn new(
        venue: &str,
        account: &str,
        js: jetstream::Context,
        orders: kv::Store,
        encoding: Encoding,
        metrics: OrderMetrics,
    ) -> Self {
        Journal {
            venue: venue.to_owned(),
            account: account.to_owned(),
            js,
            orders,
            encoding,
            locks: Arc::default(),
            unsettled: Arc::default(),
            metrics,
        }
    }

    /// The venue token.
    pub fn venue(&self) -> &str {
        &self.venue
    }

    /// The account token.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn key(&self, client_order_id: &str) -> Result<String> {
        Ok(bus::kv_key::order_key(
            &self.venue,
            &self.account,
            client_order_id,
        )?)
    }

    /// The record of `client_order_id`, if there is one.
    pub async fn get(&self, client_order_id: &str) -> Result<Option<Stored>> {
        let key = self.key(client_order_id)?;
        self.get_key(&key).await
    }

    async fn get_key(&self, key: &str) -> Result<Option<Stored>> {
        let entry = self
            .orders
            .entry(key)
            .await
            .map_err(|e| GatewayError::nats(format!("read KV orders {key}"), e))?;
        let Some(entry) = entry.filter(|e| e.operation == kv::Operation::Put) else {
            return Ok(None);
        };
        let encoding = Encoding::sniff(&entry.value);
        let record: OrderRecord = decode(&entry.value, encoding)?;
        Ok(Some(Stored {
            record,
            revision: entry.revision,
        }))
    }

    /// The client order ids this process wrote or scanned whose records still need
    /// reconciliation (`ledger::needs_reconciliation`): what a periodic run looks at.
    pub fn unsettled(&self) -> Vec<String> {
        self.unsettled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Notes whether the record of `client_order_id` still needs reconciliation.
    pub fn note(&self, client_order_id: &str, record: &OrderRecord) {
        let mut unsettled = self.unsettled.lock().unwrap_or_else(|p| p.into_inner());
        if ledger::needs_reconciliation(record) {
            unsettled.insert(client_order_id.to_owned());
        } else {
            unsettled.remove(client_order_id);
        }
    }

    /// Every client order id of this desk with a record (a scan of the bucket's keys).
    pub async fn client_order_ids(&self) -> Result<Vec<String>> {
        let mut keys = self
            .orders
            .keys()
            .await
            .map_err(|e| GatewayError::nats("list KV orders keys", e))?;
        let prefix = format!("{}.{}.", self.venue, self.account);
        let mut ids = Vec::new();
        while let Some(key) = keys.next().await {
            let key = key.map_err(|e| GatewayError::nats("list KV orders keys", e))?;
            if let Some(id) = key.strip_prefix(&prefix) {
                ids.push(id.to_owned());
            }
        }
        Ok(ids)
    }

    /// The lock that serializes this process's updates of one order.
    pub async fn lock(&self, client_order_id: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            if locks.len() > 1024 {
                locks.retain(|_, weak| weak.strong_count() > 0);
            }
            match locks.get(client_order_id).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(client_order_id.to_owned(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }

    /// Applies `update` to the order `client_order_id`: publishes what the ledger decides and
    /// keeps the record. `trace` is the causing command's headers, when a command caused it.
    /// Returns the record as kept (`None` for an update the ledger refuses, see [`LedgerError`]).
    pub async fn apply(
        &self,
        client_order_id: &str,
        update: Update,
        trace: Option<&HeaderMap>,
    ) -> Result<std::result::Result<OrderRecord, LedgerError>> {
        let _guard = self.lock(client_order_id).await;
        self.apply_locked(client_order_id, update, trace).await
    }

    /// [`Journal::apply`] for a caller that holds the order's [`Journal::lock`].
    pub async fn apply_locked(
        &self,
        client_order_id: &str,
        update: Update,
        trace: Option<&HeaderMap>,
    ) -> Result<std::result::Result<OrderRecord, LedgerError>> {
        let key = self.key(client_order_id)?;
        for _ in 0..MAX_RACES {
            let current = self.get_key(&key).await?;
            let step = match ledger::apply(
                &self.venue,
                &self.account,
                current.as_ref().map(|s| &s.record),
                update.clone(),
                now_ns(),
            ) {
                Ok(step) => step,
                Err(e) => return Ok(Err(e)),
            };
            if !step.changed {
                self.note(client_order_id, &step.record);
                return Ok(Ok(step.record));
            }
            let Step { record, events, .. } = step;
            let headers = trace::event_headers(trace, record.traceparent.as_deref());
            // Inside a command the command's span is current; a follow-up (a fill from the
            // private stream, a reconciliation) joins the placing command's trace.
            let span = match (trace, events.is_empty()) {
                (None, false) => trace::follow_up_span(client_order_id, &headers),
                _ => tracing::Span::current(),
            };
            for emit in events {
                let msg_id =
                    ledger::event_msg_id(&self.venue, &self.account, client_order_id, &emit.id);
                self.publish(Some(client_order_id), emit.kind, Some(&msg_id), &headers)
                    .instrument(span.clone())
                    .await?;
            }
            let body = encode(&record, self.encoding)?;
            let written = match &current {
                None => self
                    .orders
                    .create(&key, body)
                    .await
                    .map(|_| ())
                    .map_err(|e| match e.kind() {
                        kv::CreateErrorKind::AlreadyExists => None,
                        _ => Some(GatewayError::nats(format!("create KV orders {key}"), e)),
                    }),
                Some(stored) => self
                    .orders
                    .update(&key, body, stored.revision)
                    .await
                    .map(|_| ())
                    .map_err(|e| match e.kind() {
                        kv::UpdateErrorKind::WrongLastRevision => None,
                        _ => Some(GatewayError::nats(format!("update KV orders {key}"), e)),
                    }),
            };
            match written {
                Ok(()) => {
                    self.note(client_order_id, &record);
                    return Ok(Ok(record));
                }
                Err(Some(e)) => return Err(e),
                Err(None) => {
                    self.metrics.revision_races(&self.venue).inc();
                    tracing::debug!(key, "KV orders revision race; deciding again");
                }
            }
        }
        Err(GatewayError::nats(
            format!("update KV orders {key}"),
            format!("lost {MAX_RACES} revision races in a row"),
        ))
    }

    /// Publishes one event about `client_order_id` (or about a command too broken to name one)
    /// and waits for JetStream's ack.
    pub async fn publish(
        &self,
        client_order_id: Option<&str>,
        kind: OrderEventKind,
        msg_id: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<()> {
        let event_type = kind.type_name();
        let event = OrderEvent::new(
            &self.venue,
            &self.account,
            client_order_id.map(str::to_owned),
            kind,
            now_ns(),
        );
        let ack = bus::publish::publish_order_event(
            &self.js,
            &event,
            msg_id,
            self.encoding,
            headers.clone(),
        )
        .await?;
        if ack.duplicate {
            self.metrics.duplicate_events(&self.venue).inc();
        } else {
            self.metrics.events(&self.venue, event_type).inc();
        }
        Ok(())
    }
}
