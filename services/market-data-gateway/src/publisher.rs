//! The NATS side: one task that publishes what the feeds hand over, in order, with the
//! `Content-Type` header of the configured encoding.
//!
//! `Client::publish` only queues into the client's own buffer, so this task keeps up with the
//! feeds while NATS does; when NATS is away and the client's buffer is full, this task waits and
//! the outbox fills, and feeds drop (counted) instead of waiting. On shutdown it publishes what
//! is already buffered, then flushes.

use async_nats::HeaderMap;
use bus::Encoding;
use tokio_util::sync::CancellationToken;

use crate::metrics::GatewayMetrics;
use crate::outbox::{OutboxReceiver, Outgoing};

/// Most messages taken from the outbox at once.
const BATCH: usize = 256;

/// Publishes until the token is cancelled (then drains the outbox) or every sender is gone.
pub async fn run(
    client: async_nats::Client,
    mut rx: OutboxReceiver,
    encoding: Encoding,
    metrics: GatewayMetrics,
    token: CancellationToken,
) {
    let headers = encoding.headers();
    let errors = metrics.publish_errors();
    let depth = metrics.outbox_depth();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let got = tokio::select! {
            biased;
            () = token.cancelled() => break,
            got = rx.recv_many(&mut batch, BATCH) => got,
        };
        if got == 0 {
            break;
        }
        depth.set(i64::try_from(rx.len()).unwrap_or(i64::MAX));
        for message in batch.drain(..) {
            publish(&client, &headers, message, &errors).await;
        }
    }
    rx.close();
    while let Ok(message) = rx.try_recv() {
        publish(&client, &headers, message, &errors).await;
    }
    if let Err(e) = client.flush().await {
        tracing::warn!(error = %e, "flush at shutdown failed");
    }
}

async fn publish(
    client: &async_nats::Client,
    headers: &HeaderMap,
    message: Outgoing,
    errors: &service_kit::Counter,
) {
    let Outgoing {
        subject,
        body,
        published,
    } = message;
    match client
        .publish_with_headers(subject, headers.clone(), body)
        .await
    {
        Ok(()) => published.inc(),
        Err(e) => {
            errors.inc();
            tracing::debug!(error = %e, "publish failed");
        }
    }
}
