//! `executions` entries of the v2 auth channel: the full order (`pending_new`, snapshots), the
//! partial updates that follow (`new`, `trade`, `filled`, `canceled`, `expired`), and fills of
//! the trades snapshot. Numbers keep the pair's precision.

use rust_decimal::Decimal;

use super::json::{Obj, fixed};
use super::orders::side_str;
use super::pairs::KrakenPair;
use super::state::OrderMeta;
use super::time::{rfc3339_ms, rfc3339_us};
use crate::engine::{
    AccountFill, ExecType, Order, OrderStatus, OrderType, OrderUpdate, TimeInForce,
};

fn order_status(o: &Order) -> &'static str {
    match o.status {
        OrderStatus::New => "new",
        OrderStatus::PartiallyFilled => "partially_filled",
        OrderStatus::Filled => "filled",
        OrderStatus::Canceled => "canceled",
        OrderStatus::Expired | OrderStatus::Rejected => "expired",
    }
}

fn order_type(o: &Order, meta: Option<&OrderMeta>) -> String {
    match meta {
        Some(m) => m.ordertype.clone(),
        None => match o.kind {
            OrderType::Market => "market".into(),
            OrderType::StopLossLimit => "stop-loss-limit".into(),
            OrderType::TakeProfitLimit => "take-profit-limit".into(),
            _ => "limit".into(),
        },
    }
}

fn base(o: &Order, meta: Option<&OrderMeta>, time_us: u64) -> Obj {
    let mut b = Obj::new().str(
        "order_id",
        &meta
            .map(|m| m.txid.clone())
            .unwrap_or_else(|| super::ids::order_txid(o.id)),
    );
    if let Some(c) = meta.and_then(|m| m.cl_ord_id.as_deref()) {
        b = b.str("cl_ord_id", c);
    }
    b.int("order_userref", meta.map(|m| m.userref).unwrap_or(0))
        .str("timestamp", &rfc3339_us(time_us))
}

/// A full order entry (`pending_new`, and the `executions` snapshot of open orders).
pub fn order_entry(
    p: &KrakenPair,
    o: &Order,
    meta: Option<&OrderMeta>,
    exec_type: &str,
    status: &str,
    time_us: u64,
) -> String {
    let (pd, ld) = (p.pair_decimals, p.lot_decimals);
    let mut e = base(o, meta, time_us)
        .str("symbol", &p.symbol)
        .num("order_qty", &fixed(o.qty, ld))
        .num("cum_qty", &fixed(o.executed, ld))
        .num("cum_cost", &fixed(o.cum_quote, p.cost_decimals))
        .str(
            "time_in_force",
            if o.tif == TimeInForce::Ioc {
                "IOC"
            } else {
                "GTC"
            },
        )
        .str("exec_type", exec_type)
        .str("side", side_str(o.side))
        .str("order_type", &order_type(o, meta));
    if o.kind != OrderType::Market {
        e = e
            .str("limit_price_type", "static")
            .num("limit_price", &fixed(o.price, pd));
    }
    e.num("stop_price", &fixed(o.stop_price, pd))
        .bool("post_only", o.kind == OrderType::LimitMaker)
        .str("order_status", status)
        .num("fee_usd_equiv", "0.00000")
        .str("fee_ccy_pref", "fciq")
        .finish()
}

