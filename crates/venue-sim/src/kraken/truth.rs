//! Truth for tests: the Kraken book and account state as the control API reports them
//! (`market=kraken` on the `/truth/*` routes), in the same shape as for the Binance markets.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::ids::order_txid;
use super::order_json::status_str;
use crate::server::state::Shared;

fn levels(l: &[(Decimal, Decimal)]) -> Vec<[String; 2]> {
    l.iter()
        .map(|(p, q)| [p.normalize().to_string(), q.normalize().to_string()])
        .collect()
}

/// The whole book of a pair (any of its names); None for an unknown pair.
pub fn book(shared: &Shared, name: &str) -> Option<Value> {
    let p = shared.kraken.pair(name)?;
    let v = shared.kraken.venue();
    let s = v.ex.symbol(&p.altname)?;
    let (bids, asks) = s.book.levels(usize::MAX);
    Some(
        json!({"symbol": p.symbol, "lastUpdateId": s.book.update_id(), "bids": levels(&bids), "asks": levels(&asks)}),
    )
}

fn account(shared: &Shared, key: Option<&str>) -> Option<usize> {
    let v = shared.kraken.venue();
    match key {
        Some(k) => v.keys.iter().find(|x| x.api_key == k).map(|x| x.account),
        None => v.keys.first().map(|x| x.account),
    }
}

/// Orders of a key (first key when None).
pub fn orders(shared: &Shared, key: Option<&str>) -> Option<Value> {
    let acc = account(shared, key)?;
    let v = shared.kraken.venue();
    Some(Value::Array(
        v.ex.all_orders(acc, None)
            .iter()
            .map(|o| {
                let m = v.meta.get(&o.id);
                json!({"orderId": order_txid(o.id), "symbol": o.symbol, "clientOrderId": m.and_then(|m| m.cl_ord_id.clone()),
                    "userref": m.map(|m| m.userref), "side": o.side.as_str(), "type": o.kind.as_str(),
                    "price": o.price.normalize().to_string(), "origQty": o.qty.normalize().to_string(),
                    "executedQty": o.executed.normalize().to_string(), "cumQuote": o.cum_quote.normalize().to_string(),
                    "status": status_str(o), "time": o.time, "updateTime": o.update_time})
            })
            .collect(),
    ))
}

/// Balances of a key.
pub fn balances(shared: &Shared, key: Option<&str>) -> Option<Value> {
    let acc = account(shared, key)?;
    let v = shared.kraken.venue();
    Some(json!(v.ex.account(acc)?.balances))
}

/// Fills of a key.
pub fn fills(shared: &Shared, key: Option<&str>) -> Option<Value> {
    let acc = account(shared, key)?;
    let v = shared.kraken.venue();
    Some(json!(v.ex.account(acc)?.fills))
}
