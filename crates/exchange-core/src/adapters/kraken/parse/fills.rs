//! One order's fills: the trade txids `QueryOrders` lists under `trades` (with `trades=true`)
//! looked up with `QueryTrades` (at most 20 ids a call), each as `TradesHistory` shows it.
//!
//! A fill's identity is its trade txid (`T…`), which the v2 `executions` channel reports as
//! `exec_id`: a fill seen on both is one fill. Neither REST body carries our client order id;
//! the caller, who found the order by it, supplies it.

use std::collections::HashMap;

use super::account::RestFill;
use crate::ExchangeError;
use crate::adapters::kraken::SymbolMap;
use crate::model::Fill;

/// Trade txids per `QueryTrades` call (Kraken's maximum).
pub const QUERY_TRADES_BATCH: usize = 20;

/// `QueryTrades` result: trade txid → trade (Kraken docs, "Query Trades Info"):
///
/// ```json
/// {"THVRQM-33VKH-UCI7BS":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT",
///  "pair":"XXBTZUSD","time":1688667796.8802,"type":"buy","ordertype":"limit",
///  "price":"30010.00000","cost":"600.20000","fee":"0.00000","vol":"0.02000000",
///  "margin":"0.00000","misc":"","trade_id":39482674,"maker":true}}
/// ```
pub type QueryTradesResult = HashMap<String, RestFill>;

/// The fills of order `order_txid` (ours: `client_order_id`) from its trade txids and the
/// trades looked up: every listed trade must be there and belong to the order; oldest first
/// (by time, then in the order `QueryOrders` listed them).
pub fn order_fills(
    order_txid: &str,
    trade_txids: &[String],
    trades: &QueryTradesResult,
    client_order_id: &str,
    symbols: &SymbolMap,
    local_ts_ns: i64,
) -> crate::Result<Vec<Fill>> {
    let mut fills = Vec::with_capacity(trade_txids.len());
    for txid in trade_txids {
        let trade = trades.get(txid).ok_or_else(|| {
            ExchangeError::InvalidResponse(format!(
                "kraken QueryTrades: trade {txid} of order {order_txid} missing"
            ))
        })?;
        if trade.ordertxid != order_txid {
            return Err(ExchangeError::InvalidResponse(format!(
                "kraken QueryTrades: trade {txid} belongs to {}, not {order_txid}",
                trade.ordertxid
            )));
        }
        fills.push(trade.to_fill(txid, client_order_id.to_owned(), symbols, local_ts_ns)?);
    }
    fills.sort_by_key(|f| f.exchange_ts_ns);
    Ok(fills)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::adapters::kraken::parse::parse_result;
    use crate::adapters::kraken::symbols::PairNames;
    use crate::model::{Liquidity, Side};

    const BODY: &str = r#"{"error":[],"result":{
        "TB":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD",
              "time":1688667797.5,"type":"buy","ordertype":"limit","price":"30010.00000",
              "cost":"300.10000","fee":"0.48016","vol":"0.01000000","margin":"0.00000","misc":"",
              "trade_id":39482675,"maker":true},
        "TA":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD",
              "time":1688667796.8802,"type":"buy","ordertype":"limit","price":"30010.00000",
              "cost":"600.20000","fee":"0.00000","vol":"0.02000000","margin":"0.00000","misc":"",
              "trade_id":39482674,"maker":true}}}"#;

    fn symbols() -> SymbolMap {
        let mut s = SymbolMap::new();
        s.insert(
            PairNames {
                key: "XXBTZUSD".into(),
                altname: "XBTUSD".into(),
                wsname: "XBT/USD".into(),
            },
            "BTC/USD".parse().unwrap(),
        );
        s
    }

    #[test]
    fn an_orders_trades_oldest_first_by_trade_txid() {
        let trades: QueryTradesResult = parse_result("QueryTrades", BODY).unwrap();
        let ids = vec!["TB".to_owned(), "TA".to_owned()];
        let fills = order_fills("OQCLML-BW3P3-BUCMWZ", &ids, &trades, "c1", &symbols(), 7).unwrap();
        let got: Vec<_> = fills.iter().map(|f| f.trade_id.as_str()).collect();
        assert_eq!(got, ["TA", "TB"]);
        let f = &fills[1];
        assert_eq!(
            (f.client_order_id.as_str(), f.venue_order_id.as_str()),
            ("c1", "OQCLML-BW3P3-BUCMWZ")
        );
        assert_eq!(
            (f.side, f.price, f.quantity),
            (Side::Buy, dec!(30010), dec!(0.01))
        );
        assert_eq!(
            (f.fee, f.fee_asset.as_deref()),
            (dec!(0.48016), Some("USD"))
        );
        assert_eq!(f.liquidity, Some(Liquidity::Maker));
        assert_eq!(f.exchange_ts_ns, 1_688_667_797_500_000_000);
        assert_eq!(f.local_ts_ns, 7);
    }

    #[test]
    fn a_missing_or_foreign_trade_is_an_invalid_response() {
        let trades: QueryTradesResult = parse_result("QueryTrades", BODY).unwrap();
        let missing = order_fills(
            "OQCLML-BW3P3-BUCMWZ",
            &["TC".into()],
            &trades,
            "c",
            &symbols(),
            0,
        );
        assert!(matches!(missing, Err(ExchangeError::InvalidResponse(_))));
        let foreign = order_fills("OTHER", &["TA".into()], &trades, "c", &symbols(), 0);
        assert!(matches!(foreign, Err(ExchangeError::InvalidResponse(_))));
    }
}
