//! Order payloads: commands on the `ORDERS_CMD` work queue, events on `ORDERS_EVT`, and the
//! order state record in KV `orders`.

use exchange_core::ExchangeError;
use exchange_core::model::{Fill, Order, OrderRequest, Symbol};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::payload;
use crate::error::{BusError, Result};
use crate::subject::check_token;

/// What an order command asks for.
///
/// Tagged by `type`: `place` carries the [`OrderRequest`] fields inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderAction {
    /// Place a new order; its `client_order_id` is the idempotency key.
    Place(OrderRequest),
    /// Cancel one order by our client order id.
    Cancel {
        /// The order to cancel.
        client_order_id: String,
        /// Its symbol (venues need it to find the order).
        symbol: Symbol,
    },
    /// Cancel every open order of the account, or of one symbol.
    CancelAll {
        /// A unique id for this request (no order has it): its idempotency key.
        command_id: String,
        /// Only this symbol's orders, when set.
        symbol: Option<Symbol>,
    },
}

/// An order command on `orders.cmd.<venue>.<account>` (JetStream work queue `ORDERS_CMD`).
///
/// Published with `Nats-Msg-Id` = [`OrderCommand::msg_id`], so JetStream drops a repeat inside its
/// duplicate window; the order-gateway also never places the same `client_order_id` twice.
///
/// ```json
/// {"v":1,"sent_ts_ns":1700000000000000000,"action":{"type":"place",
///  "client_order_id":"strat1-000042","symbol":"BTC/USDT","side":"buy","order_type":"limit",
///  "quantity":"0.010","price":"43000.00","stop_price":null,"time_in_force":"gtc",
///  "expire_ts_ns":null,"post_only":true,"reduce_only":false}}
/// ```
///
/// ```json
/// {"v":1,"sent_ts_ns":1700000000000000000,
///  "action":{"type":"cancel","client_order_id":"strat1-000042","symbol":"BTC/USDT"}}
/// ```
///
/// ```json
/// {"v":1,"sent_ts_ns":1700000000000000000,
///  "action":{"type":"cancel_all","command_id":"strat1-flat-7","symbol":null}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCommand {
    /// Schema version ([`OrderCommand::VERSION`]).
    pub v: u16,
    /// When the sender sent it, ns since the epoch (for latency measurement).
    pub sent_ts_ns: i64,
    /// What to do.
    pub action: OrderAction,
}

impl OrderCommand {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// A command sent at `sent_ts_ns`.
    pub fn new(action: OrderAction, sent_ts_ns: i64) -> Self {
        OrderCommand {
            v: Self::VERSION,
            sent_ts_ns,
            action,
        }
    }

    /// The id the command is about: the client order id, or the cancel-all command id.
    pub fn id(&self) -> &str {
        match &self.action {
            OrderAction::Place(request) => &request.client_order_id,
            OrderAction::Cancel {
                client_order_id, ..
            } => client_order_id,
            OrderAction::CancelAll { command_id, .. } => command_id,
        }
    }

    /// The action's tag (`place`, `cancel`, `cancel_all`).
    pub fn action_name(&self) -> &'static str {
        match self.action {
            OrderAction::Place(_) => "place",
            OrderAction::Cancel { .. } => "cancel",
            OrderAction::CancelAll { .. } => "cancel_all",
        }
    }

    /// The JetStream `Nats-Msg-Id`: `<action>:<id>` (`place:strat1-000042`), so that a cancel
    /// is not mistaken for a repeat of the place it cancels.
    pub fn msg_id(&self) -> String {
        format!("{}:{}", self.action_name(), self.id())
    }

    /// Checks the contract rules the bus itself owns: the id is a valid token (1–64 characters of
    /// `A-Z a-z 0-9 - _`). Market rules are checked by `OrderRequest::validate`.
    pub fn validate(&self) -> Result<()> {
        let what = match self.action {
            OrderAction::CancelAll { .. } => "command_id",
            _ => "client_order_id",
        };
        check_token(what, self.id()).map_err(|e| BusError::InvalidPayload {
            payload: "OrderCommand",
            why: e.to_string(),
        })
    }
}
payload!(OrderCommand, OrderCommand::VERSION);

/// Why a command was rejected: a stable machine-readable code and a human-readable text.
///
/// Codes are `exchange_core` invalid-order reasons (`tick_size`, `min_notional`, ...), error kinds
/// (`insufficient_funds`, `rate_limited`, ...) or the bus's own (`undecodable`, `wrong_schema`,
/// `invalid_command`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// Stable snake_case code.
    pub code: String,
    /// Detail for humans.
    pub text: String,
}

