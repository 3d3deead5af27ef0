//! Order entry and cancellation in Coinbase terms: `order_configuration` parsing and validation
//! (precision, sizes, post-only, stop direction, GTD end time), placement on the engine with the
//! order's metadata, `client_order_id` de-duplication, `batch_cancel`, and GTD expiry.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::error::{CbError, OrderFailure};
use super::ids;
use super::state::{CbVenue, CoinbaseShared, OrderMeta};
use super::time::parse_rfc3339_ms;
use crate::engine::{EngineError, NewOrder, OrderType, Side, SideEffect, TimeInForce};

/// A parsed `order_configuration`.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    key: String,
    kind: OrderType,
    tif: TimeInForce,
    base: Option<Decimal>,
    quote: Option<Decimal>,
    price: Option<Decimal>,
    stop: Option<Decimal>,
    end_ms: Option<u64>,
    post_only: bool,
    stop_direction: Option<String>,
    /// The configuration as given (historical orders show this).
    given: Value,
    /// The configuration as the create response echoes it (market IOC gains its flags).
    echo: Value,
}

fn dec_field(o: &Map<String, Value>, name: &str) -> Result<Option<Decimal>, CbError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .parse::<Decimal>()
            .map(Some)
            .map_err(|_| CbError::invalid(&format!("invalid value for {name}"))),
        Some(_) => Err(CbError::invalid(&format!("invalid value for {name}"))),
    }
}

fn parse_config(v: &Value, side: Side) -> Result<Result<Parsed, OrderFailure>, CbError> {
    let Some(obj) = v.as_object() else {
        return Err(CbError::invalid("order_configuration is required"));
    };
    let mut entries = obj.iter().filter(|(_, v)| !v.is_null());
    let (Some((key, params)), None) = (entries.next(), entries.next()) else {
        return Ok(Err(OrderFailure::UnsupportedConfiguration));
    };
    let Some(p) = params.as_object() else {
        return Err(CbError::invalid("invalid order_configuration"));
    };
    let given = json!({ key.clone(): params.clone() });
    let mut echo = p.clone();
    let base = dec_field(p, "base_size")?;
    let quote = dec_field(p, "quote_size")?;
    let price = dec_field(p, "limit_price")?;
    let stop = dec_field(p, "stop_price")?;
    let post_only = p.get("post_only").and_then(Value::as_bool).unwrap_or(false);
    let end_ms = match p.get("end_time").and_then(Value::as_str) {
        Some(t) => Some(parse_rfc3339_ms(t).ok_or_else(|| CbError::invalid("invalid end_time"))?),
        None => None,
    };
    let direction = p
        .get("stop_direction")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let need = |x: Option<Decimal>| x.is_some();
    let ok = match key.as_str() {
        "market_market_ioc" => {
            for flag in ["rfq_enabled", "rfq_disabled", "reduce_only"] {
                echo.entry(flag).or_insert(Value::Bool(false));
            }
            need(base) != need(quote)
        }
        "sor_limit_ioc" | "limit_limit_fok" => need(base) && need(price),
        "limit_limit_gtc" => need(base) && need(price),
        "limit_limit_gtd" => need(base) && need(price) && end_ms.is_some(),
        "stop_limit_stop_limit_gtc" => need(base) && need(price) && need(stop),
        "stop_limit_stop_limit_gtd" => need(base) && need(price) && need(stop) && end_ms.is_some(),
        _ => return Ok(Err(OrderFailure::UnsupportedConfiguration)),
    };
    if !ok {
        return Err(CbError::invalid(&format!("missing fields in {key}")));
    }
    let up = match direction.as_deref() {
        Some("STOP_DIRECTION_STOP_UP") => true,
        Some("STOP_DIRECTION_STOP_DOWN") => false,
        Some(_) => return Err(CbError::invalid("invalid stop_direction")),
        None => side == Side::Buy,
    };
    let kind = if key.starts_with("stop_limit") {
        match (up, side) {
            (true, Side::Buy) | (false, Side::Sell) => OrderType::StopLossLimit,
            _ => OrderType::TakeProfitLimit,
        }
    } else if key == "market_market_ioc" {
        OrderType::Market
    } else if post_only && key.starts_with("limit_limit_gt") {
        OrderType::LimitMaker
    } else {
        OrderType::Limit
    };
    let tif = match key.as_str() {
        "market_market_ioc" | "sor_limit_ioc" => TimeInForce::Ioc,
        "limit_limit_fok" => TimeInForce::Fok,
        _ => TimeInForce::Gtc,
    };
    Ok(Ok(Parsed {
        key: key.clone(),
        kind,
        tif,
        base,
        quote,
        price,
        stop,
        end_ms,
        post_only,
        stop_direction: key.starts_with("stop_limit").then(|| {
            if up {
                "STOP_DIRECTION_STOP_UP"
            } else {
                "STOP_DIRECTION_STOP_DOWN"
            }
            .to_string()
        }),
        given,
        echo: json!({ key.clone(): Value::Object(echo) }),
    }))
}

