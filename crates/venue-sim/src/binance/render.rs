//! Engine events rendered as Binance WebSocket payloads: market streams (trade, aggTrade,
//! bookTicker, kline, depth) and user data (executionReport, outboundAccountPosition,
//! balanceUpdate, ORDER_TRADE_UPDATE, ACCOUNT_UPDATE).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::wire::{f8, fmt};
use crate::engine::book::Levels;
use crate::engine::candles::{Candle, PublicTrade};
use crate::engine::{Account, BookDiff, MarketKind, OrderUpdate, SymbolSpec};

/// Decimal places (price, qty) used on the wire for a symbol of a market.
pub fn precision(kind: MarketKind, spec: &SymbolSpec) -> (u32, u32) {
    match kind {
        MarketKind::Spot => (8, 8),
        MarketKind::Futures => (spec.price_decimals(), spec.qty_decimals()),
    }
}

fn levels(ls: &[(Decimal, Decimal)], pd: u32, qd: u32) -> Vec<[String; 2]> {
    ls.iter().map(|(p, q)| [fmt(*p, pd), fmt(*q, qd)]).collect()
}

/// `<s>@trade` payload (spot only).
pub fn trade(symbol: &str, t: &PublicTrade, now: u64) -> Value {
    json!({"e":"trade","E":now,"s":symbol,"t":t.id,"p":f8(t.price),"q":f8(t.qty),"T":t.time,"m":t.buyer_maker,"M":true})
}

/// `<s>@aggTrade` payload; one aggregate per trade (`a == f == l` trade id).
pub fn agg_trade(kind: MarketKind, spec: &SymbolSpec, t: &PublicTrade, now: u64) -> Value {
    let (pd, qd) = precision(kind, spec);
    let mut v = json!({"e":"aggTrade","E":now,"s":spec.symbol,"a":t.id,"p":fmt(t.price, pd),"q":fmt(t.qty, qd),
        "f":t.id,"l":t.id,"T":t.time,"m":t.buyer_maker});
    if kind == MarketKind::Spot {
        v["M"] = json!(true);
    }
    v
}

/// `<s>@bookTicker` payload (spot has no `e`/`E`; futures adds `e`, `E`, `T`).
pub fn book_ticker(
    kind: MarketKind,
    spec: &SymbolSpec,
    u: u64,
    bid: (Decimal, Decimal),
    ask: (Decimal, Decimal),
    now: u64,
) -> Value {
    let (pd, qd) = precision(kind, spec);
    let mut v = json!({"u":u,"s":spec.symbol,"b":fmt(bid.0, pd),"B":fmt(bid.1, qd),"a":fmt(ask.0, pd),"A":fmt(ask.1, qd)});
    if kind == MarketKind::Futures {
        v["e"] = json!("bookTicker");
        v["E"] = json!(now);
        v["T"] = json!(now);
    }
    v
}

/// `<s>@depth...` diff payload; `pu` (previous final update id) only for futures.
pub fn depth_update(
    kind: MarketKind,
    spec: &SymbolSpec,
    diff: &BookDiff,
    pu: u64,
    now: u64,
) -> Value {
    let (pd, qd) = precision(kind, spec);
    let mut v = json!({"e":"depthUpdate","E":now,"s":spec.symbol,"U":diff.first_update_id,"u":diff.last_update_id,
        "b":levels(&diff.bids, pd, qd),"a":levels(&diff.asks, pd, qd)});
    if kind == MarketKind::Futures {
        v["T"] = json!(now);
        v["pu"] = json!(pu);
    }
    v
}

/// Partial book depth payload (spot: `{lastUpdateId,bids,asks}`; futures: a depthUpdate).
pub fn partial_depth(
    kind: MarketKind,
    spec: &SymbolSpec,
    update_id: u64,
    book: &Levels,
    pu: u64,
    now: u64,
) -> Value {
    let (pd, qd) = precision(kind, spec);
    match kind {
        MarketKind::Spot => {
            json!({"lastUpdateId":update_id,"bids":levels(&book.0, pd, qd),"asks":levels(&book.1, pd, qd)})
        }
        MarketKind::Futures => {
            json!({"e":"depthUpdate","E":now,"T":now,"s":spec.symbol,"U":pu + 1,"u":update_id,"pu":pu,
            "b":levels(&book.0, pd, qd),"a":levels(&book.1, pd, qd)})
        }
    }
}

/// `<s>@kline_<i>` payload.
pub fn kline(
    kind: MarketKind,
    spec: &SymbolSpec,
    interval: &str,
    c: &Candle,
    closed: bool,
    now: u64,
) -> Value {
    let (pd, qd) = precision(kind, spec);
    json!({"e":"kline","E":now,"s":spec.symbol,"k":{"t":c.open_time,"T":c.close_time,"s":spec.symbol,"i":interval,
        "f":c.first_trade,"L":c.last_trade,"o":fmt(c.open, pd),"c":fmt(c.close, pd),"h":fmt(c.high, pd),"l":fmt(c.low, pd),
        "v":fmt(c.volume, qd),"n":c.trades,"x":closed,"q":fmt(c.quote_volume, pd),"V":fmt(c.taker_buy_volume, qd),
        "Q":fmt(c.taker_buy_quote, pd),"B":"0"}})
}

