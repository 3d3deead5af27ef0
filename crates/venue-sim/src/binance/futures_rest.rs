//! USD-M futures REST (`/fapi/...`): market data, orders, balances, positions, leverage and the
//! listenKey endpoints of the futures user stream.

use axum::http::Method;
use rand::Rng;
use rand::distr::Alphanumeric;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::ApiError;
use super::orders::{order_ref, parse_new_order};
use super::params::Params;
use super::spot_market::{book_ticker, depth, klines, selected};
use super::spot_rest::{body, pick_fills, spec_of};
use super::wire::{FuturesOrder, f8, fmt};
use crate::engine::spec::FilterFailure;
use crate::engine::{EngineError, Exchange};
use crate::server::http::{Ctx, Endpoint, Security, w1};

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

/// The futures route table.
pub fn endpoints() -> Vec<Endpoint> {
    use Security::{ApiKey, None as Public, Signed};
    vec![
        ep(Method::GET, "/fapi/v1/ping", w1, Public, |_, _| {
            Ok("{}".into())
        }),
        ep(Method::GET, "/fapi/v1/time", w1, Public, |c, _| {
            body(&json!({"serverTime": c.now}))
        }),
        ep(
            Method::GET,
            "/fapi/v1/exchangeInfo",
            w1,
            Public,
            exchange_info,
        ),
        ep(
            Method::GET,
            "/fapi/v1/depth",
            |_| 5,
            Public,
            |c, p| depth(&c.venue.futures, p),
        ),
        ep(
            Method::GET,
            "/fapi/v1/klines",
            |_| 2,
            Public,
            |c, p| klines(&mut c.venue.futures, p, c.now),
        ),
        ep(
            Method::GET,
            "/fapi/v1/ticker/bookTicker",
            |_| 2,
            Public,
            |c, p| book_ticker(&c.venue.futures, p),
        ),
        Endpoint {
            places_order: true,
            ..ep(Method::POST, "/fapi/v1/order", w1, Signed, new_order)
        },
        ep(Method::DELETE, "/fapi/v1/order", w1, Signed, cancel_order),
        ep(Method::GET, "/fapi/v1/order", w1, Signed, query_order),
        ep(
            Method::GET,
            "/fapi/v1/openOrders",
            |p| if p.has("symbol") { 1 } else { 40 },
            Signed,
            open_orders,
        ),
        ep(
            Method::DELETE,
            "/fapi/v1/allOpenOrders",
            w1,
            Signed,
            cancel_all,
        ),
        ep(
            Method::GET,
            "/fapi/v1/userTrades",
            |_| 5,
            Signed,
            user_trades,
        ),
        ep(Method::GET, "/fapi/v2/balance", |_| 5, Signed, balance),
        ep(Method::GET, "/fapi/v3/balance", |_| 5, Signed, balance),
        ep(
            Method::GET,
            "/fapi/v2/positionRisk",
            |_| 5,
            Signed,
            |c, p| position_risk(c, p, 2),
        ),
        ep(
            Method::GET,
            "/fapi/v3/positionRisk",
            |_| 5,
            Signed,
            |c, p| position_risk(c, p, 3),
        ),
        ep(Method::GET, "/fapi/v2/account", |_| 5, Signed, account),
        ep(Method::GET, "/fapi/v3/account", |_| 5, Signed, account),
        ep(Method::POST, "/fapi/v1/leverage", w1, Signed, leverage),
        ep(
            Method::POST,
            "/fapi/v1/listenKey",
            w1,
            ApiKey,
            listen_key_new,
        ),
        ep(
            Method::PUT,
            "/fapi/v1/listenKey",
            w1,
            ApiKey,
            listen_key_keep,
        ),
        ep(
            Method::DELETE,
            "/fapi/v1/listenKey",
            w1,
            ApiKey,
            listen_key_close,
        ),
    ]
}

fn map_order_error(e: EngineError) -> ApiError {
    match e {
        EngineError::Filter(FilterFailure::Notional) => {
            ApiError::bad(-4164, "Order notional is too small.")
        }
        EngineError::Filter(FilterFailure::Price) => {
            ApiError::bad(-4014, "Price not increased by tick size.")
        }
        EngineError::Filter(FilterFailure::LotSize) => ApiError::bad(
            -1111,
            "Precision is over the maximum defined for this asset.",
        ),
        EngineError::InsufficientBalance => ApiError::bad(-2019, "Margin is insufficient."),
        EngineError::WouldTrigger => ApiError::bad(-2021, "Order would immediately trigger."),
        other => ApiError::from_new_order(other),
    }
}