fn multiple(v: Decimal, step: Decimal) -> bool {
    step.is_zero() || (v % step).is_zero()
}

fn check_sizes(
    cb: &CoinbaseShared,
    product: &str,
    p: &Parsed,
    ref_price: Decimal,
) -> Result<(), OrderFailure> {
    let Some(spec) = cb.config.product(product) else {
        return Err(OrderFailure::ProductId);
    };
    for price in [p.price, p.stop].into_iter().flatten() {
        if price <= Decimal::ZERO || !multiple(price, spec.quote_increment) {
            return Err(OrderFailure::PricePrecision);
        }
    }
    if let Some(b) = p.base {
        if !multiple(b, spec.base_increment) {
            return Err(OrderFailure::SizePrecision);
        }
        if b < spec.base_min_size {
            return Err(OrderFailure::BaseTooSmall);
        }
        if b > spec.base_max_size {
            return Err(OrderFailure::BaseTooLarge);
        }
    }
    if let Some(q) = p.quote
        && (q <= Decimal::ZERO || !multiple(q, spec.quote_increment))
    {
        return Err(OrderFailure::SizePrecision);
    }
    let notional = match (p.quote, p.base) {
        (Some(q), _) => q,
        (None, Some(b)) => b
            .checked_mul(p.price.unwrap_or(ref_price))
            .unwrap_or(Decimal::MAX),
        _ => Decimal::ZERO,
    };
    if notional < spec.quote_min_size {
        return Err(OrderFailure::QuoteTooSmall);
    }
    Ok(())
}

fn engine_failure(e: &EngineError, p: &Parsed) -> OrderFailure {
    match e {
        EngineError::InsufficientBalance | EngineError::MarginInsufficient => {
            OrderFailure::InsufficientFund
        }
        EngineError::WouldTake => OrderFailure::PostOnly,
        EngineError::WouldTrigger
            if p.stop_direction.as_deref() == Some("STOP_DIRECTION_STOP_UP") =>
        {
            OrderFailure::StopBelowLast
        }
        EngineError::WouldTrigger => OrderFailure::StopAboveLast,
        EngineError::Filter(crate::engine::spec::FilterFailure::Price) => {
            OrderFailure::PricePrecision
        }
        EngineError::Filter(crate::engine::spec::FilterFailure::LotSize) => {
            OrderFailure::SizePrecision
        }
        EngineError::Filter(crate::engine::spec::FilterFailure::Notional) => {
            OrderFailure::QuoteTooSmall
        }
        EngineError::InsufficientLiquidity => OrderFailure::NoLiquidity,
        EngineError::UnknownSymbol => OrderFailure::ProductId,
        _ => OrderFailure::UnsupportedConfiguration,
    }
}

fn success(meta: &OrderMeta, product: &str, side: &str, echo: &Value) -> Value {
    json!({
        "success": true,
        "failure_reason": "UNKNOWN_FAILURE_REASON",
        "order_id": meta.order_id,
        "success_response": {
            "order_id": meta.order_id, "product_id": product, "side": side,
            "client_order_id": meta.client_order_id,
        },
        "order_configuration": echo,
    })
}

