//! The command consumer of one desk.
//!
//! One durable pull consumer per (venue, account) on `ORDERS_CMD`, filtered to
//! `orders.cmd.<venue>.<account>`, explicit acks; every gateway instance binds the same durable,
//! so instances share the work. Messages are decoded in arrival order and handed to one of
//! `lanes` tasks by their client order id, so the commands of one order are handled in order
//! while different orders proceed in parallel. Commands wait while the desk is not ready
//! (reconciling after a start or a reconnect).
//!
//! Acks: `done`, `rejected` and `duplicate` ack; `retry` naks with a delay growing with the
//! delivery count; an undecodable message gets its `rejected` event and is terminated (never
//! redelivered); a message still unsettled after `max_deliveries` is refused with
//! `unsettled` and terminated. While a command is in hand the gateway sends progress acks, so a
//! slow venue does not cause a redelivery.

pub mod cancel;
pub mod decode;
pub mod outcome;
pub mod place;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, pull};
use async_nats::jetstream::{self, AckKind, Message};
use bus::jetstream::ORDERS_CMD_STREAM;
use bus::{OrderAction, OrderCommand, Reject};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use crate::desk::Desk;
use crate::error::{GatewayError, Result};
use decode::{Decoded, decode_command};
use outcome::{Delivery, Outcome};

/// Commands waiting per lane.
const LANE_DEPTH: usize = 32;

/// Errors in a row from the pull stream after which the consumer is bound again.
const MAX_STREAM_ERRORS: u32 = 10;

/// The durable consumer name of a desk: `order-gateway_<venue>_<account>`.
pub fn durable_name(venue: &str, account: &str) -> String {
    format!("order-gateway_{venue}_{account}")
}

/// The consumer definition of a desk.
pub fn consumer_config(desk: &Desk) -> pull::Config {
    pull::Config {
        durable_name: Some(durable_name(desk.venue(), desk.account())),
        description: Some(format!(
            "order-gateway: commands of {}/{}",
            desk.venue(),
            desk.account()
        )),
        filter_subject: format!("orders.cmd.{}.{}", desk.venue(), desk.account()),
        ack_policy: AckPolicy::Explicit,
        ack_wait: desk.config.ack_wait(),
        max_ack_pending: desk.config.max_ack_pending,
        max_deliver: -1,
        ..Default::default()
    }
}

