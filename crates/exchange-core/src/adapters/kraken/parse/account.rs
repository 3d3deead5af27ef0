//! Private account data: `Balance`, `BalanceEx`, `TradesHistory`, `OpenPositions` (§2).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Num, parse_side};
use crate::adapters::kraken::SymbolMap;
use crate::adapters::kraken::symbols::normalize_asset;
use crate::model::{Balance, Fill, Liquidity, Position, Side};

/// `Balance` result (Kraken docs example): asset → total balance, holds included.
///
/// ```json
/// {"ZUSD":"171288.6158","ZEUR":"504861.8946","XXBT":"1011.1908877900"}
/// ```
pub type BalanceResult = HashMap<String, Num>;

/// Totals per unified asset (`XXBT` → `BTC`), summed where two Kraken codes normalize alike.
pub fn balance_totals(result: &BalanceResult) -> BTreeMap<String, Decimal> {
    let mut totals = BTreeMap::new();
    for (asset, amount) in result {
        *totals
            .entry(normalize_asset(asset))
            .or_insert(Decimal::ZERO) += amount.value();
    }
    totals
}

/// One asset of the `BalanceEx` result (Kraken docs example):
///
/// ```json
/// {"balance":"25435.21","hold_trade":"8249.76","credit":"0","credit_used":"0"}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct BalanceEx {
    /// Total balance.
    pub balance: Num,
    /// Held by open orders.
    #[serde(default)]
    pub hold_trade: Option<Num>,
    /// Credit used (borrowed).
    #[serde(default)]
    pub credit_used: Option<Num>,
}

/// `BalanceEx` result: asset → balance.
pub type BalanceExResult = HashMap<String, BalanceEx>;

/// Normalized balances (`free = balance − hold_trade`), sorted by asset.
pub fn balances_ex(result: &BalanceExResult) -> Vec<Balance> {
    let mut out: Vec<Balance> = result
        .iter()
        .map(|(asset, b)| {
            let locked = b.hold_trade.as_ref().map_or(Decimal::ZERO, Num::value);
            Balance {
                asset: normalize_asset(asset),
                free: (b.balance.value() - locked).max(Decimal::ZERO),
                locked,
                borrowed: b
                    .credit_used
                    .as_ref()
                    .map(Num::value)
                    .filter(|v| !v.is_zero()),
            }
        })
        .collect();
    out.sort_by(|a, b| a.asset.cmp(&b.asset));
    out
}

/// One fill of `TradesHistory` (Kraken docs example; keyed by trade txid):
///
/// ```json
/// {"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD",
///  "time":1688667796.8802,"type":"buy","ordertype":"limit","price":"30010.00000",
///  "cost":"600.20000","fee":"0.00000","vol":"0.02000000","margin":"0.00000","misc":"",
///  "trade_id":39482674,"maker":true}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct RestFill {
    /// The order's id.
    pub ordertxid: String,
    /// The pair key.
    pub pair: String,
    /// Time, seconds.
    pub time: Num,
    /// `buy` or `sell`.
    #[serde(rename = "type")]
    pub side: String,
    /// Price.
    pub price: Num,
    /// Fee, in the quote asset.
    pub fee: Num,
    /// Volume.
    pub vol: Num,
    /// Whether we were the maker.
    #[serde(default)]
    pub maker: Option<bool>,
}

/// `TradesHistory` result: `{"trades":{txid: fill},"count":n}`.
#[derive(Debug, Clone, Deserialize)]
pub struct TradesHistoryResult {
    /// Fills by trade txid.
    pub trades: HashMap<String, RestFill>,
    /// Total matching fills.
    #[serde(default)]
    pub count: u64,
}