impl Reject {
    /// The code of a command that could not be decoded.
    pub const UNDECODABLE: &'static str = "undecodable";
    /// The code of a command of another schema version.
    pub const WRONG_SCHEMA: &'static str = "wrong_schema";
    /// The code of a command that breaks the bus contract (bad id, subject mismatch).
    pub const INVALID_COMMAND: &'static str = "invalid_command";

    /// A rejection with `code` and `text`.
    pub fn new(code: impl Into<String>, text: impl Into<String>) -> Self {
        Reject {
            code: code.into(),
            text: text.into(),
        }
    }

    /// The rejection for an exchange error: the invalid-order reason code, else the kind's code.
    pub fn from_exchange_error(error: &ExchangeError) -> Self {
        Reject::new(error.reason_code(), error.to_string())
    }

    /// The rejection for a command the bus could not accept.
    pub fn from_bus_error(error: &BusError) -> Self {
        let code = match error {
            BusError::WrongSchema { .. } => Self::WRONG_SCHEMA,
            BusError::Decode { .. } | BusError::UnknownContentType(_) => Self::UNDECODABLE,
            _ => Self::INVALID_COMMAND,
        };
        Reject::new(code, error.to_string())
    }
}

/// What happened to an order. Tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderEventKind {
    /// The venue accepted the order; it is working.
    Accepted {
        /// The order as the venue holds it.
        order: Order,
    },
    /// The command was refused, by validation or by the venue.
    Rejected {
        /// The order, when the command named one that could be built.
        order: Option<Order>,
        /// Why.
        reason: Reject,
    },
    /// Part of the order executed.
    PartiallyFilled {
        /// The order after the fill.
        order: Order,
        /// The execution; absent when the state was learned by reconciliation, not by a fill.
        fill: Option<Fill>,
    },
    /// The order executed completely.
    Filled {
        /// The order after the fill.
        order: Order,
        /// The last execution; absent when the state was learned by reconciliation.
        fill: Option<Fill>,
    },
    /// The order was canceled (possibly after partial fills).
    Canceled {
        /// The order as it ended.
        order: Order,
    },
    /// The order ended by its time in force or by the venue.
    Expired {
        /// The order as it ended.
        order: Order,
    },
    /// A place or cancel left the order's state unknown (timeout, 5xx); reconciliation follows.
    Unknown {
        /// The order as last known, if any.
        order: Option<Order>,
        /// What happened.
        text: String,
    },
}

impl OrderEventKind {
    /// The `type` tag as on the wire (`accepted`, `partially_filled`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            OrderEventKind::Accepted { .. } => "accepted",
            OrderEventKind::Rejected { .. } => "rejected",
            OrderEventKind::PartiallyFilled { .. } => "partially_filled",
            OrderEventKind::Filled { .. } => "filled",
            OrderEventKind::Canceled { .. } => "canceled",
            OrderEventKind::Expired { .. } => "expired",
            OrderEventKind::Unknown { .. } => "unknown",
        }
    }
}

/// An order event on `orders.evt.<venue>.<account>` (JetStream stream `ORDERS_EVT`).
///
/// ```json
/// {"v":1,"venue":"binance","account":"main","client_order_id":"strat1-000042",
///  "ts_ns":1507725176599000000,"kind":{"type":"partially_filled",
///  "order":{"client_order_id":"strat1-000042","venue_order_id":"28","symbol":"BTC/USDT",
///   "side":"buy","order_type":"limit","time_in_force":"gtc","price":"43000.00",
///   "stop_price":null,"quantity":"0.010","filled_quantity":"0.004",
///   "average_price":"43000.00","status":"partially_filled","post_only":false,
///   "reduce_only":false,"created_ts_ns":1507725176595000000,
///   "updated_ts_ns":1507725176599000000},
///  "fill":{"client_order_id":"strat1-000042","venue_order_id":"28","trade_id":"1337",
///   "symbol":"BTC/USDT","side":"buy","price":"43000.00","quantity":"0.004","fee":"0.0000004",
///   "fee_asset":"BTC","liquidity":"maker","exchange_ts_ns":1507725176599000000,
///   "local_ts_ns":1507725176600000000}}}
/// ```
///
/// ```json
/// {"v":1,"venue":"binance","account":"main","client_order_id":"strat1-000043",
///  "ts_ns":1700000000000000000,"kind":{"type":"rejected","order":null,
///  "reason":{"code":"tick_size","text":"invalid order (tick_size): price 43000.001 is not a multiple of tick size 0.01"}}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    /// Schema version ([`OrderEvent::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// Account token.
    pub account: String,
    /// The client order id (or cancel-all command id) the event is about; `None` only for the
    /// rejection of a command too broken to name one.
    pub client_order_id: Option<String>,
    /// When the gateway emitted the event, ns since the epoch.
    pub ts_ns: i64,
    /// What happened.
    pub kind: OrderEventKind,
}

