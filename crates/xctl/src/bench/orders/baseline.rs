//! The baseline, in the same run: a raw JetStream publish (with `Nats-Msg-Id`, ack awaited) of
//! a payload the size of an order command, received by a durable pull consumer (explicit acks)
//! on a stream of its own. Same count, same pacing, same measurement (send time → arrival).
//!
//! This is the floor under the order path: a command is exactly such a publish, consumed by
//! the gateway's pull consumer; the gateway's own work (validation, the venue's REST round trip,
//! the KV `orders` compare-and-set, the event's JetStream publish) comes on top.

use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::jetstream::{self, consumer, stream};
use bytes::Bytes;
use exchange_core::model::now_ns;
use futures_util::StreamExt;

use super::pace::{self, SendTimes};
use crate::bench::report::Phase;

const STREAM: &str = "XCTL_BENCH_JS";
const SUBJECT: &str = "xctl.bench.js";

/// Publishes `n` payloads of `size` bytes at `rate` and measures each one's arrival at the pull
/// consumer. The stream is created fresh and deleted afterwards.
pub async fn run(
    js: &jetstream::Context,
    n: usize,
    size: usize,
    rate: Option<f64>,
    timeout: Duration,
    run_id: &str,
) -> anyhow::Result<Phase> {
    let _ = js.delete_stream(STREAM).await;
    let created = js
        .create_stream(stream::Config {
            name: STREAM.to_owned(),
            subjects: vec![SUBJECT.to_owned()],
            storage: stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the stream {STREAM}: {e}"))?;
    let consumer = created
        .create_consumer(consumer::pull::Config {
            durable_name: Some("bench".to_owned()),
            ack_policy: consumer::AckPolicy::Explicit,
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the pull consumer: {e}"))?;
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| anyhow::anyhow!("cannot pull from {STREAM}: {e}"))?;

    let size = size.max(16);
    let times = SendTimes::new(n);
    let publisher = js.clone();
    let run_id = run_id.to_owned();
    let start = Instant::now();
    let mut sender = pace::spawn(n, rate, times.clone(), move |i, ts| {
        let mut body = vec![0u8; size];
        body[..8].copy_from_slice(&ts.to_le_bytes());
        body[8..16].copy_from_slice(&(i as u64).to_le_bytes());
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", format!("{run_id}-{i}").as_str());
        let js = publisher.clone();
        async move {
            let ack = js
                .publish_with_headers(SUBJECT, headers, Bytes::from(body))
                .await?
                .await?;
            if ack.duplicate {
                anyhow::bail!("JetStream dropped raw message {i} as a repeat");
            }
            Ok(())
        }
    });

    let mut phase = Phase::new(timeout)?;
    let mut seen = vec![false; n];
    let mut done = 0usize;
    let mut last = start;
    let mut sending = true;
    let deadline = tokio::time::Instant::now() + timeout;
    while done < n {
        let message = tokio::select! {
            sent = &mut sender, if sending => {
                sending = false;
                sent??;
                continue;
            }
            m = tokio::time::timeout_at(deadline, messages.next()) => match m {
                Ok(Some(Ok(m))) => m,
                Ok(Some(Err(e))) => anyhow::bail!("pulling from {STREAM}: {e}"),
                Ok(None) => anyhow::bail!("the pull from {STREAM} ended"),
                Err(_) => break,
            },
        };
        let arrived = now_ns();
        let index = message
            .payload
            .get(8..16)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .and_then(|i| usize::try_from(i).ok())
            .filter(|i| *i < n && !seen[*i]);
        if let Some(i) = index {
            seen[i] = true;
            done += 1;
            last = Instant::now();
            phase.record(message.payload.len(), times.get(i).map(|t| arrived - t));
        }
        message
            .ack()
            .await
            .map_err(|e| anyhow::anyhow!("ack on {STREAM}: {e}"))?;
    }
    if sending {
        sender.abort();
    }
    phase.window = last.duration_since(start).max(Duration::from_micros(1));
    phase.notes.push(("commands".into(), n.to_string()));
    phase.notes.push(("answered".into(), done.to_string()));
    drop(messages);
    let _ = js.delete_stream(STREAM).await;
    Ok(phase)
}
