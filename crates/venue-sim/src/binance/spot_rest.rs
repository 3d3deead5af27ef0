//! Spot REST (`/api/v3/...`): the route table with the weights of rest-api.md, order entry,
//! queries and the account. Public market data lives in `spot_market`.

use axum::http::Method;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::error::ApiError;
use super::orders::{order_ref, parse_new_order};
use super::params::Params;
use super::spot_market::{
    agg_trades, book_ticker, depth, depth_weight, exchange_info, klines, price_ticker,
    ticker_weight, trades,
};
use super::wire::{CancelResponse, NewOrderResponse, OrderFill, RespType, SpotOrder, f8};
use crate::engine::{AccountFill, Exchange, Order, OrderStatus, SymbolSpec};
use crate::server::http::{Ctx, Endpoint, Security, w1};

/// Serializes a response body.
pub fn body<T: Serialize + ?Sized>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|_| ApiError::internal(500))
}

fn ep(
    method: Method,
    path: &'static str,
    weight: fn(&Params) -> u64,
    security: Security,
    run: crate::server::http::Handler,
) -> Endpoint {
    Endpoint {
        method,
        path,
        weight,
        security,
        places_order: false,
        run,
    }
}

/// The spot route table.
pub fn endpoints() -> Vec<Endpoint> {
    use Security::{None as Public, Signed};
    let mut v = vec![
        ep(Method::GET, "/api/v3/ping", w1, Public, |_, _| {
            Ok("{}".into())
        }),
        ep(Method::GET, "/api/v3/time", w1, Public, |c, _| {
            body(&json!({"serverTime": c.now}))
        }),
        ep(
            Method::GET,
            "/api/v3/exchangeInfo",
            |_| 20,
            Public,
            exchange_info,
        ),
        ep(
            Method::GET,
            "/api/v3/depth",
            depth_weight,
            Public,
            |c, p| depth(&c.venue.spot, p),
        ),
        ep(Method::GET, "/api/v3/trades", |_| 25, Public, trades),
        ep(Method::GET, "/api/v3/aggTrades", |_| 4, Public, agg_trades),
        ep(
            Method::GET,
            "/api/v3/klines",
            |_| 2,
            Public,
            |c, p| klines(&mut c.venue.spot, p, c.now),
        ),
        ep(
            Method::GET,
            "/api/v3/ticker/bookTicker",
            ticker_weight,
            Public,
            |c, p| book_ticker(&c.venue.spot, p),
        ),
        ep(
            Method::GET,
            "/api/v3/ticker/price",
            ticker_weight,
            Public,
            price_ticker,
        ),
        ep(Method::POST, "/api/v3/order/test", w1, Signed, order_test),
        ep(Method::DELETE, "/api/v3/order", w1, Signed, cancel_order),
        ep(Method::GET, "/api/v3/order", |_| 4, Signed, query_order),
        ep(
            Method::GET,
            "/api/v3/openOrders",
            |p| if p.has("symbol") { 6 } else { 80 },
            Signed,
            open_orders,
        ),
        ep(Method::DELETE, "/api/v3/openOrders", w1, Signed, cancel_all),
        ep(Method::GET, "/api/v3/allOrders", |_| 20, Signed, all_orders),
        ep(Method::GET, "/api/v3/account", |_| 20, Signed, account),
        ep(
            Method::GET,
            "/api/v3/myTrades",
            |p| if p.has("orderId") { 5 } else { 20 },
            Signed,
            my_trades,
        ),
    ];
    v.push(Endpoint {
        places_order: true,
        ..ep(Method::POST, "/api/v3/order", w1, Signed, new_order)
    });
    v.extend(super::margin_rest::endpoints());
    v
}

/// The spec of a listed symbol, else `-1121`.
pub fn spec_of<'a>(ex: &'a Exchange, symbol: &str) -> Result<&'a SymbolSpec, ApiError> {
    ex.symbol(symbol)
        .map(|s| &s.spec)
        .ok_or_else(ApiError::bad_symbol)
}

