//! `/0/private/` methods after authentication: Balance, BalanceEx, AddOrder, CancelOrder,
//! CancelAll, QueryOrders, OpenOrders, ClosedOrders, TradesHistory, QueryTrades, OpenPositions,
//! GetWebSocketsToken. Each returns the `result` JSON.

use rust_decimal::Decimal;

use super::error::KrakenError;
use super::http::Form;
use super::ids::{kraken_id, order_txid, trade_txid};
use super::json::{Obj, array, fixed, string};
use super::order_json::{order_json, quote_fee, secs_text};
use super::orders::{self, CancelTarget, OrderRequest, parse_side};
use super::pairs::asset_decimals;
use super::state::KrakenVenue;
use crate::engine::{AccountFill, Order};
use crate::server::state::Shared;

/// Runs a private method for key index `key`.
pub fn run(
    shared: &Shared,
    venue: &mut KrakenVenue,
    key: usize,
    method: &str,
    form: &Form,
    now_us: u64,
) -> Result<String, KrakenError> {
    let account = venue
        .keys
        .get(key)
        .map(|k| k.account)
        .ok_or_else(KrakenError::invalid_key)?;
    match method {
        "Balance" | "BalanceEx" => balances(venue, account, method == "BalanceEx"),
        "AddOrder" => add_order(shared, venue, key, form, now_us),
        "CancelOrder" => {
            let target = cancel_target(form)?;
            let cfg = shared.kraken.config.trading_counter;
            let n = orders::cancel(venue, key, &target, &cfg, now_us)?.len();
            Ok(Obj::new().int("count", n).bool("pending", false).finish())
        }
        "CancelAll" => {
            let open = venue.ex.open_orders(account, None);
            let cfg = shared.kraken.config.trading_counter;
            let mut n = 0;
            for o in open {
                let t = CancelTarget::Txid(order_txid(o.id));
                n += orders::cancel(venue, key, &t, &cfg, now_us).map(|v| v.len())?;
            }
            Ok(Obj::new().int("count", n).finish())
        }
        "QueryOrders" => query_orders(shared, venue, account, form),
        "OpenOrders" => {
            let list = filter(venue, venue.ex.open_orders(account, None), form)?;
            Ok(Obj::new()
                .raw("open", &orders_map(shared, venue, &list))
                .finish())
        }
        "ClosedOrders" => {
            let mut list: Vec<Order> = venue
                .ex
                .all_orders(account, None)
                .into_iter()
                .filter(|o| !o.status.is_open())
                .collect();
            list = filter(venue, list, form)?;
            list.reverse();
            let n = list.len();
            list.truncate(50);
            Ok(Obj::new()
                .raw("closed", &orders_map(shared, venue, &list))
                .int("count", n)
                .finish())
        }
        "TradesHistory" => trades_history(shared, venue, account),
        "QueryTrades" => query_trades(shared, venue, account, form),
        "OpenPositions" => Ok("{}".into()),
        "GetWebSocketsToken" => {
            venue.token_seq += 1;
            let token = format!(
                "{}{}",
                kraken_id('W', venue.token_seq ^ now_us).replace('-', ""),
                kraken_id('K', now_us.rotate_left(17)).replace('-', "")
            );
            let ttl = shared.kraken.config.token_ttl_s;
            venue
                .tokens
                .insert(token.clone(), (key, now_us / 1000 + ttl * 1000));
            Ok(Obj::new().str("token", &token).int("expires", ttl).finish())
        }
        _ => Err(KrakenError::unknown_method()),
    }
}

fn balances(venue: &KrakenVenue, account: usize, ex: bool) -> Result<String, KrakenError> {
    let Some(acc) = venue.ex.account(account) else {
        return Err(KrakenError::invalid_key());
    };
    let mut o = Obj::new();
    for (asset, b) in &acc.balances {
        let dp = asset_decimals(asset);
        let total = fixed(b.free + b.locked, dp);
        o = if ex {
            o.raw(
                asset,
                &Obj::new()
                    .str("balance", &total)
                    .str("hold_trade", &fixed(b.locked, dp))
                    .finish(),
            )
        } else {
            o.str(asset, &total)
        };
    }
    Ok(o.finish())
}

