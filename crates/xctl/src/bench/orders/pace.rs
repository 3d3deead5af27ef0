//! Sending `n` messages one after another, each stamped with its send time, at a fixed rate or as
//! fast as each send returns.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use exchange_core::model::now_ns;
use tokio::task::JoinHandle;

/// The send time of each message, ns since the epoch (0: not sent yet).
#[derive(Clone)]
pub struct SendTimes(Arc<Vec<AtomicI64>>);

impl SendTimes {
    /// `n` unsent messages.
    pub fn new(n: usize) -> Self {
        SendTimes(Arc::new((0..n).map(|_| AtomicI64::new(0)).collect()))
    }

    /// When message `i` was sent, if it was.
    pub fn get(&self, i: usize) -> Option<i64> {
        self.0
            .get(i)
            .map(|t| t.load(Ordering::Acquire))
            .filter(|t| *t > 0)
    }

    fn set(&self, i: usize, ts: i64) {
        if let Some(t) = self.0.get(i) {
            t.store(ts, Ordering::Release);
        }
    }
}

/// Spawns the sender: message `i` is due at `i / rate` seconds after the start (`rate` `None`:
/// at once); its time is stamped just before `send(i, ts)` is called, and `send` returns after
/// the server's ack. The task ends after the last ack, or at the first error.
pub fn spawn<F, Fut>(
    n: usize,
    rate: Option<f64>,
    times: SendTimes,
    mut send: F,
) -> JoinHandle<anyhow::Result<()>>
where
    F: FnMut(usize, i64) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    tokio::spawn(async move {
        let start = tokio::time::Instant::now();
        for i in 0..n {
            if let Some(rate) = rate.filter(|r| *r > 0.0) {
                let due = start + Duration::from_secs_f64(i as f64 / rate);
                tokio::time::sleep_until(due).await;
            }
            let ts = now_ns();
            times.set(i, ts);
            send(i, ts).await?;
        }
        Ok(())
    })
}
