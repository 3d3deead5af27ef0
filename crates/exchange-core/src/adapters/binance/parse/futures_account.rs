//! USD-M futures account state (§8, [2nd-hand] shapes): the user stream's `ACCOUNT_UPDATE`
//! and REST `GET /fapi/v2/positionRisk`.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::non_zero;
use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{AccountEvent, Balance, MarginMode, Position};

/// `ACCOUNT_UPDATE`: changed balances (`B`) and positions (`P`).
///
/// ```json
/// {"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER",
///  "B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],
///  "P":[{"s":"BTCUSDT","pa":"0","ep":"0.00000","bep":"0","cr":"200","up":"0",
///  "mt":"isolated","iw":"0.00000000","ps":"BOTH"}]}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountUpdate {
    /// Event time, ms.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Transaction time, ms.
    #[serde(rename = "T")]
    pub transaction_time: i64,
    /// The update.
    #[serde(rename = "a")]
    pub data: AccountUpdateData,
}

/// The `a` object of [`AccountUpdate`].
///
/// ```json
/// {"m":"ORDER","B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],
///  "P":[]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountUpdateData {
    /// Reason (`ORDER`, `FUNDING_FEE`, `DEPOSIT`, …).
    #[serde(rename = "m")]
    pub reason: String,
    /// Changed balances.
    #[serde(rename = "B", default)]
    pub balances: Vec<FuturesWalletBalance>,
    /// Changed positions.
    #[serde(rename = "P", default)]
    pub positions: Vec<FuturesPositionUpdate>,
}

/// `{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FuturesWalletBalance {
    /// Asset.
    #[serde(rename = "a")]
    pub asset: String,
    /// Wallet balance.
    #[serde(rename = "wb")]
    pub wallet_balance: Decimal,
    /// Cross wallet balance.
    #[serde(rename = "cw")]
    pub cross_wallet_balance: Decimal,
}

/// `{"s":"BTCUSDT","pa":"0","ep":"0.00000","bep":"0","cr":"200","up":"0","mt":"isolated","iw":"0.00000000","ps":"BOTH"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FuturesPositionUpdate {
    /// Venue symbol id.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Position amount (negative = short).
    #[serde(rename = "pa")]
    pub amount: Decimal,
    /// Entry price.
    #[serde(rename = "ep")]
    pub entry_price: Decimal,
    /// Unrealized PnL.
    #[serde(rename = "up")]
    pub unrealized_pnl: Decimal,
    /// Margin type, `cross` or `isolated`.
    #[serde(rename = "mt")]
    pub margin_type: String,
    /// Position side, `BOTH`, `LONG` or `SHORT`.
    #[serde(rename = "ps")]
    pub position_side: String,
}

fn margin_mode(text: &str) -> Option<MarginMode> {
    match text.to_ascii_lowercase().as_str() {
        "cross" | "crossed" => Some(MarginMode::Cross),
        "isolated" => Some(MarginMode::Isolated),
        _ => None,
    }
}

impl AccountUpdate {
    /// One balances event (free = cross wallet balance, the rest of the wallet balance locked as
    /// isolated margin) and one position event per changed position.
    pub fn to_account_events(&self, symbols: &SymbolMap) -> crate::Result<Vec<AccountEvent>> {
        let mut events = Vec::new();
        if !self.data.balances.is_empty() {
            events.push(AccountEvent::Balances {
                balances: self
                    .data
                    .balances
                    .iter()
                    .map(|b| Balance {
                        asset: b.asset.clone(),
                        free: b.cross_wallet_balance,
                        locked: (b.wallet_balance - b.cross_wallet_balance).max(Decimal::ZERO),
                        borrowed: None,
                    })
                    .collect(),
            });
        }
        for p in &self.data.positions {
            events.push(AccountEvent::Position(Position {
                symbol: symbols.symbol(&p.symbol)?.clone(),
                quantity: p.amount,
                entry_price: p.entry_price,
                mark_price: None,
                unrealized_pnl: Some(p.unrealized_pnl),
                liquidation_price: None,
                leverage: None,
                margin_mode: margin_mode(&p.margin_type),
                updated_ts_ns: ms_to_ns(self.transaction_time),
            }));
        }
        Ok(events)
    }
}

