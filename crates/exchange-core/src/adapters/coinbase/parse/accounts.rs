//! Balances (§2): `GET /accounts?limit=&cursor=` → [`Balance`]s, one page at a time (cursor
//! pagination: follow `cursor` while `has_next`).
//!
//! No live v3 body was captured (§8); the shape is the SDK's `ListAccountsResponse`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::num::{Money, money_value, opt_text};
use crate::model::Balance;

/// One account: one currency in one portfolio (SDK type shape).
///
/// ```json
/// {"uuid":"8bfc20d7-f7c6-4422-bf07-8243ca4169fe","name":"BTC Wallet","currency":"BTC",
///  "available_balance":{"value":"1.23","currency":"BTC"},"default":false,"active":true,
///  "created_at":"2021-05-31T09:59:59Z","updated_at":"2021-05-31T09:59:59Z","deleted_at":null,
///  "type":"ACCOUNT_TYPE_CRYPTO","ready":true,"hold":{"value":"0.1","currency":"BTC"},
///  "retail_portfolio_id":"b87a2d3f-8a1e-49b3-a4ea-402d8c389aca"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// Account id.
    pub uuid: String,
    /// Currency code.
    pub currency: String,
    /// Available to trade or withdraw.
    #[serde(default)]
    pub available_balance: Option<Money>,
    /// Held by open orders.
    #[serde(default)]
    pub hold: Option<Money>,
    /// Whether the account is active.
    #[serde(default = "yes")]
    pub active: bool,
    /// Account type (`ACCOUNT_TYPE_CRYPTO`, `ACCOUNT_TYPE_FIAT`, ...).
    #[serde(default, rename = "type", deserialize_with = "opt_text::deserialize")]
    pub account_type: Option<String>,
}

fn yes() -> bool {
    true
}

impl Account {
    /// The normalized balance (missing amounts count as zero).
    pub fn to_balance(&self) -> Balance {
        Balance {
            asset: self.currency.clone(),
            free: money_value(&self.available_balance).unwrap_or(Decimal::ZERO),
            locked: money_value(&self.hold).unwrap_or(Decimal::ZERO),
            borrowed: None,
        }
    }
}

/// One page of `GET /accounts` (SDK type shape).
///
/// ```json
/// {"accounts":[{"uuid":"8bfc20d7-f7c6-4422-bf07-8243ca4169fe","currency":"BTC",
///  "available_balance":{"value":"1.23","currency":"BTC"},"hold":{"value":"0.1","currency":"BTC"},
///  "active":true}],"has_next":true,"cursor":"789100","size":1}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountsPage {
    /// The accounts of this page.
    pub accounts: Vec<Account>,
    /// Whether another page follows.
    #[serde(default)]
    pub has_next: bool,
    /// The cursor of the next page.
    #[serde(default, deserialize_with = "opt_text::deserialize")]
    pub cursor: Option<String>,
    /// Number of accounts in this page.
    #[serde(default)]
    pub size: Option<u64>,
}

impl AccountsPage {
    /// The cursor to fetch next, or `None` on the last page.
    pub fn next_cursor(&self) -> Option<&str> {
        if self.has_next {
            self.cursor.as_deref()
        } else {
            None
        }
    }
}

/// Sums accounts into one balance per asset (a currency may sit in several portfolios),
/// ordered by asset; inactive accounts are skipped.
pub fn balances<'a>(accounts: impl IntoIterator<Item = &'a Account>) -> Vec<Balance> {
    let mut by_asset: BTreeMap<String, Balance> = BTreeMap::new();
    for account in accounts.into_iter().filter(|a| a.active) {
        let b = account.to_balance();
        by_asset
            .entry(b.asset.clone())
            .and_modify(|sum| {
                sum.free += b.free;
                sum.locked += b.locked;
            })
            .or_insert(b);
    }
    by_asset.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_cursor_and_balances_sum_per_asset() {
        let page: AccountsPage = serde_json::from_str(
            r#"{"accounts":[
              {"uuid":"a","currency":"BTC","available_balance":{"value":"1.23","currency":"BTC"},"hold":{"value":"0.1","currency":"BTC"},"active":true},
              {"uuid":"b","currency":"BTC","available_balance":{"value":"0.77","currency":"BTC"},"hold":{"value":"0","currency":"BTC"},"active":true},
              {"uuid":"c","currency":"USD","available_balance":{"value":"","currency":"USD"},"active":false}],
              "has_next":true,"cursor":"789100","size":3}"#,
        )
        .unwrap();
        assert_eq!(page.next_cursor(), Some("789100"));
        let b = balances(&page.accounts);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].asset, "BTC");
        assert_eq!(b[0].free.to_string(), "2.00");
        assert_eq!(b[0].locked.to_string(), "0.1");
        let last: AccountsPage =
            serde_json::from_str(r#"{"accounts":[],"has_next":false,"cursor":"","size":0}"#)
                .unwrap();
        assert_eq!(last.next_cursor(), None);
    }
}
