//! Our requests → Coinbase request bodies and query strings (§2).
//!
//! Create order: `{"client_order_id":…,"product_id":…,"side":"BUY"|"SELL",
//! "order_configuration":{<one key>}}`, with our client order id as Coinbase's (the venue's
//! idempotency field, the last line of defence against double placement). The configuration
//! key follows the order type and time in force:
//!
//! | order | GTC | GTD | IOC | FOK |
//! |---|---|---|---|---|
//! | market | `market_market_ioc` | – | `market_market_ioc` | – |
//! | limit | `limit_limit_gtc` | `limit_limit_gtd` | `sor_limit_ioc` | `limit_limit_fok` |
//! | stop-limit | `stop_limit_stop_limit_gtc` | `stop_limit_stop_limit_gtd` | – | – |
//!
//! A stop-limit buy triggers when the price rises to the stop (`STOP_DIRECTION_STOP_UP`), a sell
//! when it falls (`STOP_DIRECTION_STOP_DOWN`). Combinations marked – and reduce-only orders are
//! [`ExchangeError::NotSupported`].

use serde::Serialize;

use super::parse::candles::Granularity;
use super::parse::order_config::{LimitParams, MarketParams, OrderConfiguration, StopLimitParams};
use super::parse::time::ns_to_rfc3339;
use super::symbols;
use crate::ExchangeError;
use crate::model::{OrderRequest, OrderType, Side, TimeInForce};

/// The `POST /orders` body.
///
/// ```json
/// {"client_order_id":"strat1-000042","product_id":"BTC-USD","side":"BUY",
///  "order_configuration":{"limit_limit_gtc":{"base_size":"0.010","limit_price":"43000.00",
///  "post_only":true}}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateOrderRequest {
    /// Our client order id.
    pub client_order_id: String,
    /// Product id.
    pub product_id: String,
    /// `BUY` / `SELL`.
    pub side: &'static str,
    /// The configuration.
    pub order_configuration: OrderConfiguration,
}

impl CreateOrderRequest {
    /// The JSON body.
    pub fn to_json(&self) -> crate::Result<String> {
        serde_json::to_string(self)
            .map_err(|e| ExchangeError::InvalidResponse(format!("coinbase order encoding: {e}")))
    }
}

/// `BUY` / `SELL`.
pub fn side_text(side: Side) -> &'static str {
    match side {
        Side::Buy => "BUY",
        Side::Sell => "SELL",
    }
}

fn unsupported(what: &str) -> ExchangeError {
    ExchangeError::NotSupported(format!("coinbase has no {what}"))
}

/// The create-order body of `req` (validated beforehand with [`OrderRequest::validate`]).
pub fn create_order(req: &OrderRequest) -> crate::Result<CreateOrderRequest> {
    if req.reduce_only {
        return Err(unsupported(
            "reduce-only flag on this adapter's order types",
        ));
    }
    let missing = |what: &str| {
        ExchangeError::invalid_order(
            crate::model::InvalidOrderReason::MissingPrice,
            format!("a {what} order needs a price"),
        )
    };
    let end_time = || {
        req.expire_ts_ns.map(ns_to_rfc3339).ok_or_else(|| {
            ExchangeError::invalid_order(
                crate::model::InvalidOrderReason::Expiry,
                "a GTD order needs expire_ts_ns",
            )
        })
    };
    let limit = |end: Option<String>, post_only: Option<bool>| -> crate::Result<LimitParams> {
        Ok(LimitParams {
            base_size: req.quantity,
            limit_price: req.price.ok_or_else(|| missing("limit"))?,
            end_time: end,
            post_only,
        })
    };
    let stop = |end: Option<String>| -> crate::Result<StopLimitParams> {
        Ok(StopLimitParams {
            base_size: req.quantity,
            limit_price: req.price.ok_or_else(|| missing("stop-limit"))?,
            stop_price: req.stop_price.ok_or_else(|| {
                ExchangeError::invalid_order(
                    crate::model::InvalidOrderReason::MissingStopPrice,
                    "a stop-limit order needs a stop price",
                )
            })?,
            end_time: end,
            stop_direction: Some(
                match req.side {
                    Side::Buy => "STOP_DIRECTION_STOP_UP",
                    Side::Sell => "STOP_DIRECTION_STOP_DOWN",
                }
                .to_owned(),
            ),
        })
    };
    use OrderConfiguration as C;
    let config = match (req.order_type, req.time_in_force) {
        (OrderType::Market, TimeInForce::Ioc | TimeInForce::Gtc) => {
            C::MarketMarketIoc(MarketParams {
                quote_size: None,
                base_size: Some(req.quantity),
            })
        }
        (OrderType::Market, _) => return Err(unsupported("FOK or GTD market orders")),
        (OrderType::Limit, TimeInForce::Gtc) => C::LimitLimitGtc(limit(None, Some(req.post_only))?),
        (OrderType::Limit, TimeInForce::Gtd) => {
            C::LimitLimitGtd(limit(Some(end_time()?), Some(req.post_only))?)
        }
        (OrderType::Limit, TimeInForce::Fok) => C::LimitLimitFok(limit(None, None)?),
        (OrderType::Limit, TimeInForce::Ioc) => C::SorLimitIoc(limit(None, None)?),
        (OrderType::StopLimit, TimeInForce::Gtc) => C::StopLimitStopLimitGtc(stop(None)?),
        (OrderType::StopLimit, TimeInForce::Gtd) => {
            C::StopLimitStopLimitGtd(stop(Some(end_time()?))?)
        }
        (OrderType::StopLimit, _) => return Err(unsupported("IOC or FOK stop-limit orders")),
    };
    Ok(CreateOrderRequest {
        client_order_id: req.client_order_id.clone(),
        product_id: symbols::to_product_id(&req.symbol)?,
        side: side_text(req.side),
        order_configuration: config,
    })
}