/// The `executions` entries of one engine order update, in order.
pub fn order_update_entries(
    p: &KrakenPair,
    u: &OrderUpdate,
    meta: Option<&OrderMeta>,
    fee_quote: Decimal,
    time_us: u64,
) -> Vec<String> {
    let o = &u.order;
    let (pd, ld, cd) = (p.pair_decimals, p.lot_decimals, p.cost_decimals);
    let totals = |b: Obj| {
        b.num("cum_qty", &fixed(o.executed, ld))
            .num("cum_cost", &fixed(o.cum_quote, cd))
            .num("avg_price", &fixed(o.avg_price(), pd))
    };
    match u.exec {
        ExecType::New => vec![
            order_entry(p, o, meta, "pending_new", "pending_new", time_us),
            base(o, meta, time_us)
                .str("order_status", "new")
                .str("exec_type", "new")
                .bool("post_only", o.kind == OrderType::LimitMaker)
                .finish(),
        ],
        ExecType::Trade => {
            let mut v = vec![
                totals(
                    base(o, meta, time_us)
                        .str(
                            "exec_id",
                            &super::ids::exec_id(o.id, u.trade_id.max(0) as u64),
                        )
                        .str("exec_type", "trade")
                        .int("trade_id", u.trade_id)
                        .str("symbol", &p.symbol)
                        .str("side", side_str(o.side))
                        .num("last_qty", &fixed(u.last_qty, ld))
                        .num("last_price", &fixed(u.last_price, pd))
                        .str("liquidity_ind", if u.is_maker { "m" } else { "t" })
                        .num("cost", &fixed(u.last_qty * u.last_price, cd))
                        .str("order_status", order_status(o))
                        .str("order_type", &order_type(o, meta))
                        .num("fee_usd_equiv", &fixed(fee_quote, cd))
                        .raw(
                            "fees",
                            &format!(
                                "[{}]",
                                Obj::new()
                                    .str("asset", p.quote_v2())
                                    .num("qty", &fixed(fee_quote, cd))
                                    .finish()
                            ),
                        ),
                )
                .finish(),
            ];
            if o.status == OrderStatus::Filled {
                v.push(
                    totals(
                        base(o, meta, time_us)
                            .str("order_status", "filled")
                            .str("exec_type", "filled"),
                    )
                    .finish(),
                );
            }
            v
        }
        ExecType::Canceled | ExecType::Expired => {
            let (exec, reason) = if u.exec == ExecType::Canceled {
                ("canceled", "User requested")
            } else {
                ("expired", "Unfilled remainder")
            };
            vec![
                totals(
                    base(o, meta, time_us)
                        .str("order_status", order_status(o))
                        .str("exec_type", exec),
                )
                .num("fee_usd_equiv", "0.00000")
                .bool("post_only", o.kind == OrderType::LimitMaker)
                .str("cancel_reason", reason)
                .str("reason", reason)
                .finish(),
            ]
        }
    }
}

/// A fill entry of the `executions` trade snapshot.
pub fn fill_entry(
    p: &KrakenPair,
    f: &AccountFill,
    o: Option<&Order>,
    meta: Option<&OrderMeta>,
    fee_quote: Decimal,
) -> String {
    let (pd, ld, cd) = (p.pair_decimals, p.lot_decimals, p.cost_decimals);
    Obj::new()
        .str("order_id", &super::ids::order_txid(f.order_id))
        .int("order_userref", meta.map(|m| m.userref).unwrap_or(0))
        .str("exec_id", &super::ids::exec_id(f.order_id, f.trade_id))
        .str("exec_type", "trade")
        .int("trade_id", f.trade_id)
        .str("symbol", &p.symbol)
        .str("side", if f.side == "BUY" { "buy" } else { "sell" })
        .num("last_qty", &fixed(f.qty, ld))
        .num("last_price", &fixed(f.price, pd))
        .str("liquidity_ind", if f.is_maker { "m" } else { "t" })
        .num("cost", &fixed(f.quote_qty, cd))
        .str("order_status", o.map(order_status).unwrap_or("filled"))
        .str(
            "order_type",
            &o.map(|o| order_type(o, meta))
                .unwrap_or_else(|| "limit".into()),
        )
        .str("timestamp", &rfc3339_ms(f.time))
        .num("fee_usd_equiv", &fixed(fee_quote, cd))
        .raw(
            "fees",
            &format!(
                "[{}]",
                Obj::new()
                    .str("asset", p.quote_v2())
                    .num("qty", &fixed(fee_quote, cd))
                    .finish()
            ),
        )
        .finish()
}
