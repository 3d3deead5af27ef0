//! USD-M futures private data (§8, [2nd-hand] shapes): the listenKey user stream's events and
//! `ORDER_TRADE_UPDATE`. `ACCOUNT_UPDATE` and `positionRisk` are in
//! [`futures_account`](super::futures_account).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::enums::{WireOrderStatus, WireOrderType, WireSide, WireTimeInForce};
use super::futures_account::AccountUpdate;
use super::non_zero;
use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{AccountEvent, Fill, Liquidity, Order};

/// A USD-M user stream event, by its `e` field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "e")]
pub enum FuturesUserEvent {
    /// An order changed.
    #[serde(rename = "ORDER_TRADE_UPDATE")]
    OrderTradeUpdate(OrderTradeUpdate),
    /// Balances and positions changed.
    #[serde(rename = "ACCOUNT_UPDATE")]
    AccountUpdate(AccountUpdate),
    /// The listenKey expired: create a new one and resubscribe.
    #[serde(rename = "listenKeyExpired")]
    ListenKeyExpired {
        /// Event time, ms.
        #[serde(rename = "E")]
        event_time: i64,
    },
    /// Any other event (`MARGIN_CALL`, `ACCOUNT_CONFIG_UPDATE`, …).
    #[serde(other)]
    Other,
}

impl FuturesUserEvent {
    /// The normalized account events.
    pub fn to_account_events(
        &self,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<AccountEvent>> {
        match self {
            FuturesUserEvent::OrderTradeUpdate(u) => u.to_account_events(symbols, local_ts_ns),
            FuturesUserEvent::AccountUpdate(u) => u.to_account_events(symbols),
            FuturesUserEvent::ListenKeyExpired { .. } | FuturesUserEvent::Other => Ok(Vec::new()),
        }
    }
}

/// `ORDER_TRADE_UPDATE`.
///
/// ```json
/// {"e":"ORDER_TRADE_UPDATE","E":1568879465651,"T":1568879465650,"o":{"s":"BTCUSDT",
///  "c":"TEST","S":"SELL","o":"TRAILING_STOP_MARKET","f":"GTC","q":"0.001","p":"0",
///  "ap":"0","sp":"7103.04","x":"NEW","X":"NEW","i":8886774,"l":"0","z":"0","L":"0",
///  "N":"USDT","n":"0","T":1568879465650,"t":0,"b":"0","a":"9.91","m":false,"R":false,
///  "wt":"CONTRACT_PRICE","ot":"TRAILING_STOP_MARKET","ps":"LONG","cp":false,"rp":"0"}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderTradeUpdate {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Transaction time, ms.
    #[serde(rename = "T")]
    pub transaction_time: i64,
    /// The order.
    #[serde(rename = "o")]
    pub order: FuturesOrderUpdate,
}

/// The `o` object of [`OrderTradeUpdate`].
///
/// ```json
/// {"s":"BTCUSDT","c":"TEST","S":"SELL","o":"TRAILING_STOP_MARKET","f":"GTC","q":"0.001",
///  "p":"0","ap":"0","sp":"7103.04","x":"NEW","X":"NEW","i":8886774,"l":"0","z":"0","L":"0",
///  "N":"USDT","n":"0","T":1568879465650,"t":0,"m":false,"R":false}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FuturesOrderUpdate {
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Client order id.
    #[serde(rename = "c")]
    pub client_order_id: String,
    /// Side.
    #[serde(rename = "S")]
    pub side: WireSide,
    /// Order type.
    #[serde(rename = "o")]
    pub order_type: WireOrderType,
    /// Time in force.
    #[serde(rename = "f")]
    pub time_in_force: WireTimeInForce,
    /// Quantity.
    #[serde(rename = "q")]
    pub quantity: Decimal,
    /// Price.
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Average price.
    #[serde(rename = "ap")]
    pub average_price: Decimal,
    /// Stop price.
    #[serde(rename = "sp")]
    pub stop_price: Decimal,
    /// Execution type (`NEW`, `CANCELED`, `CALCULATED`, `EXPIRED`, `TRADE`, `AMENDMENT`).
    #[serde(rename = "x")]
    pub execution_type: String,
    /// Status.
    #[serde(rename = "X")]
    pub status: WireOrderStatus,
    /// Venue order id.
    #[serde(rename = "i")]
    pub order_id: u64,
    /// Last filled quantity.
    #[serde(rename = "l")]
    pub last_qty: Decimal,
    /// Cumulative filled quantity.
    #[serde(rename = "z")]
    pub cumulative_qty: Decimal,
    /// Last filled price.
    #[serde(rename = "L")]
    pub last_price: Decimal,
    /// Commission asset (absent without a commission).
    #[serde(rename = "N", default)]
    pub commission_asset: Option<String>,
    /// Commission (absent without a commission).
    #[serde(rename = "n", default)]
    pub commission: Option<Decimal>,
    /// Trade time, ms.
    #[serde(rename = "T")]
    pub trade_time: i64,
    /// Trade id.
    #[serde(rename = "t")]
    pub trade_id: i64,
    /// Whether this trade was on the maker side.
    #[serde(rename = "m")]
    pub is_maker: bool,
    /// Reduce-only.
    #[serde(rename = "R")]
    pub reduce_only: bool,
}