/// The request of a REST `AddOrder`.
pub fn add_order_request(shared: &Shared, form: &Form) -> Result<OrderRequest, KrakenError> {
    let pair = form.req("pair")?;
    let pair = shared
        .kraken
        .pair(pair)
        .ok_or_else(KrakenError::unknown_pair)?;
    let side = parse_side(form.req("type")?)
        .ok_or_else(|| KrakenError::invalid_arguments(Some("type")))?;
    let ordertype = form.req("ordertype")?.to_string();
    let volume = form
        .decimal("volume")?
        .ok_or_else(|| KrakenError::invalid_arguments(Some("volume")))?;
    let flags: Vec<String> = form
        .get("oflags")
        .map(|f| f.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for f in &flags {
        if !["post", "fcib", "fciq", "nompp", "viqc"].contains(&f.as_str()) {
            return Err(KrakenError::invalid_arguments(Some("oflags")));
        }
    }
    let ioc = match form.get("timeinforce") {
        None | Some("GTC") => false,
        Some("IOC") => true,
        Some(_) => return Err(KrakenError::invalid_arguments(Some("timeinforce"))),
    };
    let userref = form.int("userref")?.unwrap_or(0);
    if i32::try_from(userref).is_err() {
        return Err(KrakenError::invalid_arguments(Some("userref")));
    }
    Ok(OrderRequest {
        pair: pair.altname.clone(),
        side,
        ordertype,
        volume,
        price: form.decimal("price")?,
        price2: form.decimal("price2")?,
        post: flags.iter().any(|f| f == "post"),
        viqc: flags.iter().any(|f| f == "viqc"),
        oflags: flags
            .into_iter()
            .filter(|f| f != "post" && f != "viqc")
            .collect(),
        ioc,
        cl_ord_id: form.get("cl_ord_id").map(str::to_string),
        userref,
    })
}

fn add_order(
    shared: &Shared,
    venue: &mut KrakenVenue,
    key: usize,
    form: &Form,
    now_us: u64,
) -> Result<String, KrakenError> {
    let req = add_order_request(shared, form)?;
    let pair = shared
        .kraken
        .pair_of_alt(&req.pair)
        .ok_or_else(KrakenError::unknown_pair)?;
    let descr = Obj::new().str("order", &req.describe(pair)).finish();
    if form.flag("validate") {
        return Ok(Obj::new().raw("descr", &descr).finish());
    }
    let cfg = shared.kraken.config.trading_counter;
    let order = orders::place(venue, key, pair, &req, &cfg, now_us)?;
    let mut o = Obj::new().raw("descr", &descr);
    o = o.raw("txid", &array([string(&order_txid(order.id))]));
    Ok(o.finish())
}

/// The cancel target of `txid` (a txid or a userref) or `cl_ord_id`.
pub fn cancel_target(form: &Form) -> Result<CancelTarget, KrakenError> {
    if let Some(c) = form.get("cl_ord_id") {
        return Ok(CancelTarget::ClOrdId(c.to_string()));
    }
    let t = form.req("txid")?;
    Ok(match t.parse::<i64>() {
        Ok(u) => CancelTarget::Userref(u),
        Err(_) => CancelTarget::Txid(t.to_string()),
    })
}

fn filter(venue: &KrakenVenue, list: Vec<Order>, form: &Form) -> Result<Vec<Order>, KrakenError> {
    let userref = form.int("userref")?;
    let cl = form.get("cl_ord_id");
    Ok(list
        .into_iter()
        .filter(|o| {
            let m = venue.meta.get(&o.id);
            userref.is_none_or(|u| m.is_some_and(|m| m.userref == u))
                && cl.is_none_or(|c| m.and_then(|m| m.cl_ord_id.as_deref()) == Some(c))
        })
        .collect())
}

fn orders_map(shared: &Shared, venue: &KrakenVenue, list: &[Order]) -> String {
    let mut o = Obj::new();
    for order in list {
        if let Some(p) = shared.kraken.pair_of_alt(&order.symbol) {
            o = o.raw(&order_txid(order.id), &order_json(venue, p, order));
        }
    }
    o.finish()
}

fn query_orders(
    shared: &Shared,
    venue: &KrakenVenue,
    account: usize,
    form: &Form,
) -> Result<String, KrakenError> {
    let ids = form.req("txid")?;
    let mut list = Vec::new();
    for t in ids.split(',').take(50) {
        let order = venue
            .txids
            .get(t.trim())
            .and_then(|id| {
                venue
                    .ex
                    .all_orders(account, None)
                    .into_iter()
                    .find(|o| o.id == *id)
            })
            .ok_or_else(|| KrakenError::invalid_arguments(Some("txid")))?;
        list.push(order);
    }
    Ok(orders_map(shared, venue, &list))
}

fn trades_history(
    shared: &Shared,
    venue: &KrakenVenue,
    account: usize,
) -> Result<String, KrakenError> {
    let Some(acc) = venue.ex.account(account) else {
        return Err(KrakenError::invalid_key());
    };
    let mut o = Obj::new();
    for f in acc.fills.iter().rev().take(50) {
        if let Some(entry) = trade_json(shared, venue, f) {
            o = o.raw(&trade_txid(f.order_id, f.trade_id), &entry);
        }
    }
    Ok(Obj::new()
        .raw("trades", &o.finish())
        .int("count", acc.fills.len())
        .finish())
}

/// `QueryTrades`: the account's trades by trade txid (`txid`, comma-separated, at most 20),
/// each as `TradesHistory` shows it, keyed by its txid. An id that is not one of the account's
/// trades is `EGeneral:Invalid arguments:txid`, as `QueryOrders` answers for orders.
fn query_trades(
    shared: &Shared,
    venue: &KrakenVenue,
    account: usize,
    form: &Form,
) -> Result<String, KrakenError> {
    let Some(acc) = venue.ex.account(account) else {
        return Err(KrakenError::invalid_key());
    };
    let ids: Vec<&str> = form.req("txid")?.split(',').map(str::trim).collect();
    if ids.len() > 20 {
        return Err(KrakenError::invalid_arguments(Some("txid")));
    }
    let mut o = Obj::new();
    for id in ids {
        let entry = acc
            .fills
            .iter()
            .find(|f| trade_txid(f.order_id, f.trade_id) == id)
            .and_then(|f| trade_json(shared, venue, f))
            .ok_or_else(|| KrakenError::invalid_arguments(Some("txid")))?;
        o = o.raw(id, &entry);
    }
    Ok(o.finish())
}

/// One trade as `TradesHistory` and `QueryTrades` show it (`None` for an unknown pair).
fn trade_json(shared: &Shared, venue: &KrakenVenue, f: &AccountFill) -> Option<String> {
    let p = shared.kraken.pair_of_alt(&f.symbol)?;
    let ordertype = venue
        .meta
        .get(&f.order_id)
        .map(|m| m.ordertype.as_str())
        .unwrap_or("limit");
    let fee = quote_fee(venue, &f.symbol, &f.commission_asset, f.commission, f.price);
    let side = if f.side == "BUY" { "buy" } else { "sell" };
    Some(
        Obj::new()
            .str("ordertxid", &order_txid(f.order_id))
            .str("postxid", &kraken_id('T', f.trade_id.rotate_left(7)))
            .str("pair", &p.key)
            .num("time", &secs_text(f.time * 1000))
            .str("type", side)
            .str("ordertype", ordertype)
            .str("price", &fixed(f.price, p.pair_decimals))
            .str("cost", &fixed(f.quote_qty, p.cost_decimals))
            .str("fee", &fixed(fee, p.cost_decimals))
            .str("vol", &fixed(f.qty, p.lot_decimals))
            .str("margin", &fixed(Decimal::ZERO, p.cost_decimals))
            .str("leverage", "0")
            .str("misc", "")
            .int("trade_id", f.trade_id)
            .bool("maker", f.is_maker)
            .finish(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_targets() {
        assert_eq!(
            cancel_target(&Form::parse("txid=OABCDE-FGHIJ-KLMNOP")).unwrap(),
            CancelTarget::Txid("OABCDE-FGHIJ-KLMNOP".into())
        );
        assert_eq!(
            cancel_target(&Form::parse("txid=42")).unwrap(),
            CancelTarget::Userref(42)
        );
        assert_eq!(
            cancel_target(&Form::parse("cl_ord_id=c1")).unwrap(),
            CancelTarget::ClOrdId("c1".into())
        );
        assert!(cancel_target(&Form::parse("")).is_err());
    }
}