/// The `POST /orders/batch_cancel` body: `{"order_ids":["…"]}`.
pub fn batch_cancel_body(order_ids: &[&str]) -> String {
    serde_json::json!({ "order_ids": order_ids }).to_string()
}

/// Query of `GET /products/{id}/candles`: `start`/`end` in UNIX seconds (as the API wants them),
/// `granularity`, `limit` (at most [`super::MAX_CANDLES_PER_REQUEST`]).
pub fn candles_query(
    start_secs: i64,
    end_secs: i64,
    granularity: Granularity,
    limit: Option<u32>,
) -> Vec<(String, String)> {
    let mut q = vec![
        ("start".to_owned(), start_secs.to_string()),
        ("end".to_owned(), end_secs.to_string()),
        ("granularity".to_owned(), granularity.as_str().to_owned()),
    ];
    if let Some(limit) = limit {
        q.push((
            "limit".to_owned(),
            limit.min(super::MAX_CANDLES_PER_REQUEST).to_string(),
        ));
    }
    q
}

/// Query of `GET /orders/historical/batch` for open orders (of some products), one page.
pub fn open_orders_query(product_ids: &[&str], cursor: Option<&str>) -> Vec<(String, String)> {
    let mut q = vec![("order_status".to_owned(), "OPEN".to_owned())];
    q.extend(
        product_ids
            .iter()
            .map(|p| ("product_ids".to_owned(), (*p).to_owned())),
    );
    if let Some(cursor) = cursor {
        q.push(("cursor".to_owned(), cursor.to_owned()));
    }
    q
}

/// Query of `GET /accounts`, one page.
pub fn accounts_query(limit: u32, cursor: Option<&str>) -> Vec<(String, String)> {
    let mut q = vec![("limit".to_owned(), limit.to_string())];
    if let Some(cursor) = cursor {
        q.push(("cursor".to_owned(), cursor.to_owned()));
    }
    q
}

/// Query of `GET /orders/historical/fills` for one order, one page.
pub fn fills_query(order_id: &str, cursor: Option<&str>) -> Vec<(String, String)> {
    let mut q = vec![("order_ids".to_owned(), order_id.to_owned())];
    if let Some(cursor) = cursor {
        q.push(("cursor".to_owned(), cursor.to_owned()));
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn req(order_type: OrderType, tif: TimeInForce) -> OrderRequest {
        OrderRequest {
            client_order_id: "strat1-000042".into(),
            symbol: "BTC/USD".parse().unwrap(),
            side: Side::Buy,
            order_type,
            quantity: dec!(0.010),
            price: (order_type != OrderType::Market).then_some(dec!(43000.00)),
            stop_price: (order_type == OrderType::StopLimit).then_some(dec!(42000)),
            time_in_force: tif,
            expire_ts_ns: (tif == TimeInForce::Gtd).then_some(1_767_225_600_000_000_000),
            post_only: false,
            reduce_only: false,
        }
    }

    #[test]
    fn maps_every_supported_combination() {
        use OrderType::*;
        use TimeInForce::*;
        for (ot, tif, expected) in [
            (
                Market,
                Ioc,
                r#"{"market_market_ioc":{"base_size":"0.010"}}"#,
            ),
            (
                Limit,
                Gtc,
                r#"{"limit_limit_gtc":{"base_size":"0.010","limit_price":"43000.00","post_only":false}}"#,
            ),
            (
                Limit,
                Gtd,
                r#"{"limit_limit_gtd":{"base_size":"0.010","limit_price":"43000.00","end_time":"2026-01-01T00:00:00Z","post_only":false}}"#,
            ),
            (
                Limit,
                Fok,
                r#"{"limit_limit_fok":{"base_size":"0.010","limit_price":"43000.00"}}"#,
            ),
            (
                Limit,
                Ioc,
                r#"{"sor_limit_ioc":{"base_size":"0.010","limit_price":"43000.00"}}"#,
            ),
            (
                StopLimit,
                Gtc,
                r#"{"stop_limit_stop_limit_gtc":{"base_size":"0.010","limit_price":"43000.00","stop_price":"42000","stop_direction":"STOP_DIRECTION_STOP_UP"}}"#,
            ),
        ] {
            let body = create_order(&req(ot, tif)).unwrap();
            assert_eq!(
                serde_json::to_string(&body.order_configuration).unwrap(),
                expected
            );
            assert_eq!(body.client_order_id, "strat1-000042");
            assert_eq!(body.product_id, "BTC-USD");
        }
        let json = create_order(&req(Limit, Gtc)).unwrap().to_json().unwrap();
        assert!(json.starts_with(r#"{"client_order_id":"strat1-000042","product_id":"BTC-USD","side":"BUY","order_configuration":"#), "{json}");
        for (ot, tif) in [(Market, Fok), (StopLimit, Ioc)] {
            assert_eq!(
                create_order(&req(ot, tif)).unwrap_err().kind(),
                crate::ErrorKind::NotSupported
            );
        }
    }
}