impl OrderTradeUpdate {
    /// The order after this event.
    pub fn to_order(&self, symbols: &SymbolMap) -> crate::Result<Order> {
        let o = &self.order;
        let (order_type, maker_type) = o.order_type.normalize(true);
        let (time_in_force, gtx) = o.time_in_force.normalize();
        let ts = ms_to_ns(self.transaction_time);
        Ok(Order {
            client_order_id: o.client_order_id.clone(),
            venue_order_id: Some(o.order_id.to_string()),
            symbol: symbols.symbol(&o.symbol)?.clone(),
            side: o.side.into(),
            order_type,
            time_in_force,
            price: non_zero(o.price),
            stop_price: non_zero(o.stop_price),
            quantity: o.quantity,
            filled_quantity: o.cumulative_qty,
            average_price: non_zero(o.average_price),
            status: o.status.into(),
            post_only: maker_type || gtx,
            reduce_only: o.reduce_only,
            // The stream carries no creation time; consumers keep the one they saw first.
            created_ts_ns: ts,
            updated_ts_ns: ts,
        })
    }

    /// The fill (if `x == "TRADE"`) followed by the order update.
    pub fn to_account_events(
        &self,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<AccountEvent>> {
        let o = &self.order;
        let mut events = Vec::with_capacity(2);
        if o.execution_type == "TRADE" {
            events.push(AccountEvent::Fill(Fill {
                client_order_id: o.client_order_id.clone(),
                venue_order_id: o.order_id.to_string(),
                trade_id: o.trade_id.to_string(),
                symbol: symbols.symbol(&o.symbol)?.clone(),
                side: o.side.into(),
                price: o.last_price,
                quantity: o.last_qty,
                fee: o.commission.unwrap_or(Decimal::ZERO),
                fee_asset: o.commission_asset.clone(),
                liquidity: Some(if o.is_maker {
                    Liquidity::Maker
                } else {
                    Liquidity::Taker
                }),
                exchange_ts_ns: ms_to_ns(o.trade_time),
                local_ts_ns,
            }));
        }
        events.push(AccountEvent::Order(self.to_order(symbols)?));
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    //! Shapes from the USD-M user-data docs ([2nd-hand], §8); no live capture exists.
    use super::*;
    use crate::model::{OrderStatus, OrderType, Side};
    use rust_decimal_macros::dec;

    fn symbols() -> SymbolMap {
        let mut map = SymbolMap::new();
        map.insert("BTCUSDT", "BTC/USDT:USDT".parse().unwrap());
        map
    }

    #[test]
    fn order_trade_update_trade_gives_fill_then_order() {
        let text = r#"{"e":"ORDER_TRADE_UPDATE","E":1568879465651,"T":1568879465650,"o":{
          "s":"BTCUSDT","c":"strat1-7","S":"SELL","o":"LIMIT","f":"GTX","q":"0.002",
          "p":"43000","ap":"43000","sp":"0","x":"TRADE","X":"PARTIALLY_FILLED","i":8886774,
          "l":"0.001","z":"0.001","L":"43000","N":"USDT","n":"0.0086","T":1568879465650,
          "t":99,"b":"0","a":"0","m":true,"R":true,"wt":"CONTRACT_PRICE","ot":"LIMIT",
          "ps":"BOTH","cp":false,"rp":"0"}}"#;
        let ev: FuturesUserEvent = serde_json::from_str(text).unwrap();
        let events = ev.to_account_events(&symbols(), 5).unwrap();
        assert_eq!(events.len(), 2);
        let AccountEvent::Fill(fill) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(fill.trade_id, "99");
        assert_eq!(fill.quantity, dec!(0.001));
        assert_eq!(fill.fee, dec!(0.0086));
        assert_eq!(fill.fee_asset.as_deref(), Some("USDT"));
        assert_eq!(fill.liquidity, Some(Liquidity::Maker));
        let AccountEvent::Order(order) = &events[1] else {
            panic!("{events:?}")
        };
        assert_eq!(order.symbol.to_string(), "BTC/USDT:USDT");
        assert_eq!(order.side, Side::Sell);
        assert_eq!(order.order_type, OrderType::Limit);
        assert!(order.post_only, "GTX is post-only");
        assert!(order.reduce_only);
        assert_eq!(order.status, OrderStatus::PartiallyFilled);
        assert_eq!(order.average_price, Some(dec!(43000)));
        assert_eq!(order.stop_price, None);
    }
}