/// One entry of `GET /fapi/v2/positionRisk` (v3 omits `leverage` and `marginType`).
///
/// ```json
/// {"symbol":"BTCUSDT","positionAmt":"-0.010","entryPrice":"43000.0","breakEvenPrice":"43010.2",
///  "markPrice":"42950.1","unRealizedProfit":"0.499","liquidationPrice":"51000.2",
///  "leverage":"10","marginType":"cross","isolatedMargin":"0.00000000",
///  "positionSide":"BOTH","notional":"-429.501","updateTime":1700000000000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PositionRisk {
    /// Venue symbol id.
    pub symbol: String,
    /// Signed amount (negative = short).
    pub position_amt: Decimal,
    /// Entry price.
    pub entry_price: Decimal,
    /// Mark price.
    #[serde(default)]
    pub mark_price: Option<Decimal>,
    /// Unrealized PnL (Binance's capitalization).
    #[serde(rename = "unRealizedProfit", default)]
    pub unrealized_profit: Option<Decimal>,
    /// Liquidation price (`0` when none).
    #[serde(default)]
    pub liquidation_price: Option<Decimal>,
    /// Leverage (v2).
    #[serde(default)]
    pub leverage: Option<Decimal>,
    /// `cross` or `isolated` (v2).
    #[serde(default)]
    pub margin_type: Option<String>,
    /// `BOTH`, `LONG` or `SHORT`.
    #[serde(default)]
    pub position_side: Option<String>,
    /// Last update, ms.
    #[serde(default)]
    pub update_time: i64,
}

impl PositionRisk {
    /// The normalized position (positionRisk lists flat positions too; callers drop zeros).
    pub fn to_position(&self, symbols: &SymbolMap) -> crate::Result<Position> {
        Ok(Position {
            symbol: symbols.symbol(&self.symbol)?.clone(),
            quantity: self.position_amt,
            entry_price: self.entry_price,
            mark_price: self.mark_price,
            unrealized_pnl: self.unrealized_profit,
            liquidation_price: self.liquidation_price.and_then(non_zero),
            leverage: self.leverage,
            margin_mode: self.margin_type.as_deref().and_then(margin_mode),
            updated_ts_ns: ms_to_ns(self.update_time),
        })
    }
}

#[cfg(test)]
mod tests {
    //! Shapes from the USD-M user-data docs ([2nd-hand], §8); no live capture exists.
    use super::*;
    use rust_decimal_macros::dec;

    fn symbols() -> SymbolMap {
        let mut map = SymbolMap::new();
        map.insert("BTCUSDT", "BTC/USDT:USDT".parse().unwrap());
        map
    }

    #[test]
    fn account_update_gives_balances_and_positions() {
        use crate::adapters::binance::parse::futures_user::FuturesUserEvent;
        let text = r#"{"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER",
          "B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],
          "P":[{"s":"BTCUSDT","pa":"-0.010","ep":"43000.0","bep":"0","cr":"200","up":"0.499",
          "mt":"isolated","iw":"0.00000000","ps":"BOTH"}]}}"#;
        let ev: FuturesUserEvent = serde_json::from_str(text).unwrap();
        let events = ev.to_account_events(&symbols(), 0).unwrap();
        assert_eq!(
            events[0],
            AccountEvent::Balances {
                balances: vec![Balance {
                    asset: "USDT".into(),
                    free: dec!(100.12345678),
                    locked: dec!(122524),
                    borrowed: None,
                }]
            }
        );
        let AccountEvent::Position(p) = &events[1] else {
            panic!("{events:?}")
        };
        assert_eq!(p.quantity, dec!(-0.010));
        assert_eq!(p.entry_price, dec!(43000));
        assert_eq!(p.unrealized_pnl, Some(dec!(0.499)));
        assert_eq!(p.margin_mode, Some(MarginMode::Isolated));
        assert_eq!(p.updated_ts_ns, 1_564_745_798_938_000_000);
        let expired: FuturesUserEvent =
            serde_json::from_str(r#"{"e":"listenKeyExpired","E":1576653824250}"#).unwrap();
        assert!(expired.to_account_events(&symbols(), 0).unwrap().is_empty());
    }

    #[test]
    fn position_risk_v2() {
        let text = r#"{"symbol":"BTCUSDT","positionAmt":"-0.010","entryPrice":"43000.0",
          "breakEvenPrice":"43010.2","markPrice":"42950.1","unRealizedProfit":"0.499",
          "liquidationPrice":"51000.2","leverage":"10","marginType":"cross",
          "isolatedMargin":"0.00000000","positionSide":"BOTH","notional":"-429.501",
          "updateTime":1700000000000}"#;
        let risk: PositionRisk = serde_json::from_str(text).unwrap();
        let p = risk.to_position(&symbols()).unwrap();
        assert_eq!(p.quantity, dec!(-0.01));
        assert_eq!(p.mark_price, Some(dec!(42950.1)));
        assert_eq!(p.liquidation_price, Some(dec!(51000.2)));
        assert_eq!(p.leverage, Some(dec!(10)));
        assert_eq!(p.margin_mode, Some(MarginMode::Cross));
        assert_eq!(p.updated_ts_ns, 1_700_000_000_000_000_000);
    }
}
