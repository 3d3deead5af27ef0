//! Orders over REST: `AddOrder`, `CancelOrder`, and the order object of `QueryOrders`,
//! `OpenOrders` and `ClosedOrders` (§2).
//!
//! Caveat on the fixtures: they were recorded by ccxt, which stores numbers as strings
//! (`"userref":"0"`, `"opentm":"1705260203.583000"`); the wire has JSON numbers
//! (`"userref":0`, `"opentm":1688583840.8648`). [`Num`] reads both.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Num, non_zero, parse_side};
use crate::ExchangeError;
use crate::adapters::kraken::SymbolMap;
use crate::model::{Order, OrderStatus, OrderType, TimeInForce};

/// `AddOrder` result (fixture `kraken_rest_add_order.json`):
///
/// ```json
/// {"txid":["OL7LNO-R4SAD-6UINEU"],"descr":{"order":"buy 0.10000000 LTCUSDT @ market"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddOrderResult {
    /// The new order's id (one; several for a conditional close).
    #[serde(default)]
    pub txid: Vec<String>,
    /// What Kraken understood.
    pub descr: AddOrderDescr,
}

/// The `descr` of an `AddOrder` result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AddOrderDescr {
    /// `buy 0.10000000 LTCUSDT @ market`.
    pub order: String,
    /// The conditional close order, when one was attached.
    #[serde(default)]
    pub close: Option<String>,
}

impl AddOrderResult {
    /// The venue order id of the placed order.
    pub fn order_id(&self) -> crate::Result<&str> {
        self.txid
            .first()
            .map(String::as_str)
            .ok_or_else(|| ExchangeError::InvalidResponse("kraken AddOrder: no txid".into()))
    }
}

/// `CancelOrder` result (Kraken docs example): `{"count":1}`; `pending` when the cancel is
/// still in flight.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CancelOrderResult {
    /// Orders canceled.
    pub count: u32,
    /// Whether cancellation is pending.
    #[serde(default)]
    pub pending: Option<bool>,
}

/// The `descr` of an order object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderDescr {
    /// The pair's `altname` (`LTCUSDT`).
    pub pair: String,
    /// `buy` or `sell`.
    #[serde(rename = "type")]
    pub side: String,
    /// `market`, `limit`, `stop-loss`, `take-profit`, `stop-loss-limit`, ….
    pub ordertype: String,
    /// Limit price, or the trigger price of stop/take-profit orders.
    pub price: Num,
    /// The limit price of `*-limit` trigger orders.
    pub price2: Num,
    /// Human-readable description.
    #[serde(default)]
    pub order: String,
}

/// An order object (fixture `kraken_rest_query_orders_open.json`, values keyed by order id):
///
/// ```json
/// {"refid":null,"userref":"0","status":"open","opentm":"1705259439.563000","starttm":"0",
///  "expiretm":"0","descr":{"pair":"LTCUSDT","type":"buy","ordertype":"limit",
///  "price":"50.00000","price2":"0","leverage":"none",
///  "order":"buy 0.10000000 LTCUSDT @ limit 50.00000","close":""},"vol":"0.10000000",
///  "vol_exec":"0.00000000","cost":"0.000000","fee":"0.000000","price":"0.000000",
///  "stopprice":"0.000000","limitprice":"0.000000","misc":"","oflags":"post,fciq","reason":null}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RestOrder {
    /// Our `userref` (an integer tag shared by a group of orders).
    #[serde(default)]
    pub userref: Option<Num>,
    /// Our `cl_ord_id`, when the order was placed with one.
    #[serde(default)]
    pub cl_ord_id: Option<String>,
    /// `pending`, `open`, `closed`, `canceled`, `expired`.
    pub status: String,
    /// Open time, seconds.
    pub opentm: Num,
    /// Expiry, seconds (0: none).
    #[serde(default)]
    pub expiretm: Option<Num>,
    /// Close time, seconds (closed orders).
    #[serde(default)]
    pub closetm: Option<Num>,
    /// The order's description.
    pub descr: OrderDescr,
    /// Volume.
    pub vol: Num,
    /// Executed volume.
    pub vol_exec: Num,
    /// Total cost of the fills.
    pub cost: Num,
    /// Total fee.
    pub fee: Num,
    /// Average fill price (0 when nothing filled).
    pub price: Num,
    /// Comma-separated flags (`post`, `fcib`, `fciq`, `nompp`, `viqc`).
    #[serde(default)]
    pub oflags: String,
    /// Trade ids, when requested.
    #[serde(default)]
    pub trades: Vec<String>,
    /// Why it was canceled or expired.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Our order type for a Kraken `ordertype`: market-triggered orders (`stop-loss`,
/// `take-profit`, `trailing-stop`) are [`OrderType::Market`] with a stop price.
pub fn parse_order_type(ordertype: &str) -> crate::Result<OrderType> {
    match ordertype {
        "market" | "stop-loss" | "take-profit" | "trailing-stop" | "settle-position" => {
            Ok(OrderType::Market)
        }
        "limit" | "iceberg" => Ok(OrderType::Limit),
        "stop-loss-limit" | "take-profit-limit" | "trailing-stop-limit" => Ok(OrderType::StopLimit),
        other => Err(ExchangeError::InvalidResponse(format!(
            "kraken ordertype {other:?}"
        ))),
    }
}

