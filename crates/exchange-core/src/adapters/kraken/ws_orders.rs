//! Trading over WebSocket v2 (`ws-auth.kraken.com/v2`): `add_order` and `cancel_order` frames
//! (§5.4; Kraken docs "Add Order" / "Cancel Order" of the Spot WebSocket v2 reference).
//!
//! Numbers are written as JSON numbers with the decimal's exact text (never through `f64`),
//! the session token goes in `params`, and responses come back as
//! [`MethodResponse`](super::parse::ws_frames::MethodResponse)s on the executions key.
//!
//! ```json
//! {"method":"add_order","params":{"order_type":"limit","side":"buy","order_qty":1.25,
//!  "symbol":"BTC/USD","limit_price":37500,"time_in_force":"gtc","post_only":true,
//!  "cl_ord_id":"strat1-42","token":"…"},"req_id":7}
//! ```

use rust_decimal::Decimal;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

use serde_json::json;

use super::parse::time::ns_to_rfc3339;
use super::requests::{decimal_text, is_valid_cl_ord_id};
use super::symbols::v2_symbol;
use crate::ExchangeError;
use crate::model::{InvalidOrderReason as R, OrderRequest, OrderType, Side, TimeInForce};

/// A JSON value kept as text: numbers are embedded with the decimal's exact digits (a
/// `serde_json::Value` would hold them as `f64`).
type Raw = Box<RawValue>;

fn number(value: Decimal) -> crate::Result<Raw> {
    RawValue::from_string(decimal_text(value))
        .map_err(|e| ExchangeError::InvalidResponse(format!("decimal as JSON: {e}")))
}

fn raw<T: serde::Serialize + ?Sized>(value: &T) -> crate::Result<Raw> {
    serde_json::value::to_raw_value(value)
        .map_err(|e| ExchangeError::InvalidResponse(format!("value as JSON: {e}")))
}

fn frame(method: &str, params: &BTreeMap<&str, Raw>, req_id: u64) -> crate::Result<String> {
    #[derive(serde::Serialize)]
    struct Request<'a> {
        method: &'a str,
        params: &'a BTreeMap<&'a str, Raw>,
        req_id: u64,
    }
    serde_json::to_string(&Request {
        method,
        params,
        req_id,
    })
    .map_err(|e| ExchangeError::InvalidResponse(format!("{method} frame: {e}")))
}

/// The `add_order` frame for an order (validated against its market beforehand).
pub fn add_order_frame(
    request: &OrderRequest,
    token: &str,
    req_id: u64,
    order_userref: Option<i64>,
) -> crate::Result<String> {
    if !is_valid_cl_ord_id(&request.client_order_id) {
        return Err(ExchangeError::invalid_order(
            R::ClientOrderId,
            "kraken takes a UUID or at most 18 characters as cl_ord_id",
        ));
    }
    let mut p: BTreeMap<&str, Raw> = BTreeMap::new();
    let order_type = match request.order_type {
        OrderType::Market => "market",
        OrderType::Limit => "limit",
        OrderType::StopLimit => "stop-loss-limit",
    };
    p.insert("order_type", raw(order_type)?);
    let side = match request.side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    };
    p.insert("side", raw(side)?);
    p.insert("order_qty", number(request.quantity)?);
    p.insert("symbol", raw(&v2_symbol(&request.symbol))?);
    if request.order_type != OrderType::Market {
        let price = request.price.ok_or_else(|| {
            ExchangeError::invalid_order(R::MissingPrice, "a limit order needs a price")
        })?;
        p.insert("limit_price", number(price)?);
    }
    if request.order_type == OrderType::StopLimit {
        let trigger = request.stop_price.ok_or_else(|| {
            ExchangeError::invalid_order(R::MissingStopPrice, "a stop-limit order needs a stop")
        })?;
        let mut triggers: BTreeMap<&str, Raw> = BTreeMap::new();
        triggers.insert("reference", raw("last")?);
        triggers.insert("price", number(trigger)?);
        triggers.insert("price_type", raw("static")?);
        p.insert("triggers", raw(&triggers)?);
    }
    let tif = match request.time_in_force {
        TimeInForce::Gtc => "gtc",
        TimeInForce::Ioc => "ioc",
        TimeInForce::Gtd => "gtd",
        TimeInForce::Fok => {
            return Err(ExchangeError::invalid_order(
                R::TimeInForce,
                "kraken spot offers no FOK time in force",
            ));
        }
    };
    p.insert("time_in_force", raw(tif)?);
    if request.time_in_force == TimeInForce::Gtd {
        let expire = request.expire_ts_ns.ok_or_else(|| {
            ExchangeError::invalid_order(R::Expiry, "a GTD order needs expire_ts_ns")
        })?;
        p.insert("expire_time", raw(&ns_to_rfc3339(expire))?);
    }
    if request.post_only {
        p.insert("post_only", raw(&true)?);
    }
    if request.reduce_only {
        p.insert("reduce_only", raw(&true)?);
    }
    p.insert("cl_ord_id", raw(&request.client_order_id)?);
    if let Some(userref) = order_userref {
        p.insert("order_userref", raw(&userref)?);
    }
    p.insert("token", raw(token)?);
    frame("add_order", &p, req_id)
}