fn exchange_info(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let ex = &c.venue.futures;
    let l = c.shared.config.limits;
    let symbols: Vec<Value> = selected(ex, p)?
        .iter()
        .filter_map(|n| ex.symbol(n))
        .map(|s| {
            let sp = &s.spec;
            let (pd, qd) = (sp.price_decimals(), sp.qty_decimals());
            json!({"symbol":sp.symbol,"pair":sp.symbol,"contractType":"PERPETUAL","deliveryDate":4_133_404_800_000u64,
                "onboardDate":1_569_398_400_000u64,"status":"TRADING","maintMarginPercent":"2.5000","requiredMarginPercent":"5.0000",
                "baseAsset":sp.base,"quoteAsset":sp.quote,"marginAsset":sp.quote,"pricePrecision":pd,"quantityPrecision":qd,
                "baseAssetPrecision":8,"quotePrecision":8,"underlyingType":"COIN","underlyingSubType":[],"triggerProtect":"0.0500",
                "liquidationFee":"0.012500","marketTakeBound":"0.05","maxMoveOrderLimit":10000,
                "filters":[
                    {"filterType":"PRICE_FILTER","minPrice":fmt(sp.min_price, pd),"maxPrice":fmt(sp.max_price, pd),"tickSize":fmt(sp.tick_size, pd)},
                    {"filterType":"LOT_SIZE","minQty":fmt(sp.min_qty, qd),"maxQty":fmt(sp.max_qty, qd),"stepSize":fmt(sp.step_size, qd)},
                    {"filterType":"MARKET_LOT_SIZE","minQty":fmt(sp.min_qty, qd),"maxQty":fmt(sp.max_qty, qd),"stepSize":fmt(sp.step_size, qd)},
                    {"filterType":"MAX_NUM_ORDERS","limit":200},
                    {"filterType":"MIN_NOTIONAL","notional":sp.min_notional.normalize().to_string()}
                ],
                "orderTypes":["LIMIT","MARKET","STOP","TAKE_PROFIT"],"timeInForce":["GTC","IOC","FOK","GTX"]})
        })
        .collect();
    body(
        &json!({"timezone":"UTC","serverTime":c.now,"futuresType":"U_MARGINED",
        "rateLimits":[
            {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":l.weight_per_minute},
            {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200},
            {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":l.orders_per_10s}
        ],
        "exchangeFilters":[],"assets":[{"asset":"USDT","marginAvailable":true,"autoAssetExchange":"-10000"}],"symbols":symbols}),
    )
}

fn render_order(
    ex: &Exchange,
    o: &crate::engine::Order,
    with_time: bool,
) -> Result<FuturesOrder, ApiError> {
    Ok(FuturesOrder::from(o, spec_of(ex, &o.symbol)?, with_time))
}

fn new_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let req = parse_new_order(p, c.key()?.futures, true)?;
    spec_of(&c.venue.futures, &req.symbol)?;
    let o = c.venue.futures.place(req, c.now).map_err(map_order_error)?;
    body(&render_order(&c.venue.futures, &o, false)?)
}

fn cancel_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.futures, symbol)?;
    let (id, cid) = order_ref(p)?;
    let o = c
        .venue
        .futures
        .cancel(account, symbol, id, cid.as_deref(), c.now)
        .map_err(ApiError::from_cancel)?;
    body(&render_order(&c.venue.futures, &o, false)?)
}

fn query_order(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.futures, symbol)?;
    let (id, cid) = order_ref(p)?;
    let o = c
        .venue
        .futures
        .find_order(account, symbol, id, cid.as_deref())
        .ok_or_else(|| ApiError::bad(-2013, "Order does not exist."))?;
    body(&render_order(&c.venue.futures, o, true)?)
}