impl RestOrder {
    /// Whether the order carries a trigger (`stop-loss`, `take-profit-limit`, …).
    fn is_triggered(&self) -> bool {
        let t = self.descr.ordertype.as_str();
        t.starts_with("stop-loss") || t.starts_with("take-profit") || t.starts_with("trailing")
    }

    /// The order's life-cycle state.
    pub fn order_status(&self) -> crate::Result<OrderStatus> {
        let filled = !self.vol_exec.value().is_zero();
        Ok(match self.status.as_str() {
            "pending" | "open" if filled => OrderStatus::PartiallyFilled,
            "pending" | "open" => OrderStatus::Open,
            "closed" => OrderStatus::Filled,
            "canceled" => OrderStatus::Canceled,
            "expired" => OrderStatus::Expired,
            other => {
                return Err(ExchangeError::InvalidResponse(format!(
                    "kraken order status {other:?}"
                )));
            }
        })
    }

    /// The normalized order with id `txid`; `client_order_id` is `cl_ord_id` (empty when the
    /// order was placed without one).
    pub fn to_order(&self, txid: &str, symbols: &SymbolMap) -> crate::Result<Order> {
        let order_type = parse_order_type(&self.descr.ordertype)?;
        let (price, stop_price) = match (order_type, self.is_triggered()) {
            (OrderType::Limit, _) => (non_zero(self.descr.price.value()), None),
            (OrderType::StopLimit, _) => (
                non_zero(self.descr.price2.value()),
                non_zero(self.descr.price.value()),
            ),
            (OrderType::Market, true) => (None, non_zero(self.descr.price.value())),
            (OrderType::Market, false) => (None, None),
        };
        let expires = self.expiretm.as_ref().is_some_and(|t| !t.value().is_zero());
        let created_ts_ns = self.opentm.seconds_to_ns().unwrap_or(0);
        Ok(Order {
            client_order_id: self.cl_ord_id.clone().unwrap_or_default(),
            venue_order_id: Some(txid.to_owned()),
            symbol: symbols.symbol(&self.descr.pair)?,
            side: parse_side(&self.descr.side)?,
            order_type,
            time_in_force: if expires {
                TimeInForce::Gtd
            } else {
                TimeInForce::Gtc
            },
            price,
            stop_price,
            quantity: self.vol.value(),
            filled_quantity: self.vol_exec.value(),
            average_price: non_zero(self.price.value()),
            status: self.order_status()?,
            post_only: self.oflags.split(',').any(|f| f == "post"),
            reduce_only: false,
            created_ts_ns,
            updated_ts_ns: self
                .closetm
                .as_ref()
                .and_then(Num::seconds_to_ns)
                .unwrap_or(created_ts_ns),
        })
    }
}

/// `QueryOrders` result: order id → order.
pub type QueryOrdersResult = HashMap<String, RestOrder>;

/// `OpenOrders` result (fixture `kraken_rest_open_orders.json`): `{"open":{id: order}}`.
#[derive(Debug, Clone, Deserialize)]
pub struct OpenOrdersResult {
    /// Open orders by id.
    pub open: HashMap<String, RestOrder>,
}

/// `ClosedOrders` result: `{"closed":{id: order},"count":n}` (paged, newest first).
#[derive(Debug, Clone, Deserialize)]
pub struct ClosedOrdersResult {
    /// Closed orders by id.
    pub closed: HashMap<String, RestOrder>,
    /// Total matching orders.
    #[serde(default)]
    pub count: u64,
}

/// Maps every order of a result map, sorted by creation time then id.
pub fn to_orders(
    orders: &HashMap<String, RestOrder>,
    symbols: &SymbolMap,
) -> crate::Result<Vec<Order>> {
    let mut out = orders
        .iter()
        .map(|(id, o)| o.to_order(id, symbols))
        .collect::<crate::Result<Vec<_>>>()?;
    out.sort_by(|a, b| {
        (a.created_ts_ns, &a.venue_order_id).cmp(&(b.created_ts_ns, &b.venue_order_id))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::parse::parse_result;
    use crate::adapters::kraken::symbols::PairNames;

    #[test]
    fn cancel_and_closed_orders_doc_shapes() {
        let r: CancelOrderResult =
            parse_result("CancelOrder", r#"{"error":[],"result":{"count":1}}"#).unwrap();
        assert_eq!((r.count, r.pending), (1, None));
        let body = r#"{"error":[],"result":{"closed":{"O37652-RJWRT-IMO74O":{"refid":"None","userref":1,"cl_ord_id":"c-9","status":"canceled","reason":"User requested","opentm":1688148493.7708,"closetm":1688148610.0482,"starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"stop-loss-limit","price":"27500.0","price2":"27400.0","leverage":"none","order":"buy 0.00100000 XBTUSD @ stop loss 27500.0 -> limit 27400.0","close":""},"vol":"0.00100000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq"}},"count":1}}"#;
        let r: ClosedOrdersResult = parse_result("ClosedOrders", body).unwrap();
        assert_eq!(r.count, 1);
        let mut map = SymbolMap::new();
        map.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            "BTC/USD".parse().unwrap(),
        );
        let o = &to_orders(&r.closed, &map).unwrap()[0];
        assert_eq!(o.client_order_id, "c-9");
        assert_eq!(o.order_type, OrderType::StopLimit);
        assert_eq!(
            (o.price, o.stop_price),
            (Some(dec!(27400.0)), Some(dec!(27500.0)))
        );
        assert_eq!(o.status, OrderStatus::Canceled);
        assert_eq!(o.updated_ts_ns, 1_688_148_610_048_200_000);
    }
}
