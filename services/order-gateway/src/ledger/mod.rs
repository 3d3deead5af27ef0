//! The ledger: the pure rules that turn what the gateway learns about an order into the events to
//! publish and the record to keep in KV `orders`. No I/O here; [`crate::journal`] runs these rules
//! against the bucket and the event stream.
//!
//! What the rules guarantee, whatever order the facts arrive in (place answer, private stream,
//! status query, reconciliation) and however often each arrives:
//!
//! 1. `accepted` is published once, when the venue first shows the order (or a fill of it).
//! 2. Every fill is published once, identified by the venue's trade id (`fill_ids`); the fill that
//!    completes the quantity is a `filled` event, the others `partially_filled`.
//! 3. `canceled` / `expired` / `rejected` are published once, and a terminal order never leaves
//!    its terminal state (a late fill is still published, so no execution is ever lost).
//! 4. The venue's filled quantity running ahead of the fills is kept in the record, not published:
//!    the fills follow from the private stream or reconciliation's REST check. Only
//!    [`Update::Settle`], after reconciliation fetched every fill it could, publishes a state the
//!    fills could not explain, as an event without a fill.
//!
//! Each event comes with a message id suffix derived from its content (`accepted`,
//! `fill:<trade_id>`, ...), so that the same fact published twice — by two instances, or before
//! and after a crash — is dropped by JetStream's duplicate window.

mod msg_id;
#[cfg(test)]
mod tests;

pub use msg_id::{event_msg_id, token};

use bus::{OrderEventKind, OrderPhase, OrderRecord, Reject};
use exchange_core::model::{Fill, Order, OrderRequest, OrderStatus};
use rust_decimal::Decimal;

/// What the gateway learned about one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// A place command was taken: from now on the order may reach the venue.
    Pending {
        /// The request.
        request: OrderRequest,
        /// The command's W3C `traceparent`.
        traceparent: Option<String>,
        /// The command's sequence in `ORDERS_CMD`.
        command_sequence: Option<u64>,
    },
    /// The venue's view of the order (place or cancel answer, status query, private stream).
    Venue(Order),
    /// One execution.
    Fill(Fill),
    /// Reconciliation's last word: the venue's view, after every fill it could fetch was applied.
    /// A filled quantity the fills do not explain is published as an event without a fill.
    Settle(Order),
    /// A place command was refused, by validation or by the venue.
    PlaceRejected {
        /// The request.
        request: OrderRequest,
        /// Why.
        reason: Reject,
        /// The command's sequence in `ORDERS_CMD`.
        command_sequence: Option<u64>,
    },
    /// A command about a known order (a cancel) was refused; the order is unchanged.
    CommandRejected(Reject),
    /// A place or cancel left the outcome unknown (timeout, 5xx); reconciliation follows.
    Unknown(String),
}

/// An event to publish: its kind and the suffix of its message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emit {
    /// Content-derived id suffix (`accepted`, `fill:1337`, `unknown:2`).
    pub id: String,
    /// The event.
    pub kind: OrderEventKind,
}

/// The outcome of one update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The record to keep.
    pub record: OrderRecord,
    /// The events to publish, in order, before the record is written.
    pub events: Vec<Emit>,
    /// Whether the record differs from the one held before.
    pub changed: bool,
}

/// Why an update could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// `Pending` for an order that already has a record.
    #[error("order {0} already has a record")]
    Exists(String),
    /// An update that needs a record, for an order without one.
    #[error("order {0} has no record")]
    NoRecord(String),
}

