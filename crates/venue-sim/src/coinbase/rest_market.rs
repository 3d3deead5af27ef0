//! Market-data endpoints (public under `/market/...`, also served authenticated): server time,
//! products, candles, market trades, product book and best bid/ask.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::CbError;
use super::render::{self, num};
use super::rest::{Ctx, Req};
use super::time::rfc3339_us;

/// Seconds of a candle granularity enum.
pub fn granularity_s(g: &str) -> Option<u64> {
    Some(match g {
        "ONE_MINUTE" => 60,
        "FIVE_MINUTE" => 300,
        "FIFTEEN_MINUTE" => 900,
        "THIRTY_MINUTE" => 1800,
        "ONE_HOUR" => 3600,
        "TWO_HOUR" => 7200,
        "SIX_HOUR" => 21_600,
        "ONE_DAY" => 86_400,
        _ => return None,
    })
}

/// `GET /time`.
pub fn time(ctx: &mut Ctx<'_>, _: &Req) -> Result<Value, CbError> {
    Ok(json!({
        "iso": rfc3339_us(ctx.now), "epochSeconds": (ctx.now / 1000).to_string(),
        "epochMillis": ctx.now.to_string(),
    }))
}

fn product_perp(ctx: &Ctx<'_>, id: &str) -> Result<bool, CbError> {
    if id.is_empty() {
        return Err(CbError::invalid("valid product_id is required"));
    }
    ctx.cb
        .is_perp(id)
        .ok_or_else(|| CbError::not_found("product not found"))
}

/// `GET /products` and `/market/products`.
pub fn products(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let ids = req.all("product_ids");
    let ptype = req.q("product_type");
    if ptype.is_some_and(|t| !matches!(t, "SPOT" | "FUTURE" | "UNKNOWN_PRODUCT_TYPE")) {
        return Err(CbError::invalid("invalid product_type"));
    }
    let offset = req.num("offset")?.unwrap_or(0) as usize;
    let limit = req.num("limit")?.map_or(usize::MAX, |l| l as usize);
    let cb = ctx.cb;
    let list: Vec<Value> = cb
        .config
        .all_products()
        .filter(|p| ids.is_empty() || ids.contains(&p.product_id))
        .filter(|p| match ptype {
            Some("SPOT") => !p.is_perp(),
            Some("FUTURE") => p.is_perp(),
            _ => true,
        })
        .skip(offset)
        .take(limit)
        .map(|p| render::product(p, ctx.venue.market_mut(p.is_perp()), ctx.now))
        .collect();
    Ok(json!({"products": list, "num_products": list.len()}))
}

/// `GET /products/{id}`.
pub fn product(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let id = req.param(0);
    let perp = product_perp(ctx, id)?;
    let p = ctx
        .cb
        .config
        .product(id)
        .ok_or_else(|| CbError::not_found("product not found"))?;
    Ok(render::product(p, ctx.venue.market_mut(perp), ctx.now))
}

/// `GET /products/{id}/candles`: newest first; at most `max_candles` per request.
pub fn candles(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let id = req.param(0);
    let perp = product_perp(ctx, id)?;
    let g = req
        .q("granularity")
        .ok_or_else(|| CbError::invalid("granularity is required"))?;
    let len = granularity_s(g).ok_or_else(|| CbError::invalid("invalid granularity"))?;
    let max = ctx.cb.config.max_candles as u64;
    let too_many = || {
        CbError::invalid(&format!(
            "number of candles requested should be less than {max}"
        ))
    };
    let limit = req.num("limit")?.unwrap_or(max);
    if limit > max {
        return Err(too_many());
    }
    let now_s = ctx.now / 1000;
    let end = req.num("end")?.unwrap_or(now_s);
    let start = req
        .num("start")?
        .unwrap_or(end.saturating_sub(len * limit.max(1)));
    if start > end {
        return Err(CbError::invalid("start must be before end"));
    }
    if (end - start) / len > max {
        return Err(too_many());
    }
    let Some(state) = ctx.venue.market_mut(perp).symbol_mut(id) else {
        return Err(CbError::not_found("product not found"));
    };
    let mut list = state.tape.candles(
        len * 1000,
        ctx.now,
        Some(start.saturating_mul(1000)),
        Some(end.saturating_mul(1000)),
        limit as usize,
    );
    list.reverse();
    Ok(json!({"candles": list.iter().map(render::candle).collect::<Vec<_>>()}))
}

