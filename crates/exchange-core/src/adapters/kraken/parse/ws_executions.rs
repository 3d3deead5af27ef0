//! The private WebSocket v2 `executions` channel → [`AccountEvent`]s (§5.4).
//!
//! Spot sequence: `pending_new` → `new` → `trade` (may say `partially_filled` even when it
//! completes the order) → a separate `filled`. Later reports carry **only the changed fields**
//! (`order_id` always), so the [`ExecutionsTracker`] merges them into one record per order and
//! emits the whole order after each change, plus each fill exactly once (by `exec_id`). Frames
//! carry a per-connection `sequence`; a jump is reported so that the driver reconciles over REST.
//!
//! A real frame (fixture `kraken_ws_v2_executions_lifecycle.jsonl`):
//!
//! ```json
//! {"channel":"executions","type":"update","data":[{"timestamp":"2025-02-10T02:55:15.922831Z",
//!  "order_status":"new","exec_type":"new","order_userref":0,"post_only":true,
//!  "order_id":"OF6QIS-MYM6V-XTHHZF"}],"sequence":3}
//! ```

use std::collections::{HashMap, HashSet, VecDeque};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::orders::parse_order_type;
use super::time::rfc3339_to_ns;
use super::{Num, non_zero, parse_side};
use crate::adapters::kraken::symbols::{normalize_asset, symbol_from_wsname};
use crate::model::{AccountEvent, Fill, Liquidity, Order, OrderStatus, TimeInForce};

/// A fee entry of a fill.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WsFee {
    /// Asset (`USD`).
    pub asset: String,
    /// Amount.
    pub qty: Num,
}

/// One execution report; every field but `order_id` may be absent on updates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ExecutionReport {
    /// Venue order id.
    pub order_id: String,
    /// Our client order id.
    pub cl_ord_id: Option<String>,
    /// Our integer tag.
    pub order_userref: Option<i64>,
    /// v2 symbol.
    pub symbol: Option<String>,
    /// `buy` / `sell`.
    pub side: Option<String>,
    /// `limit`, `market`, `stop-loss-limit`, ….
    pub order_type: Option<String>,
    /// Ordered quantity.
    pub order_qty: Option<Num>,
    /// Limit price.
    pub limit_price: Option<Num>,
    /// Trigger price.
    pub stop_price: Option<Num>,
    /// `GTC`, `IOC`, `GTD`.
    pub time_in_force: Option<String>,
    /// Post-only flag.
    pub post_only: Option<bool>,
    /// Reduce-only flag.
    pub reduce_only: Option<bool>,
    /// Filled so far.
    pub cum_qty: Option<Num>,
    /// Average fill price.
    pub avg_price: Option<Num>,
    /// `pending_new`, `new`, `partially_filled`, `filled`, `canceled`, `expired`.
    pub order_status: Option<String>,
    /// `pending_new`, `new`, `trade`, `filled`, `canceled`, `expired`, `amended`, ….
    pub exec_type: Option<String>,
    /// Fill id (trade reports).
    pub exec_id: Option<String>,
    /// Fill quantity.
    pub last_qty: Option<Num>,
    /// Fill price.
    pub last_price: Option<Num>,
    /// `t` taker, `m` maker.
    pub liquidity_ind: Option<String>,
    /// Fill fees.
    pub fees: Vec<WsFee>,
    /// Time, RFC 3339.
    pub timestamp: Option<String>,
}

/// An `executions` frame (fixture `kraken_ws_v2_executions_trades_snapshot.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExecutionsFrame {
    /// `snapshot` or `update`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Reports, in order.
    pub data: Vec<ExecutionReport>,
    /// Per-connection message sequence.
    #[serde(default)]
    pub sequence: Option<u64>,
}

/// What one frame produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionsOutcome {
    /// Orders (whole, after the change) and fills (each once), in report order.
    pub events: Vec<AccountEvent>,
    /// The sequence jumped: reports may have been missed, reconcile over REST.
    pub gap: bool,
    /// Reports about orders not seen in full yet (no symbol/side/quantity known), skipped.
    pub incomplete: usize,
}

fn order_status(text: &str) -> Option<OrderStatus> {
    Some(match text {
        "pending_new" | "new" => OrderStatus::Open,
        "partially_filled" => OrderStatus::PartiallyFilled,
        "filled" => OrderStatus::Filled,
        "canceled" => OrderStatus::Canceled,
        "expired" => OrderStatus::Expired,
        _ => return None,
    })
}

fn time_in_force(text: &str) -> TimeInForce {
    match text.to_ascii_uppercase().as_str() {
        "IOC" => TimeInForce::Ioc,
        "FOK" => TimeInForce::Fok,
        "GTD" => TimeInForce::Gtd,
        _ => TimeInForce::Gtc,
    }
}

/// Merges partial execution reports into whole orders and yields each fill once.
#[derive(Debug, Default)]
pub struct ExecutionsTracker {
    orders: HashMap<String, (ExecutionReport, i64)>,
    seen_fills: HashSet<String>,
    fill_order: VecDeque<String>,
    last_sequence: Option<u64>,
}

