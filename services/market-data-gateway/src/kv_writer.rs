//! The KV `md_books` writer: the latest record per book, written in the background.
//!
//! Book feeds [`KvWriter::offer`] records and never wait. Offers coalesce per key (a newer record
//! replaces one not yet written: only the latest matters to consumers), so the pending set is
//! bounded by the number of books. The writer task owns the JetStream definitions: it runs
//! `bus::jetstream::ensure` at start and again after every NATS reconnect (a restarted server may
//! have lost the bucket), and retries failed writes until they succeed or a newer record comes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use bus::jetstream::JetStreamConfig;
use bus::{BookSnapshotRecord, Encoding};
use service_kit::Readiness;
use service_kit::nats::LinkState;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use crate::feeds::sleep_or_cancel;
use crate::metrics::GatewayMetrics;

/// The readiness check this writer sets.
pub const READINESS_CHECK: &str = "jetstream";

#[derive(Default)]
struct Shared {
    pending: Mutex<HashMap<String, BookSnapshotRecord>>,
    notify: Notify,
}

/// Hands records to the writer task. Cheap to clone.
#[derive(Clone, Default)]
pub struct KvWriter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for KvWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KvWriter")
            .field("pending", &self.pending())
            .finish()
    }
}

impl KvWriter {
    /// A writer with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `record` for its key, replacing one not yet written.
    pub fn offer(&self, record: BookSnapshotRecord) {
        let Ok(key) = bus::kv_key::book_key(&record.venue, &record.snapshot.symbol) else {
            tracing::error!(venue = %record.venue, "book record with an invalid key skipped");
            return;
        };
        self.lock().insert(key, record);
        self.shared.notify.notify_one();
    }

    /// Records waiting to be written.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, BookSnapshotRecord>> {
        self.shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self) -> HashMap<String, BookSnapshotRecord> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts a record back after a failed write, unless a newer one came meanwhile.
    fn restore(&self, key: String, record: BookSnapshotRecord) {
        self.lock().entry(key).or_insert(record);
    }
}

/// Everything the writer task needs.
pub struct WriterTask {
    /// The records' source.
    pub writer: KvWriter,
    /// JetStream of the gateway's client.
    pub js: jetstream::Context,
    /// The NATS link (reconnects trigger `ensure`).
    pub link: watch::Receiver<LinkState>,
    /// The definitions to ensure.
    pub jetstream: JetStreamConfig,
    /// How records are encoded.
    pub encoding: Encoding,
    /// Metrics.
    pub metrics: GatewayMetrics,
    /// Readiness (`jetstream` check).
    pub readiness: Readiness,
}

const RETRY: Duration = Duration::from_millis(250);

impl WriterTask {
    /// Runs until `token` is cancelled; then writes what is pending once, briefly.
    pub async fn run(mut self, token: CancellationToken) {
        let mut store: Option<kv::Store> = None;
        let mut ensured_at = 0u64;
        self.readiness
            .set(READINESS_CHECK, Err("definitions not ensured yet".into()));
        loop {
            let connects = self.link.borrow_and_update().connects;
            if store.is_none() || connects != ensured_at {
                match bus::jetstream::ensure(&self.js, &self.jetstream).await {
                    Ok(stores) => {
                        store = Some(stores.md_books);
                        ensured_at = connects;
                        self.readiness.set(READINESS_CHECK, Ok(()));
                        tracing::info!("JetStream streams and KV buckets ensured");
                    }
                    Err(e) => {
                        self.readiness.set(READINESS_CHECK, Err(e.to_string()));
                        tracing::warn!(error = %e, "ensuring JetStream definitions failed; retrying");
                        if sleep_or_cancel(RETRY, &token).await {
                            break;
                        }
                        continue;
                    }
                }
            }
            let Some(books) = store.clone() else { continue };
            if !self.write_pending(&books).await && sleep_or_cancel(RETRY, &token).await {
                break;
            }
            if self.writer.pending() > 0 {
                continue;
            }
            tokio::select! {
                () = token.cancelled() => break,
                () = self.writer.shared.notify.notified() => {}
                changed = self.link.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        if let Some(books) = store {
            let _ = tokio::time::timeout(Duration::from_secs(2), self.write_pending(&books)).await;
        }
    }

    /// Writes every pending record; false when a write failed (it stays pending).
    async fn write_pending(&self, books: &kv::Store) -> bool {
        let mut ok = true;
        for (key, record) in self.writer.take() {
            if !ok {
                self.writer.restore(key, record);
                continue;
            }
            match bus::publish::put_book_snapshot(books, &record, self.encoding).await {
                Ok(_) => self.metrics.kv_writes().inc(),
                Err(e) => {
                    ok = false;
                    self.metrics.kv_errors().inc();
                    tracing::debug!(error = %e, "KV md_books write failed; will retry");
                    self.writer.restore(key, record);
                }
            }
        }
        ok
    }
}
