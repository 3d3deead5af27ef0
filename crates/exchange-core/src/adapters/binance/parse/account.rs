//! Account bodies: spot `GET /api/v3/account` balances, cross margin
//! `GET /sapi/v1/margin/account`, USD-M `GET /fapi/v2/balance`, and `GET /api/v3/time`.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::Balance;

/// `GET /api/v3/time` (and `/fapi/v1/time`).
///
/// ```json
/// {"serverTime":1499827319559}
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerTime {
    /// Server time, ms.
    pub server_time: i64,
}

/// `GET /api/v3/account` (trimmed to balances).
///
/// ```json
/// {"makerCommission":15,"canTrade":true,"updateTime":123456789,"accountType":"SPOT",
///  "balances":[{"asset":"BTC","free":"4723846.89208129","locked":"0.00000000"}],
///  "permissions":["SPOT"],"uid":354937868}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotAccount {
    /// Whether the account may trade.
    #[serde(default)]
    pub can_trade: Option<bool>,
    /// `SPOT`, …
    #[serde(default)]
    pub account_type: Option<String>,
    /// One entry per asset.
    pub balances: Vec<SpotBalance>,
}

/// One asset of [`SpotAccount::balances`]: `{"asset":"BTC","free":"4723846.89208129","locked":"0.00000000"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SpotBalance {
    /// Asset code.
    pub asset: String,
    /// Available.
    pub free: Decimal,
    /// Held by open orders.
    pub locked: Decimal,
}

impl From<&SpotBalance> for Balance {
    fn from(b: &SpotBalance) -> Self {
        Balance {
            asset: b.asset.clone(),
            free: b.free,
            locked: b.locked,
            borrowed: None,
        }
    }
}

impl SpotAccount {
    /// Every balance, zero ones included (ask with `omitZeroBalances=true` to skip them).
    pub fn to_balances(&self) -> Vec<Balance> {
        self.balances.iter().map(Balance::from).collect()
    }
}

/// One asset of USD-M `GET /fapi/v2/balance` ([2nd-hand] field names, §8).
///
/// ```json
/// {"accountAlias":"SgsR","asset":"USDT","balance":"122607.35137903",
///  "crossWalletBalance":"23.72469206","crossUnPnl":"0.00000000",
///  "availableBalance":"23.72469206","maxWithdrawAmount":"23.72469206",
///  "marginAvailable":true,"updateTime":1617939110373}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FuturesBalance {
    /// Asset code.
    pub asset: String,
    /// Wallet balance.
    pub balance: Decimal,
    /// Available for new orders.
    pub available_balance: Decimal,
}

impl From<&FuturesBalance> for Balance {
    /// Free is the available balance; the rest of the wallet balance is held as margin.
    fn from(b: &FuturesBalance) -> Self {
        Balance {
            asset: b.asset.clone(),
            free: b.available_balance,
            locked: (b.balance - b.available_balance).max(Decimal::ZERO),
            borrowed: None,
        }
    }
}

/// Cross margin account, `GET /sapi/v1/margin/account` (trimmed to the assets; [2nd-hand]
/// field names, not in binance.md).
///
/// ```json
/// {"borrowEnabled":true,"marginLevel":"11.64405625","tradeEnabled":true,
///  "userAssets":[{"asset":"BTC","borrowed":"0.00000000","free":"0.00499500",
///  "interest":"0.00000000","locked":"0.00000000","netAsset":"0.00499500"}]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarginAccount {
    /// One entry per asset.
    pub user_assets: Vec<MarginAsset>,
}

/// One asset of [`MarginAccount::user_assets`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarginAsset {
    /// Asset code.
    pub asset: String,
    /// Available.
    pub free: Decimal,
    /// Held by open orders.
    pub locked: Decimal,
    /// Borrowed.
    pub borrowed: Decimal,
    /// Accrued interest.
    pub interest: Decimal,
}

impl MarginAccount {
    /// Balances with what is owed (borrowed plus interest) as `borrowed`.
    pub fn to_balances(&self) -> Vec<Balance> {
        self.user_assets
            .iter()
            .map(|a| Balance {
                asset: a.asset.clone(),
                free: a.free,
                locked: a.locked,
                borrowed: Some(a.borrowed + a.interest),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn margin_and_futures_balances() {
        let m: MarginAccount = serde_json::from_str(
            r#"{"borrowEnabled":true,"marginLevel":"11.64405625","tradeEnabled":true,
              "userAssets":[{"asset":"BTC","borrowed":"0.10000000","free":"0.00499500",
              "interest":"0.00010000","locked":"0.00000000","netAsset":"-0.09510500"}]}"#,
        )
        .unwrap();
        assert_eq!(
            m.to_balances(),
            vec![Balance {
                asset: "BTC".into(),
                free: dec!(0.004995),
                locked: dec!(0),
                borrowed: Some(dec!(0.1001)),
            }]
        );
        let f: Vec<FuturesBalance> = serde_json::from_str(
            r#"[{"accountAlias":"SgsR","asset":"USDT","balance":"122607.35137903",
               "crossWalletBalance":"23.72469206","crossUnPnl":"0.00000000",
               "availableBalance":"23.72469206","maxWithdrawAmount":"23.72469206",
               "marginAvailable":true,"updateTime":1617939110373}]"#,
        )
        .unwrap();
        let b = Balance::from(&f[0]);
        assert_eq!(b.free, dec!(23.72469206));
        assert_eq!(b.locked, dec!(122583.62668697));
        assert_eq!(b.total(), dec!(122607.35137903));
    }
}
