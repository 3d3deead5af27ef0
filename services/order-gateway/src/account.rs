//! The private stream of one desk into the journal: order updates and fills as they happen.
//!
//! Events are handed to `lanes` tasks by client order id (as commands are), so one order's
//! events are recorded in stream order while different orders are recorded in parallel.
//!
//! A gap in the stream (the adapter's `Resync` after a reconnect) or its end triggers a
//! reconciliation, whose REST check brings what the gap hid. A fact the journal cannot record
//! right now (NATS away) is retried until it is, never dropped; should the process die first,
//! the next start's reconciliation finds it at the venue.

use std::time::Duration;

use exchange_core::model::AccountEvent;
use exchange_core::{Capability, StreamEvent};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::desk::Desk;
use crate::error::{GatewayError, Result};
use crate::ledger::{LedgerError, Update};
use crate::reconcile::Trigger;

/// Events waiting per lane.
const LANE_DEPTH: usize = 256;

/// Follows the desk's private stream until `token` is cancelled; lane tasks go on `tracker`.
pub async fn run(desk: Desk, trigger: Trigger, tracker: TaskTracker, token: CancellationToken) {
    if !desk.exchange.has(Capability::SubscribeAccount) {
        tracing::info!(
            venue = desk.venue(),
            "no private stream; fills come from reconciliation"
        );
        return;
    }
    let lanes: Vec<mpsc::Sender<AccountEvent>> = (0..desk.config.lanes)
        .map(|_| {
            let (tx, rx) = mpsc::channel(LANE_DEPTH);
            tracker.spawn(lane(desk.clone(), rx, token.clone()));
            tx
        })
        .collect();
    let mut backoff = Duration::from_millis(200);
    while !token.is_cancelled() {
        let mut stream = match desk.exchange.subscribe_account().await {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(venue = desk.venue(), account = desk.account(), error = %e, "private stream subscription failed; retrying");
                tokio::select! {
                    () = token.cancelled() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(10));
                continue;
            }
        };
        backoff = Duration::from_millis(200);
        loop {
            let event = tokio::select! {
                () = token.cancelled() => return,
                event = stream.next() => event,
            };
            match event {
                Some(StreamEvent::Data(event)) => {
                    let id = match &event {
                        AccountEvent::Order(order) => &order.client_order_id,
                        AccountEvent::Fill(fill) => &fill.client_order_id,
                        AccountEvent::Balances { .. } | AccountEvent::Position(_) => continue,
                    };
                    let lane = crate::commands::lane_of(id, lanes.len());
                    if let Some(tx) = lanes.get(lane)
                        && tx.send(event).await.is_err()
                    {
                        return;
                    }
                }
                Some(StreamEvent::Resync) => {
                    desk.metrics.account_resyncs(desk.venue()).inc();
                    trigger.fire("the private stream had a gap");
                }
                None => {
                    trigger.fire("the private stream ended");
                    break;
                }
            }
        }
    }
}

/// One lane: records its events one at a time, in stream order.
async fn lane(desk: Desk, mut rx: mpsc::Receiver<AccountEvent>, token: CancellationToken) {
    loop {
        let event = tokio::select! {
            () = token.cancelled() => return,
            next = rx.recv() => match next { Some(event) => event, None => return },
        };
        record(&desk, event, &token).await;
    }
}

/// Records one event of the stream, retrying while the journal (NATS) fails. A venue error (the
/// order of a fill cannot be looked up) does not hold the stream up: the event is left to
/// reconciliation, which finds the order by its client order id.
async fn record(desk: &Desk, event: AccountEvent, token: &CancellationToken) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match record_once(desk, &event).await {
            Ok(()) => return,
            Err(GatewayError::Exchange(e)) => {
                tracing::warn!(venue = desk.venue(), error = %e, "a private-stream event could not be completed from the venue; reconciliation will");
                return;
            }
            Err(e) => {
                tracing::warn!(venue = desk.venue(), error = %e, "recording a private-stream event failed; retrying");
                tokio::select! {
                    () = token.cancelled() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn record_once(desk: &Desk, event: &AccountEvent) -> Result<()> {
    let (id, update) = match event {
        AccountEvent::Order(order) => (&order.client_order_id, Update::Venue(order.clone())),
        AccountEvent::Fill(fill) => (&fill.client_order_id, Update::Fill(fill.clone())),
        AccountEvent::Balances { .. } | AccountEvent::Position(_) => return Ok(()),
    };
    if bus::subject::check_token("client_order_id", id).is_err() {
        tracing::debug!(client_order_id = %id, "ignoring an order without a usable client order id");
        return Ok(());
    }
    match desk.journal.apply(id, update.clone(), None).await? {
        Ok(_) => Ok(()),
        Err(LedgerError::NoRecord(_)) => {
            // A fill of an order never seen: learn the order first, then the fill.
            let Update::Fill(fill) = &update else {
                return Ok(());
            };
            let order = desk.exchange.fetch_order_status(&fill.symbol, id).await?;
            desk.journal
                .apply(id, Update::Venue(order), None)
                .await?
                .ok();
            desk.journal.apply(id, update, None).await?.ok();
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
