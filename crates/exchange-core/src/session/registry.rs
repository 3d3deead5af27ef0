//! The active subscriptions of one session, and delivery into their streams.
//!
//! Delivery never blocks the session task: each stream has a bounded buffer, and when a slow
//! consumer lets it fill up, the data is dropped, counted, and the consumer's next event is
//! [`StreamEvent::Resync`], so it knows to rebuild instead of silently missing data.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use tokio::time::Instant;

use crate::stream::StreamEvent;

struct Entry<M> {
    id: u64,
    tx: mpsc::Sender<StreamEvent<M>>,
    stale_after: Option<Duration>,
    last_data: Instant,
    pending_resync: bool,
}

impl<M> Entry<M> {
    /// Sends a pending `Resync` if there is one; false if the buffer is still full.
    fn flush_resync(&mut self, lagged: &mut u64) -> bool {
        if !self.pending_resync {
            return true;
        }
        match self.tx.try_send(StreamEvent::Resync) {
            Ok(()) => {
                self.pending_resync = false;
                true
            }
            Err(TrySendError::Full(_)) => {
                *lagged += 1;
                false
            }
            Err(TrySendError::Closed(_)) => false,
        }
    }
}

/// Subscriptions by key.
pub(crate) struct Registry<K, M> {
    subs: HashMap<K, Entry<M>>,
    next_id: u64,
    lagged: u64,
}

impl<K: Clone + Eq + Hash, M> Registry<K, M> {
    pub(crate) fn new() -> Self {
        Self {
            subs: HashMap::new(),
            next_id: 0,
            lagged: 0,
        }
    }

    /// Adds a subscription; `None` if `key` is already subscribed.
    pub(crate) fn insert(
        &mut self,
        key: K,
        tx: mpsc::Sender<StreamEvent<M>>,
        stale_after: Option<Duration>,
        now: Instant,
    ) -> Option<u64> {
        if self.subs.contains_key(&key) {
            return None;
        }
        self.next_id += 1;
        let id = self.next_id;
        self.subs.insert(
            key,
            Entry {
                id,
                tx,
                stale_after,
                last_data: now,
                pending_resync: false,
            },
        );
        Some(id)
    }

    /// Removes `key` (its stream ends once drained).
    pub(crate) fn remove(&mut self, key: &K) -> bool {
        self.subs.remove(key).is_some()
    }

    /// Removes `key` only if it is still the subscription `id` (not a later one on the same key).
    pub(crate) fn remove_if(&mut self, key: &K, id: u64) -> bool {
        if self.subs.get(key).is_some_and(|e| e.id == id) {
            self.subs.remove(key);
            true
        } else {
            false
        }
    }

    pub(crate) fn keys(&self) -> Vec<K> {
        self.subs.keys().cloned().collect()
    }

    /// Events dropped because a consumer was too slow, so far.
    pub(crate) fn lagged(&self) -> u64 {
        self.lagged
    }

    /// Delivers one data item to `key`'s stream. False if nobody is subscribed to `key`.
    pub(crate) fn route(&mut self, key: &K, message: M, now: Instant) -> bool {
        let Some(entry) = self.subs.get_mut(key) else {
            return false;
        };
        entry.last_data = now;
        if !entry.flush_resync(&mut self.lagged) {
            return true;
        }
        match entry.tx.try_send(StreamEvent::Data(message)) {
            Ok(()) | Err(TrySendError::Closed(_)) => {}
            Err(TrySendError::Full(_)) => {
                self.lagged += 1;
                entry.pending_resync = true;
            }
        }
        true
    }

    /// Marks every stream for `Resync` and sends it where there is room.
    pub(crate) fn resync_all(&mut self) {
        for entry in self.subs.values_mut() {
            entry.pending_resync = true;
            entry.flush_resync(&mut self.lagged);
        }
    }

    /// Restarts every per-subscription watchdog window at `now` (after a (re)connect).
    pub(crate) fn touch_all(&mut self, now: Instant) {
        for entry in self.subs.values_mut() {
            entry.last_data = now;
        }
    }

    /// Subscriptions with a watchdog window that saw no data for longer than it.
    pub(crate) fn stale_keys(&self, now: Instant) -> Vec<K> {
        self.subs
            .iter()
            .filter(|(_, e)| {
                e.stale_after
                    .is_some_and(|w| now.saturating_duration_since(e.last_data) > w)
            })
            .map(|(k, _)| k.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_consumer_gets_resync_instead_of_lost_data() {
        let mut reg: Registry<&str, u32> = Registry::new();
        let (tx, mut rx) = mpsc::channel(2);
        let now = Instant::now();
        reg.insert("a", tx, None, now).unwrap();
        for i in 0..5 {
            assert!(reg.route(&"a", i, now));
        }
        assert_eq!(rx.recv().await, Some(StreamEvent::Data(0)));
        assert_eq!(rx.recv().await, Some(StreamEvent::Data(1)));
        assert!(reg.lagged() >= 3);
        // The marker goes out first, then data flows again.
        reg.route(&"a", 9, now);
        assert_eq!(rx.recv().await, Some(StreamEvent::Resync));
        assert_eq!(rx.recv().await, Some(StreamEvent::Data(9)));
    }

    #[tokio::test]
    async fn duplicate_keys_are_refused_and_unknown_keys_not_routed() {
        let mut reg: Registry<&str, u32> = Registry::new();
        let (tx, _rx) = mpsc::channel(2);
        let now = Instant::now();
        let id = reg.insert("a", tx.clone(), None, now).unwrap();
        assert!(reg.insert("a", tx, None, now).is_none());
        assert!(!reg.route(&"b", 1, now));
        assert!(!reg.remove_if(&"a", id + 1));
        assert!(reg.remove_if(&"a", id));
    }

    #[tokio::test(start_paused = true)]
    async fn per_subscription_watchdog() {
        let mut reg: Registry<&str, u32> = Registry::new();
        let (tx, _rx) = mpsc::channel(8);
        let (tx2, _rx2) = mpsc::channel(8);
        let t0 = Instant::now();
        reg.insert("quiet", tx, Some(Duration::from_secs(5)), t0);
        reg.insert("unwatched", tx2, None, t0);
        assert!(reg.stale_keys(t0 + Duration::from_secs(5)).is_empty());
        assert_eq!(reg.stale_keys(t0 + Duration::from_secs(6)), vec!["quiet"]);
        reg.route(&"quiet", 1, t0 + Duration::from_secs(6));
        assert!(reg.stale_keys(t0 + Duration::from_secs(7)).is_empty());
    }
}