/// Which orders a `cancel_order` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelBy<'a> {
    /// Venue order ids.
    OrderIds(&'a [&'a str]),
    /// Our client order ids.
    ClientOrderIds(&'a [&'a str]),
}

/// The `cancel_order` frame.
pub fn cancel_order_frame(by: CancelBy<'_>, token: &str, req_id: u64) -> String {
    let (field, ids) = match by {
        CancelBy::OrderIds(ids) => ("order_id", ids),
        CancelBy::ClientOrderIds(ids) => ("cl_ord_id", ids),
    };
    json!({"method": "cancel_order", "params": {field: ids, "token": token}, "req_id": req_id})
        .to_string()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use serde_json::Value;

    use super::*;

    fn request() -> OrderRequest {
        OrderRequest {
            client_order_id: "strat1-42".into(),
            symbol: "BTC/USD".parse().unwrap(),
            side: Side::Buy,
            order_type: OrderType::Limit,
            quantity: dec!(0.10000000),
            price: Some(dec!(37500.10)),
            stop_price: None,
            time_in_force: TimeInForce::Gtc,
            expire_ts_ns: None,
            post_only: true,
            reduce_only: false,
        }
    }

    #[test]
    fn add_order_numbers_keep_their_digits() {
        let mut r = request();
        r.quantity = dec!(1234567.123456789012);
        let frame = add_order_frame(&r, "tok", 7, None).unwrap();
        assert!(
            frame.contains(r#""order_qty":1234567.123456789012"#),
            "{frame}"
        );
        let frame = add_order_frame(&request(), "tok", 7, Some(3)).unwrap();
        assert!(frame.contains(r#""order_qty":0.1"#), "{frame}");
        assert!(frame.contains(r#""limit_price":37500.1"#), "{frame}");
        let v: Value = serde_json::from_str(&frame).unwrap();
        assert_eq!(v["method"], "add_order");
        assert_eq!(v["req_id"], 7);
        let p = &v["params"];
        assert_eq!(p["order_type"], "limit");
        assert_eq!(p["symbol"], "BTC/USD");
        assert_eq!(p["time_in_force"], "gtc");
        assert_eq!(p["post_only"], true);
        assert_eq!(p["cl_ord_id"], "strat1-42");
        assert_eq!(p["order_userref"], 3);
        assert_eq!(p["token"], "tok");
    }

    #[test]
    fn stop_limit_gtd_and_cancel() {
        let mut r = request();
        r.order_type = OrderType::StopLimit;
        r.stop_price = Some(dec!(38000));
        r.time_in_force = TimeInForce::Gtd;
        r.expire_ts_ns = Some(1_700_000_000_000_000_000);
        r.post_only = false;
        let v: Value = serde_json::from_str(&add_order_frame(&r, "t", 1, None).unwrap()).unwrap();
        assert_eq!(v["params"]["order_type"], "stop-loss-limit");
        assert_eq!(v["params"]["triggers"]["price"], 38000);
        assert_eq!(v["params"]["expire_time"], "2023-11-14T22:13:20Z");
        assert!(v["params"].get("post_only").is_none());
        r.time_in_force = TimeInForce::Fok;
        assert!(add_order_frame(&r, "t", 1, None).is_err());

        let v: Value = serde_json::from_str(&cancel_order_frame(
            CancelBy::ClientOrderIds(&["strat1-42"]),
            "t",
            2,
        ))
        .unwrap();
        assert_eq!(
            v,
            json!({"method":"cancel_order","params":{"cl_ord_id":["strat1-42"],"token":"t"},"req_id":2})
        );
    }
}
