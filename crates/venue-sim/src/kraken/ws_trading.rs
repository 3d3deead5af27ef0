//! The private side of a v2 auth connection: the `executions` snapshot and the `add_order` /
//! `cancel_order` methods, on the same order entry as REST (`AddOrder`, `CancelOrder`).

use serde_json::Value;

use super::exec_render;
use super::json::{Obj, decimal_of};
use super::orders::{self, CancelTarget, OrderRequest, parse_side};
use super::state::KrakenVenue;
use super::time::now_us;
use crate::server::state::Shared;

/// Entries of an `executions` snapshot: the last 50 fills (`snap_trades`), then the open orders
/// (`snap_orders`).
pub fn executions_snapshot(
    shared: &Shared,
    venue: &KrakenVenue,
    account: usize,
    snap_orders: bool,
    snap_trades: bool,
) -> Vec<String> {
    let mut entries = Vec::new();
    if snap_trades && let Some(acc) = venue.ex.account(account) {
        for f in acc.fills.iter().rev().take(50) {
            let Some(p) = shared.kraken.pair_of_alt(&f.symbol) else {
                continue;
            };
            let o = venue
                .ex
                .all_orders(account, None)
                .into_iter()
                .find(|o| o.id == f.order_id);
            let fee = super::order_json::quote_fee(
                venue,
                &f.symbol,
                &f.commission_asset,
                f.commission,
                f.price,
            );
            entries.push(exec_render::fill_entry(
                p,
                f,
                o.as_ref(),
                venue.meta.get(&f.order_id),
                fee,
            ));
        }
    }
    if snap_orders {
        for o in venue.ex.open_orders(account, None) {
            let Some(p) = shared.kraken.pair_of_alt(&o.symbol) else {
                continue;
            };
            let status = if o.executed.is_zero() {
                "new"
            } else {
                "partially_filled"
            };
            let t = venue
                .meta
                .get(&o.id)
                .map(|m| m.opentm_us)
                .unwrap_or(o.time * 1000);
            entries.push(exec_render::order_entry(
                p,
                &o,
                venue.meta.get(&o.id),
                "new",
                status,
                t,
            ));
        }
    }
    entries
}

/// `add_order` for key index `key`: the order's ids, or Kraken's error text.
pub fn add_order(
    shared: &Shared,
    venue: &mut KrakenVenue,
    key: usize,
    params: &Value,
) -> Result<Option<String>, String> {
    let sym = params["symbol"]
        .as_str()
        .ok_or("EGeneral:Invalid arguments:symbol")?;
    let pair = shared.kraken.pair(sym).ok_or("EQuery:Unknown asset pair")?;
    let side = params["side"]
        .as_str()
        .and_then(parse_side)
        .ok_or("EGeneral:Invalid arguments:side")?;
    let ordertype = params["order_type"]
        .as_str()
        .ok_or("EGeneral:Invalid arguments:order_type")?
        .to_string();
    let volume = decimal_of(&params["order_qty"]).ok_or("EGeneral:Invalid arguments:order_qty")?;
    let trigger = params
        .get("triggers")
        .and_then(|t| t.get("price"))
        .and_then(decimal_of);
    let limit = params.get("limit_price").and_then(decimal_of);
    let stop = ordertype.contains("stop") || ordertype.contains("take-profit");
    let ioc = match params["time_in_force"].as_str() {
        None | Some("gtc") | Some("GTC") => false,
        Some("ioc") | Some("IOC") => true,
        Some(_) => return Err("EGeneral:Invalid arguments:time_in_force".into()),
    };
    let userref = params["order_userref"].as_i64().unwrap_or(0);
    let req = OrderRequest {
        pair: pair.altname.clone(),
        side,
        ordertype,
        volume,
        price: if stop { trigger } else { limit },
        price2: if stop { limit } else { None },
        post: params["post_only"].as_bool().unwrap_or(false),
        viqc: false,
        oflags: Vec::new(),
        ioc,
        cl_ord_id: params["cl_ord_id"].as_str().map(str::to_string),
        userref,
    };
    let now = now_us();
    let cfg = shared.kraken.config.trading_counter;
    let placed = orders::place(venue, key, pair, &req, &cfg, now).map_err(|e| e.text);
    super::publish::publish(shared, venue, now);
    let order = placed?;
    let mut r = Obj::new().str("order_id", &super::ids::order_txid(order.id));
    if let Some(c) = &req.cl_ord_id {
        r = r.str("cl_ord_id", c);
    }
    if params.get("order_userref").is_some() {
        r = r.int("order_userref", userref);
    }
    Ok(Some(r.finish()))
}

/// `cancel_order` for key index `key`: the txids canceled, or Kraken's error text.
pub fn cancel_order(
    shared: &Shared,
    venue: &mut KrakenVenue,
    key: usize,
    params: &Value,
) -> Result<Vec<String>, String> {
    let list = |name: &str| -> Vec<Value> {
        params
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut targets = Vec::new();
    for v in list("order_id") {
        targets.push(CancelTarget::Txid(v.as_str().unwrap_or("").to_string()));
    }
    for v in list("cl_ord_id") {
        targets.push(CancelTarget::ClOrdId(v.as_str().unwrap_or("").to_string()));
    }
    for v in list("order_userref") {
        targets.push(CancelTarget::Userref(v.as_i64().unwrap_or(i64::MIN)));
    }
    if targets.is_empty() {
        return Err("EGeneral:Invalid arguments:order_id".into());
    }
    let now = now_us();
    let cfg = shared.kraken.config.trading_counter;
    let mut ids = Vec::new();
    let mut err = None;
    for t in &targets {
        match orders::cancel(venue, key, t, &cfg, now) {
            Ok(v) => ids.extend(v.iter().map(|o| super::ids::order_txid(o.id))),
            Err(e) => err = Some(e.text),
        }
    }
    super::publish::publish(shared, venue, now);
    match err {
        Some(e) if ids.is_empty() => Err(e),
        _ => Ok(ids),
    }
}
