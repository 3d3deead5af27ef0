//! Payload shapes (pure): products, orders (REST and `user` channel), fills, accounts, books,
//! trades, candles and INTX positions, in Coinbase's field names with decimals and int64 as
//! JSON strings (proto3 JSON mapping), booleans as booleans.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::config::CoinbaseProduct;
use super::ids;
use super::state::{CbUser, OrderMeta};
use super::time::rfc3339_us;
use crate::engine::account::AccountFill;
use crate::engine::candles::{Candle, PublicTrade};
use crate::engine::{Exchange, Order, OrderStatus, OrderType, Side};

/// Decimal text without trailing zeros.
pub fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Decimal text, or `""` for zero (prices an order type does not have).
pub fn num_or_empty(d: Decimal) -> String {
    if d.is_zero() { String::new() } else { num(d) }
}

/// `{"value","currency"}`.
pub fn money(d: Decimal, currency: &str) -> Value {
    json!({"value": num(d), "currency": currency})
}

/// Rolling 24-hour statistics of a product: (open, high, low, volume, quote volume).
pub fn stats_24h(
    ex: &mut Exchange,
    product: &str,
    now: u64,
) -> (Decimal, Decimal, Decimal, Decimal, Decimal) {
    let Some(s) = ex.symbol_mut(product) else {
        return Default::default();
    };
    let last = s.tape.last_price();
    let mins = s.tape.candles(
        60_000,
        now,
        Some(now.saturating_sub(86_400_000)),
        None,
        usize::MAX,
    );
    let open = mins.first().map(|c| c.open).unwrap_or(last);
    mins.iter().fold(
        (open, last, last, Decimal::ZERO, Decimal::ZERO),
        |(o, h, l, v, q), c| {
            (
                o,
                h.max(c.high),
                l.min(c.low),
                v + c.volume,
                q + c.quote_volume,
            )
        },
    )
}

fn pct(from: Decimal, to: Decimal) -> String {
    if from.is_zero() {
        "0".into()
    } else {
        num(((to - from) / from * Decimal::ONE_HUNDRED).round_dp(8))
    }
}

/// A product as `GET /products/{id}` shows it.
pub fn product(p: &CoinbaseProduct, ex: &mut Exchange, now: u64) -> Value {
    let (open, _, _, volume, quote_volume) = stats_24h(ex, &p.product_id, now);
    let last = ex
        .symbol(&p.product_id)
        .map(|s| s.tape.last_price())
        .unwrap_or_default();
    let mid = ex.mark_price(&p.product_id);
    let (ptype, venue) = if p.is_perp() {
        ("FUTURE", "INTX")
    } else {
        ("SPOT", "CBE")
    };
    let first = json!({
        "product_id": p.product_id, "price": num(last),
        "price_percentage_change_24h": pct(open, last), "volume_24h": num(volume),
        "volume_percentage_change_24h": "0",
        "base_increment": num(p.base_increment), "quote_increment": num(p.quote_increment),
        "quote_min_size": num(p.quote_min_size), "quote_max_size": num(p.quote_max_size),
        "base_min_size": num(p.base_min_size), "base_max_size": num(p.base_max_size),
        "base_name": p.base_name, "quote_name": p.quote_name, "watched": false,
        "is_disabled": false, "new": false, "status": "online", "cancel_only": false,
        "limit_only": false, "post_only": false, "trading_disabled": false, "auction_mode": false,
    });
    let more = json!({
        "product_type": ptype, "quote_currency_id": p.quote, "base_currency_id": p.base,
        "fcm_trading_session_details": null, "mid_market_price": num(mid), "alias": "",
        "alias_to": [], "base_display_symbol": p.base, "quote_display_symbol": p.quote,
        "view_only": false, "price_increment": num(p.quote_increment),
        "display_name": p.product_id, "product_venue": venue,
        "approximate_quote_24h_volume": num(quote_volume.round_dp(2)),
        "new_at": "2023-01-01T00:00:00Z", "market_cap": "", "base_cbrn": "", "quote_cbrn": "",
        "product_cbrn": "", "icon_color": "", "icon_url": "", "display_name_overwrite": "",
        "is_alpha_testing": false, "about_description": "",
        "best_bid_price": "", "best_ask_price": "",
    });
    merge(first, more)
}

/// Both objects' fields in one object (json! has a recursion limit on long literals).
pub fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(m), Value::Object(extra)) = (a.as_object_mut(), b) {
        m.extend(extra);
    }
    a
}