/// How many fill ids are remembered for de-duplication.
const SEEN_FILLS: usize = 10_000;

fn merge(into: &mut ExecutionReport, from: &ExecutionReport) {
    macro_rules! take {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f.clone(); } )* };
    }
    take!(
        cl_ord_id,
        order_userref,
        symbol,
        side,
        order_type,
        order_qty,
        limit_price
    );
    take!(
        stop_price,
        time_in_force,
        post_only,
        reduce_only,
        cum_qty,
        avg_price
    );
    take!(order_status, exec_type, timestamp);
}

impl ExecutionsTracker {
    /// A tracker with no orders.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets the sequence (call on reconnect: sequences are per connection).
    pub fn reset_sequence(&mut self) {
        self.last_sequence = None;
    }

    /// Reads one frame.
    pub fn on_frame(&mut self, frame: &ExecutionsFrame, local_ts_ns: i64) -> ExecutionsOutcome {
        let mut out = ExecutionsOutcome::default();
        if let Some(seq) = frame.sequence {
            out.gap = matches!(self.last_sequence, Some(last) if seq != last + 1)
                && frame.kind != "snapshot";
            self.last_sequence = Some(seq);
        }
        for report in &frame.data {
            let report_ts = report.timestamp.as_deref().and_then(rfc3339_to_ns);
            let (record, created) = self
                .orders
                .entry(report.order_id.clone())
                .or_insert_with(|| (ExecutionReport::default(), report_ts.unwrap_or(0)));
            record.order_id.clone_from(&report.order_id);
            merge(record, report);
            let (record, created) = (record.clone(), *created);
            if report.exec_type.as_deref() == Some("trade")
                && let Some(fill) = self.fill(&record, report, local_ts_ns)
            {
                out.events.push(AccountEvent::Fill(fill));
            }
            match to_order(&record, created) {
                Some(order) => {
                    if order.status.is_terminal() {
                        self.orders.remove(&report.order_id);
                    }
                    out.events.push(AccountEvent::Order(order));
                }
                None => out.incomplete += 1,
            }
        }
        out
    }

    fn fill(
        &mut self,
        record: &ExecutionReport,
        report: &ExecutionReport,
        local_ts_ns: i64,
    ) -> Option<Fill> {
        let exec_id = report.exec_id.clone()?;
        if !self.seen_fills.insert(exec_id.clone()) {
            return None;
        }
        self.fill_order.push_back(exec_id.clone());
        if self.fill_order.len() > SEEN_FILLS
            && let Some(old) = self.fill_order.pop_front()
        {
            self.seen_fills.remove(&old);
        }
        let fee: Decimal = report.fees.iter().map(|f| f.qty.value()).sum();
        Some(Fill {
            client_order_id: record.cl_ord_id.clone().unwrap_or_default(),
            venue_order_id: record.order_id.clone(),
            trade_id: exec_id,
            symbol: symbol_from_wsname(record.symbol.as_deref()?).ok()?,
            side: parse_side(record.side.as_deref()?).ok()?,
            price: report.last_price.as_ref()?.value(),
            quantity: report.last_qty.as_ref()?.value(),
            fee,
            fee_asset: report.fees.first().map(|f| normalize_asset(&f.asset)),
            liquidity: match report.liquidity_ind.as_deref() {
                Some("m") => Some(Liquidity::Maker),
                Some("t") => Some(Liquidity::Taker),
                _ => None,
            },
            exchange_ts_ns: report
                .timestamp
                .as_deref()
                .and_then(rfc3339_to_ns)
                .unwrap_or(0),
            local_ts_ns,
        })
    }
}

/// The whole order of a merged record, once symbol, side, type and quantity are known;
/// `created_ts_ns` is the time of the first report seen for it.
fn to_order(r: &ExecutionReport, created_ts_ns: i64) -> Option<Order> {
    let ts = r.timestamp.as_deref().and_then(rfc3339_to_ns).unwrap_or(0);
    let order_type = parse_order_type(r.order_type.as_deref()?).ok()?;
    let filled = r.cum_qty.as_ref().map_or(Decimal::ZERO, Num::value);
    Some(Order {
        client_order_id: r.cl_ord_id.clone().unwrap_or_default(),
        venue_order_id: Some(r.order_id.clone()),
        symbol: symbol_from_wsname(r.symbol.as_deref()?).ok()?,
        side: parse_side(r.side.as_deref()?).ok()?,
        order_type,
        time_in_force: r
            .time_in_force
            .as_deref()
            .map_or(TimeInForce::Gtc, time_in_force),
        price: r.limit_price.as_ref().and_then(|p| non_zero(p.value())),
        stop_price: r.stop_price.as_ref().and_then(|p| non_zero(p.value())),
        quantity: r.order_qty.as_ref()?.value(),
        filled_quantity: filled,
        average_price: r.avg_price.as_ref().and_then(|p| non_zero(p.value())),
        status: order_status(r.order_status.as_deref()?)?,
        post_only: r.post_only.unwrap_or(false),
        reduce_only: r.reduce_only.unwrap_or(false),
        created_ts_ns,
        updated_ts_ns: ts,
    })
}
