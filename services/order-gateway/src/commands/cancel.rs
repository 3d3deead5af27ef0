//! `cancel` and `cancel_all`.
//!
//! A cancel of an order whose placement is still pending or unknown waits (the command is
//! delivered again later) so that it never overtakes its place. A cancel of a closed order is
//! refused with `order_closed`; of an order the venue does not know, with `order_not_found`. An
//! order canceled (or filled) at the venue is recorded through the ledger, which publishes
//! `canceled` once however many cancels arrive.

use bus::{OrderPhase, Reject};
use exchange_core::model::{Order, Symbol};
use exchange_core::{ErrorKind, ExchangeError};

use super::outcome::{Delivery, Outcome};
use super::place::{is_unknown_outcome, settle};
use crate::desk::Desk;
use crate::error::Result;
use crate::ledger::{self, Update};
use crate::trace;

/// Handles one cancel command.
pub async fn cancel(
    desk: &Desk,
    client_order_id: &str,
    symbol: &Symbol,
    delivery: &Delivery,
) -> Result<Outcome> {
    let headers = delivery.headers.as_ref();
    let stored = desk.journal.get(client_order_id).await?;
    if let Some(stored) = &stored {
        let record = &stored.record;
        if record.phase != OrderPhase::Known {
            return Ok(Outcome::Retry(format!(
                "the place of {client_order_id} is not settled yet"
            )));
        }
        if record.order.status.is_terminal() {
            let reason = Reject::new(
                "order_closed",
                format!(
                    "{client_order_id} is already {}",
                    record.order.status.as_str()
                ),
            );
            return refuse_known(desk, client_order_id, reason, headers).await;
        }
    }
    let symbol = stored
        .as_ref()
        .map(|s| s.record.order.symbol.clone())
        .unwrap_or_else(|| symbol.clone());
    match desk.exchange.cancel_order(&symbol, client_order_id).await {
        Ok(order) => {
            settle(desk, &symbol, order, headers).await?;
            Ok(Outcome::Done)
        }
        Err(e) if e.kind() == ErrorKind::OrderNotFound || is_unknown_outcome(&e) => {
            // Filled or canceled meanwhile, never placed, or the answer was lost: ask.
            if is_unknown_outcome(&e) {
                desk.metrics.unknown_outcomes(desk.venue()).inc();
            }
            match desk
                .exchange
                .fetch_order_status(&symbol, client_order_id)
                .await
            {
                Ok(order) => after_status(desk, &symbol, order, delivery).await,
                Err(q) if q.kind() == ErrorKind::OrderNotFound => {
                    let reason = Reject::new(
                        "order_not_found",
                        format!("{} does not know {client_order_id}", desk.venue()),
                    );
                    refuse(desk, client_order_id, stored.is_some(), reason, delivery).await
                }
                Err(q) => Ok(Outcome::Retry(format!(
                    "cancel of {client_order_id}: {e}; status query: {q}"
                ))),
            }
        }
        Err(e) => {
            let reason = Reject::from_exchange_error(&e);
            refuse(desk, client_order_id, stored.is_some(), reason, delivery).await
        }
    }
}

/// The order's state after a cancel that could not say: closed is settled, still open waits.
async fn after_status(
    desk: &Desk,
    symbol: &Symbol,
    order: Order,
    delivery: &Delivery,
) -> Result<Outcome> {
    let open = !order.status.is_terminal();
    let id = order.client_order_id.clone();
    settle(desk, symbol, order, delivery.headers.as_ref()).await?;
    if open {
        Ok(Outcome::Retry(format!("{id} is still open after a cancel")))
    } else {
        Ok(Outcome::Done)
    }
}

/// Publishes the refusal of a command about an order with a record.
async fn refuse_known(
    desk: &Desk,
    client_order_id: &str,
    reason: Reject,
    headers: Option<&async_nats::HeaderMap>,
) -> Result<Outcome> {
    desk.journal
        .apply(client_order_id, Update::CommandRejected(reason), headers)
        .await?
        .ok();
    Ok(Outcome::Rejected)
}

/// Publishes the refusal of a command, about a known order or not.
async fn refuse(
    desk: &Desk,
    client_order_id: &str,
    known: bool,
    reason: Reject,
    delivery: &Delivery,
) -> Result<Outcome> {
    if known {
        return refuse_known(desk, client_order_id, reason, delivery.headers.as_ref()).await;
    }
    publish_refusal(desk, Some(client_order_id), reason, delivery).await?;
    Ok(Outcome::Rejected)
}

/// Publishes a `rejected` event without an order, its message id derived from the command's
/// stream sequence (so a redelivery does not publish it twice).
pub async fn publish_refusal(
    desk: &Desk,
    client_order_id: Option<&str>,
    reason: Reject,
    delivery: &Delivery,
) -> Result<()> {
    let suffix = format!("refused:{}", delivery.stream_sequence);
    let msg_id = ledger::event_msg_id(
        desk.venue(),
        desk.account(),
        client_order_id.unwrap_or("_"),
        &suffix,
    );
    let headers = trace::event_headers(delivery.headers.as_ref(), None);
    let kind = bus::OrderEventKind::Rejected {
        order: None,
        reason,
    };
    desk.journal
        .publish(client_order_id, kind, Some(&msg_id), &headers)
        .await
}

/// Handles one cancel-all command: every open order of the account (or of one symbol) is
/// canceled at the venue, and each canceled order gets its `canceled` event. A venue without a
/// cancel-all endpoint gets one cancel per open order.
pub async fn cancel_all(
    desk: &Desk,
    command_id: &str,
    symbol: Option<&Symbol>,
    delivery: &Delivery,
) -> Result<Outcome> {
    let headers = delivery.headers.as_ref();
    let canceled = match desk.exchange.cancel_all_orders(symbol).await {
        Ok(orders) => orders,
        Err(e) if e.kind() == ErrorKind::NotSupported => match one_by_one(desk, symbol).await {
            Ok(orders) => orders,
            Err(e) => return refuse_all(desk, command_id, &e, delivery).await,
        },
        Err(e) if is_unknown_outcome(&e) => {
            return Ok(Outcome::Retry(format!("cancel-all {command_id}: {e}")));
        }
        Err(e) => return refuse_all(desk, command_id, &e, delivery).await,
    };
    for order in canceled {
        if bus::subject::check_token("client_order_id", &order.client_order_id).is_err() {
            continue;
        }
        let symbol = order.symbol.clone();
        settle(desk, &symbol, order, headers).await?;
    }
    Ok(Outcome::Done)
}

async fn one_by_one(desk: &Desk, symbol: Option<&Symbol>) -> exchange_core::Result<Vec<Order>> {
    let open = desk.exchange.fetch_open_orders(symbol).await?;
    let mut canceled = Vec::with_capacity(open.len());
    for order in open {
        match desk
            .exchange
            .cancel_order(&order.symbol, &order.client_order_id)
            .await
        {
            Ok(order) => canceled.push(order),
            Err(e) if e.kind() == ErrorKind::OrderNotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(canceled)
}

async fn refuse_all(
    desk: &Desk,
    command_id: &str,
    error: &ExchangeError,
    delivery: &Delivery,
) -> Result<Outcome> {
    let reason = Reject::from_exchange_error(error);
    publish_refusal(desk, Some(command_id), reason, delivery).await?;
    Ok(Outcome::Rejected)
}