/// Applies `update` to the record of one order (`None` when there is none yet).
pub fn apply(
    venue: &str,
    account: &str,
    current: Option<&OrderRecord>,
    update: Update,
    now_ns: i64,
) -> Result<Step, LedgerError> {
    let step = match (current, update) {
        (Some(r), Update::Pending { .. }) => {
            return Err(LedgerError::Exists(r.order.client_order_id.clone()));
        }
        (
            None,
            Update::Pending {
                request,
                traceparent,
                command_sequence,
            },
        ) => {
            let mut record = OrderRecord::new(venue, account, order_of(&request, now_ns));
            record.phase = OrderPhase::Pending;
            record.request = Some(request);
            record.traceparent = traceparent;
            record.command_sequence = command_sequence;
            let mut step = Step::new(record);
            step.changed = true;
            step
        }
        (
            current,
            Update::PlaceRejected {
                request,
                reason,
                command_sequence,
            },
        ) => match current {
            Some(r) if r.accepted => command_rejected(r.clone(), reason),
            _ => {
                let mut record = current.cloned().unwrap_or_else(|| {
                    let mut record = OrderRecord::new(venue, account, order_of(&request, now_ns));
                    record.command_sequence = command_sequence;
                    record
                });
                place_rejected(&mut record, reason, now_ns)
            }
        },
        (None, Update::Venue(order) | Update::Settle(order)) => {
            let mut record = OrderRecord::new(venue, account, order.clone());
            record.order.filled_quantity = Decimal::ZERO;
            record.order.status = OrderStatus::Open;
            let mut step = Step::new(record);
            step.changed = true;
            on_venue(&mut step, order, false);
            step
        }
        (Some(r), Update::Venue(order)) => {
            let mut step = Step::new(r.clone());
            on_venue(&mut step, order, false);
            step
        }
        (Some(r), Update::Settle(order)) => {
            let mut step = Step::new(r.clone());
            on_venue(&mut step, order, true);
            step
        }
        (Some(r), Update::Fill(fill)) => {
            let mut step = Step::new(r.clone());
            on_fill(&mut step, fill);
            step
        }
        (Some(r), Update::CommandRejected(reason)) => command_rejected(r.clone(), reason),
        (Some(r), Update::Unknown(text)) => {
            let mut step = Step::new(r.clone());
            let record = &mut step.record;
            if !record.accepted && record.order.status != OrderStatus::Rejected {
                record.phase = OrderPhase::Unknown;
            }
            record.unknowns += 1;
            step.changed = true;
            step.events.push(Emit {
                id: format!("unknown:{}", record.unknowns),
                kind: OrderEventKind::Unknown {
                    order: Some(record.order.clone()),
                    text,
                },
            });
            step
        }
        (
            None,
            Update::Fill(Fill {
                client_order_id, ..
            }),
        ) => return Err(LedgerError::NoRecord(client_order_id)),
        (None, Update::CommandRejected(_) | Update::Unknown(_)) => {
            return Err(LedgerError::NoRecord(String::new()));
        }
    };
    Ok(step)
}

impl Step {
    fn new(record: OrderRecord) -> Self {
        Step {
            record,
            events: Vec::new(),
            changed: false,
        }
    }

    fn emit(&mut self, id: impl Into<String>, kind: OrderEventKind) {
        self.events.push(Emit {
            id: id.into(),
            kind,
        });
        self.changed = true;
    }
}

/// The order a request becomes before the venue has seen it.
pub fn order_of(request: &OrderRequest, now_ns: i64) -> Order {
    request.to_order(None, now_ns)
}

fn place_rejected(record: &mut OrderRecord, reason: Reject, now_ns: i64) -> Step {
    record.order.status = OrderStatus::Rejected;
    record.order.updated_ts_ns = now_ns;
    record.phase = OrderPhase::Known;
    record.request = None;
    let mut step = Step::new(record.clone());
    step.emit(
        "rejected",
        OrderEventKind::Rejected {
            order: Some(step.record.order.clone()),
            reason,
        },
    );
    step
}

fn command_rejected(mut record: OrderRecord, reason: Reject) -> Step {
    record.rejections += 1;
    let id = format!("rejected:{}", record.rejections);
    let mut step = Step::new(record);
    step.emit(
        id,
        OrderEventKind::Rejected {
            order: Some(step.record.order.clone()),
            reason,
        },
    );
    step
}