impl RestFill {
    /// The normalized fill. Its identity is the trade txid (the v2 `exec_id`), so a fill seen
    /// on both REST and the executions channel is one fill. `client_order_id` comes from the
    /// caller's order records (TradesHistory does not carry it).
    pub fn to_fill(
        &self,
        txid: &str,
        client_order_id: String,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Fill> {
        let symbol = symbols.symbol(&self.pair)?;
        Ok(Fill {
            client_order_id,
            venue_order_id: self.ordertxid.clone(),
            trade_id: txid.to_owned(),
            fee_asset: Some(symbol.quote().to_owned()),
            symbol,
            side: parse_side(&self.side)?,
            price: self.price.value(),
            quantity: self.vol.value(),
            fee: self.fee.value(),
            liquidity: self.maker.map(|m| {
                if m {
                    Liquidity::Maker
                } else {
                    Liquidity::Taker
                }
            }),
            exchange_ts_ns: self.time.seconds_to_ns().unwrap_or(0),
            local_ts_ns,
        })
    }
}

/// One margin position of `OpenPositions` (Kraken docs example; keyed by position txid):
///
/// ```json
/// {"ordertxid":"OQCLML-BW3P3-BUCMWZ","posstatus":"open","pair":"XXBTZUSD",
///  "time":1605280097.8294,"type":"buy","ordertype":"limit","cost":"104610.52842",
///  "fee":"289.06565","vol":"8.82412861","vol_closed":"0.20200000","margin":"20922.10568",
///  "value":"258797.5","net":"+154186.9728","terms":"0.0100% per 4 hours",
///  "rollovertm":"1616672637","misc":"","oflags":""}
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct RestPosition {
    /// The pair key.
    pub pair: String,
    /// Open time, seconds.
    pub time: Num,
    /// `buy` (long) or `sell` (short).
    #[serde(rename = "type")]
    pub side: String,
    /// Opening cost, quote asset.
    pub cost: Num,
    /// Opened volume.
    pub vol: Num,
    /// Volume closed so far.
    pub vol_closed: Num,
    /// Margin used.
    pub margin: Num,
    /// Unrealized profit/loss (only with `docalcs=true`).
    #[serde(default)]
    pub net: Option<Num>,
}

/// `OpenPositions` result: position txid → position.
pub type OpenPositionsResult = HashMap<String, RestPosition>;

impl RestPosition {
    /// The normalized position: signed remaining volume, entry = cost / vol, leverage =
    /// cost / margin.
    pub fn to_position(&self, symbols: &SymbolMap) -> crate::Result<Position> {
        let open = self.vol.value() - self.vol_closed.value();
        let quantity = match parse_side(&self.side)? {
            Side::Buy => open,
            Side::Sell => -open,
        };
        let entry_price = self
            .cost
            .value()
            .checked_div(self.vol.value())
            .unwrap_or(Decimal::ZERO);
        Ok(Position {
            symbol: symbols.symbol(&self.pair)?,
            quantity,
            entry_price,
            mark_price: None,
            unrealized_pnl: self.net.as_ref().map(Num::value),
            liquidation_price: None,
            leverage: self.cost.value().checked_div(self.margin.value()),
            margin_mode: None,
            updated_ts_ns: self.time.seconds_to_ns().unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::parse::parse_result;
    use crate::adapters::kraken::symbols::PairNames;

    fn map() -> SymbolMap {
        let mut map = SymbolMap::new();
        map.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            "BTC/USD".parse().unwrap(),
        );
        map
    }

    #[test]
    fn balances_from_the_doc_examples() {
        let r: BalanceResult = parse_result(
            "Balance",
            r#"{"error":[],"result":{"ZUSD":"171288.6158","XXBT":"1011.1908877900"}}"#,
        )
        .unwrap();
        let totals = balance_totals(&r);
        assert_eq!(totals["BTC"], dec!(1011.1908877900));
        assert_eq!(totals["USD"], dec!(171288.6158));
        let r: BalanceExResult = parse_result(
            "BalanceEx",
            r#"{"error":[],"result":{"ZUSD":{"balance":"25435.21","hold_trade":"8249.76"},"XXBT":{"balance":"1.2435","hold_trade":"0.8423"}}}"#,
        )
        .unwrap();
        let b = balances_ex(&r);
        assert_eq!(b[0].asset, "BTC");
        assert_eq!((b[0].free, b[0].locked), (dec!(0.4012), dec!(0.8423)));
        assert_eq!(b[1].free, dec!(17185.45));
    }

    #[test]
    fn fills_and_positions_from_the_doc_examples() {
        let r: TradesHistoryResult = parse_result("TradesHistory", r#"{"error":[],"result":{"trades":{"THVRQM-33VKH-UCI7BS":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD","time":1688667796.8802,"type":"buy","ordertype":"limit","price":"30010.00000","cost":"600.20000","fee":"0.00000","vol":"0.02000000","margin":"0.00000","misc":"","trade_id":39482674,"maker":true}},"count":1}}"#).unwrap();
        let f = r.trades["THVRQM-33VKH-UCI7BS"]
            .to_fill("THVRQM-33VKH-UCI7BS", "c1".into(), &map(), 5)
            .unwrap();
        assert_eq!(f.trade_id, "THVRQM-33VKH-UCI7BS");
        assert_eq!(f.venue_order_id, "OQCLML-BW3P3-BUCMWZ");
        assert_eq!((f.price, f.quantity), (dec!(30010), dec!(0.02)));
        assert_eq!(f.liquidity, Some(Liquidity::Maker));
        assert_eq!(f.exchange_ts_ns, 1_688_667_796_880_200_000);

        let r: OpenPositionsResult = parse_result("OpenPositions", r#"{"error":[],"result":{"TF5GVO-T7ZZ2-6NBKBI":{"ordertxid":"OLWNFG-LLH4R-D6SFFP","posstatus":"open","pair":"XXBTZUSD","time":1605280097.8294,"type":"sell","ordertype":"limit","cost":"104610.52842","fee":"289.06565","vol":"8.82412861","vol_closed":"0.20200000","margin":"20922.10568","value":"258797.5","net":"+154186.9728","terms":"0.0100% per 4 hours","rollovertm":"1616672637","misc":"","oflags":""}}}"#).unwrap();
        let p = r["TF5GVO-T7ZZ2-6NBKBI"].to_position(&map()).unwrap();
        assert_eq!(p.symbol.to_string(), "BTC/USD");
        assert_eq!(p.quantity, dec!(-8.62212861));
        assert_eq!(p.unrealized_pnl, Some(dec!(154186.9728)));
        assert_eq!(p.leverage.map(|l| l.round_dp(2)), Some(dec!(5.00)));
    }
}
