//! REST paths and request weights per product (binance.md §2, §8), as plain data.
//!
//! Spot and margin share the spot market-data endpoints (`/api/v3/*`); margin trades and
//! reads its account under `/sapi/v1/margin/*`; USD-M lives under `/fapi/*`.

use super::Product;

/// The REST paths of one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paths {
    /// Server time.
    pub time: &'static str,
    /// Markets.
    pub exchange_info: &'static str,
    /// Depth snapshot.
    pub depth: &'static str,
    /// Candles.
    pub klines: &'static str,
    /// Place (POST), cancel (DELETE) and query (GET) one order.
    pub order: &'static str,
    /// Open orders.
    pub open_orders: &'static str,
    /// Balances.
    pub balance: &'static str,
    /// Our executions, of one order (`orderId`) or one symbol.
    pub my_trades: &'static str,
}

/// The paths of `product`.
pub fn paths(product: Product) -> Paths {
    match product {
        Product::Spot => Paths {
            time: "/api/v3/time",
            exchange_info: "/api/v3/exchangeInfo",
            depth: "/api/v3/depth",
            klines: "/api/v3/klines",
            order: "/api/v3/order",
            open_orders: "/api/v3/openOrders",
            balance: "/api/v3/account",
            my_trades: "/api/v3/myTrades",
        },
        Product::Margin => Paths {
            order: "/sapi/v1/margin/order",
            open_orders: "/sapi/v1/margin/openOrders",
            balance: "/sapi/v1/margin/account",
            my_trades: "/sapi/v1/margin/myTrades",
            ..paths(Product::Spot)
        },
        Product::UsdM => Paths {
            time: "/fapi/v1/time",
            exchange_info: "/fapi/v1/exchangeInfo",
            depth: "/fapi/v1/depth",
            klines: "/fapi/v1/klines",
            order: "/fapi/v1/order",
            open_orders: "/fapi/v1/openOrders",
            balance: "/fapi/v2/balance",
            my_trades: "/fapi/v1/userTrades",
        },
    }
}

/// USD-M positions (`GET /fapi/v2/positionRisk`).
pub const POSITION_RISK: &str = "/fapi/v2/positionRisk";
/// USD-M listenKey (`POST` create, `PUT` keep alive, `DELETE` close).
pub const LISTEN_KEY: &str = "/fapi/v1/listenKey";

/// The depth-snapshot `limit` for a requested `depth`: the smallest documented value that
/// covers it (spot up to 5000, USD-M up to 1000).
pub fn depth_limit(product: Product, depth: usize) -> u32 {
    let allowed: &[u32] = match product {
        Product::Spot | Product::Margin => &[5, 10, 20, 50, 100, 500, 1000, 5000],
        Product::UsdM => &[5, 10, 20, 50, 100, 500, 1000],
    };
    let last = allowed.last().copied().unwrap_or(1000);
    allowed
        .iter()
        .copied()
        .find(|l| usize::try_from(*l).is_ok_and(|l| l >= depth))
        .unwrap_or(last)
}

/// The request weight of a depth snapshot of `limit` levels.
pub fn depth_weight(product: Product, limit: u32) -> u32 {
    match product {
        Product::Spot | Product::Margin => match limit {
            0..=100 => 5,
            101..=500 => 25,
            501..=1000 => 50,
            _ => 250,
        },
        Product::UsdM => match limit {
            0..=50 => 2,
            51..=100 => 5,
            101..=500 => 10,
            _ => 20,
        },
    }
}

/// Weight of `exchangeInfo`.
pub fn exchange_info_weight(product: Product) -> u32 {
    match product {
        Product::UsdM => 1,
        Product::Spot | Product::Margin => 20,
    }
}

/// Weight of a balance read (spot `account` 20, USD-M `balance` 5, margin `account` 10).
pub fn balance_weight(product: Product) -> u32 {
    match product {
        Product::Spot => 20,
        Product::Margin => 10,
        Product::UsdM => 5,
    }
}

/// Weight of an open-orders read, of one symbol or all.
pub fn open_orders_weight(product: Product, one_symbol: bool) -> u32 {
    match (product, one_symbol) {
        (Product::UsdM, true) => 1,
        (Product::UsdM, false) => 40,
        (_, true) => 6,
        (_, false) => 80,
    }
}

/// Weight of one order's executions (`orderId` given): spot `myTrades` 5 (20 without
/// `orderId`), margin `myTrades` 10, USD-M `userTrades` 5.
pub fn order_trades_weight(product: Product) -> u32 {
    match product {
        Product::Spot => 5,
        Product::Margin => 10,
        Product::UsdM => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_limits_cover_the_request() {
        assert_eq!(depth_limit(Product::Spot, 1), 5);
        assert_eq!(depth_limit(Product::Spot, 101), 500);
        assert_eq!(depth_limit(Product::Spot, 100_000), 5000);
        assert_eq!(depth_limit(Product::UsdM, 5000), 1000);
        assert_eq!(depth_weight(Product::Spot, 5000), 250);
        assert_eq!(depth_weight(Product::UsdM, 1000), 20);
        assert_eq!(paths(Product::Margin).depth, "/api/v3/depth");
        assert_eq!(paths(Product::Margin).order, "/sapi/v1/margin/order");
        assert_eq!(paths(Product::Margin).my_trades, "/sapi/v1/margin/myTrades");
        assert_eq!(paths(Product::UsdM).my_trades, "/fapi/v1/userTrades");
    }
}