fn open_orders(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.get("symbol");
    if let Some(s) = symbol {
        spec_of(&c.venue.futures, s)?;
    }
    let list = c
        .venue
        .futures
        .open_orders(account, symbol)
        .iter()
        .map(|o| render_order(&c.venue.futures, o, true))
        .collect::<Result<Vec<_>, _>>()?;
    body(&list)
}

fn cancel_all(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.futures, symbol)?;
    for o in c.venue.futures.open_orders(account, Some(symbol)) {
        let _ = c
            .venue
            .futures
            .cancel(account, symbol, Some(o.id), None, c.now);
    }
    body(&json!({"code": 200, "msg": "The operation of cancel all open order is done."}))
}

fn user_trades(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.req("symbol")?;
    let spec = spec_of(&c.venue.futures, symbol)?.clone();
    let Some(acc) = c.venue.futures.account(account) else {
        return Err(ApiError::bad_key());
    };
    let (pd, qd) = (spec.price_decimals(), spec.qty_decimals());
    let limit = p.uint("limit")?.unwrap_or(500).clamp(1, 1000) as usize;
    let list: Vec<Value> = pick_fills(&acc.fills, symbol, p, limit)?
        .into_iter()
        .map(|f| json!({"buyer":f.side == "BUY","commission":f8(f.commission),"commissionAsset":f.commission_asset,"id":f.trade_id,
            "maker":f.is_maker,"orderId":f.order_id,"price":fmt(f.price, pd),"qty":fmt(f.qty, qd),"quoteQty":fmt(f.quote_qty, pd),
            "realizedPnl":f8(f.realized_pnl),"side":f.side,"positionSide":"BOTH","symbol":f.symbol,"time":f.time}))
        .collect();
    body(&list)
}

struct Summary {
    wallet: Decimal,
    unrealized: Decimal,
    position_margin: Decimal,
    order_margin: Decimal,
}

fn summary(ex: &Exchange, account: usize) -> Summary {
    let (position_margin, unrealized) = ex.futures_exposure(account);
    let bal = ex
        .account(account)
        .and_then(|a| a.balances.get("USDT").cloned())
        .unwrap_or_default();
    Summary {
        wallet: bal.free,
        unrealized,
        position_margin,
        order_margin: bal.locked,
    }
}

impl Summary {
    fn available(&self) -> Decimal {
        self.wallet + self.unrealized - self.position_margin - self.order_margin
    }
}

fn balance(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let ex = &c.venue.futures;
    let s = summary(ex, account);
    let update = ex.account(account).map(|a| a.update_time).unwrap_or(0);
    body(
        &json!([{"accountAlias":"SimFuturesAcct","asset":"USDT","balance":f8(s.wallet),"crossWalletBalance":f8(s.wallet),
        "crossUnPnl":f8(s.unrealized),"availableBalance":f8(s.available()),"maxWithdrawAmount":f8(s.available().max(Decimal::ZERO)),
        "marginAvailable":true,"updateTime":update}]),
    )
}

fn position_risk(c: &mut Ctx<'_>, p: &Params, version: u8) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let ex = &c.venue.futures;
    let names = selected(ex, p)?;
    let Some(acc) = ex.account(account) else {
        return Err(ApiError::bad_key());
    };
    let rows: Vec<Value> = names
        .iter()
        .filter_map(|n| ex.symbol(n))
        .map(|s| {
            let pos = acc.positions.get(&s.spec.symbol).cloned().unwrap_or_default();
            let (pd, qd) = (s.spec.price_decimals(), s.spec.qty_decimals());
            let mark = ex.mark_price(&s.spec.symbol);
            let notional = pos.amount * mark;
            let im = notional.abs() / Decimal::from(pos.leverage.max(1));
            let mut v = json!({"symbol":s.spec.symbol,"positionSide":"BOTH","positionAmt":fmt(pos.amount, qd),
                "entryPrice":fmt(pos.entry_price, pd),"breakEvenPrice":fmt(pos.entry_price, pd),"markPrice":f8(mark),
                "unRealizedProfit":f8(pos.unrealized(mark)),"liquidationPrice":"0","isolatedMargin":"0.00000000",
                "notional":f8(notional),"isolatedWallet":"0","updateTime":pos.update_time});
            if version == 2 {
                v["leverage"] = json!(pos.leverage.to_string());
                v["marginType"] = json!(pos.margin_type);
                v["isAutoAddMargin"] = json!("false");
                v["maxNotionalValue"] = json!("20000000");
            } else {
                v["marginAsset"] = json!(s.spec.quote);
                v["initialMargin"] = json!(f8(im));
                v["maintMargin"] = json!(f8(notional.abs() * Decimal::new(4, 3)));
                v["positionInitialMargin"] = json!(f8(im));
                v["openOrderInitialMargin"] = json!("0");
                v["adl"] = json!(0);
                v["bidNotional"] = json!("0");
                v["askNotional"] = json!("0");
            }
            v
        })
        .collect();
    body(&rows)
}

