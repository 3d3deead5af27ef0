//! Private endpoints: accounts (cursor pagination), order entry and cancellation, historical
//! orders (single, filtered batch with cursor) and fills, portfolios, and positions (INTX
//! perpetuals from the perpetual market; the simulator lists no US-futures/CFM products, so
//! `/cfm/positions` is always empty).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::CbError;
use super::ids;
use super::orders;
use super::render::{self, money, num};
use super::rest::{Ctx, Req};
use super::state::{CbUser, OrderMeta};
use super::time::{parse_rfc3339_ms, rfc3339_us};
use crate::engine::{Exchange, Order};

const FIAT: [&str; 3] = ["USD", "EUR", "GBP"];

fn cursor_page<T>(
    items: Vec<T>,
    req: &Req,
    default: u64,
    max: u64,
) -> Result<(Vec<T>, bool, String), CbError> {
    let limit = req.num("limit")?.unwrap_or(default).clamp(1, max) as usize;
    let offset: usize = match req.q("cursor") {
        Some(c) => c.parse().map_err(|_| CbError::invalid("invalid cursor"))?,
        None => 0,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
    let next = offset + page.len();
    let more = next < total;
    Ok((
        page,
        more,
        if more {
            next.to_string()
        } else {
            String::new()
        },
    ))
}

fn account_json(
    user: &CbUser,
    currency: &str,
    free: Decimal,
    locked: Decimal,
    updated: u64,
) -> Value {
    json!({
        "uuid": ids::derived_uuid(&["account", &user.key_name, currency]),
        "name": format!("{currency} Wallet"), "currency": currency,
        "available_balance": money(free, currency), "default": false, "active": true,
        "created_at": "2023-01-01T00:00:00Z", "updated_at": rfc3339_us(updated),
        "deleted_at": null,
        "type": if FIAT.contains(&currency) { "ACCOUNT_TYPE_FIAT" } else { "ACCOUNT_TYPE_CRYPTO" },
        "ready": true, "hold": money(locked, currency), "retail_portfolio_id": user.portfolio,
    })
}

fn all_accounts(ctx: &Ctx<'_>, u: usize) -> Vec<Value> {
    let user = &ctx.cb.users[u];
    let Some(acc) = ctx.venue.spot.account(user.spot) else {
        return Vec::new();
    };
    acc.balances
        .iter()
        .map(|(c, b)| account_json(user, c, b.free, b.locked, acc.update_time.max(1)))
        .collect()
}

/// `GET /accounts?limit=&cursor=`.
pub fn accounts(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let (page, more, cursor) = cursor_page(all_accounts(ctx, u), req, 49, 250)?;
    Ok(json!({"accounts": page, "has_next": more, "cursor": cursor, "size": page.len()}))
}

/// `GET /accounts/{uuid}`.
pub fn account(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    all_accounts(ctx, u)
        .into_iter()
        .find(|a| a["uuid"] == req.param(0))
        .map(|a| json!({"account": a}))
        .ok_or_else(|| CbError::not_found("account not found"))
}

/// `POST /orders`.
pub fn create_order(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let body = req.json()?;
    orders::create(ctx.cb, ctx.venue, u, &body, ctx.now)
}

/// `POST /orders/batch_cancel`.
pub fn batch_cancel(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let body = req.json()?;
    orders::batch_cancel(ctx.venue, ctx.cb, u, &body, ctx.now)
}

fn engine_order(ex: &Exchange, account: usize, meta: &OrderMeta) -> Option<Order> {
    ex.all_orders(account, None)
        .into_iter()
        .find(|o| o.id == meta.engine_id)
}

fn user_orders(ctx: &Ctx<'_>, u: usize) -> Vec<(OrderMeta, Order)> {
    let user = &ctx.cb.users[u];
    let mut v: Vec<(OrderMeta, Order)> = Vec::new();
    for perp in [false, true] {
        let ex = ctx.venue.market(perp);
        let acc = user.spot_or_perp(perp);
        let by_id: std::collections::HashMap<u64, Order> = ex
            .all_orders(acc, None)
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        for m in ctx
            .venue
            .orders
            .values()
            .filter(|m| m.user == u && m.perp == perp)
        {
            if let Some(o) = by_id.get(&m.engine_id) {
                v.push((m.clone(), o.clone()));
            }
        }
    }
    v.sort_by_key(|x| std::cmp::Reverse((x.1.time, x.0.perp, x.1.id)));
    v
}

/// `GET /orders/historical/{order_id}`.
pub fn order(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let user = &ctx.cb.users[u];
    let meta = ctx
        .venue
        .orders
        .get(req.param(0))
        .filter(|m| m.user == u)
        .ok_or_else(CbError::order_not_found)?;
    let ex = ctx.venue.market(meta.perp);
    let o = engine_order(ex, user.spot_or_perp(meta.perp), meta)
        .ok_or_else(CbError::order_not_found)?;
    Ok(json!({"order": render::order(&o, meta, user, ex)}))
}

/// `GET /orders/historical/batch` with filters and cursor.
pub fn orders_batch(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let user = ctx.cb.users[u].clone();
    let order_ids = req.all("order_ids");
    let products = req.all("product_ids");
    let statuses = req.all("order_status");
    let types = req.all("order_types");
    let tifs = req.all("time_in_forces");
    let side = req.q("order_side");
    let ptype = req.q("product_type");
    let date = |n: &str| -> Result<Option<u64>, CbError> {
        req.q(n)
            .map(|t| parse_rfc3339_ms(t).ok_or_else(|| CbError::invalid(&format!("invalid {n}"))))
            .transpose()
    };
    let (start, end) = (date("start_date")?, date("end_date")?);
    if statuses.iter().any(|s| s == "OPEN") && statuses.len() > 1 {
        return Err(CbError::invalid(
            "OPEN is not allowed with other order statuses",
        ));
    }
    let rendered: Vec<Value> = user_orders(ctx, u)
        .into_iter()
        .filter(|(m, o)| {
            (order_ids.is_empty() || order_ids.contains(&m.order_id))
                && (products.is_empty() || products.contains(&o.symbol))
                && side.is_none_or(|s| s == o.side.as_str())
                && start.is_none_or(|t| o.time >= t)
                && end.is_none_or(|t| o.time <= t)
        })
        .map(|(m, o)| render::order(&o, &m, &user, ctx.venue.market(m.perp)))
        .filter(|v| {
            let has = |list: &Vec<String>, field: &str| {
                list.is_empty()
                    || v[field]
                        .as_str()
                        .is_some_and(|x| list.iter().any(|l| l == x))
            };
            has(&statuses, "status")
                && has(&types, "order_type")
                && has(&tifs, "time_in_force")
                && ptype.is_none_or(|t| v["product_type"] == t)
        })
        .collect();
    let offset: usize = req.q("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let (page, more, cursor) = cursor_page(rendered, req, 100, 1000)?;
    let page: Vec<Value> = page
        .into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            if let Some(m) = v.as_object_mut() {
                m.insert("cursor".into(), (offset + i + 1).to_string().into());
            }
            v
        })
        .collect();
    Ok(json!({"orders": page, "sequence": "0", "has_next": more, "cursor": cursor}))
}