/// Fills of an order as the FULL response lists them.
pub fn order_fills(ex: &Exchange, o: &Order) -> Vec<OrderFill> {
    ex.account(o.account)
        .map(|a| {
            a.fills
                .iter()
                .filter(|f| f.order_id == o.id)
                .map(|f| OrderFill {
                    price: f8(f.price),
                    qty: f8(f.qty),
                    commission: f8(f.commission),
                    commission_asset: f.commission_asset.clone(),
                    trade_id: f.trade_id,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Places a spot or margin order for `account` and renders the response.
pub fn place_spot(c: &mut Ctx<'_>, p: &Params, account: usize) -> Result<String, ApiError> {
    let req = parse_new_order(p, account, false)?;
    let resp = RespType::parse(p.get("newOrderRespType"), req.kind)
        .ok_or_else(|| ApiError::illegal_chars("newOrderRespType"))?;
    spec_of(&c.venue.spot, &req.symbol)?;
    let o = c
        .venue
        .spot
        .place(req, c.now)
        .map_err(ApiError::from_new_order)?;
    let fills = order_fills(&c.venue.spot, &o);
    body(&NewOrderResponse::from(&o, resp, fills))
}

fn new_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    place_spot(c, p, account)
}

fn order_test(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let req = parse_new_order(p, c.key()?.spot, false)?;
    spec_of(&c.venue.spot, &req.symbol)?;
    Ok("{}".into())
}

/// Cancels a spot/margin order of `account`.
pub fn cancel_spot(c: &mut Ctx<'_>, p: &Params, account: usize) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let (id, cid) = order_ref(p)?;
    if let Some(restriction) = p.get("cancelRestrictions") {
        let status = c
            .venue
            .spot
            .find_order(account, symbol, id, cid.as_deref())
            .map(|o| o.status);
        let allowed = match restriction {
            "ONLY_NEW" => status.is_none_or(|s| s == OrderStatus::New),
            "ONLY_PARTIALLY_FILLED" => status.is_none_or(|s| s == OrderStatus::PartiallyFilled),
            _ => return Err(ApiError::illegal_chars("cancelRestrictions")),
        };
        if !allowed {
            return Err(ApiError::bad(
                -2011,
                "Order was not canceled due to cancel restrictions.",
            ));
        }
    }
    let new_cid = p
        .get("newClientOrderId")
        .map(str::to_string)
        .unwrap_or_else(|| c.venue.spot.next_cancel_id());
    let o = c
        .venue
        .spot
        .cancel_as(
            account,
            symbol,
            id,
            cid.as_deref(),
            Some(new_cid.clone()),
            c.now,
        )
        .map_err(ApiError::from_cancel)?;
    body(&CancelResponse::from(&o, new_cid))
}

fn cancel_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    cancel_spot(c, p, account)
}

/// Queries a spot/margin order of `account`.
pub fn query_spot(c: &mut Ctx<'_>, p: &Params, account: usize) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let (id, cid) = order_ref(p)?;
    let o = c
        .venue
        .spot
        .find_order(account, symbol, id, cid.as_deref())
        .ok_or_else(|| ApiError::bad(-2013, "Order does not exist."))?;
    body(&SpotOrder::from(o))
}

fn query_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    query_spot(c, p, account)
}

/// Open orders of a spot/margin `account`.
pub fn open_spot(c: &mut Ctx<'_>, p: &Params, account: usize) -> Result<String, ApiError> {
    let symbol = p.get("symbol");
    if let Some(s) = symbol {
        spec_of(&c.venue.spot, s)?;
    }
    let list: Vec<SpotOrder> = c
        .venue
        .spot
        .open_orders(account, symbol)
        .iter()
        .map(SpotOrder::from)
        .collect();
    body(&list)
}

fn open_orders(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    open_spot(c, p, account)
}

fn cancel_all(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let mut out = Vec::new();
    for o in c.venue.spot.open_orders(account, Some(symbol)) {
        let new_cid = c.venue.spot.next_cancel_id();
        let done = c.venue.spot.cancel_as(
            account,
            symbol,
            Some(o.id),
            None,
            Some(new_cid.clone()),
            c.now,
        );
        if let Ok(done) = done {
            out.push(CancelResponse::from(&done, new_cid));
        }
    }
    body(&out)
}

fn all_orders(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let list: Vec<SpotOrder> = c
        .venue
        .spot
        .all_orders(account, Some(symbol))
        .iter()
        .map(SpotOrder::from)
        .collect();
    body(&list)
}

fn account(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let idx = c.key()?.spot;
    let fees = c.venue.spot.fees();
    let Some(acc) = c.venue.spot.account(idx) else {
        return Err(ApiError::bad_key());
    };
    let omit = p.get("omitZeroBalances") == Some("true");
    let balances: Vec<Value> = acc
        .balances
        .iter()
        .filter(|(_, b)| !omit || !(b.free + b.locked).is_zero())
        .map(|(a, b)| json!({"asset":a,"free":f8(b.free),"locked":f8(b.locked)}))
        .collect();
    let bps = |r: Decimal| {
        (r * Decimal::from(10_000))
            .trunc()
            .to_string()
            .parse::<i64>()
            .unwrap_or(0)
    };
    body(
        &json!({"makerCommission":bps(fees.maker),"takerCommission":bps(fees.taker),"buyerCommission":0,"sellerCommission":0,
        "commissionRates":{"maker":f8(fees.maker),"taker":f8(fees.taker),"buyer":f8(Decimal::ZERO),"seller":f8(Decimal::ZERO)},
        "canTrade":true,"canWithdraw":true,"canDeposit":true,"brokered":false,"requireSelfTradePrevention":false,"preventSor":false,
        "updateTime":acc.update_time,"accountType":"SPOT","balances":balances,"permissions":["SPOT"],"uid":100_000 + idx as u64}),
    )
}

/// The account's trades of `symbol` that `myTrades` / `userTrades` answer: of one order when
/// `orderId` is given; with `fromId` the first `limit` trades whose id is at least it (oldest
/// first), otherwise the most recent `limit`.
pub fn pick_fills<'a>(
    fills: &'a [AccountFill],
    symbol: &str,
    p: &Params,
    limit: usize,
) -> Result<Vec<&'a AccountFill>, ApiError> {
    let order_id = p.uint("orderId")?;
    let from_id = p.uint("fromId")?;
    let mine: Vec<&AccountFill> = fills
        .iter()
        .filter(|f| f.symbol == symbol && order_id.is_none_or(|id| id == f.order_id))
        .filter(|f| from_id.is_none_or(|from| f.trade_id >= from))
        .collect();
    Ok(match from_id {
        Some(_) => mine.into_iter().take(limit).collect(),
        None => mine[mine.len().saturating_sub(limit)..].to_vec(),
    })
}

/// Trades of a spot/margin `account` on a symbol (`orderId`, `fromId`, `limit` as documented).
pub fn trades_of(c: &mut Ctx<'_>, p: &Params, account: usize) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let limit = p.uint("limit")?.unwrap_or(500).clamp(1, 1000) as usize;
    let Some(acc) = c.venue.spot.account(account) else {
        return Err(ApiError::bad_key());
    };
    let mine = pick_fills(&acc.fills, symbol, p, limit)?;
    let list: Vec<Value> = mine
        .iter()
        .map(|f| json!({"symbol":f.symbol,"id":f.trade_id,"orderId":f.order_id,"orderListId":-1,"price":f8(f.price),"qty":f8(f.qty),
            "quoteQty":f8(f.quote_qty),"commission":f8(f.commission),"commissionAsset":f.commission_asset,"time":f.time,
            "isBuyer":f.side == "BUY","isMaker":f.is_maker,"isBestMatch":true}))
        .collect();
    body(&list)
}

fn my_trades(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.spot;
    trades_of(c, p, account)
}
