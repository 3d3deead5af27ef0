//! `fetch_order_fills` against venue-sim's Coinbase: a resting order filled partly twice by a
//! counterparty; its fills over REST carry the same ids the `user` channel gave them
//! (`<order_id>:<n>`), oldest first.

use exchange_core::model::{AccountEvent, Fill, Liquidity, OrderStatus, Side, TimeInForce};
use exchange_core::{ErrorKind, Exchange, StreamEvent};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::support::*;

#[tokio::test]
async fn order_fills_match_the_user_channel() {
    let (sim, ex, other) = with_counterparty().await;

    let (_, (bids, asks)) = sim.coinbase_truth_book("BTC-USD").unwrap();
    let price = bids[0].0 + dec!(0.01);
    assert!(price < asks[0].0, "no room inside the spread");
    let mut sub = ex.subscribe_account().await.unwrap();
    ex.place_order(&limit(
        "cb-fills-1",
        "BTC/USD",
        Side::Buy,
        dec!(0.03),
        price,
    ))
    .await
    .unwrap();
    // The order seen open on the channel: the subscription is live before anything fills.
    loop {
        match next(&mut sub).await {
            StreamEvent::Data(AccountEvent::Order(o))
                if o.client_order_id == "cb-fills-1" && o.status == OrderStatus::Open =>
            {
                break;
            }
            StreamEvent::Resync => panic!("the user stream was interrupted"),
            _ => {}
        }
    }
    let mut streamed: Vec<Fill> = Vec::new();
    let mut filled = Decimal::ZERO;
    for (i, cid) in ["cb-hit-f1", "cb-hit-f2"].into_iter().enumerate() {
        let mut hit = limit(cid, "BTC/USD", Side::Sell, dec!(0.01), price);
        hit.time_in_force = TimeInForce::Ioc;
        other.place_order(&hit).await.unwrap();
        let want = dec!(0.01) * Decimal::from(i + 1);
        while filled < want {
            match next(&mut sub).await {
                StreamEvent::Data(AccountEvent::Fill(f)) if f.client_order_id == "cb-fills-1" => {
                    streamed.push(f)
                }
                StreamEvent::Data(AccountEvent::Order(o)) if o.client_order_id == "cb-fills-1" => {
                    filled = o.filled_quantity
                }
                StreamEvent::Resync => panic!("the user stream was interrupted"),
                _ => {}
            }
        }
    }
    assert_eq!(streamed.len(), 2, "{streamed:?}");

    let order = ex
        .fetch_order_status(&sym("BTC/USD"), "cb-fills-1")
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::PartiallyFilled);
    let fills = ex
        .fetch_order_fills(&sym("BTC/USD"), "cb-fills-1")
        .await
        .unwrap();
    assert_eq!(fills.len(), 2, "{fills:?}");
    let rest: Vec<_> = fills
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    let stream: Vec<_> = streamed
        .iter()
        .map(|f| (&f.trade_id, f.quantity, f.price))
        .collect();
    assert_eq!(rest, stream, "the same fills, under the same ids");
    assert_eq!(
        fills.iter().map(|f| f.quantity).sum::<Decimal>(),
        order.filled_quantity
    );
    let order_id = order.venue_order_id.unwrap();
    assert_eq!(fills[0].trade_id, format!("{order_id}:1"));
    for f in &fills {
        assert_eq!(f.client_order_id, "cb-fills-1");
        assert_eq!(f.venue_order_id, order_id);
        assert_eq!(f.liquidity, Some(Liquidity::Maker));
        assert_eq!(f.fee_asset.as_deref(), Some("USD"));
    }
    assert!(fills[0].exchange_ts_ns <= fills[1].exchange_ts_ns);

    let unknown = ex.fetch_order_fills(&sym("BTC/USD"), "never-placed").await;
    assert_eq!(unknown.unwrap_err().kind(), ErrorKind::OrderNotFound);
    ex.disconnect().await.unwrap();
    sim.shutdown().await;
}
