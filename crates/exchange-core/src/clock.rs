//! Server-time clock offset, for venues that reject requests outside a receive window
//! (Binance: `timestamp` must not be ≥ 1000 ms ahead of server time nor older than
//! `recvWindow`, else `-1021 INVALID_TIMESTAMP`).
//!
//! The offset is estimated from the venue's server-time endpoint (`GET /api/v3/time`,
//! Kraken `GET /0/public/Time`) NTP-style: the server's time is taken to be that of the
//! midpoint of the round trip, and of several samples the one with the shortest round trip
//! wins. Adapters resync on a timestamp rejection and periodically.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{ExchangeError, Result};

/// One server-time measurement, all in milliseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSample {
    /// Local time when the request left.
    pub sent_ms: i64,
    /// The server's time in the answer.
    pub server_ms: i64,
    /// Local time when the answer arrived.
    pub received_ms: i64,
}

impl ClockSample {
    /// Server time minus local time at the round trip's midpoint.
    pub fn offset_ms(&self) -> i64 {
        self.server_ms - (self.sent_ms + self.received_ms) / 2
    }

    /// How long the round trip took (the estimate's uncertainty is half of it).
    pub fn round_trip_ms(&self) -> i64 {
        self.received_ms - self.sent_ms
    }
}

/// The offset of the sample with the shortest round trip.
pub fn best_offset(samples: &[ClockSample]) -> Option<i64> {
    samples
        .iter()
        .min_by_key(|s| s.round_trip_ms())
        .map(ClockSample::offset_ms)
}

/// Local wall-clock time in milliseconds since the epoch.
pub fn local_now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// The venue's clock as seen from here: local time plus a shared, updatable offset.
#[derive(Debug, Clone, Default)]
pub struct ServerClock {
    offset_ms: Arc<AtomicI64>,
}

impl ServerClock {
    /// A clock with a zero offset until synchronised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Server time minus local time, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Sets the offset (e.g. from [`best_offset`]).
    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
    }

    /// The venue's current time in milliseconds, for request timestamps.
    pub fn now_ms(&self) -> i64 {
        local_now_ms().saturating_add(self.offset_ms())
    }

    /// Measures `samples` round trips with `fetch_server_ms` (one server-time request each),
    /// adopts the best offset and returns it.
    pub async fn sync<F, Fut>(&self, samples: usize, mut fetch_server_ms: F) -> Result<i64>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<i64>>,
    {
        let mut taken = Vec::with_capacity(samples.max(1));
        for _ in 0..samples.max(1) {
            let sent_ms = local_now_ms();
            let server_ms = fetch_server_ms().await?;
            let received_ms = local_now_ms();
            taken.push(ClockSample {
                sent_ms,
                server_ms,
                received_ms,
            });
        }
        let offset = best_offset(&taken).ok_or_else(|| {
            ExchangeError::InvalidResponse("no server-time sample was taken".into())
        })?;
        self.set_offset_ms(offset);
        Ok(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortest_round_trip_wins() {
        let samples = [
            ClockSample {
                sent_ms: 1_000,
                server_ms: 1_700,
                received_ms: 1_400,
            },
            ClockSample {
                sent_ms: 2_000,
                server_ms: 2_510,
                received_ms: 2_020,
            },
        ];
        assert_eq!(samples[0].offset_ms(), 500);
        assert_eq!(samples[1].round_trip_ms(), 20);
        assert_eq!(best_offset(&samples), Some(500));
        assert_eq!(best_offset(&[]), None);
    }

    #[tokio::test]
    async fn sync_adopts_the_server_offset() {
        let clock = ServerClock::new();
        let offset = clock
            .sync(3, || async { Ok(local_now_ms() + 5_000) })
            .await
            .unwrap();
        assert!((offset - 5_000).abs() <= 5, "{offset}");
        assert!((clock.now_ms() - local_now_ms() - 5_000).abs() <= 5);
    }

    #[tokio::test]
    async fn a_failed_fetch_keeps_the_old_offset() {
        let clock = ServerClock::new();
        clock.set_offset_ms(42);
        let err = clock
            .sync(2, || async { Err(ExchangeError::Timeout("time".into())) })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Timeout);
        assert_eq!(clock.offset_ms(), 42);
    }
}
