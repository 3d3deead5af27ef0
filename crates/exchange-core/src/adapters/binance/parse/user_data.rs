//! Spot user data events (§6), delivered inside a WS-API
//! [`UserEnvelope`](super::envelope::UserEnvelope): `executionReport` → order update and fill,
//! `outboundAccountPosition` → balances.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::enums::{WireOrderStatus, WireOrderType, WireSide, WireTimeInForce};
use super::non_zero;
use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{AccountEvent, Balance, Fill, Liquidity, Order};

/// A spot user data event, by its `e` field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "e")]
pub enum UserDataEvent {
    /// An order changed (new, trade, canceled, …).
    #[serde(rename = "executionReport")]
    ExecutionReport(Box<ExecutionReport>),
    /// Balances of the assets that changed.
    #[serde(rename = "outboundAccountPosition")]
    AccountPosition(AccountPosition),
    /// A deposit, withdrawal or transfer changed a balance by `d` (a delta, not a balance).
    #[serde(rename = "balanceUpdate")]
    BalanceUpdate(BalanceUpdate),
    /// The subscription ended (e.g. the session logged out); resubscribe.
    #[serde(rename = "eventStreamTerminated")]
    StreamTerminated {
        /// Event time, ms.
        #[serde(rename = "E")]
        event_time: i64,
    },
    /// Any other event (`listStatus`, `externalLockUpdate`, …).
    #[serde(other)]
    Other,
}

impl UserDataEvent {
    /// The normalized account events (none for events that carry no order or balance state).
    pub fn to_account_events(
        &self,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<AccountEvent>> {
        match self {
            UserDataEvent::ExecutionReport(r) => r.to_account_events(symbols, local_ts_ns),
            UserDataEvent::AccountPosition(p) => Ok(vec![p.to_account_event()]),
            UserDataEvent::BalanceUpdate(_)
            | UserDataEvent::StreamTerminated { .. }
            | UserDataEvent::Other => Ok(Vec::new()),
        }
    }
}

/// `executionReport` (user-data-stream.md "Order Update"; doc example, no live capture).
///
/// ```json
/// {"e":"executionReport","E":1499405658658,"s":"ETHBTC","c":"mUvoqJxFIILMdfAW5iGSOW",
///  "S":"BUY","o":"LIMIT","f":"GTC","q":"1.00000000","p":"0.10264410","P":"0.00000000",
///  "F":"0.00000000","g":-1,"C":"","x":"NEW","X":"NEW","r":"NONE","i":4293153,
///  "l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,"T":1499405658657,
///  "t":-1,"v":3,"I":8641984,"w":true,"m":false,"M":false,"O":1499405658657,
///  "Z":"0.00000000","Y":"0.00000000","Q":"0.00000000","W":1499405658657,"V":"NONE"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExecutionReport {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Client order id (of the cancel request when `x` is `CANCELED`).
    #[serde(rename = "c")]
    pub client_order_id: String,
    /// Original client order id of a canceled order; empty otherwise.
    #[serde(rename = "C", default)]
    pub orig_client_order_id: String,
    /// Side.
    #[serde(rename = "S")]
    pub side: WireSide,
    /// Order type.
    #[serde(rename = "o")]
    pub order_type: WireOrderType,
    /// Time in force.
    #[serde(rename = "f")]
    pub time_in_force: WireTimeInForce,
    /// Order quantity.
    #[serde(rename = "q")]
    pub quantity: Decimal,
    /// Order price.
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Stop price.
    #[serde(rename = "P")]
    pub stop_price: Decimal,
    /// Execution type: `NEW`, `CANCELED`, `REPLACED`, `REJECTED`, `TRADE`, `EXPIRED`,
    /// `TRADE_PREVENTION`.
    #[serde(rename = "x")]
    pub execution_type: String,
    /// Order status after this event.
    #[serde(rename = "X")]
    pub status: WireOrderStatus,
    /// Reject reason (`NONE` unless rejected).
    #[serde(rename = "r")]
    pub reject_reason: String,
    /// Venue order id.
    #[serde(rename = "i")]
    pub order_id: u64,
    /// Last executed quantity.
    #[serde(rename = "l")]
    pub last_qty: Decimal,
    /// Cumulative filled quantity.
    #[serde(rename = "z")]
    pub cumulative_qty: Decimal,
    /// Last executed price.
    #[serde(rename = "L")]
    pub last_price: Decimal,
    /// Commission of this execution.
    #[serde(rename = "n")]
    pub commission: Decimal,
    /// Commission asset (`null` without a trade).
    #[serde(rename = "N")]
    pub commission_asset: Option<String>,
    /// Transaction time, ms.
    #[serde(rename = "T")]
    pub transaction_time: i64,
    /// Trade id (`-1` without a trade).
    #[serde(rename = "t")]
    pub trade_id: i64,
    /// Whether this execution was on the maker side.
    #[serde(rename = "m")]
    pub is_maker: bool,
    /// Order creation time, ms.
    #[serde(rename = "O")]
    pub creation_time: i64,
    /// Cumulative quote quantity filled.
    #[serde(rename = "Z")]
    pub cumulative_quote_qty: Decimal,
}

impl ExecutionReport {
    /// Our client order id: `C` when set (cancels), else `c`.
    pub fn our_client_order_id(&self) -> &str {
        if self.orig_client_order_id.is_empty() {
            &self.client_order_id
        } else {
            &self.orig_client_order_id
        }
    }