/// A REST kline row `[openTime, o, h, l, c, v, closeTime, quoteVolume, trades, takerBase, takerQuote, "0"]`.
pub fn kline_row(kind: MarketKind, spec: &SymbolSpec, c: &Candle) -> Value {
    let (pd, qd) = precision(kind, spec);
    json!([
        c.open_time,
        fmt(c.open, pd),
        fmt(c.high, pd),
        fmt(c.low, pd),
        fmt(c.close, pd),
        fmt(c.volume, qd),
        c.close_time,
        fmt(c.quote_volume, pd),
        c.trades,
        fmt(c.taker_buy_volume, qd),
        fmt(c.taker_buy_quote, pd),
        "0"
    ])
}

/// Spot `executionReport` (user-data-stream.md "Order Update"). On a cancel, `c` is the cancel
/// request's client id and `C` the canceled order's.
pub fn execution_report(u: &OrderUpdate) -> Value {
    let o = &u.order;
    let (c, orig) = match &u.cancel_client_id {
        Some(cancel) => (cancel.as_str(), o.client_id.as_str()),
        None => (o.client_id.as_str(), ""),
    };
    let commission_asset = u
        .commission_asset
        .clone()
        .map(Value::String)
        .unwrap_or(Value::Null);
    json!({"e":"executionReport","E":u.time,"s":o.symbol,"c":c,"S":o.side.as_str(),"o":o.kind.as_str(),
        "f":o.tif.as_str(),"q":f8(o.qty),"p":f8(o.price),"P":f8(o.stop_price),"F":f8(Decimal::ZERO),"g":-1,
        "C":orig,"x":u.exec.as_str(),"X":o.status.as_str(),"r":"NONE","i":o.id,"l":f8(u.last_qty),
        "z":f8(o.executed),"L":f8(u.last_price),"n":if u.commission_asset.is_some() { f8(u.commission) } else { "0".into() },
        "N":commission_asset,"T":u.time,"t":u.trade_id,"I":u.time * 10 + o.id % 10,"w":o.working_time.is_some() && o.status.is_open(),
        "m":u.is_maker,"M":false,"O":o.time,"Z":f8(o.cum_quote),"Y":f8(u.last_qty * u.last_price),"Q":f8(o.quote_qty),
        "W":o.working_time.map(|t| t as i64).unwrap_or(-1),"V":"NONE"})
}

/// Spot `outboundAccountPosition` for the changed assets.
pub fn account_position(acc: &Account, assets: &[String], now: u64) -> Value {
    let b: Vec<Value> = assets
        .iter()
        .map(|a| {
            let bal = acc.balances.get(a).cloned().unwrap_or_default();
            json!({"a":a,"f":f8(bal.free),"l":f8(bal.locked)})
        })
        .collect();
    json!({"e":"outboundAccountPosition","E":now,"u":acc.update_time.max(now),"B":b})
}

/// Spot `balanceUpdate`.
pub fn balance_update(asset: &str, delta: Decimal, now: u64) -> Value {
    json!({"e":"balanceUpdate","E":now,"a":asset,"d":f8(delta),"T":now})
}

/// Futures `ORDER_TRADE_UPDATE`.
pub fn order_trade_update(u: &OrderUpdate, spec: &SymbolSpec) -> Value {
    let o = &u.order;
    let (pd, qd) = (spec.price_decimals(), spec.qty_decimals());
    json!({"e":"ORDER_TRADE_UPDATE","E":u.time,"T":u.time,"o":{"s":o.symbol,"c":o.client_id,"S":o.side.as_str(),
        "o":o.kind.as_futures_str(),"f":o.tif.as_str(),"q":fmt(o.qty, qd),"p":fmt(o.price, pd),"ap":fmt(o.avg_price(), pd),
        "sp":fmt(o.stop_price, pd),"x":u.exec.as_str(),"X":o.status.as_str(),"i":o.id,"l":fmt(u.last_qty, qd),
        "z":fmt(o.executed, qd),"L":fmt(u.last_price, pd),"N":u.commission_asset.clone().unwrap_or_else(|| spec.quote.clone()),
        "n":f8(u.commission),"T":u.time,"t":u.trade_id.max(0),"b":"0","a":"0","m":u.is_maker,"R":o.reduce_only,
        "wt":"CONTRACT_PRICE","ot":o.kind.as_futures_str(),"ps":"BOTH","cp":false,"rp":f8(u.realized_pnl),"pP":false,
        "si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}})
}

/// Futures `ACCOUNT_UPDATE`.
pub fn account_update(
    acc: &Account,
    assets: &[String],
    position: Option<(&str, Decimal)>,
    reason: &str,
    now: u64,
) -> Value {
    let b: Vec<Value> = assets
        .iter()
        .map(|a| {
            let bal = acc.balances.get(a).cloned().unwrap_or_default();
            json!({"a":a,"wb":f8(bal.free),"cw":f8(bal.free),"bc":"0"})
        })
        .collect();
    let p: Vec<Value> = position
        .and_then(|(s, mark)| acc.positions.get(s).map(|p| (s, p, mark)))
        .map(|(s, p, mark)| {
            json!({"s":s,"pa":p.amount.normalize().to_string(),"ep":f8(p.entry_price),"bep":f8(p.entry_price),
                "cr":"0","up":f8(p.unrealized(mark)),"mt":p.margin_type,"iw":"0","ps":"BOTH"})
        })
        .into_iter()
        .collect();
    json!({"e":"ACCOUNT_UPDATE","E":now,"T":now,"a":{"m":reason,"B":b,"P":p}})
}
