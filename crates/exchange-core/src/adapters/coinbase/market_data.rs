//! Public REST calls of [`CoinbaseExchange`]: markets (`GET /market/products`) and candles
//! (`GET /market/products/{id}/candles`, newest first, at most
//! [`MAX_CANDLES_PER_REQUEST`] per request, so longer ranges are read in pages).

use std::collections::BTreeMap;

use super::MAX_CANDLES_PER_REQUEST;
use super::exchange::CoinbaseExchange;
use super::http::CoinbaseHttp;
use super::parse::candles::{CandlesResponse, Granularity};
use super::parse::products::ProductsResponse;
use super::requests::candles_query;
use super::trading::url_segment;
use crate::Result;
use crate::model::{Candle, Market, Symbol, Timeframe};

/// Candles answered when the caller gives no limit.
const DEFAULT_CANDLES: u32 = MAX_CANDLES_PER_REQUEST;

/// The request windows `[start, end)` (UNIX seconds) covering `count` candles of
/// `step_secs` from `start`, each of at most `per_page` candles.
pub(crate) fn pages(start: i64, count: u32, step_secs: i64, per_page: u32) -> Vec<(i64, i64)> {
    let per_page = per_page.max(1);
    let mut out = Vec::new();
    let mut done = 0u32;
    while done < count {
        let n = (count - done).min(per_page);
        let from = start + i64::from(done) * step_secs;
        out.push((from, from + i64::from(n) * step_secs));
        done += n;
    }
    out
}

impl CoinbaseExchange {
    /// `GET /market/products` → every market whose product id maps to a unified symbol.
    pub(crate) async fn request_markets(&self) -> Result<Vec<Market>> {
        let answer: ProductsResponse = self.http.public("/market/products", Vec::new()).await?;
        let (markets, skipped) = answer.to_markets();
        if skipped > 0 {
            tracing::debug!(skipped, "coinbase: products with unknown id shapes skipped");
        }
        Ok(markets)
    }

    /// Candles of `symbol`, oldest first: from `since_ns` on when given, else the newest ones;
    /// at most `limit` (default [`DEFAULT_CANDLES`]).
    pub(crate) async fn candles(
        &self,
        symbol: &Symbol,
        timeframe: Timeframe,
        since_ns: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<Candle>> {
        let granularity = Granularity::from_timeframe(timeframe)?;
        let market = self.market(symbol).await?;
        fetch_candles(&self.http, &market.venue_id, granularity, since_ns, limit).await
    }
}

/// Candles of `product_id` at `granularity`, oldest first: from `since_ns` on when given, else
/// the newest ones (the forming one included); at most `limit` (default [`DEFAULT_CANDLES`]),
/// read in pages of at most [`MAX_CANDLES_PER_REQUEST`].
pub(crate) async fn fetch_candles(
    http: &CoinbaseHttp,
    product_id: &str,
    granularity: Granularity,
    since_ns: Option<i64>,
    limit: Option<u32>,
) -> Result<Vec<Candle>> {
    let step = granularity.seconds();
    let count = limit.unwrap_or(DEFAULT_CANDLES).max(1);
    let now_ns = crate::model::now_ns();
    let now_secs = now_ns.div_euclid(1_000_000_000);
    let start = match since_ns {
        Some(ns) => ns.div_euclid(1_000_000_000).div_euclid(step) * step,
        None => (now_secs.div_euclid(step) - i64::from(count) + 1) * step,
    };
    let path = format!("/market/products/{}/candles", url_segment(product_id));
    let mut by_open: BTreeMap<i64, Candle> = BTreeMap::new();
    for (from, to) in pages(start, count, step, MAX_CANDLES_PER_REQUEST) {
        if from > now_secs {
            break;
        }
        // `end` is inclusive at the venue: stop one second short of the next page.
        let query = candles_query(from, to - 1, granularity, None);
        let answer: CandlesResponse = http.public(&path, query).await?;
        for candle in answer.to_candles(product_id, granularity, now_ns)? {
            by_open.insert(candle.open_time_ns, candle);
        }
    }
    let candles: Vec<Candle> = by_open.into_values().collect();
    let keep = usize::try_from(count).unwrap_or(usize::MAX);
    Ok(match since_ns {
        Some(_) => candles.into_iter().take(keep).collect(),
        None => {
            let skip = candles.len().saturating_sub(keep);
            candles.into_iter().skip(skip).collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_range_in_capped_windows() {
        assert_eq!(pages(0, 1, 60, 300), vec![(0, 60)]);
        assert_eq!(
            pages(600, 700, 60, 300),
            vec![
                (600, 600 + 300 * 60),
                (600 + 300 * 60, 600 + 600 * 60),
                (600 + 600 * 60, 600 + 700 * 60)
            ]
        );
        assert!(pages(0, 0, 60, 300).is_empty());
    }
}