/// Consumes the desk's commands until `token` is cancelled. Lane tasks go on `tracker`.
pub async fn run(
    desk: Desk,
    js: jetstream::Context,
    tracker: TaskTracker,
    token: CancellationToken,
) {
    let lanes: Vec<mpsc::Sender<(Message, OrderCommand)>> = (0..desk.config.lanes)
        .map(|_| {
            let (tx, rx) = mpsc::channel(LANE_DEPTH);
            tracker.spawn(lane(desk.clone(), rx, token.clone()));
            tx
        })
        .collect();
    let mut backoff = Duration::from_millis(100);
    while !token.is_cancelled() {
        match consume(&desk, &js, &lanes, &token).await {
            Ok(()) => backoff = Duration::from_millis(100),
            Err(e) => {
                tracing::warn!(venue = desk.venue(), account = desk.account(), error = %e, "command consumer failed; binding again");
                tokio::select! {
                    () = token.cancelled() => break,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Binds the durable consumer and dispatches its messages until the stream ends or fails.
async fn consume(
    desk: &Desk,
    js: &jetstream::Context,
    lanes: &[mpsc::Sender<(Message, OrderCommand)>],
    token: &CancellationToken,
) -> Result<()> {
    let stream = js
        .get_stream(ORDERS_CMD_STREAM)
        .await
        .map_err(|e| GatewayError::nats(format!("open stream {ORDERS_CMD_STREAM}"), e))?;
    let config = consumer_config(desk);
    let name = config.durable_name.clone().unwrap_or_default();
    let consumer = stream
        .get_or_create_consumer(&name, config)
        .await
        .map_err(|e| GatewayError::nats(format!("bind consumer {name}"), e))?;
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| GatewayError::nats(format!("pull from {name}"), e))?;
    let mut ready = desk.ready();
    let mut errors_in_a_row = 0u32;
    tracing::info!(venue = desk.venue(), account = desk.account(), consumer = %name, "taking commands");
    loop {
        let next = tokio::select! {
            () = token.cancelled() => return Ok(()),
            next = messages.next() => next,
        };
        let message = match next {
            Some(Ok(message)) => {
                errors_in_a_row = 0;
                message
            }
            Some(Err(e)) => {
                // Heartbeats missed while NATS restarts, and the like: the stream usually
                // recovers; if it keeps failing (the consumer was deleted), bind again.
                errors_in_a_row += 1;
                tracing::debug!(error = %e, errors_in_a_row, "command stream error");
                let deleted = e.kind() == pull::MessagesErrorKind::ConsumerDeleted;
                if deleted || errors_in_a_row >= MAX_STREAM_ERRORS {
                    return Err(GatewayError::nats(format!("pull from {name}"), e));
                }
                continue;
            }
            None => {
                return Err(GatewayError::nats(
                    format!("pull from {name}"),
                    "stream ended",
                ));
            }
        };
        tokio::select! {
            () = token.cancelled() => return Ok(()),
            r = ready.wait_for(|r| *r) => if r.is_err() { return Ok(()) },
        }
        match decode_command(message.headers.as_ref(), &message.payload) {
            Decoded::Command(command) => {
                let lane = lane_of(command.id(), lanes.len());
                if let Some(tx) = lanes.get(lane)
                    && tx.send((message, command)).await.is_err()
                {
                    return Ok(());
                }
            }
            Decoded::Refused {
                client_order_id,
                reason,
            } => refuse_poison(desk, message, client_order_id, reason).await,
        }
    }
}

/// The lane of a client order id.
pub fn lane_of(id: &str, lanes: usize) -> usize {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    usize::try_from(hasher.finish() % lanes.max(1) as u64).unwrap_or(0)
}

/// Publishes the refusal of a message that is no command, then terminates it.
async fn refuse_poison(
    desk: &Desk,
    message: Message,
    client_order_id: Option<String>,
    reason: Reject,
) {
    let delivery = delivery_of(&message);
    tracing::warn!(
        venue = desk.venue(),
        account = desk.account(),
        client_order_id = client_order_id.as_deref().unwrap_or("-"),
        code = %reason.code,
        text = %reason.text,
        stream_sequence = delivery.stream_sequence,
        "refusing an undecodable order command"
    );
    let published =
        cancel::publish_refusal(desk, client_order_id.as_deref(), reason, &delivery).await;
    match published {
        Ok(()) => {
            desk.metrics
                .commands(desk.venue(), "unknown", "terminated")
                .inc();
            ack(&message, AckKind::Term).await;
        }
        Err(e) => {
            // The refusal must be published before the message goes: try again later.
            tracing::warn!(error = %e, "publishing a refusal failed; the message will be redelivered");
            ack(&message, AckKind::Nak(Some(desk.config.retry_delay()))).await;
        }
    }
}

fn delivery_of(message: &Message) -> Delivery {
    let (delivered, stream_sequence) = message
        .info()
        .map(|i| (i.delivered, i.stream_sequence))
        .unwrap_or((1, 0));
    Delivery {
        headers: message.headers.clone(),
        delivered,
        stream_sequence,
    }
}

async fn ack(message: &Message, kind: AckKind) {
    if let Err(e) = message.ack_with(kind).await {
        tracing::warn!(error = %e, "ack failed; JetStream will redeliver (handled as a repeat)");
    }
}

/// One lane: handles its commands one at a time, in order.
async fn lane(
    desk: Desk,
    mut rx: mpsc::Receiver<(Message, OrderCommand)>,
    token: CancellationToken,
) {
    loop {
        let (message, command) = tokio::select! {
            () = token.cancelled() => return,
            next = rx.recv() => match next { Some(next) => next, None => return },
        };
        let delivery = delivery_of(&message);
        let span = crate::trace::command_span(
            command.action_name(),
            command.id(),
            delivery.headers.as_ref(),
        );
        let handled = with_progress(&message, desk.config.ack_wait(), async {
            handle(&desk, &command, &delivery).await
        })
        .instrument(span.clone())
        .await;
        settle_ack(&desk, &message, &command, &delivery, handled)
            .instrument(span)
            .await;
    }
}

/// Runs `work`, telling JetStream the message is in progress every third of `ack_wait`.
async fn with_progress<T>(
    message: &Message,
    ack_wait: Duration,
    work: impl std::future::Future<Output = T>,
) -> T {
    let mut work = std::pin::pin!(work);
    let mut ticker = tokio::time::interval(ack_wait / 3);
    ticker.tick().await;
    loop {
        tokio::select! {
            out = &mut work => return out,
            _ = ticker.tick() => ack(message, AckKind::Progress).await,
        }
    }
}

async fn handle(desk: &Desk, command: &OrderCommand, delivery: &Delivery) -> Result<Outcome> {
    match &command.action {
        OrderAction::Place(request) => place::place(desk, request.clone(), delivery).await,
        OrderAction::Cancel {
            client_order_id,
            symbol,
        } => cancel::cancel(desk, client_order_id, symbol, delivery).await,
        OrderAction::CancelAll { command_id, symbol } => {
            cancel::cancel_all(desk, command_id, symbol.as_ref(), delivery).await
        }
    }
}

/// Acks by the outcome (see the module documentation).
async fn settle_ack(
    desk: &Desk,
    message: &Message,
    command: &OrderCommand,
    delivery: &Delivery,
    handled: Result<Outcome>,
) {
    let action = command.action_name();
    let outcome = match handled {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Retry(e.to_string()),
    };
    match &outcome {
        Outcome::Retry(why) => {
            let max = i64::try_from(desk.config.max_deliveries).unwrap_or(i64::MAX);
            if delivery.delivered >= max {
                let reason = Reject::new(
                    "unsettled",
                    format!("gave up after {} deliveries: {why}", delivery.delivered),
                );
                if cancel::publish_refusal(desk, Some(command.id()), reason, delivery)
                    .await
                    .is_ok()
                {
                    desk.metrics
                        .commands(desk.venue(), action, "terminated")
                        .inc();
                    ack(message, AckKind::Term).await;
                    return;
                }
            }
            let factor = u32::try_from(delivery.delivered.clamp(1, 30)).unwrap_or(1);
            tracing::info!(why = %why, delivered = delivery.delivered, "command not settled yet; delivering it again later");
            desk.metrics
                .commands(desk.venue(), action, outcome.label())
                .inc();
            ack(
                message,
                AckKind::Nak(Some(desk.config.retry_delay() * factor)),
            )
            .await;
        }
        _ => {
            desk.metrics
                .commands(desk.venue(), action, outcome.label())
                .inc();
            ack(message, AckKind::Ack).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_order_always_takes_the_same_lane_and_orders_spread() {
        let lanes = 8;
        assert_eq!(lane_of("s-1", lanes), lane_of("s-1", lanes));
        let used: std::collections::BTreeSet<usize> = (0..200)
            .map(|i| lane_of(&format!("strat-{i}"), lanes))
            .collect();
        assert_eq!(used.len(), lanes);
        assert_eq!(lane_of("x", 1), 0);
    }

    #[test]
    fn durable_names_are_valid_consumer_names() {
        let name = durable_name("binance-usdm", "main_1");
        assert_eq!(name, "order-gateway_binance-usdm_main_1");
        assert!(!name.contains(['.', '*', '>', ' ']));
    }
}