/// `GET /products/{id}/ticker`: recent trades newest first, with best bid and ask.
pub fn market_trades(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let id = req.param(0);
    let perp = product_perp(ctx, id)?;
    let limit = req.num("limit")?.unwrap_or(100).min(1000) as usize;
    let start = req.num("start")?.map(|s| s.saturating_mul(1000));
    let end = req.num("end")?.map(|s| s.saturating_mul(1000));
    let Some(s) = ctx.venue.market(perp).symbol(id) else {
        return Err(CbError::not_found("product not found"));
    };
    let trades: Vec<Value> = s
        .tape
        .recent(1000)
        .iter()
        .rev()
        .filter(|t| start.is_none_or(|x| t.time >= x) && end.is_none_or(|x| t.time <= x))
        .take(limit)
        .map(|t| {
            let mut v = render::trade(id, t);
            if let Some(m) = v.as_object_mut() {
                m.insert("bid".into(), "".into());
                m.insert("ask".into(), "".into());
                m.insert("exchange".into(), "coinbase".into());
            }
            v
        })
        .collect();
    let bid = s.book.best_bid().map(|b| num(b.0)).unwrap_or_default();
    let ask = s.book.best_ask().map(|a| num(a.0)).unwrap_or_default();
    Ok(json!({"trades": trades, "best_bid": bid, "best_ask": ask}))
}

fn pricebook(ctx: &Ctx<'_>, id: &str, perp: bool, limit: usize) -> Value {
    let (bids, asks) = ctx
        .venue
        .market(perp)
        .symbol(id)
        .map(|s| s.book.levels(limit))
        .unwrap_or_default();
    json!({"product_id": id, "bids": render::levels(&bids), "asks": render::levels(&asks), "time": rfc3339_us(ctx.now)})
}

/// `GET /product_book?product_id=&limit=` (whole book without `limit`).
pub fn product_book(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let id = req.q("product_id").unwrap_or("");
    let perp = product_perp(ctx, id)?;
    let limit = req.num("limit")?.map_or(usize::MAX, |l| l as usize);
    let Some(s) = ctx.venue.market(perp).symbol(id) else {
        return Err(CbError::not_found("product not found"));
    };
    let (bid, ask) = (s.book.best_bid(), s.book.best_ask());
    let last = s.tape.last_price();
    let (mid, spread, bps) = match (bid, ask) {
        (Some((b, _)), Some((a, _))) => {
            let mid = (a + b) / Decimal::TWO;
            let bps = (a - b) / mid * Decimal::from(10_000);
            (num(mid), num(a - b), num(bps.round_dp(12)))
        }
        _ => (String::new(), String::new(), String::new()),
    };
    Ok(json!({
        "pricebook": pricebook(ctx, id, perp, limit), "last": num(last), "mid_market": mid,
        "spread_bps": bps, "spread_absolute": spread,
    }))
}

/// `GET /best_bid_ask?product_ids=` (every product without `product_ids`).
pub fn best_bid_ask(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let mut ids = req.all("product_ids");
    if ids.is_empty() {
        ids = ctx
            .cb
            .config
            .all_products()
            .map(|p| p.product_id.clone())
            .collect();
    }
    let mut books = Vec::new();
    for id in &ids {
        let perp = product_perp(ctx, id)?;
        books.push(pricebook(ctx, id, perp, 1));
    }
    Ok(json!({"pricebooks": books}))
}
