//! Runs a [`BookConsumer`] in a task that owns it, publishing what it holds after every change,
//! so a test can wait on conditions while the consumer keeps running. Stopped by its token.

use bus::book::SequencerStats;
use bus::{BookChange, BookConsumer};
use exchange_core::orderbook::OrderBook;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What the consumer holds after its last change.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub live: bool,
    pub seq: Option<u64>,
    pub book: OrderBook,
    pub stats: SequencerStats,
    pub changes: Vec<BookChange>,
}

/// The running consumer.
pub struct ConsumerTask {
    pub view: watch::Receiver<View>,
    cancel: CancellationToken,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl ConsumerTask {
    /// Spawns the task.
    pub fn spawn(mut consumer: BookConsumer) -> Self {
        let (tx, view) = watch::channel(View::default());
        let cancel = CancellationToken::new();
        let token = cancel.clone();
        let handle = tokio::spawn(async move {
            let mut changes = Vec::new();
            loop {
                let change = tokio::select! {
                    () = token.cancelled() => break,
                    change = consumer.next() => change?,
                };
                changes.push(change);
                tx.send_replace(View {
                    live: consumer.is_live(),
                    seq: consumer.seq(),
                    book: consumer.book().clone(),
                    stats: consumer.stats(),
                    changes: changes.clone(),
                });
            }
            consumer.close().await?;
            Ok(())
        });
        ConsumerTask {
            view,
            cancel,
            handle,
        }
    }

    /// The latest view.
    pub fn now(&self) -> View {
        self.view.borrow().clone()
    }

    /// Stops the task and reports how it ended.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.cancel.cancel();
        self.handle.await?
    }
}
