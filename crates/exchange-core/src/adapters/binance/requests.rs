//! Request parameters: our normalized requests → Binance's (rest-api.md "New order", §2; USD-M
//! `POST /fapi/v1/order`, §8).
//!
//! Order mapping:
//! - limit → `LIMIT` + `timeInForce`; post-only limit → spot `LIMIT_MAKER` (no time in force),
//!   USD-M `LIMIT` + `timeInForce=GTX`;
//! - market → `MARKET` (no time in force);
//! - stop-limit → spot `STOP_LOSS_LIMIT`, USD-M `STOP`, both with `price`, `stopPrice` and
//!   `timeInForce`;
//! - GTD → USD-M `timeInForce=GTD` + `goodTillDate` (ms); spot has no GTD: `NotSupported`;
//! - reduce-only → USD-M `reduceOnly=true`; spot has no positions;
//! - `newClientOrderId` is always our client order id, the idempotency key.

use rust_decimal::Decimal;

use super::Product;
use crate::ExchangeError;
use crate::model::{
    InvalidOrderReason, MarginMode, OrderRequest, OrderType, Side, TimeInForce, Timeframe,
};

/// Request parameters, in the order they are sent.
pub type Params = Vec<(&'static str, String)>;

fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Buy => "BUY",
        Side::Sell => "SELL",
    }
}

fn tif(tif: TimeInForce) -> &'static str {
    match tif {
        TimeInForce::Gtc => "GTC",
        TimeInForce::Ioc => "IOC",
        TimeInForce::Fok => "FOK",
        TimeInForce::Gtd => "GTD",
    }
}

fn missing(what: &str) -> ExchangeError {
    let reason = match what {
        "stop price" => InvalidOrderReason::MissingStopPrice,
        _ => InvalidOrderReason::MissingPrice,
    };
    ExchangeError::invalid_order(reason, format!("this order type needs a {what}"))
}

/// The parameters of a new order (without `timestamp`/`recvWindow`/`signature`, which signing
/// adds). Spot and margin share them; margin adds its own flags at the call site.
pub fn new_order_params(
    request: &OrderRequest,
    product: Product,
    venue_id: &str,
) -> crate::Result<Params> {
    let futures = product.is_derivative();
    if !futures {
        if request.time_in_force == TimeInForce::Gtd {
            return Err(ExchangeError::NotSupported(
                "Binance spot has no good-till-date orders".into(),
            ));
        }
        if request.reduce_only {
            return Err(ExchangeError::invalid_order(
                InvalidOrderReason::ReduceOnly,
                "reduce-only needs a USD-M futures market",
            ));
        }
        if request.post_only && request.order_type == OrderType::StopLimit {
            return Err(ExchangeError::NotSupported(
                "Binance spot has no post-only stop-limit orders".into(),
            ));
        }
    }
    if futures && request.post_only && request.time_in_force == TimeInForce::Gtd {
        return Err(ExchangeError::NotSupported(
            "Binance USD-M post-only (GTX) cannot also be good-till-date".into(),
        ));
    }
    let mut p: Params = vec![
        ("symbol", venue_id.to_owned()),
        ("side", side(request.side).to_owned()),
    ];
    let order_type = match (request.order_type, request.post_only, futures) {
        (OrderType::Market, _, _) => "MARKET",
        (OrderType::Limit, true, false) => "LIMIT_MAKER",
        (OrderType::Limit, _, _) => "LIMIT",
        (OrderType::StopLimit, _, false) => "STOP_LOSS_LIMIT",
        (OrderType::StopLimit, _, true) => "STOP",
    };
    p.push(("type", order_type.to_owned()));
    let needs_tif = order_type != "MARKET" && order_type != "LIMIT_MAKER";
    if needs_tif {
        let time_in_force = if futures && request.post_only {
            "GTX"
        } else {
            tif(request.time_in_force)
        };
        p.push(("timeInForce", time_in_force.to_owned()));
    }
    p.push(("quantity", num(request.quantity)));
    if request.order_type != OrderType::Market {
        p.push(("price", num(request.price.ok_or_else(|| missing("price"))?)));
    }
    if request.order_type == OrderType::StopLimit {
        let stop = request.stop_price.ok_or_else(|| missing("stop price"))?;
        p.push(("stopPrice", num(stop)));
    }
    if futures && request.time_in_force == TimeInForce::Gtd {
        let expire_ns = request.expire_ts_ns.ok_or_else(|| {
            ExchangeError::invalid_order(InvalidOrderReason::Expiry, "GTD needs expire_ts_ns")
        })?;
        p.push(("goodTillDate", (expire_ns / 1_000_000).to_string()));
    }
    if futures && request.reduce_only {
        p.push(("reduceOnly", "true".to_owned()));
    }
    p.push(("newClientOrderId", request.client_order_id.clone()));
    p.push(("newOrderRespType", "RESULT".to_owned()));
    Ok(p)
}

