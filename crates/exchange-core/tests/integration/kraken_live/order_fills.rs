//! `fetch_order_fills` against venue-sim's Kraken: a resting bid filled partly by two of our own
//! sells; its fills over REST (`QueryOrders` trade ids, then `QueryTrades`) are the two the
//! `executions` channel reported, under the same trade txids, oldest first.

use std::collections::BTreeMap;

use exchange_core::model::{AccountEvent, Fill, Liquidity, OrderStatus, Side};
use exchange_core::{ErrorKind, Exchange, StreamEvent};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::support::*;

#[tokio::test]
async fn order_fills_match_the_executions_channel() {
    let sim = start(quiet()).await;
    let ex = adapter(&sim);
    let btc = sym("BTC/USD");
    let mut sub = ex.subscribe_account().await.unwrap();
    let (bids, asks) = sim.kraken_truth_book("BTC/USD").unwrap();
    let price = bids[0].0 + dec!(0.1);
    assert!(price < asks[0].0, "no room inside the spread");
    let qty = dec!(0.01);
    ex.place_order(&limit(
        "kr-maker",
        "BTC/USD",
        Side::Buy,
        qty * dec!(3),
        price,
    ))
    .await
    .unwrap();
    let mut fills: BTreeMap<String, Vec<Fill>> = BTreeMap::new();
    let mut status: BTreeMap<String, OrderStatus> = BTreeMap::new();
    for (i, taker) in ["kr-taker-1", "kr-taker-2"].into_iter().enumerate() {
        ex.place_order(&limit(taker, "BTC/USD", Side::Sell, qty, price))
            .await
            .unwrap();
        while status.get(taker) != Some(&OrderStatus::Filled)
            || fills.get("kr-maker").map_or(0, Vec::len) <= i
        {
            match next(&mut sub).await {
                StreamEvent::Data(AccountEvent::Fill(f)) => {
                    fills.entry(f.client_order_id.clone()).or_default().push(f)
                }
                StreamEvent::Data(AccountEvent::Order(o)) => {
                    status.insert(o.client_order_id, o.status);
                }
                StreamEvent::Resync => panic!("the executions stream resynced"),
                StreamEvent::Data(_) => {}
            }
        }
    }
    let streamed = &fills["kr-maker"];
    assert_eq!(streamed.len(), 2, "{streamed:?}");

    let order = ex.fetch_order_status(&btc, "kr-maker").await.unwrap();
    assert_eq!(order.filled_quantity, qty * dec!(2));
    let got = ex.fetch_order_fills(&btc, "kr-maker").await.unwrap();
    assert_eq!(got.len(), 2, "{got:?}");
    let rest: Vec<_> = got
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    let stream: Vec<_> = streamed
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    assert_eq!(rest, stream, "the same trades, under the same txids");
    assert_eq!(
        got.iter().map(|f| f.quantity).sum::<Decimal>(),
        order.filled_quantity
    );
    let order_id = order.venue_order_id.unwrap();
    for f in &got {
        assert_eq!(f.client_order_id, "kr-maker");
        assert_eq!(f.venue_order_id, order_id);
        assert_eq!(f.side, Side::Buy);
        assert_eq!(f.liquidity, Some(Liquidity::Maker));
        assert_eq!(f.fee_asset.as_deref(), Some("USD"));
    }
    assert!(got[0].exchange_ts_ns <= got[1].exchange_ts_ns);

    let taker = ex.fetch_order_fills(&btc, "kr-taker-1").await.unwrap();
    assert_eq!(taker.len(), 1);
    assert_eq!(taker[0].liquidity, Some(Liquidity::Taker));
    let unknown = ex.fetch_order_fills(&btc, "never-placed").await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::OrderNotFound);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}
