//! `place`: one order to the venue, at most once.
//!
//! 1. A record exists and is settled: the command is a repeat. A new message (not a redelivery)
//!    is answered with the order's current state; nothing reaches the venue.
//! 2. A record exists but is `pending` or `unknown` (a crash or a timeout left it): *resolve* —
//!    ask the venue by client order id; place only if the venue has never seen it.
//! 3. No record: validate against the market's rules (a failure is a `rejected` event), write the
//!    `pending` record (the intent, so a crash from here on is reconciled), then place.
//! 4. The venue's answer: an order → `accepted` (and whatever it shows); a refusal → `rejected`
//!    with the venue's reason; a timeout or 5xx → `unknown`, then resolve.
//!
//! The venue's client-order-id field carries ours, so even a second placement after a lost
//! record is refused by the venue as a duplicate, which resolving turns back into the one order.

use std::time::Duration;

use bus::Reject;
use exchange_core::model::{Market, OrderRequest, Symbol};
use exchange_core::{ErrorKind, ExchangeError};

use super::outcome::{Delivery, Outcome};
use crate::desk::Desk;
use crate::error::Result;
use crate::ledger::{self, LedgerError, Update};
use crate::trace;

/// Handles one place command.
pub async fn place(desk: &Desk, request: OrderRequest, delivery: &Delivery) -> Result<Outcome> {
    let id = request.client_order_id.clone();
    let headers = delivery.headers.as_ref();
    loop {
        if let Some(stored) = desk.journal.get(&id).await? {
            let record = stored.record;
            if record.phase == bus::OrderPhase::Known {
                return repeat(desk, &record, delivery).await;
            }
            let request = record.request.clone().unwrap_or(request);
            return resolve(desk, &request, delivery, 0).await;
        }
        let market = desk.market_or_reload(&request.symbol).await;
        if let Err(reason) = check(desk.venue(), market.as_ref(), &request) {
            let update = Update::PlaceRejected {
                request: request.clone(),
                reason,
                command_sequence: Some(delivery.stream_sequence),
            };
            desk.journal.apply(&id, update, headers).await?.ok();
            return Ok(Outcome::Rejected);
        }
        let pending = Update::Pending {
            request: request.clone(),
            traceparent: trace::traceparent_of(headers),
            command_sequence: Some(delivery.stream_sequence),
        };
        match desk.journal.apply(&id, pending, headers).await? {
            Ok(_) => return send(desk, &request, delivery, 0).await,
            // Another instance or lane wrote it first: look again.
            Err(LedgerError::Exists(_)) => continue,
            Err(e @ LedgerError::NoRecord(_)) => return Err(e.into()),
        }
    }
}

/// Checks the request against the market's rules before the venue sees it.
pub fn check(
    venue: &str,
    market: Option<&Market>,
    request: &OrderRequest,
) -> std::result::Result<(), Reject> {
    let Some(market) = market else {
        return Err(Reject::new(
            "bad_symbol",
            format!("{venue} does not list {}", request.symbol),
        ));
    };
    request
        .validate(market)
        .map_err(|e| Reject::from_exchange_error(&e))
}

/// Whether an error of a place or cancel leaves its outcome unknown.
pub fn is_unknown_outcome(error: &ExchangeError) -> bool {
    matches!(
        error.kind(),
        ErrorKind::UnknownOrderStatus
            | ErrorKind::Timeout
            | ErrorKind::Connection
            | ErrorKind::ExchangeUnavailable
    )
}

fn is_duplicate_at_venue(error: &ExchangeError) -> bool {
    error.reason_code() == "duplicate_client_order_id"
}

/// How many times one command may send its order (a first placement, then once more after the
/// venue said it never saw it). Beyond that the command waits for its next delivery.
const MAX_SENDS: u32 = 2;

/// Places the order and records the venue's answer. `sends` counts the placements this
/// delivery already made.
async fn send(
    desk: &Desk,
    request: &OrderRequest,
    delivery: &Delivery,
    sends: u32,
) -> Result<Outcome> {
    let sends = sends + 1;
    let id = &request.client_order_id;
    let headers = delivery.headers.as_ref();
    match desk.exchange.place_order(request).await {
        Ok(order) => {
            desk.journal
                .apply(id, Update::Venue(order), headers)
                .await?
                .ok();
            Ok(Outcome::Done)
        }
        Err(e) if is_duplicate_at_venue(&e) => {
            tracing::warn!(client_order_id = %id, error = %e, "the venue already has this client order id; resolving");
            resolve(desk, request, delivery, sends).await
        }
        Err(e) if is_unknown_outcome(&e) => {
            desk.metrics.unknown_outcomes(desk.venue()).inc();
            tracing::warn!(client_order_id = %id, error = %e, "place outcome unknown; resolving");
            desk.journal
                .apply(id, Update::Unknown(e.to_string()), headers)
                .await?
                .ok();
            resolve(desk, request, delivery, sends).await
        }
        Err(e) => {
            tracing::info!(client_order_id = %id, error = %e, "the venue refused the order");
            let update = Update::PlaceRejected {
                request: request.clone(),
                reason: Reject::from_exchange_error(&e),
                command_sequence: Some(delivery.stream_sequence),
            };
            desk.journal.apply(id, update, headers).await?.ok();
            Ok(Outcome::Rejected)
        }
    }
}

