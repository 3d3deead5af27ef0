//! Account balances per asset.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The balance of one asset in one account.
///
/// ```json
/// {"asset":"BTC","free":"4723846.89208129","locked":"0","borrowed":null}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Asset code, normalized (`BTC`, `USDT`).
    pub asset: String,
    /// Available for new orders or withdrawal.
    pub free: Decimal,
    /// Held by open orders or margin.
    pub locked: Decimal,
    /// Borrowed amount on margin accounts.
    pub borrowed: Option<Decimal>,
}

impl Balance {
    /// Free plus locked.
    pub fn total(&self) -> Decimal {
        self.free + self.locked
    }
}