/// Wire status of an order.
pub fn status(o: &Order, meta: &OrderMeta) -> &'static str {
    match o.status {
        OrderStatus::New | OrderStatus::PartiallyFilled => "OPEN",
        OrderStatus::Filled => "FILLED",
        OrderStatus::Canceled if meta.expired => "EXPIRED",
        OrderStatus::Canceled | OrderStatus::Expired => "CANCELLED",
        OrderStatus::Rejected => "FAILED",
    }
}

fn time_in_force(meta: &OrderMeta) -> &'static str {
    match meta.config_key.as_str() {
        k if k.ends_with("_gtd") => "GOOD_UNTIL_DATE_TIME",
        k if k.ends_with("_fok") => "FILL_OR_KILL",
        k if k.ends_with("_ioc") => "IMMEDIATE_OR_CANCEL",
        _ => "GOOD_UNTIL_CANCELLED",
    }
}

fn order_type(o: &Order) -> &'static str {
    match o.kind {
        OrderType::Market => "MARKET",
        OrderType::StopLossLimit | OrderType::TakeProfitLimit => "STOP_LIMIT",
        OrderType::Limit | OrderType::LimitMaker => "LIMIT",
    }
}

fn trigger_status(o: &Order) -> &'static str {
    match (o.kind.is_stop(), o.working_time) {
        (false, _) => "INVALID_ORDER_TYPE",
        (true, None) => "STOP_PENDING",
        (true, Some(_)) => "STOP_TRIGGERED",
    }
}

/// The fee of a fill in quote currency (the engine charges buyers in base).
pub fn fee_in_quote(f: &AccountFill, base: &str) -> Decimal {
    if f.commission_asset == base {
        f.commission * f.price
    } else {
        f.commission
    }
}

/// Aggregates over the fills of `o` that make up its executed quantity (so an event's
/// snapshot of the order counts only the fills before it): (count, fees in quote, last fill
/// time).
pub fn fill_totals(fills: &[AccountFill], o: &Order, base: &str) -> (usize, Decimal, Option<u64>) {
    let mut done = Decimal::ZERO;
    let mut out = (0, Decimal::ZERO, None);
    for f in fills
        .iter()
        .filter(|f| f.order_id == o.id && f.symbol == o.symbol)
    {
        if done >= o.executed {
            break;
        }
        done += f.qty;
        out = (out.0 + 1, out.1 + fee_in_quote(f, base), Some(f.time));
    }
    out
}

/// An order as `GET /orders/historical/{id}` shows it.
pub fn order(o: &Order, meta: &OrderMeta, user: &CbUser, ex: &Exchange) -> Value {
    let base = ex
        .symbol(&o.symbol)
        .map(|s| s.spec.base.clone())
        .unwrap_or_default();
    let fills = ex
        .account(o.account)
        .map(|a| a.fills.as_slice())
        .unwrap_or(&[]);
    let (n, fees, last_fill) = fill_totals(fills, o, &base);
    let total = if o.qty.is_zero() {
        Decimal::ZERO
    } else {
        o.executed / o.qty * Decimal::ONE_HUNDRED
    };
    let after_fees = match o.side {
        Side::Buy => o.cum_quote + fees,
        Side::Sell => o.cum_quote - fees,
    };
    let perp = meta.perp;
    json!({
        "order_id": meta.order_id, "product_id": o.symbol, "user_id": user.user_id,
        "order_configuration": meta.configuration, "side": o.side.as_str(),
        "client_order_id": meta.client_order_id, "status": status(o, meta),
        "time_in_force": time_in_force(meta), "created_time": rfc3339_us(o.time),
        "completion_percentage": format!("{:.2}", total.round_dp(2)),
        "filled_size": num(o.executed), "average_filled_price": num(o.avg_price()),
        "fee": "", "number_of_fills": n.to_string(), "filled_value": num(o.cum_quote),
        "pending_cancel": false, "size_in_quote": !o.quote_qty.is_zero(),
        "total_fees": num(fees), "size_inclusive_of_fees": false,
        "total_value_after_fees": num(after_fees), "trigger_status": trigger_status(o),
        "order_type": order_type(o), "reject_reason": "REJECT_REASON_UNSPECIFIED",
        "settled": !o.status.is_open(), "product_type": if perp { "FUTURE" } else { "SPOT" },
        "reject_message": "", "cancel_message": if o.status == OrderStatus::Canceled { "User requested cancel" } else { "" },
        "order_placement_source": "RETAIL_ADVANCED", "outstanding_hold_amount": num(o.locked),
        "is_liquidation": false, "last_fill_time": last_fill.map(rfc3339_us),
        "edit_history": [], "leverage": if perp { meta.leverage.clone() } else { String::new() },
        "margin_type": if perp { "CROSS" } else { "UNKNOWN_MARGIN_TYPE" },
    })
}