    /// The order after this event.
    pub fn to_order(&self, symbols: &SymbolMap) -> crate::Result<Order> {
        let symbol = symbols.symbol(&self.symbol)?.clone();
        let (order_type, maker_type) = self.order_type.normalize(false);
        let (time_in_force, gtx) = self.time_in_force.normalize();
        Ok(Order {
            client_order_id: self.our_client_order_id().to_owned(),
            venue_order_id: Some(self.order_id.to_string()),
            symbol,
            side: self.side.into(),
            order_type,
            time_in_force,
            price: non_zero(self.price),
            stop_price: non_zero(self.stop_price),
            quantity: self.quantity,
            filled_quantity: self.cumulative_qty,
            average_price: if self.cumulative_qty.is_zero() {
                None
            } else {
                self.cumulative_quote_qty.checked_div(self.cumulative_qty)
            },
            status: self.status.into(),
            post_only: maker_type || gtx,
            reduce_only: false,
            created_ts_ns: ms_to_ns(self.creation_time),
            updated_ts_ns: ms_to_ns(self.transaction_time),
        })
    }

    /// The fill, when this event is an execution (`x == "TRADE"`).
    pub fn to_fill(&self, symbols: &SymbolMap, local_ts_ns: i64) -> crate::Result<Option<Fill>> {
        if self.execution_type != "TRADE" {
            return Ok(None);
        }
        Ok(Some(Fill {
            client_order_id: self.our_client_order_id().to_owned(),
            venue_order_id: self.order_id.to_string(),
            trade_id: self.trade_id.to_string(),
            symbol: symbols.symbol(&self.symbol)?.clone(),
            side: self.side.into(),
            price: self.last_price,
            quantity: self.last_qty,
            fee: self.commission,
            fee_asset: self.commission_asset.clone(),
            liquidity: Some(if self.is_maker {
                Liquidity::Maker
            } else {
                Liquidity::Taker
            }),
            exchange_ts_ns: ms_to_ns(self.transaction_time),
            local_ts_ns,
        }))
    }

    /// The fill (if any) followed by the order update.
    pub fn to_account_events(
        &self,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<AccountEvent>> {
        let mut events = Vec::with_capacity(2);
        if let Some(fill) = self.to_fill(symbols, local_ts_ns)? {
            events.push(AccountEvent::Fill(fill));
        }
        events.push(AccountEvent::Order(self.to_order(symbols)?));
        Ok(events)
    }
}

/// `outboundAccountPosition`: the balances that changed.
///
/// ```json
/// {"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,
///  "B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountPosition {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Time of the last account update, ms.
    #[serde(rename = "u")]
    pub last_update_time: i64,
    /// Changed balances.
    #[serde(rename = "B")]
    pub balances: Vec<PositionBalance>,
}

/// One entry of [`AccountPosition::balances`]: `{"a":"ETH","f":"10000.000000","l":"0.000000"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PositionBalance {
    /// Asset.
    #[serde(rename = "a")]
    pub asset: String,
    /// Free.
    #[serde(rename = "f")]
    pub free: Decimal,
    /// Locked.
    #[serde(rename = "l")]
    pub locked: Decimal,
}

impl AccountPosition {
    /// The balances event.
    pub fn to_account_event(&self) -> AccountEvent {
        AccountEvent::Balances {
            balances: self
                .balances
                .iter()
                .map(|b| Balance {
                    asset: b.asset.clone(),
                    free: b.free,
                    locked: b.locked,
                    borrowed: None,
                })
                .collect(),
        }
    }
}

/// `balanceUpdate`: `{"e":"balanceUpdate","E":1573200697110,"a":"BTC","d":"100.00000000","T":1573200697068}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BalanceUpdate {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Asset.
    #[serde(rename = "a")]
    pub asset: String,
    /// Balance delta.
    #[serde(rename = "d")]
    pub delta: Decimal,
    /// Clear time, ms.
    #[serde(rename = "T")]
    pub clear_time: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrderStatus;

    #[test]
    fn a_cancel_reports_the_original_client_order_id() {
        let text = r#"{"e":"executionReport","E":2,"s":"ETHBTC","c":"cancel-req-1",
          "S":"SELL","o":"LIMIT_MAKER","f":"GTC","q":"1.0","p":"0.1","P":"0","F":"0","g":-1,
          "C":"strat1-000042","x":"CANCELED","X":"CANCELED","r":"NONE","i":7,"l":"0","z":"0",
          "L":"0","n":"0","N":null,"T":3,"t":-1,"I":1,"w":false,"m":false,"M":false,"O":1,
          "Z":"0","Y":"0","Q":"0","W":1,"V":"NONE"}"#;
        let ev: UserDataEvent = serde_json::from_str(text).unwrap();
        let mut symbols = SymbolMap::new();
        symbols.insert("ETHBTC", "ETH/BTC".parse().unwrap());
        let events = ev.to_account_events(&symbols, 0).unwrap();
        let [AccountEvent::Order(order)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!(order.client_order_id, "strat1-000042");
        assert_eq!(order.status, OrderStatus::Canceled);
        assert!(order.post_only, "LIMIT_MAKER is post-only");
        let other: UserDataEvent =
            serde_json::from_str(r#"{"e":"listStatus","E":1,"s":"ETHBTC"}"#).unwrap();
        assert_eq!(other, UserDataEvent::Other);
    }
}
