//! The `user` channel → [`AccountEvent`]s: every order change, and a [`Fill`] for each increase
//! of an order's cumulative quantity.
//!
//! The channel reports cumulative figures per order, not executions. [`UserFills`] remembers, per
//! order, the cumulative quantity, value and fees last seen; an increase is one fill with
//! quantity = Δ`cumulative_quantity`, price = Δ`filled_value` / quantity (rounded to 18
//! decimals), fee = Δ`total_fees`, and trade id `<order_id>:<number_of_fills>`, so a repeated
//! message never reports a fill twice.
//! Orders first seen in a **snapshot** only seed the state: what filled before we listened is
//! reconciled over REST (`/orders/historical/fills`), not guessed here.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::parse::ws::user::{UserEvent, UserOrder};
use crate::model::{AccountEvent, Fill};

/// Cumulative figures of one order, as last seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Seen {
    quantity: Decimal,
    value: Decimal,
    fees: Decimal,
}

/// The fill tracker of one account's `user` stream.
#[derive(Debug, Clone, Default)]
pub struct UserFills {
    seen: HashMap<String, Seen>,
}

impl UserFills {
    /// An empty tracker.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many orders are tracked.
    pub fn tracked(&self) -> usize {
        self.seen.len()
    }

    /// The events of one `user` event received with message time `ts_ns` at `local_ts_ns`:
    /// per order, its fill (if its cumulative quantity grew) then the order itself. Orders that
    /// reached a terminal state are forgotten after reporting.
    pub fn on_event(
        &mut self,
        event: &UserEvent,
        ts_ns: i64,
        local_ts_ns: i64,
    ) -> crate::Result<Vec<AccountEvent>> {
        let mut out = Vec::new();
        for order in &event.orders {
            let normalized = order.to_order(ts_ns)?;
            let now = Seen {
                quantity: order.filled(),
                value: order.filled_value.unwrap_or(Decimal::ZERO),
                fees: order.total_fees.unwrap_or(Decimal::ZERO),
            };
            let before = self.seen.get(&order.order_id).copied();
            let base = match (before, event.is_snapshot()) {
                (Some(b), _) => Some(b),
                (None, true) => None,
                (None, false) => Some(Seen::default()),
            };
            if let Some(base) = base
                && now.quantity > base.quantity
            {
                out.push(AccountEvent::Fill(fill(
                    order,
                    base,
                    now,
                    &normalized,
                    ts_ns,
                    local_ts_ns,
                )));
            }
            if normalized.status.is_terminal() {
                self.seen.remove(&order.order_id);
            } else {
                self.seen.insert(order.order_id.clone(), now);
            }
            out.push(AccountEvent::Order(normalized));
        }
        Ok(out)
    }
}

fn fill(
    order: &UserOrder,
    base: Seen,
    now: Seen,
    normalized: &crate::model::Order,
    ts_ns: i64,
    local_ts_ns: i64,
) -> Fill {
    let quantity = now.quantity - base.quantity;
    let value = now.value - base.value;
    let price = if value > Decimal::ZERO {
        (value / quantity).round_dp(18).normalize()
    } else {
        order
            .avg_price
            .or(normalized.price)
            .unwrap_or(Decimal::ZERO)
    };
    let count = order.number_of_fills.map_or_else(
        || now.quantity.normalize().to_string(),
        |n| n.normalize().to_string(),
    );
    Fill {
        client_order_id: order.client_order_id.clone(),
        venue_order_id: order.order_id.clone(),
        trade_id: format!("{}:{count}", order.order_id),
        symbol: normalized.symbol.clone(),
        side: normalized.side,
        price,
        quantity,
        fee: now.fees - base.fees,
        fee_asset: Some(normalized.symbol.quote().to_owned()),
        liquidity: None,
        exchange_ts_ns: ts_ns,
        local_ts_ns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrderStatus;

    fn event(
        kind: &str,
        status: &str,
        cum: &str,
        leaves: &str,
        value: &str,
        fees: &str,
        n: &str,
    ) -> UserEvent {
        serde_json::from_str(&format!(
            r#"{{"type":"{kind}","orders":[{{"order_id":"o1","client_order_id":"c1","status":"{status}","product_id":"BTC-USD","order_side":"BUY","order_type":"LIMIT","time_in_force":"GOOD_UNTIL_CANCELLED","limit_price":"100","cumulative_quantity":"{cum}","leaves_quantity":"{leaves}","filled_value":"{value}","total_fees":"{fees}","number_of_fills":"{n}","creation_time":"2024-01-01T00:00:00Z"}}]}}"#
        ))
        .unwrap()
    }

    fn fills(events: &[AccountEvent]) -> Vec<&Fill> {
        events
            .iter()
            .filter_map(|e| match e {
                AccountEvent::Fill(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn open_partial_fill_repeat_fill_reports_each_fill_once() {
        let mut t = UserFills::new();
        let e = t
            .on_event(&event("update", "OPEN", "0", "2", "0", "0", "0"), 1, 1)
            .unwrap();
        assert!(fills(&e).is_empty());
        let e = t
            .on_event(
                &event("update", "OPEN", "0.5", "1.5", "50", "0.1", "1"),
                2,
                2,
            )
            .unwrap();
        let f = fills(&e);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].quantity.to_string(), f[0].price.to_string()),
            ("0.5".into(), "100".into())
        );
        assert_eq!(f[0].trade_id, "o1:1");
        // The same message again (a resend): no new fill.
        let e = t
            .on_event(
                &event("update", "OPEN", "0.5", "1.5", "50", "0.1", "1"),
                3,
                3,
            )
            .unwrap();
        assert!(fills(&e).is_empty());
        let e = t
            .on_event(
                &event("update", "FILLED", "2", "0", "198.5", "0.4", "2"),
                4,
                4,
            )
            .unwrap();
        let f = fills(&e);
        assert_eq!(f[0].quantity.to_string(), "1.5");
        assert_eq!(f[0].price.to_string(), "99");
        assert_eq!(f[0].fee.to_string(), "0.3");
        match e.last().unwrap() {
            AccountEvent::Order(o) => assert_eq!(o.status, OrderStatus::Filled),
            other => panic!("{other:?}"),
        }
        assert_eq!(t.tracked(), 0);
    }

    #[test]
    fn snapshots_only_seed() {
        let mut t = UserFills::new();
        let e = t
            .on_event(&event("snapshot", "OPEN", "1", "1", "100", "0", "1"), 1, 1)
            .unwrap();
        assert!(fills(&e).is_empty());
        let e = t
            .on_event(
                &event("update", "OPEN", "1.5", "0.5", "150", "0", "2"),
                2,
                2,
            )
            .unwrap();
        assert_eq!(fills(&e)[0].quantity.to_string(), "0.5");
    }
}
