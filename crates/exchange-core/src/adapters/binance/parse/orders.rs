//! Order bodies from REST: new order (`ACK` / `RESULT` / `FULL`), query order, open orders and
//! cancel, spot and USD-M (whose bodies add `avgPrice`, `reduceOnly` and `cumQuote`).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::enums::{WireOrderStatus, WireOrderType, WireSide, WireTimeInForce};
use super::non_zero;
use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{Fill, Liquidity, Order, OrderRequest};

/// `newOrderRespType=ACK`: the order was accepted, nothing more is known.
///
/// ```json
/// {"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP",
///  "transactTime":1507725176595}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderAck {
    /// Venue symbol id.
    pub symbol: String,
    /// Venue order id.
    pub order_id: u64,
    /// Our client order id, echoed.
    pub client_order_id: String,
    /// When the engine accepted it, ms.
    pub transact_time: i64,
}

impl OrderAck {
    /// The acknowledged order: the request's terms, the venue's id and time, nothing filled yet.
    pub fn to_order(&self, request: &OrderRequest) -> Order {
        let mut order = request.to_order(
            Some(self.order_id.to_string()),
            ms_to_ns(self.transact_time),
        );
        order.client_order_id = self.client_order_id.clone();
        order
    }
}

/// One fill of a `FULL` new-order response.
///
/// ```json
/// {"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000",
///  "commissionAsset":"USDT","tradeId":56}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderFill {
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Fee.
    pub commission: Decimal,
    /// Fee asset.
    pub commission_asset: String,
    /// Trade id.
    pub trade_id: u64,
}

/// An order as REST reports it: new order `RESULT`/`FULL`, query order, an open-orders entry,
/// or a cancel response (whose `clientOrderId` is the cancel's own id and `origClientOrderId`
/// the order's).
///
/// ```json
/// {"symbol":"LTCBTC","orderId":1,"orderListId":-1,"clientOrderId":"myOrder1","price":"0.1",
///  "origQty":"1.0","executedQty":"0.0","cummulativeQuoteQty":"0.0","status":"NEW",
///  "timeInForce":"GTC","type":"LIMIT","side":"BUY","stopPrice":"0.0","icebergQty":"0.0",
///  "time":1499827319559,"updateTime":1499827319559,"isWorking":true,
///  "workingTime":1499827319559,"origQuoteOrderQty":"0.000000","selfTradePreventionMode":"NONE"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    /// Venue symbol id.
    pub symbol: String,
    /// Venue order id.
    pub order_id: u64,
    /// Client order id (of the cancel request, in a cancel response).
    pub client_order_id: String,
    /// Cancel responses: the canceled order's client order id.
    #[serde(default)]
    pub orig_client_order_id: Option<String>,
    /// Limit price (`0` for market orders).
    pub price: Decimal,
    /// Ordered quantity.
    pub orig_qty: Decimal,
    /// Filled quantity.
    pub executed_qty: Decimal,
    /// Spot: filled quote quantity (Binance's spelling).
    #[serde(default)]
    pub cummulative_quote_qty: Option<Decimal>,
    /// USD-M: average fill price.
    #[serde(default)]
    pub avg_price: Option<Decimal>,
    /// Status.
    pub status: WireOrderStatus,
    /// Time in force.
    pub time_in_force: WireTimeInForce,
    /// Order type.
    #[serde(rename = "type")]
    pub order_type: WireOrderType,
    /// Side.
    pub side: WireSide,
    /// Trigger price (`0` when none).
    #[serde(default)]
    pub stop_price: Option<Decimal>,
    /// USD-M: reduce-only flag.
    #[serde(default)]
    pub reduce_only: Option<bool>,
    /// Query/open orders: creation time, ms.
    #[serde(default)]
    pub time: Option<i64>,
    /// Query/open orders (and USD-M): last update, ms.
    #[serde(default)]
    pub update_time: Option<i64>,
    /// New order / cancel: engine time, ms.
    #[serde(default)]
    pub transact_time: Option<i64>,
    /// When the order started working on the book, ms.
    #[serde(default)]
    pub working_time: Option<i64>,
    /// `FULL` responses: fills on arrival.
    #[serde(default)]
    pub fills: Vec<OrderFill>,
}

impl OrderResponse {
    /// Our client order id: `origClientOrderId` on cancel responses, else `clientOrderId`.
    pub fn our_client_order_id(&self) -> &str {
        self.orig_client_order_id
            .as_deref()
            .unwrap_or(&self.client_order_id)
    }

    /// The normalized order.
    pub fn to_order(&self, symbols: &SymbolMap) -> crate::Result<Order> {
        let symbol = symbols.symbol(&self.symbol)?.clone();
        let futures = symbol.is_derivative();
        let (order_type, maker_type) = self.order_type.normalize(futures);
        let (time_in_force, gtx) = self.time_in_force.normalize();
        let average_price = match (
            self.avg_price.and_then(non_zero),
            self.cummulative_quote_qty,
        ) {
            (Some(avg), _) => Some(avg),
            (None, Some(quote)) if !self.executed_qty.is_zero() => {
                quote.checked_div(self.executed_qty)
            }
            _ => None,
        };
        let created = self
            .time
            .or(self.transact_time)
            .or(self.working_time)
            .or(self.update_time)
            .unwrap_or(0);
        let updated = self.update_time.or(self.transact_time).unwrap_or(created);
        Ok(Order {
            client_order_id: self.our_client_order_id().to_owned(),
            venue_order_id: Some(self.order_id.to_string()),
            symbol,
            side: self.side.into(),
            order_type,
            time_in_force,
            price: non_zero(self.price),
            stop_price: self.stop_price.and_then(non_zero),
            quantity: self.orig_qty,
            filled_quantity: self.executed_qty,
            average_price,
            status: self.status.into(),
            post_only: maker_type || gtx,
            reduce_only: self.reduce_only.unwrap_or(false),
            created_ts_ns: ms_to_ns(created),
            updated_ts_ns: ms_to_ns(updated),
        })
    }

    /// The fills of a `FULL` response. They happened as the order arrived, so it took liquidity.
    pub fn to_fills(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Vec<Fill>> {
        let symbol = symbols.symbol(&self.symbol)?;
        let ts = ms_to_ns(self.transact_time.unwrap_or(0));
        Ok(self
            .fills
            .iter()
            .map(|f| Fill {
                client_order_id: self.our_client_order_id().to_owned(),
                venue_order_id: self.order_id.to_string(),
                trade_id: f.trade_id.to_string(),
                symbol: symbol.clone(),
                side: self.side.into(),
                price: f.price,
                quantity: f.qty,
                fee: f.commission,
                fee_asset: Some(f.commission_asset.clone()),
                liquidity: Some(Liquidity::Taker),
                exchange_ts_ns: ts,
                local_ts_ns,
            })
            .collect())
    }
}