fn account(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let ex = &c.venue.futures;
    let s = summary(ex, account);
    let Some(acc) = ex.account(account) else {
        return Err(ApiError::bad_key());
    };
    let positions: Vec<Value> = acc
        .positions
        .iter()
        .map(|(sym, p)| {
            let mark = ex.mark_price(sym);
            let im = (p.amount * mark).abs() / Decimal::from(p.leverage.max(1));
            json!({"symbol":sym,"positionSide":"BOTH","positionAmt":p.amount.normalize().to_string(),"unrealizedProfit":f8(p.unrealized(mark)),
                "isolatedMargin":"0","notional":f8(p.amount * mark),"isolatedWallet":"0","initialMargin":f8(im),"maintMargin":"0",
                "updateTime":p.update_time})
        })
        .collect();
    let margin = f8(s.position_margin + s.order_margin);
    body(
        &json!({"totalInitialMargin":margin,"totalMaintMargin":"0.00000000","totalWalletBalance":f8(s.wallet),
        "totalUnrealizedProfit":f8(s.unrealized),"totalMarginBalance":f8(s.wallet + s.unrealized),
        "totalPositionInitialMargin":f8(s.position_margin),"totalOpenOrderInitialMargin":f8(s.order_margin),
        "totalCrossWalletBalance":f8(s.wallet),"totalCrossUnPnl":f8(s.unrealized),"availableBalance":f8(s.available()),
        "maxWithdrawAmount":f8(s.available().max(Decimal::ZERO)),
        "assets":[{"asset":"USDT","walletBalance":f8(s.wallet),"unrealizedProfit":f8(s.unrealized),"marginBalance":f8(s.wallet + s.unrealized),
            "maintMargin":"0.00000000","initialMargin":margin,"positionInitialMargin":f8(s.position_margin),
            "openOrderInitialMargin":f8(s.order_margin),"crossWalletBalance":f8(s.wallet),"crossUnPnl":f8(s.unrealized),
            "availableBalance":f8(s.available()),"maxWithdrawAmount":f8(s.available().max(Decimal::ZERO)),"updateTime":acc.update_time}],
        "positions":positions}),
    )
}

fn leverage(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    let symbol = p.req("symbol")?.to_string();
    let lev = p
        .uint("leverage")?
        .ok_or_else(|| ApiError::mandatory("leverage"))?;
    if !(1..=125).contains(&lev) {
        return Err(ApiError::bad(-4028, format!("Leverage {lev} is not valid")));
    }
    c.venue
        .futures
        .set_leverage(account, &symbol, lev as u32)
        .map_err(|_| ApiError::bad_symbol())?;
    body(&json!({"leverage":lev,"maxNotionalValue":"1000000","symbol":symbol}))
}

fn listen_key_new(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    if let Some((k, _)) = c.venue.listen_keys.iter().find(|(_, a)| **a == account) {
        return body(&json!({"listenKey": k}));
    }
    let key: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(64)
        .map(char::from)
        .collect();
    c.venue.listen_keys.insert(key.clone(), account);
    body(&json!({"listenKey": key}))
}

fn listen_key_keep(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    match c.venue.listen_keys.iter().find(|(_, a)| **a == account) {
        Some((k, _)) => body(&json!({"listenKey": k})),
        None => Err(ApiError::bad(-1125, "This listenKey does not exist.")),
    }
}

fn listen_key_close(c: &mut Ctx<'_>, _: &Params) -> Result<String, ApiError> {
    let account = c.key()?.futures;
    c.venue.listen_keys.retain(|_, a| *a != account);
    Ok("{}".into())
}
