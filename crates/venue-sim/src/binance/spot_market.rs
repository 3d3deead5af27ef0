//! Spot (and shared futures) public market data: exchangeInfo, depth, trades, klines, tickers.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::ApiError;
use super::params::Params;
use super::render;
use super::spot_rest::{body, spec_of};
use super::wire::f8;
use crate::engine::candles::interval_ms;
use crate::engine::{Exchange, MarketKind};
use crate::server::http::Ctx;

pub(super) fn depth_weight(p: &Params) -> u64 {
    match p.uint("limit").ok().flatten().unwrap_or(100) {
        0..=100 => 5,
        101..=500 => 25,
        501..=1000 => 50,
        _ => 250,
    }
}

pub(super) fn ticker_weight(p: &Params) -> u64 {
    if p.has("symbol") { 2 } else { 4 }
}

fn rate_limits(c: &Ctx<'_>) -> Value {
    let l = c.shared.config.limits;
    json!([
        {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":l.weight_per_minute},
        {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":l.orders_per_10s},
        {"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":l.orders_per_day},
        {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000}
    ])
}

/// Symbols selected by `symbol` or `symbols=["A","B"]`; `-1121` for an unknown one.
pub fn selected(ex: &Exchange, p: &Params) -> Result<Vec<String>, ApiError> {
    if let Some(s) = p.get("symbol") {
        spec_of(ex, s)?;
        return Ok(vec![s.to_string()]);
    }
    if let Some(list) = p.get("symbols") {
        let names: Vec<String> =
            serde_json::from_str(list).map_err(|_| ApiError::illegal_chars("symbols"))?;
        for n in &names {
            spec_of(ex, n)?;
        }
        return Ok(names);
    }
    Ok(ex.symbol_names())
}

pub(super) fn exchange_info(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let ex = &c.venue.spot;
    let symbols: Vec<Value> = selected(ex, p)?
        .iter()
        .filter_map(|n| ex.symbol(n))
        .map(|s| {
            let sp = &s.spec;
            json!({"symbol":sp.symbol,"status":"TRADING","baseAsset":sp.base,"baseAssetPrecision":8,"quoteAsset":sp.quote,
                "quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,
                "orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS_LIMIT","TAKE_PROFIT_LIMIT"],
                "icebergAllowed":false,"ocoAllowed":false,"otoAllowed":false,"quoteOrderQtyMarketAllowed":true,
                "allowTrailingStop":false,"cancelReplaceAllowed":false,"amendAllowed":false,"pegInstructionsAllowed":false,
                "isSpotTradingAllowed":true,"isMarginTradingAllowed":true,
                "filters":[
                    {"filterType":"PRICE_FILTER","minPrice":f8(sp.min_price),"maxPrice":f8(sp.max_price),"tickSize":f8(sp.tick_size)},
                    {"filterType":"LOT_SIZE","minQty":f8(sp.min_qty),"maxQty":f8(sp.max_qty),"stepSize":f8(sp.step_size)},
                    {"filterType":"NOTIONAL","minNotional":f8(sp.min_notional),"applyMinToMarket":true,
                     "maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}
                ],
                "permissions":[],"permissionSets":[["SPOT","MARGIN"]],
                "defaultSelfTradePreventionMode":"NONE","allowedSelfTradePreventionModes":["NONE"]})
        })
        .collect();
    body(
        &json!({"timezone":"UTC","serverTime":c.now,"rateLimits":rate_limits(c),"exchangeFilters":[],"symbols":symbols}),
    )
}

/// `GET depth` for either market.
pub fn depth(ex: &Exchange, p: &Params) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    let spec = spec_of(ex, symbol)?;
    let limit = p.uint("limit")?.unwrap_or(100).clamp(1, 5000) as usize;
    let Some(state) = ex.symbol(symbol) else {
        return Err(ApiError::bad_symbol());
    };
    let (bids, asks) = state.book.levels(limit);
    let (pd, qd) = render::precision(ex.kind(), spec);
    let lv = |l: Vec<(Decimal, Decimal)>| {
        l.into_iter()
            .map(|(p, q)| super::wire::level(p, q, pd, qd))
            .collect::<Vec<_>>()
    };
    let id = state.book.update_id();
    match ex.kind() {
        MarketKind::Spot => body(&json!({"lastUpdateId": id, "bids": lv(bids), "asks": lv(asks)})),
        MarketKind::Futures => {
            let now = crate::server::state::wall_ms();
            body(
                &json!({"lastUpdateId": id, "E": now, "T": now, "bids": lv(bids), "asks": lv(asks)}),
            )
        }
    }
}

pub(super) fn trades(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let limit = p.uint("limit")?.unwrap_or(500).clamp(1, 1000) as usize;
    let list: Vec<Value> = c.venue.spot.symbol(symbol).map(|s| s.tape.recent(limit)).unwrap_or_default()
        .iter()
        .map(|t| json!({"id":t.id,"price":f8(t.price),"qty":f8(t.qty),"quoteQty":f8(t.price * t.qty),"time":t.time,
            "isBuyerMaker":t.buyer_maker,"isBestMatch":true}))
        .collect();
    body(&list)
}

pub(super) fn agg_trades(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?;
    spec_of(&c.venue.spot, symbol)?;
    let limit = p.uint("limit")?.unwrap_or(500).clamp(1, 1000) as usize;
    let list: Vec<Value> = c.venue.spot.symbol(symbol).map(|s| s.tape.recent(limit)).unwrap_or_default()
        .iter()
        .map(|t| json!({"a":t.id,"p":f8(t.price),"q":f8(t.qty),"f":t.id,"l":t.id,"T":t.time,"m":t.buyer_maker,"M":true}))
        .collect();
    body(&list)
}

/// `GET klines` for either market.
pub fn klines(ex: &mut Exchange, p: &Params, now: u64) -> Result<String, ApiError> {
    let symbol = p.req("symbol")?.to_string();
    let interval = p.req("interval")?.to_string();
    let kind = ex.kind();
    let spec = spec_of(ex, &symbol)?.clone();
    let len = interval_ms(&interval).ok_or_else(|| ApiError::bad(-1120, "Invalid interval."))?;
    let limit = p.uint("limit")?.unwrap_or(500).clamp(1, 1500) as usize;
    let (start, end) = (p.uint("startTime")?, p.uint("endTime")?);
    let Some(state) = ex.symbol_mut(&symbol) else {
        return Err(ApiError::bad_symbol());
    };
    let rows: Vec<Value> = state
        .tape
        .candles(len, now, start, end, limit)
        .iter()
        .map(|c| render::kline_row(kind, &spec, c))
        .collect();
    body(&rows)
}

/// `GET ticker/bookTicker` for either market.
pub fn book_ticker(ex: &Exchange, p: &Params) -> Result<String, ApiError> {
    let names = selected(ex, p)?;
    let rows: Vec<Value> = names
        .iter()
        .filter_map(|n| ex.symbol(n))
        .map(|s| {
            let (pd, qd) = render::precision(ex.kind(), &s.spec);
            let b = s.book.best_bid().unwrap_or_default();
            let a = s.book.best_ask().unwrap_or_default();
            let mut v = json!({"symbol":s.spec.symbol,"bidPrice":super::wire::fmt(b.0, pd),"bidQty":super::wire::fmt(b.1, qd),
                "askPrice":super::wire::fmt(a.0, pd),"askQty":super::wire::fmt(a.1, qd)});
            if ex.kind() == MarketKind::Futures {
                v["time"] = json!(crate::server::state::wall_ms());
            }
            v
        })
        .collect();
    if p.has("symbol") {
        rows.first()
            .map_or_else(|| Err(ApiError::bad_symbol()), body)
    } else {
        body(&rows)
    }
}

pub(super) fn price_ticker(c: &mut Ctx<'_>, p: &Params) -> Result<String, ApiError> {
    let ex = &c.venue.spot;
    let rows: Vec<Value> = selected(ex, p)?
        .iter()
        .filter_map(|n| ex.symbol(n))
        .map(|s| json!({"symbol":s.spec.symbol,"price":f8(s.tape.last_price())}))
        .collect();
    if p.has("symbol") {
        rows.first()
            .map_or_else(|| Err(ApiError::bad_symbol()), body)
    } else {
        body(&rows)
    }
}