/// `GET /orders/historical/fills` with filters and cursor, newest first.
pub fn fills(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let u = ctx.user()?;
    let user = &ctx.cb.users[u];
    let order_ids = req.all("order_ids");
    let products = req.all("product_ids");
    let ts = |n: &str| -> Result<Option<u64>, CbError> {
        req.q(n)
            .map(|t| parse_rfc3339_ms(t).ok_or_else(|| CbError::invalid(&format!("invalid {n}"))))
            .transpose()
    };
    let (start, end) = (
        ts("start_sequence_timestamp")?,
        ts("end_sequence_timestamp")?,
    );
    let mut all = Vec::new();
    for perp in [false, true] {
        let ex = ctx.venue.market(perp);
        let Some(acc) = ex.account(user.spot_or_perp(perp)) else {
            continue;
        };
        for f in &acc.fills {
            let Some(oid) = ctx.venue.by_engine.get(&(perp, f.order_id)) else {
                continue;
            };
            if (order_ids.is_empty() || order_ids.contains(oid))
                && (products.is_empty() || products.contains(&f.symbol))
                && start.is_none_or(|t| f.time >= t)
                && end.is_none_or(|t| f.time <= t)
            {
                let base = ex
                    .symbol(&f.symbol)
                    .map(|s| s.spec.base.clone())
                    .unwrap_or_default();
                all.push((f.time, perp, f.trade_id, f.clone(), oid.clone(), base));
            }
        }
    }
    all.sort_by_key(|x| std::cmp::Reverse((x.0, x.1, x.2)));
    let offset: usize = req.q("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let (page, _, cursor) = cursor_page(all, req, 100, 1000)?;
    let list: Vec<Value> = page
        .iter()
        .enumerate()
        .map(|(i, (_, _, _, f, oid, base))| render::fill(f, oid, user, base, offset + i + 1))
        .collect();
    Ok(json!({"fills": list, "cursor": cursor}))
}

/// `GET /portfolios`: the default (spot) and the INTX portfolio.
pub fn portfolios(ctx: &mut Ctx<'_>, _: &Req) -> Result<Value, CbError> {
    let user = &ctx.cb.users[ctx.user()?];
    Ok(json!({"portfolios": [
        {"name": "Default", "uuid": user.portfolio, "type": "DEFAULT", "deleted": false},
        {"name": "INTX", "uuid": user.intx_portfolio, "type": "INTX", "deleted": false},
    ]}))
}

/// `GET /cfm/positions`: no US-futures products are simulated, so none.
pub fn cfm_positions(ctx: &mut Ctx<'_>, _: &Req) -> Result<Value, CbError> {
    ctx.user()?;
    Ok(json!({"positions": []}))
}

/// `GET /cfm/positions/{product_id}`.
pub fn cfm_position(ctx: &mut Ctx<'_>, _: &Req) -> Result<Value, CbError> {
    ctx.user()?;
    Err(CbError::not_found("position not found"))
}

fn portfolio_summary(ctx: &Ctx<'_>, user: &CbUser) -> Value {
    let ex = &ctx.venue.perp;
    let (im, upnl) = ex.futures_exposure(user.perp);
    let (total, locked) = ex
        .account(user.perp)
        .and_then(|a| a.balances.get("USDC"))
        .map(|b| (b.free, b.locked))
        .unwrap_or_default();
    let notional: Decimal = ex
        .account(user.perp)
        .map(|a| {
            a.positions
                .iter()
                .map(|(s, p)| p.amount.abs() * ex.mark_price(s))
                .sum()
        })
        .unwrap_or_default();
    let buying = total - locked - im + upnl;
    json!({
        "portfolio_uuid": user.intx_portfolio, "collateral": num(total),
        "position_notional": num(notional), "open_position_notional": num(notional),
        "pending_fees": "0", "borrow": "0", "accrued_interest": "0", "rolling_debt": "0",
        "portfolio_initial_margin": num(im), "portfolio_im_notional": money(im, "USDC"),
        "portfolio_maintenance_margin": num(im / Decimal::TWO),
        "portfolio_mm_notional": money(im / Decimal::TWO, "USDC"),
        "liquidation_percentage": "0", "liquidation_buffer": num(buying),
        "margin_type": "MARGIN_TYPE_CROSS", "margin_flags": "PORTFOLIO_MARGIN_FLAGS_UNSPECIFIED",
        "liquidation_status": "PORTFOLIO_LIQUIDATION_STATUS_NOT_LIQUIDATING",
        "unrealized_pnl": money(upnl, "USDC"), "buying_power": money(buying, "USDC"),
        "total_balance": money(total + upnl, "USDC"), "max_withdrawal": money(buying.max(Decimal::ZERO), "USDC"),
    })
}

fn intx_list(ctx: &Ctx<'_>, user: &CbUser, symbol: Option<&str>) -> Vec<Value> {
    let ex = &ctx.venue.perp;
    let summary = portfolio_summary(ctx, user);
    let Some(acc) = ex.account(user.perp) else {
        return Vec::new();
    };
    acc.positions
        .iter()
        .filter(|(s, p)| !p.amount.is_zero() && symbol.is_none_or(|x| x == s.as_str()))
        .map(|(s, p)| {
            let mark = ex.mark_price(s);
            let notional = p.amount.abs() * mark;
            let im = notional / Decimal::from(p.leverage.max(1));
            json!({
                "product_id": ids::derived_uuid(&["product", s]), "product_uuid": ids::derived_uuid(&["product-uuid", s]),
                "symbol": s, "vwap": money(p.entry_price, "USDC"),
                "position_side": if p.amount.is_sign_negative() { "POSITION_SIDE_SHORT" } else { "POSITION_SIDE_LONG" },
                "net_size": num(p.amount.abs()), "buy_order_size": "0", "sell_order_size": "0",
                "im_contribution": num(Decimal::ONE / Decimal::from(p.leverage.max(1))),
                "unrealized_pnl": money(p.unrealized(mark), "USDC"), "mark_price": money(mark, "USDC"),
                "liquidation_price": money(Decimal::ZERO, "USDC"), "leverage": p.leverage.to_string(),
                "im_notional": money(im, "USDC"), "mm_notional": money(im / Decimal::TWO, "USDC"),
                "position_notional": money(notional, "USDC"), "margin_type": "MARGIN_TYPE_CROSS",
                "liquidation_buffer": "0", "liquidation_percentage": "0",
                "portfolio_summary": summary, "entry_vwap": money(p.entry_price, "USDC"),
            })
        })
        .collect()
}

fn intx_user<'a>(ctx: &'a Ctx<'_>, req: &Req) -> Result<&'a CbUser, CbError> {
    let user = &ctx.cb.users[ctx.user()?];
    if req.param(0) != user.intx_portfolio {
        return Err(CbError::not_found("portfolio not found"));
    }
    Ok(user)
}

/// `GET /intx/positions/{portfolio_uuid}`.
pub fn intx_positions(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let user = intx_user(ctx, req)?;
    Ok(
        json!({"positions": intx_list(ctx, user, None), "portfolio_summary": portfolio_summary(ctx, user)}),
    )
}

/// `GET /intx/positions/{portfolio_uuid}/{symbol}`.
pub fn intx_position(ctx: &mut Ctx<'_>, req: &Req) -> Result<Value, CbError> {
    let user = intx_user(ctx, req)?;
    intx_list(ctx, user, Some(req.param(1)))
        .pop()
        .map(|p| json!({"position": p}))
        .ok_or_else(|| CbError::not_found("position not found"))
}