/// An order as the `user` channel shows it (SDK `misc_types.py` field names).
pub fn user_order(o: &Order, meta: &OrderMeta, ex: &Exchange) -> Value {
    let base = ex
        .symbol(&o.symbol)
        .map(|s| s.spec.base.clone())
        .unwrap_or_default();
    let fills = ex
        .account(o.account)
        .map(|a| a.fills.as_slice())
        .unwrap_or(&[]);
    let (n, fees, _) = fill_totals(fills, o, &base);
    let pct = if o.qty.is_zero() {
        Decimal::ZERO
    } else {
        o.executed / o.qty * Decimal::ONE_HUNDRED
    };
    let end = (!o.status.is_open()).then(|| rfc3339_us(o.update_time));
    json!({
        "order_id": meta.order_id, "client_order_id": meta.client_order_id,
        "status": status(o, meta), "product_id": o.symbol, "order_side": o.side.as_str(),
        "order_type": order_type(o), "time_in_force": time_in_force(meta),
        "limit_price": num_or_empty(o.price),
        "stop_price": num_or_empty(o.stop_price),
        "cumulative_quantity": num(o.executed), "leaves_quantity": num(o.remaining().max(Decimal::ZERO)),
        "avg_price": num(o.avg_price()), "total_fees": num(fees), "filled_value": num(o.cum_quote),
        "number_of_fills": n.to_string(), "completion_percentage": num(pct.round_dp(2)),
        "outstanding_hold_amount": num(o.locked), "post_only": meta.post_only,
        "cancel_reason": if o.status == OrderStatus::Canceled { "User requested cancel" } else { "" },
        "reject_reason": "", "creation_time": rfc3339_us(o.time),
        "end_time": end.unwrap_or_else(|| "0001-01-01T00:00:00Z".into()),
        "trigger_status": trigger_status(o), "product_type": if meta.perp { "FUTURE" } else { "SPOT" },
        "risk_managed_by": "UNKNOWN_RISK_MANAGEMENT_TYPE", "retail_portfolio_id": "",
    })
}

/// A fill as `GET /orders/historical/fills` shows it.
pub fn fill(f: &AccountFill, order_id: &str, user: &CbUser, base: &str, cursor: usize) -> Value {
    let time = rfc3339_us(f.time);
    json!({
        "entry_id": ids::entry_id(order_id, f.trade_id),
        "trade_id": ids::derived_uuid(&["trade", &f.symbol, &f.trade_id.to_string()]),
        "order_id": order_id, "trade_time": time, "trade_type": "FILL", "price": num(f.price),
        "size": num(f.qty), "commission": num(fee_in_quote(f, base)), "product_id": f.symbol,
        "sequence_timestamp": time,
        "liquidity_indicator": if f.is_maker { "MAKER" } else { "TAKER" },
        "size_in_quote": false, "user_id": user.user_id, "side": f.side,
        "cursor": cursor.to_string(),
    })
}

/// `[{price,size}]` levels.
pub fn levels(l: &[(Decimal, Decimal)]) -> Value {
    Value::Array(
        l.iter()
            .map(|(p, q)| json!({"price": num(*p), "size": num(*q)}))
            .collect(),
    )
}

/// A public trade of the REST ticker / `market_trades` (`side` is the taker's).
pub fn trade(product: &str, t: &PublicTrade) -> Value {
    json!({
        "trade_id": t.id.to_string(), "product_id": product, "price": num(t.price),
        "size": num(t.qty), "time": rfc3339_us(t.time),
        "side": if t.buyer_maker { "SELL" } else { "BUY" },
    })
}

/// A REST candle.
pub fn candle(c: &Candle) -> Value {
    json!({
        "start": (c.open_time / 1000).to_string(), "low": num(c.low), "high": num(c.high),
        "open": num(c.open), "close": num(c.close), "volume": num(c.volume),
    })
}