/// Cancel, or query, one order by our client order id (`origClientOrderId`).
pub fn by_client_order_id_params(venue_id: &str, client_order_id: &str) -> Params {
    vec![
        ("symbol", venue_id.to_owned()),
        ("origClientOrderId", client_order_id.to_owned()),
    ]
}

/// One page of one order's executions (`myTrades` / `userTrades`): `symbol` + `orderId`, and
/// `fromId` (trades with id ≥ it, oldest first) after the first page; `limit` ≤ 1000. Without
/// `fromId` the venue answers the order's most recent trades.
pub fn order_trades_params(
    venue_id: &str,
    order_id: u64,
    from_id: Option<u64>,
    limit: u32,
) -> Params {
    let mut p: Params = vec![
        ("symbol", venue_id.to_owned()),
        ("orderId", order_id.to_string()),
    ];
    if let Some(from) = from_id {
        p.push(("fromId", from.to_string()));
    }
    p.push(("limit", limit.clamp(1, 1000).to_string()));
    p
}

/// Open orders of one symbol, or of all (weight 80 on spot instead of 6).
pub fn open_orders_params(venue_id: Option<&str>) -> Params {
    venue_id
        .map(|id| vec![("symbol", id.to_owned())])
        .unwrap_or_default()
}

/// A depth snapshot; spot allows up to 5000 levels, USD-M up to 1000.
pub fn depth_params(venue_id: &str, limit: u32) -> Params {
    vec![
        ("symbol", venue_id.to_owned()),
        ("limit", limit.to_string()),
    ]
}

/// One page of klines starting at `start_ms` (inclusive), at most `limit` (≤ 1000) rows. Page on
/// from [`super::parse::kline::next_page_start`] until a page comes back short.
pub fn klines_params(
    venue_id: &str,
    timeframe: Timeframe,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    limit: u32,
) -> Params {
    let mut p: Params = vec![
        ("symbol", venue_id.to_owned()),
        ("interval", timeframe.as_str().to_owned()),
    ];
    if let Some(start) = start_ms {
        p.push(("startTime", start.to_string()));
    }
    if let Some(end) = end_ms {
        p.push(("endTime", end.to_string()));
    }
    p.push(("limit", limit.min(1000).to_string()));
    p
}

/// USD-M `POST /fapi/v1/leverage`: the initial leverage of a symbol (1–125, by bracket).
pub fn leverage_params(venue_id: &str, leverage: u32) -> Params {
    vec![
        ("symbol", venue_id.to_owned()),
        ("leverage", leverage.to_string()),
    ]
}

/// USD-M `POST /fapi/v1/marginType`: `ISOLATED` or `CROSSED`.
pub fn margin_type_params(venue_id: &str, mode: MarginMode) -> Params {
    let mode = match mode {
        MarginMode::Cross => "CROSSED",
        MarginMode::Isolated => "ISOLATED",
    };
    vec![
        ("symbol", venue_id.to_owned()),
        ("marginType", mode.to_owned()),
    ]
}