/// Rule 1 (accepted once), rule 3 (terminal once) and, when `settle`, rule 4.
fn on_venue(step: &mut Step, venue: Order, settle: bool) {
    let record = &mut step.record;
    let before = record.clone();
    if venue.status == OrderStatus::Rejected {
        if !record.accepted && record.order.status != OrderStatus::Rejected {
            let reason = Reject::new("venue_rejected", "the venue rejected the order");
            *step = place_rejected(record, reason, venue.updated_ts_ns);
        }
        return;
    }
    let order = &mut record.order;
    if order.venue_order_id.is_none() {
        order.venue_order_id = venue.venue_order_id.clone();
    }
    if record.phase != OrderPhase::Known {
        order.created_ts_ns = venue.created_ts_ns;
        record.phase = OrderPhase::Known;
        record.request = None;
    }
    order.updated_ts_ns = order.updated_ts_ns.max(venue.updated_ts_ns);
    order.filled_quantity = order.filled_quantity.max(venue.filled_quantity);
    if venue.average_price.is_some() && venue.filled_quantity >= record.fills_quantity {
        order.average_price = venue.average_price;
    }
    if *record != before {
        step.changed = true;
    }
    accept_once(step);
    let record = &mut step.record;
    if record.order.status.is_terminal() {
        return;
    }
    match venue.status {
        OrderStatus::Canceled | OrderStatus::Expired => {
            record.order.status = venue.status;
            let order = record.order.clone();
            if venue.status == OrderStatus::Canceled {
                step.emit("canceled", OrderEventKind::Canceled { order });
            } else {
                step.emit("expired", OrderEventKind::Expired { order });
            }
        }
        OrderStatus::Filled | OrderStatus::PartiallyFilled if settle => {
            if venue.filled_quantity <= record.fills_quantity {
                return;
            }
            let full = venue.status == OrderStatus::Filled;
            record.order.status = if full {
                OrderStatus::Filled
            } else {
                OrderStatus::PartiallyFilled
            };
            let order = record.order.clone();
            if full {
                step.emit("filled", OrderEventKind::Filled { order, fill: None });
            } else {
                let id = format!("partial:{}", token(&venue.filled_quantity.to_string()));
                step.emit(id, OrderEventKind::PartiallyFilled { order, fill: None });
            }
        }
        _ => {}
    }
}

/// Publishes `accepted` if it was not yet.
fn accept_once(step: &mut Step) {
    if step.record.accepted {
        return;
    }
    step.record.accepted = true;
    step.record.phase = OrderPhase::Known;
    step.record.request = None;
    let mut order = step.record.order.clone();
    if !order.status.is_terminal() {
        // What the events have shown so far, not the venue's status running ahead of the fills.
        order.status = if step.record.fills_quantity.is_zero() {
            OrderStatus::Open
        } else {
            OrderStatus::PartiallyFilled
        };
    }
    step.emit("accepted", OrderEventKind::Accepted { order });
}

/// Rule 2: every fill once.
fn on_fill(step: &mut Step, fill: Fill) {
    if step.record.fill_ids.contains(&fill.trade_id) {
        return;
    }
    accept_once(step);
    let record = &mut step.record;
    let before = record.fills_quantity;
    let after = before + fill.quantity;
    let order = &mut record.order;
    let previous_average = order.average_price.unwrap_or(fill.price);
    if !after.is_zero() && order.filled_quantity <= after {
        order.average_price =
            Some((previous_average * before + fill.price * fill.quantity) / after);
    }
    order.filled_quantity = order.filled_quantity.max(after);
    order.updated_ts_ns = order.updated_ts_ns.max(fill.exchange_ts_ns);
    if order.venue_order_id.is_none() {
        order.venue_order_id = Some(fill.venue_order_id.clone());
    }
    record.fills_quantity = after;
    record.fill_ids.push(fill.trade_id.clone());
    let completes = after >= order.quantity;
    if !order.status.is_terminal() {
        order.status = if completes {
            OrderStatus::Filled
        } else {
            OrderStatus::PartiallyFilled
        };
    }
    let id = format!("fill:{}", token(&fill.trade_id));
    let order = order.clone();
    let fill = Some(fill);
    if completes && order.status == OrderStatus::Filled {
        step.emit(id, OrderEventKind::Filled { order, fill });
    } else {
        step.emit(id, OrderEventKind::PartiallyFilled { order, fill });
    }
}

