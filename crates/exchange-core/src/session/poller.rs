//! The REST polling fallback: while the WebSocket stays unreachable, adapter-supplied pollers
//! keep tickers, trades, candles and books flowing into the same subscription streams.

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use tokio::time::{Interval, MissedTickBehavior};

use crate::error::Result;

/// Fetches one subscription's data over REST (the adapter's side of the fallback).
///
/// A book poller returns a fresh snapshot message; a trade poller the recent trades; a ticker
/// poller the ticker. Keys a poller cannot serve return [`crate::ExchangeError::NotSupported`].
/// Pollers should charge the venue's [`crate::ratelimit::RateLimiter`] like any request.
pub trait Poller<K, M>: Send + Sync + 'static {
    /// One poll of `key`.
    fn poll(&self, key: &K) -> BoxFuture<'static, Result<Vec<M>>>;
}

/// What the poll set produced.
pub(crate) enum PollEvent<K, M> {
    /// Time to poll every active subscription again.
    Tick,
    /// A poll finished.
    Done(K, Result<Vec<M>>),
}

type InFlight<K, M> = FuturesUnordered<BoxFuture<'static, (K, Result<Vec<M>>)>>;

/// The running polls of one session.
pub(crate) struct PollSet<K, M> {
    poller: Option<Arc<dyn Poller<K, M>>>,
    interval: Duration,
    timer: Option<Interval>,
    in_flight: InFlight<K, M>,
    keys_in_flight: HashSet<K>,
}

impl<K: Clone + Eq + Hash + Send + 'static, M: Send + 'static> PollSet<K, M> {
    pub(crate) fn new(poller: Option<Arc<dyn Poller<K, M>>>, interval: Duration) -> Self {
        Self {
            poller,
            interval,
            timer: None,
            in_flight: FuturesUnordered::new(),
            keys_in_flight: HashSet::new(),
        }
    }

    pub(crate) fn is_active(&self) -> bool {
        self.timer.is_some()
    }

    /// Starts polling (first tick at once). False if there is no poller or it already runs.
    pub(crate) fn start(&mut self) -> bool {
        if self.poller.is_none() || self.timer.is_some() {
            return false;
        }
        let mut timer = tokio::time::interval(self.interval);
        timer.set_missed_tick_behavior(MissedTickBehavior::Delay);
        self.timer = Some(timer);
        true
    }

    /// Stops polling and abandons polls in flight. True if it was running.
    pub(crate) fn stop(&mut self) -> bool {
        self.in_flight = FuturesUnordered::new();
        self.keys_in_flight.clear();
        self.timer.take().is_some()
    }

    /// Launches a poll for each key that has none in flight.
    pub(crate) fn launch(&mut self, keys: Vec<K>) {
        let Some(poller) = &self.poller else {
            return;
        };
        for key in keys {
            if !self.keys_in_flight.insert(key.clone()) {
                continue;
            }
            let fut = poller.poll(&key);
            self.in_flight
                .push(Box::pin(async move { (key, fut.await) }));
        }
    }

    /// The next tick or finished poll; never resolves while polling is stopped.
    pub(crate) async fn next(&mut self) -> PollEvent<K, M> {
        let Some(timer) = self.timer.as_mut() else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = timer.tick() => PollEvent::Tick,
            Some((key, result)) = self.in_flight.next() => {
                self.keys_in_flight.remove(&key);
                PollEvent::Done(key, result)
            }
        }
    }
}
