//! Our own executions over REST: spot `GET /api/v3/myTrades`, margin
//! `GET /sapi/v1/margin/myTrades` and USD-M `GET /fapi/v1/userTrades` → [`Fill`]s.
//!
//! The three bodies share their core (`id`, `orderId`, `price`, `qty`, `commission`,
//! `commissionAsset`, `time`); spot and margin say `isBuyer`/`isMaker`, USD-M says
//! `buyer`/`maker` (and adds `side`, `realizedPnl`, `positionSide`). The trade id `id` is the
//! number the private stream reports as `t` (`executionReport`, `ORDER_TRADE_UPDATE`), so a fill
//! seen on both is one fill. None of these bodies carries the client order id: the caller, who
//! asked about one order, supplies it.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::adapters::binance::SymbolMap;
use crate::adapters::binance::time::ms_to_ns;
use crate::model::{Fill, Liquidity, Side};

/// Rows per page (the documented maximum `limit` of all three endpoints).
pub const PAGE_LIMIT: u32 = 1000;

/// One of our executions (spot doc example, rest-api.md "Account trade list"):
///
/// ```json
/// {"symbol":"BNBBTC","id":28457,"orderId":100234,"orderListId":-1,"price":"4.00000100",
///  "qty":"12.00000000","quoteQty":"48.000012","commission":"10.10000000",
///  "commissionAsset":"BNB","time":1499865549590,"isBuyer":true,"isMaker":false,
///  "isBestMatch":true}
/// ```
///
/// USD-M (doc example, "Account Trade List"):
///
/// ```json
/// {"buyer":false,"commission":"-0.07819010","commissionAsset":"USDT","id":698759,
///  "maker":false,"orderId":25851813,"price":"7819.01","qty":"0.002","quoteQty":"15.63802",
///  "realizedPnl":"-0.91539999","side":"SELL","positionSide":"SHORT","symbol":"BTCUSDT",
///  "time":1569514978020}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountTrade {
    /// Venue symbol id.
    pub symbol: String,
    /// Trade id (the stream's `t`).
    pub id: u64,
    /// Venue order id.
    pub order_id: u64,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Fee, as the venue reports it.
    pub commission: Decimal,
    /// Fee asset.
    pub commission_asset: String,
    /// Execution time, ms.
    pub time: i64,
    /// Whether we bought (spot/margin `isBuyer`, USD-M `buyer`).
    #[serde(alias = "buyer")]
    pub is_buyer: bool,
    /// Whether we were the maker (spot/margin `isMaker`, USD-M `maker`).
    #[serde(alias = "maker")]
    pub is_maker: bool,
}

impl AccountTrade {
    /// The normalized fill of our order `client_order_id`, received at `local_ts_ns`.
    pub fn to_fill(
        &self,
        client_order_id: &str,
        symbols: &SymbolMap,
        local_ts_ns: i64,
    ) -> crate::Result<Fill> {
        Ok(Fill {
            client_order_id: client_order_id.to_owned(),
            venue_order_id: self.order_id.to_string(),
            trade_id: self.id.to_string(),
            symbol: symbols.symbol(&self.symbol)?.clone(),
            side: if self.is_buyer { Side::Buy } else { Side::Sell },
            price: self.price,
            quantity: self.qty,
            fee: self.commission,
            fee_asset: Some(self.commission_asset.clone()),
            liquidity: Some(if self.is_maker {
                Liquidity::Maker
            } else {
                Liquidity::Taker
            }),
            exchange_ts_ns: ms_to_ns(self.time),
            local_ts_ns,
        })
    }
}

/// Paging by `fromId` (trades with `id >= fromId`, oldest first, at most `limit`): the `fromId`
/// of the page after `page`, or `None` when `page` was short (the last one).
pub fn next_from_id(page: &[AccountTrade], limit: u32) -> Option<u64> {
    let full = usize::try_from(limit).is_ok_and(|l| page.len() >= l);
    if !full {
        return None;
    }
    page.iter().map(|t| t.id).max().map(|id| id + 1)
}

/// The fills of one order from every page's rows: only that order's rows, each trade once,
/// oldest first (by time, then trade id).
pub fn order_fills(
    rows: &[AccountTrade],
    order_id: u64,
    client_order_id: &str,
    symbols: &SymbolMap,
    local_ts_ns: i64,
) -> crate::Result<Vec<Fill>> {
    let mut mine: Vec<&AccountTrade> = rows.iter().filter(|t| t.order_id == order_id).collect();
    mine.sort_by_key(|t| (t.time, t.id));
    mine.dedup_by_key(|t| t.id);
    mine.iter()
        .map(|t| t.to_fill(client_order_id, symbols, local_ts_ns))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn row(id: u64, order_id: u64, time: i64) -> AccountTrade {
        AccountTrade {
            symbol: "BTCUSDT".into(),
            id,
            order_id,
            price: dec!(1),
            qty: dec!(1),
            commission: dec!(0),
            commission_asset: "USDT".into(),
            time,
            is_buyer: true,
            is_maker: true,
        }
    }

    #[test]
    fn pages_on_from_a_full_page_only() {
        let page = vec![row(5, 1, 1), row(9, 1, 2)];
        assert_eq!(next_from_id(&page, 2), Some(10));
        assert_eq!(next_from_id(&page, 3), None);
        assert_eq!(next_from_id(&[], 0), None);
    }

    #[test]
    fn keeps_one_orders_trades_once_oldest_first() {
        let mut symbols = SymbolMap::new();
        symbols.insert("BTCUSDT", "BTC/USDT".parse().unwrap());
        let rows = vec![row(9, 1, 2), row(5, 1, 1), row(7, 2, 1), row(9, 1, 2)];
        let fills = order_fills(&rows, 1, "c1", &symbols, 0).unwrap();
        let ids: Vec<_> = fills.iter().map(|f| f.trade_id.as_str()).collect();
        assert_eq!(ids, ["5", "9"]);
        assert!(fills.iter().all(|f| f.client_order_id == "c1"));
    }
}