/// The event that answers a repeated place command with the order's current state (never a
/// fill: fills are published once).
pub fn current_state(record: &OrderRecord) -> OrderEventKind {
    let order = record.order.clone();
    match (record.phase, order.status) {
        (OrderPhase::Pending | OrderPhase::Unknown, _) => OrderEventKind::Unknown {
            order: Some(order),
            text: "the order's outcome is being reconciled".into(),
        },
        (_, OrderStatus::Rejected) => OrderEventKind::Rejected {
            order: Some(order),
            reason: Reject::new(
                "duplicate_client_order_id",
                "this client order id was already used; the order was rejected",
            ),
        },
        (_, OrderStatus::Open) => OrderEventKind::Accepted { order },
        (_, OrderStatus::PartiallyFilled) => OrderEventKind::PartiallyFilled { order, fill: None },
        (_, OrderStatus::Filled) => OrderEventKind::Filled { order, fill: None },
        (_, OrderStatus::Canceled) => OrderEventKind::Canceled { order },
        (_, OrderStatus::Expired) => OrderEventKind::Expired { order },
    }
}

/// The fills of a REST check still to publish: those not published yet (by trade id), oldest
/// first, as long as their quantity fits what the venue reports filled beyond the fills
/// published. The cap keeps one execution from being counted twice when a venue names the same
/// fills differently on its stream and over REST (Coinbase's stream can merge fills that REST
/// lists one by one).
///
/// A merged stream fill is named after the last fill it merges (`<order>:3` for fills 2 and 3),
/// so REST's fill of that name explains only part of it: the quantity published beyond what
/// REST's fills of published names explain belongs to the oldest fills REST lists under other
/// names, which are skipped, not published again (the stream reports fills in order).
pub fn fills_to_publish(
    record: Option<&OrderRecord>,
    venue_filled: Decimal,
    fills: Vec<Fill>,
) -> Vec<Fill> {
    let (published, ids) = match record {
        Some(r) => (r.fills_quantity, r.fill_ids.as_slice()),
        None => (Decimal::ZERO, &[][..]),
    };
    let mut named: Vec<&str> = Vec::new();
    for fill in fills.iter().filter(|f| ids.contains(&f.trade_id)) {
        if !named.contains(&fill.trade_id.as_str()) {
            named.push(&fill.trade_id);
        }
    }
    let explained: Decimal = named
        .iter()
        .filter_map(|id| fills.iter().find(|f| f.trade_id == *id))
        .map(|f| f.quantity)
        .sum();
    let mut merged = (published - explained).max(Decimal::ZERO);
    let mut room = venue_filled - published;
    let mut out = Vec::new();
    for fill in fills {
        if ids.contains(&fill.trade_id) || out.iter().any(|f: &Fill| f.trade_id == fill.trade_id) {
            continue;
        }
        if merged > Decimal::ZERO {
            merged = (merged - fill.quantity).max(Decimal::ZERO);
            continue;
        }
        if fill.quantity > room {
            break;
        }
        room -= fill.quantity;
        out.push(fill);
    }
    out
}

/// Whether reconciliation still has to look at this record: not settled at the venue yet, or
/// filled at the venue beyond the fills published.
pub fn needs_reconciliation(record: &OrderRecord) -> bool {
    record.phase != OrderPhase::Known
        || !record.order.status.is_terminal()
        || (record.order.status != OrderStatus::Rejected
            && record.order.filled_quantity > record.fills_quantity)
}
