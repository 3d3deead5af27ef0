//! Accounts: balances with free/locked (and borrowed for margin), futures positions and the fill
//! history that the truth endpoints expose.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

/// What kind of product an account trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// Spot wallet.
    Spot,
    /// Cross margin wallet (can borrow).
    Margin,
    /// USD-M futures wallet (positions, one-way mode).
    Futures,
}

/// One asset's balance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Balance {
    /// Available.
    pub free: Decimal,
    /// Reserved by open orders.
    pub locked: Decimal,
    /// Borrowed (margin only).
    pub borrowed: Decimal,
    /// Accrued interest (margin only; the simulator accrues none).
    pub interest: Decimal,
}

/// A one-way futures position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Position {
    /// Signed amount (negative = short).
    pub amount: Decimal,
    /// Average entry price.
    pub entry_price: Decimal,
    /// Leverage.
    pub leverage: u32,
    /// `cross` or `isolated`.
    pub margin_type: String,
    /// Last update time (ms).
    pub update_time: u64,
}

impl Default for Position {
    fn default() -> Self {
        Position {
            amount: Decimal::ZERO,
            entry_price: Decimal::ZERO,
            leverage: 20,
            margin_type: "cross".into(),
            update_time: 0,
        }
    }
}

impl Position {
    /// Applies a fill of signed quantity `delta` at `price`; returns the realized PnL.
    pub fn apply(&mut self, delta: Decimal, price: Decimal, now: u64) -> Decimal {
        let mut realized = Decimal::ZERO;
        let old = self.amount;
        let new = old + delta;
        if old.is_zero() || old.is_sign_positive() == delta.is_sign_positive() {
            let notional = old.abs() * self.entry_price + delta.abs() * price;
            self.entry_price = if new.is_zero() {
                Decimal::ZERO
            } else {
                notional / new.abs()
            };
        } else {
            let closed = delta.abs().min(old.abs());
            let dir = if old.is_sign_positive() {
                Decimal::ONE
            } else {
                -Decimal::ONE
            };
            realized = (price - self.entry_price) * closed * dir;
            if new.is_zero() {
                self.entry_price = Decimal::ZERO;
            } else if new.is_sign_positive() != old.is_sign_positive() {
                self.entry_price = price;
            }
        }
        self.amount = new;
        self.update_time = now;
        realized
    }

    /// Unrealized PnL at `mark`.
    pub fn unrealized(&self, mark: Decimal) -> Decimal {
        (mark - self.entry_price) * self.amount
    }
}

/// One of the account's executions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountFill {
    /// Symbol.
    pub symbol: String,
    /// Public trade id.
    pub trade_id: u64,
    /// Order id.
    pub order_id: u64,
    /// Side of this account's order.
    pub side: String,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Quote quantity.
    pub quote_qty: Decimal,
    /// Commission.
    pub commission: Decimal,
    /// Commission asset.
    pub commission_asset: String,
    /// Realized PnL (futures).
    pub realized_pnl: Decimal,
    /// Whether this account was the maker.
    pub is_maker: bool,
    /// Time (ms).
    pub time: u64,
}

/// An account with its balances, positions and fills.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Product kind.
    pub kind: AccountKind,
    /// Balances by asset.
    pub balances: BTreeMap<String, Balance>,
    /// Futures positions by symbol.
    pub positions: BTreeMap<String, Position>,
    /// Executions, oldest first.
    pub fills: Vec<AccountFill>,
    /// Last balance change (ms).
    pub update_time: u64,
}

impl Account {
    /// A new account holding `balances` (all free).
    pub fn new(kind: AccountKind, balances: &BTreeMap<String, Decimal>) -> Self {
        Account {
            kind,
            balances: balances
                .iter()
                .map(|(a, f)| {
                    (
                        a.clone(),
                        Balance {
                            free: *f,
                            ..Balance::default()
                        },
                    )
                })
                .collect(),
            positions: BTreeMap::new(),
            fills: Vec::new(),
            update_time: 0,
        }
    }

    /// The balance of `asset`, created empty when absent.
    pub fn balance_mut(&mut self, asset: &str) -> &mut Balance {
        self.balances.entry(asset.to_string()).or_default()
    }

    /// Free amount of `asset`.
    pub fn free(&self, asset: &str) -> Decimal {
        self.balances.get(asset).map(|b| b.free).unwrap_or_default()
    }

    /// Position of `symbol`, created flat when absent.
    pub fn position_mut(&mut self, symbol: &str) -> &mut Position {
        self.positions.entry(symbol.to_string()).or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn position_open_add_reduce_flip() {
        let mut p = Position::default();
        assert_eq!(p.apply(d("1"), d("100"), 1), d("0"));
        assert_eq!(p.apply(d("1"), d("110"), 2), d("0"));
        assert_eq!(p.entry_price, d("105"));
        assert_eq!(p.apply(d("-1"), d("115"), 3), d("10"));
        assert_eq!(p.amount, d("1"));
        assert_eq!(p.apply(d("-3"), d("95"), 4), d("-10"));
        assert_eq!(p.amount, d("-2"));
        assert_eq!(p.entry_price, d("95"));
        assert_eq!(p.unrealized(d("90")), d("10"));
    }
}