/// Asks the venue about an order whose placement may or may not have happened; places it only
/// when the venue has never seen it (and this delivery has not sent it [`MAX_SENDS`] times).
async fn resolve(
    desk: &Desk,
    request: &OrderRequest,
    delivery: &Delivery,
    sends: u32,
) -> Result<Outcome> {
    let id = &request.client_order_id;
    let mut backoff = Duration::from_millis(desk.config.resolve_backoff_ms);
    for attempt in 0..desk.config.resolve_attempts.max(1) {
        match desk.exchange.fetch_order_status(&request.symbol, id).await {
            Ok(order) => {
                settle(desk, &request.symbol, order, delivery.headers.as_ref()).await?;
                return Ok(Outcome::Done);
            }
            Err(e) if e.kind() == ErrorKind::OrderNotFound && sends < MAX_SENDS => {
                tracing::info!(client_order_id = %id, attempt, "the venue never saw the order; placing it");
                return Box::pin(send(desk, request, delivery, sends)).await;
            }
            Err(e) if e.kind() == ErrorKind::OrderNotFound => break,
            Err(e) => {
                tracing::warn!(client_order_id = %id, attempt, error = %e, "order status query failed");
                tokio::time::sleep(e.retry_after().unwrap_or(backoff)).await;
                backoff = backoff.saturating_mul(2);
            }
        }
    }
    Ok(Outcome::Retry(format!(
        "the outcome of {id} could not be settled with the venue yet"
    )))
}

/// Records what the venue says of an order, fetching its fills first when the venue reports
/// more filled than the fills published (the REST check of the private stream). Only a venue
/// that cannot list an order's fills gets the filled quantity published without fills
/// ([`Update::Settle`]); otherwise fills still missing from REST stay owed, and the private
/// stream or the next reconciliation brings them.
pub async fn settle(
    desk: &Desk,
    symbol: &Symbol,
    order: exchange_core::model::Order,
    headers: Option<&async_nats::HeaderMap>,
) -> Result<()> {
    let id = order.client_order_id.clone();
    if !desk
        .exchange
        .has(exchange_core::Capability::FetchOrderFills)
    {
        desk.journal
            .apply(&id, Update::Settle(order), headers)
            .await?
            .ok();
        return Ok(());
    }
    let record = desk.journal.get(&id).await?.map(|s| s.record);
    let published = record
        .as_ref()
        .map(|r| r.fills_quantity)
        .unwrap_or_default();
    let missing = if order.filled_quantity > published {
        match desk.exchange.fetch_order_fills(symbol, &id).await {
            Ok(fills) => ledger::fills_to_publish(record.as_ref(), order.filled_quantity, fills),
            Err(e) => {
                tracing::warn!(client_order_id = %id, error = %e, "fetching the order's fills failed; the private stream or the next reconciliation brings them");
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    // Fills first (they happened before the state that reports them), except for an order the
    // journal has never seen: it needs its record before a fill can count.
    if record.is_none() {
        desk.journal
            .apply(&id, Update::Venue(order.clone()), headers)
            .await?
            .ok();
    }
    for fill in missing {
        desk.journal
            .apply(&id, Update::Fill(fill), headers)
            .await?
            .ok();
    }
    desk.journal
        .apply(&id, Update::Venue(order), headers)
        .await?
        .ok();
    Ok(())
}

/// Answers a repeated place of a settled order with its current state — only for another
/// message: a redelivery of the message that created the record (known by its stream sequence,
/// which survives a NATS restart where the delivery count may not) already had its events.
async fn repeat(desk: &Desk, record: &bus::OrderRecord, delivery: &Delivery) -> Result<Outcome> {
    let same_message = record.command_sequence == Some(delivery.stream_sequence);
    if !same_message && !delivery.is_redelivery() {
        let id = &record.order.client_order_id;
        let suffix = format!("repeat:{}", delivery.stream_sequence);
        let msg_id = ledger::event_msg_id(desk.venue(), desk.account(), id, &suffix);
        let headers = trace::event_headers(delivery.headers.as_ref(), None);
        desk.journal
            .publish(
                Some(id),
                ledger::current_state(record),
                Some(&msg_id),
                &headers,
            )
            .await?;
    }
    Ok(Outcome::Duplicate)
}