/// `POST /orders`: HTTP 200 with `success:true` or `success:false` + `error_response`; 400 for
/// a body that is not a create-order request.
pub fn create(
    cb: &CoinbaseShared,
    venue: &mut CbVenue,
    user: usize,
    body: &Value,
    now: u64,
) -> Result<Value, CbError> {
    let s = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
    let product = s("product_id");
    let side = match s("side") {
        "BUY" => Side::Buy,
        "SELL" => Side::Sell,
        _ => return Err(CbError::invalid("side must be BUY or SELL")),
    };
    let config = body
        .get("order_configuration")
        .cloned()
        .unwrap_or(Value::Null);
    let parsed = match parse_config(&config, side)? {
        Ok(p) => p,
        Err(f) => return Ok(f.body(&config)),
    };
    let client_order_id = match s("client_order_id") {
        "" => ids::derived_uuid(&["client", &now.to_string(), &venue.orders.len().to_string()]),
        c => c.to_string(),
    };
    if let Some(existing) = venue
        .orders
        .values()
        .find(|m| m.user == user && m.client_order_id == client_order_id)
    {
        let product = venue
            .market(existing.perp)
            .all_orders(cb.users[user].spot_or_perp(existing.perp), None)
            .into_iter()
            .find(|o| o.id == existing.engine_id)
            .map(|o| (o.symbol, o.side.as_str()));
        if let Some((p, sd)) = product {
            return Ok(success(existing, &p, sd, &existing.configuration));
        }
    }
    let Some(perp) = cb.is_perp(product) else {
        return Ok(OrderFailure::ProductId.body(&parsed.echo));
    };
    let ref_price = venue.market(perp).mark_price(product);
    if let Err(f) = check_sizes(cb, product, &parsed, ref_price) {
        return Ok(f.body(&parsed.echo));
    }
    if parsed.end_ms.is_some_and(|e| e <= now) {
        return Ok(OrderFailure::EndTime.body(&parsed.echo));
    }
    let account = cb.users[user].spot_or_perp(perp);
    let leverage = s("leverage").parse::<u32>().unwrap_or(1).max(1);
    let ex = venue.market_mut(perp);
    if perp {
        let _ = ex.set_leverage(account, product, leverage);
    }
    let req = NewOrder {
        account,
        symbol: product.to_string(),
        side,
        kind: parsed.kind,
        tif: parsed.tif,
        price: if parsed.kind == OrderType::Market {
            None
        } else {
            parsed.price
        },
        qty: parsed.base,
        quote_qty: parsed.quote,
        stop_price: parsed.stop,
        client_id: Some(client_order_id.clone()),
        reduce_only: false,
        side_effect: SideEffect::None,
    };
    let order = match ex.place(req, now) {
        Ok(o) => o,
        Err(e) => return Ok(engine_failure(&e, &parsed).body(&parsed.echo)),
    };
    let meta = OrderMeta {
        order_id: ids::order_uuid(perp, order.id),
        client_order_id,
        perp,
        engine_id: order.id,
        user,
        configuration: parsed.given.clone(),
        config_key: parsed.key.clone(),
        end_ms: parsed.end_ms,
        expired: false,
        post_only: parsed.post_only,
        stop_direction: parsed.stop_direction.clone(),
        leverage: if perp {
            leverage.to_string()
        } else {
            String::new()
        },
    };
    venue
        .by_engine
        .insert((perp, order.id), meta.order_id.clone());
    let body = success(&meta, product, side.as_str(), &parsed.echo);
    venue.orders.insert(meta.order_id.clone(), meta);
    Ok(body)
}

/// `POST /orders/batch_cancel`.
pub fn batch_cancel(
    venue: &mut CbVenue,
    cb: &CoinbaseShared,
    user: usize,
    body: &Value,
    now: u64,
) -> Result<Value, CbError> {
    let Some(ids) = body.get("order_ids").and_then(Value::as_array) else {
        return Err(CbError::invalid("order_ids is required"));
    };
    if ids.len() > 100 {
        return Err(CbError::invalid("too many order_ids (max 100)"));
    }
    let mut results = Vec::new();
    for id in ids {
        let id = id.as_str().unwrap_or("").to_string();
        let reason = cancel_one(venue, cb, user, &id, now);
        results.push(json!({
            "success": reason.is_none(),
            "failure_reason": reason.unwrap_or("UNKNOWN_CANCEL_FAILURE_REASON"),
            "order_id": id,
        }));
    }
    Ok(json!({ "results": results }))
}

fn cancel_one(
    venue: &mut CbVenue,
    cb: &CoinbaseShared,
    user: usize,
    id: &str,
    now: u64,
) -> Option<&'static str> {
    let Some(meta) = venue.orders.get(id).filter(|m| m.user == user).cloned() else {
        return Some("UNKNOWN_CANCEL_ORDER");
    };
    let account = cb.users[user].spot_or_perp(meta.perp);
    let ex = venue.market_mut(meta.perp);
    let Some(order) = ex
        .all_orders(account, None)
        .into_iter()
        .find(|o| o.id == meta.engine_id)
    else {
        return Some("UNKNOWN_CANCEL_ORDER");
    };
    if !order.status.is_open() {
        return Some(match order.status {
            crate::engine::OrderStatus::Canceled => "DUPLICATE_CANCEL_REQUEST",
            _ => "INVALID_CANCEL_REQUEST",
        });
    }
    match ex.cancel(account, &order.symbol, Some(order.id), None, now) {
        Ok(_) => None,
        Err(_) => Some("COMMANDER_REJECTED_CANCEL_ORDER"),
    }
}

/// Cancels open GTD orders whose end time passed; they show `EXPIRED`.
pub fn expire_gtd(venue: &mut CbVenue, cb: &CoinbaseShared, now: u64) {
    let due: Vec<String> = venue
        .orders
        .values()
        .filter(|m| !m.expired && m.end_ms.is_some_and(|e| e <= now))
        .map(|m| m.order_id.clone())
        .collect();
    for id in due {
        let Some(meta) = venue.orders.get(&id).cloned() else {
            continue;
        };
        let open = venue
            .market(meta.perp)
            .all_orders(cb.users[meta.user].spot_or_perp(meta.perp), None)
            .into_iter()
            .any(|o| o.id == meta.engine_id && o.status.is_open());
        if let Some(m) = venue.orders.get_mut(&id) {
            m.expired = true;
        }
        if open {
            let _ = cancel_one(venue, cb, meta.user, &id, now);
        }
    }
}