impl OrderEvent {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// An event of `venue`/`account` at `ts_ns`.
    pub fn new(
        venue: impl Into<String>,
        account: impl Into<String>,
        client_order_id: Option<String>,
        kind: OrderEventKind,
        ts_ns: i64,
    ) -> Self {
        OrderEvent {
            v: Self::VERSION,
            venue: venue.into(),
            account: account.into(),
            client_order_id,
            ts_ns,
            kind,
        }
    }

    /// The order the event carries, if any.
    pub fn order(&self) -> Option<&Order> {
        match &self.kind {
            OrderEventKind::Accepted { order }
            | OrderEventKind::PartiallyFilled { order, .. }
            | OrderEventKind::Filled { order, .. }
            | OrderEventKind::Canceled { order }
            | OrderEventKind::Expired { order } => Some(order),
            OrderEventKind::Rejected { order, .. } | OrderEventKind::Unknown { order, .. } => {
                order.as_ref()
            }
        }
    }

    /// The fill the event carries, if any.
    pub fn fill(&self) -> Option<&Fill> {
        match &self.kind {
            OrderEventKind::PartiallyFilled { fill, .. } | OrderEventKind::Filled { fill, .. } => {
                fill.as_ref()
            }
            _ => None,
        }
    }
}
payload!(OrderEvent, OrderEvent::VERSION);

/// Where the order-gateway is with an order, beside the venue's own status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderPhase {
    /// The place command was taken and the order may be on its way to the venue: the venue has
    /// not answered yet. After a crash, reconciliation asks the venue by client order id.
    Pending,
    /// A place or cancel left the outcome unknown (timeout, 5xx); reconciliation follows.
    Unknown,
    /// The record holds what the venue said (or what validation decided).
    #[default]
    Known,
}

impl OrderPhase {
    fn is_known(&self) -> bool {
        *self == OrderPhase::Known
    }
}

/// The current state of one order in KV `orders`, key `<venue>.<account>.<client_order_id>`.
///
/// Besides the order, the record keeps what the order-gateway needs to publish each event once:
/// its `phase`, whether `accepted` was published, the venue trade ids of the fills published
/// (`fill_ids`) and their summed quantity (`fills_quantity`), the request (to place it again if
/// the venue never saw it) and the command's W3C `traceparent`. Fields at their default are left
/// out.
///
/// ```json
/// {"v":1,"venue":"binance","account":"main","order":{"client_order_id":"strat1-000042",
///  "venue_order_id":"28","symbol":"BTC/USDT","side":"buy","order_type":"limit",
///  "time_in_force":"gtc","price":"43000.00","stop_price":null,"quantity":"0.010",
///  "filled_quantity":"0.010","average_price":"43000.00","status":"filled","post_only":false,
///  "reduce_only":false,"created_ts_ns":1507725176595000000,"updated_ts_ns":1507725176599000000},
///  "accepted":true,"fill_ids":["1337","1338"],"fills_quantity":"0.010"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    /// Schema version ([`OrderRecord::VERSION`]).
    pub v: u16,
    /// Venue token.
    pub venue: String,
    /// Account token.
    pub account: String,
    /// The order.
    pub order: Order,
    /// Where the gateway is with it (default `known`).
    #[serde(default, skip_serializing_if = "OrderPhase::is_known")]
    pub phase: OrderPhase,
    /// Whether the `accepted` event was published.
    #[serde(default, skip_serializing_if = "is_false")]
    pub accepted: bool,
    /// Venue trade ids of the fills published, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fill_ids: Vec<String>,
    /// The quantity of the fills published.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub fills_quantity: Decimal,
    /// `unknown` events published so far.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unknowns: u32,
    /// Commands about this order refused so far (a cancel of a closed order, ...).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rejections: u32,
    /// The place request, kept until the venue has acknowledged the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<OrderRequest>,
    /// The W3C `traceparent` of the command that placed it; its events carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
    /// The `ORDERS_CMD` stream sequence of the place command that created the record: a
    /// redelivery of that message is not a repeat of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_sequence: Option<u64>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl OrderRecord {
    /// The schema version this build speaks.
    pub const VERSION: u16 = 1;

    /// The record of `order` in `venue`/`account`, phase `known`, nothing published yet.
    pub fn new(venue: impl Into<String>, account: impl Into<String>, order: Order) -> Self {
        OrderRecord {
            v: Self::VERSION,
            venue: venue.into(),
            account: account.into(),
            order,
            phase: OrderPhase::Known,
            accepted: false,
            fill_ids: Vec::new(),
            fills_quantity: Decimal::ZERO,
            unknowns: 0,
            rejections: 0,
            request: None,
            traceparent: None,
            command_sequence: None,
        }
    }
}
payload!(OrderRecord, OrderRecord::VERSION);
