//! Phase 2: raw NATS publish → subscribe of same-size payloads: as fast as one publisher can (the
//! rate to compare with), and paced at the gateway's rate (the latency to compare with: at full
//! speed, latency is queueing).

use std::time::{Duration, Instant};

use bytes::Bytes;
use exchange_core::model::now_ns;
use futures_util::StreamExt;

use super::report::Phase;

const SUBJECT: &str = "bench.raw";

/// Publishes `size`-byte payloads (a send timestamp in the first 8 bytes) for a warm-up second
/// plus `window`, as fast as possible or `pace` messages per second, and measures what the
/// subscriber receives in the window.
pub async fn run(
    url: &str,
    size: usize,
    window: Duration,
    pace: Option<f64>,
) -> anyhow::Result<Phase> {
    let publisher = async_nats::connect(url).await?;
    let subscriber = async_nats::ConnectOptions::new()
        .subscription_capacity(1 << 16)
        .connect(url)
        .await?;
    let mut sub = subscriber.subscribe(SUBJECT).await?;
    subscriber.flush().await?;
    let warmup = Duration::from_secs(1);
    let stop = tokio_util::sync::CancellationToken::new();
    let token = stop.clone();
    let publishing = tokio::spawn(async move {
        let mut body = vec![0u8; size.max(8)];
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        let mut carry = 0.0;
        while !token.is_cancelled() {
            let burst = match pace {
                Some(per_sec) => {
                    tick.tick().await;
                    carry += per_sec / 1000.0;
                    let n = carry.floor();
                    carry -= n;
                    n as usize
                }
                None => 64,
            };
            for _ in 0..burst {
                body[..8].copy_from_slice(&now_ns().to_le_bytes());
                if publisher
                    .publish(SUBJECT, Bytes::copy_from_slice(&body))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            tokio::task::yield_now().await;
        }
        let _ = publisher.flush().await;
    });
    let mut phase = Phase::new(window)?;
    let start = Instant::now();
    let end = start + warmup + window;
    while let Ok(Some(message)) = tokio::time::timeout_at(end.into(), sub.next()).await {
        if start.elapsed() < warmup {
            continue;
        }
        let sent = message
            .payload
            .get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(i64::from_le_bytes);
        phase.record(message.payload.len(), sent.map(|s| now_ns() - s));
    }
    stop.cancel();
    let _ = publishing.await;
    Ok(phase)
}
