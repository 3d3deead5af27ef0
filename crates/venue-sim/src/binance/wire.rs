//! REST payload shapes with Binance's field names, order and string-vs-number types, plus the
//! decimal formatting rules (spot: 8 decimals; futures: the symbol's precision).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::{Order, OrderType, SymbolSpec};

/// Formats a decimal with exactly `dp` decimals (`"0.35280000"`).
pub fn fmt(d: Decimal, dp: u32) -> String {
    let mut x = d.round_dp(dp);
    x.rescale(dp);
    x.to_string()
}

/// Spot formatting (8 decimals).
pub fn f8(d: Decimal) -> String {
    fmt(d, 8)
}

/// A spot order as `GET /api/v3/order` and `openOrders` return it.
///
/// ```json
/// {"symbol":"LTCBTC","orderId":1,"orderListId":-1,"clientOrderId":"myOrder1","price":"0.1","origQty":"1.0",
///  "executedQty":"0.0","cummulativeQuoteQty":"0.0","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY",
///  "stopPrice":"0.0","icebergQty":"0.0","time":1499827319559,"updateTime":1499827319559,"isWorking":true,
///  "workingTime":1499827319559,"origQuoteOrderQty":"0.000000","selfTradePreventionMode":"NONE"}
/// ```
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotOrder {
    symbol: String,
    order_id: u64,
    order_list_id: i64,
    client_order_id: String,
    price: String,
    orig_qty: String,
    executed_qty: String,
    cummulative_quote_qty: String,
    status: &'static str,
    time_in_force: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    side: &'static str,
    stop_price: String,
    iceberg_qty: String,
    time: u64,
    update_time: u64,
    is_working: bool,
    working_time: i64,
    orig_quote_order_qty: String,
    self_trade_prevention_mode: &'static str,
}

impl SpotOrder {
    /// Renders an engine order.
    pub fn from(o: &Order) -> Self {
        SpotOrder {
            symbol: o.symbol.clone(),
            order_id: o.id,
            order_list_id: -1,
            client_order_id: o.client_id.clone(),
            price: f8(o.price),
            orig_qty: f8(o.qty),
            executed_qty: f8(o.executed),
            cummulative_quote_qty: f8(o.cum_quote),
            status: o.status.as_str(),
            time_in_force: o.tif.as_str(),
            kind: o.kind.as_str(),
            side: o.side.as_str(),
            stop_price: f8(o.stop_price),
            iceberg_qty: f8(Decimal::ZERO),
            time: o.time,
            update_time: o.update_time,
            is_working: o.working_time.is_some(),
            working_time: o.working_time.map(|t| t as i64).unwrap_or(-1),
            orig_quote_order_qty: f8(o.quote_qty),
            self_trade_prevention_mode: "NONE",
        }
    }
}

/// One fill of a FULL new-order response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderFill {
    /// Price.
    pub price: String,
    /// Quantity.
    pub qty: String,
    /// Commission.
    pub commission: String,
    /// Commission asset.
    pub commission_asset: String,
    /// Trade id.
    pub trade_id: u64,
}

/// `POST /api/v3/order` response (ACK, RESULT or FULL).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrderResponse {
    symbol: String,
    order_id: u64,
    order_list_id: i64,
    client_order_id: String,
    transact_time: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    result: Option<NewOrderResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fills: Option<Vec<OrderFill>>,
}

/// The RESULT part of a new-order response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrderResult {
    price: String,
    orig_qty: String,
    executed_qty: String,
    orig_quote_order_qty: String,
    cummulative_quote_qty: String,
    status: &'static str,
    time_in_force: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    side: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_time: Option<u64>,
    self_trade_prevention_mode: &'static str,
}

/// Response type of a new order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespType {
    /// Ids only.
    Ack,
    /// Order state.
    Result,
    /// Order state and fills.
    Full,
}

impl RespType {
    /// Parses `newOrderRespType`; the default is FULL for MARKET/LIMIT, ACK otherwise.
    pub fn parse(s: Option<&str>, kind: OrderType) -> Option<Self> {
        match s {
            Some("ACK") => Some(RespType::Ack),
            Some("RESULT") => Some(RespType::Result),
            Some("FULL") => Some(RespType::Full),
            Some(_) => None,
            None if matches!(kind, OrderType::Market | OrderType::Limit) => Some(RespType::Full),
            None => Some(RespType::Ack),
        }
    }
}

impl NewOrderResponse {
    /// Renders a new-order response.
    pub fn from(o: &Order, resp: RespType, fills: Vec<OrderFill>) -> Self {
        let result = (resp != RespType::Ack).then(|| NewOrderResult {
            price: f8(o.price),
            orig_qty: f8(o.qty),
            executed_qty: f8(o.executed),
            orig_quote_order_qty: f8(o.quote_qty),
            cummulative_quote_qty: f8(o.cum_quote),
            status: o.status.as_str(),
            time_in_force: o.tif.as_str(),
            kind: o.kind.as_str(),
            side: o.side.as_str(),
            stop_price: o.kind.is_stop().then(|| f8(o.stop_price)),
            working_time: o.working_time,
            self_trade_prevention_mode: "NONE",
        });
        NewOrderResponse {
            symbol: o.symbol.clone(),
            order_id: o.id,
            order_list_id: -1,
            client_order_id: o.client_id.clone(),
            transact_time: o.update_time,
            result,
            fills: (resp == RespType::Full).then_some(fills),
        }
    }
}

/// `DELETE /api/v3/order` response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelResponse {
    symbol: String,
    orig_client_order_id: String,
    order_id: u64,
    order_list_id: i64,
    client_order_id: String,
    transact_time: u64,
    price: String,
    orig_qty: String,
    executed_qty: String,
    orig_quote_order_qty: String,
    cummulative_quote_qty: String,
    status: &'static str,
    time_in_force: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    side: &'static str,
    self_trade_prevention_mode: &'static str,
}

impl CancelResponse {
    /// Renders a cancel response; `new_client_id` is the cancel's own client id.
    pub fn from(o: &Order, new_client_id: String) -> Self {
        CancelResponse {
            symbol: o.symbol.clone(),
            orig_client_order_id: o.client_id.clone(),
            order_id: o.id,
            order_list_id: -1,
            client_order_id: new_client_id,
            transact_time: o.update_time,
            price: f8(o.price),
            orig_qty: f8(o.qty),
            executed_qty: f8(o.executed),
            orig_quote_order_qty: f8(o.quote_qty),
            cummulative_quote_qty: f8(o.cum_quote),
            status: o.status.as_str(),
            time_in_force: o.tif.as_str(),
            kind: o.kind.as_str(),
            side: o.side.as_str(),
            self_trade_prevention_mode: "NONE",
        }
    }
}

/// A USD-M futures order (`/fapi/v1/order`).
///
/// ```json
/// {"orderId":22542179,"symbol":"BTCUSDT","status":"NEW","clientOrderId":"testOrder","price":"0","avgPrice":"0.00000",
///  "origQty":"10","executedQty":"0","cumQty":"0","cumQuote":"0","timeInForce":"GTC","type":"LIMIT","reduceOnly":false,
///  "closePosition":false,"side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE",
///  "priceProtect":false,"origType":"LIMIT","priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,
///  "updateTime":1566818724722}
/// ```
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FuturesOrder {
    order_id: u64,
    symbol: String,
    status: &'static str,
    client_order_id: String,
    price: String,
    avg_price: String,
    orig_qty: String,
    executed_qty: String,
    cum_qty: String,
    cum_quote: String,
    time_in_force: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    reduce_only: bool,
    close_position: bool,
    side: &'static str,
    position_side: &'static str,
    stop_price: String,
    working_type: &'static str,
    price_protect: bool,
    orig_type: &'static str,
    price_match: &'static str,
    self_trade_prevention_mode: &'static str,
    good_till_date: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<u64>,
    update_time: u64,
}

impl FuturesOrder {
    /// Renders an engine order; `with_time` adds `time` (query and open-order answers).
    pub fn from(o: &Order, spec: &SymbolSpec, with_time: bool) -> Self {
        let (pd, qd) = (spec.price_decimals(), spec.qty_decimals());
        FuturesOrder {
            order_id: o.id,
            symbol: o.symbol.clone(),
            status: o.status.as_str(),
            client_order_id: o.client_id.clone(),
            price: fmt(o.price, pd),
            avg_price: fmt(o.avg_price(), pd),
            orig_qty: fmt(o.qty, qd),
            executed_qty: fmt(o.executed, qd),
            cum_qty: fmt(o.executed, qd),
            cum_quote: fmt(o.cum_quote, pd),
            time_in_force: o.tif.as_str(),
            kind: o.kind.as_futures_str(),
            reduce_only: o.reduce_only,
            close_position: false,
            side: o.side.as_str(),
            position_side: "BOTH",
            stop_price: fmt(o.stop_price, pd),
            working_type: "CONTRACT_PRICE",
            price_protect: false,
            orig_type: o.kind.as_futures_str(),
            price_match: "NONE",
            self_trade_prevention_mode: "NONE",
            good_till_date: 0,
            time: with_time.then_some(o.time),
            update_time: o.update_time,
        }
    }
}

/// A `[price, qty]` level as two strings.
pub fn level(p: Decimal, q: Decimal, pd: u32, qd: u32) -> [String; 2] {
    [fmt(p, pd), fmt(q, qd)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting() {
        assert_eq!(f8("0.3528".parse().unwrap()), "0.35280000");
        assert_eq!(fmt("10".parse().unwrap(), 0), "10");
        assert_eq!(fmt("1.011".parse().unwrap(), 5), "1.01100");
    }
}
