//! The venue's WebSocket becomes unreachable while its REST API still answers: the adapter's
//! session falls back to REST polling, the status subject says `polling`, books stay equal to
//! the truth from polled snapshots and trades keep coming once each; when the WebSocket is back
//! the book is `stale` for a moment, then `resynced` from the stream, and still equal.

use std::time::Duration;

use bus::FeedState::{Live, Polling, Resynced, Stale};
use venue_sim::ApiKind;

use super::harness::{DEADLINE, Stack};
use super::observe::{observed_trade_ids, step_until_states, venue_trade_ids};

/// `md_venue_connection_state{venue="binance"}` now.
fn connection_code(stack: &Stack) -> Option<i64> {
    stack
        .gateway
        .metrics()
        .registry()
        .render()
        .lines()
        .find_map(|l| l.strip_prefix("md_venue_connection_state{venue=\"binance\"} "))
        .and_then(|v| v.parse().ok())
}

/// Waits until the observer holds exactly the venue's trades so far, in order.
async fn wait_trades_equal(stack: &Stack, what: &str) -> anyhow::Result<()> {
    let venue_ids = venue_trade_ids(stack).await?;
    assert!(venue_ids.len() < 500, "one REST page holds every trade");
    let result = testkit::wait_until(DEADLINE, what, || {
        let ok = observed_trade_ids(stack) == venue_ids;
        async move { ok }
    })
    .await;
    if let Err(e) = result {
        let seen = observed_trade_ids(stack);
        panic!(
            "{e}: observed {} trades (last {:?}), venue {} (last {:?})",
            seen.len(),
            seen.last(),
            venue_ids.len(),
            venue_ids.last()
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_polling_stands_in_while_the_websocket_is_unreachable() -> anyhow::Result<()> {
    let stack = Stack::start(&["BTC/USDT"], &["BTC/USDT"]).await?;
    let btc = stack.consumer("BTC/USDT").await?;
    step_until_states(&stack, "BTC/USDT", 0, &[Live]).await;
    stack.step(200);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal at start")
        .await;
    wait_trades_equal(&stack, "trades before the outage").await?;

    // The WebSocket goes away and stays away: stale, then polling.
    let from = stack.states("BTC/USDT").len();
    stack.proxy.refuse(true);
    assert!(stack.sim.drop_connections(Some(ApiKind::SpotWs)) > 0);
    step_until_states(&stack, "BTC/USDT", from, &[Stale, Polling]).await;
    assert!(
        stack.proxy.refused() >= 2,
        "the adapter tried the WebSocket"
    );
    let polling_code = connection_code(&stack);
    assert_eq!(polling_code, Some(3), "md_venue_connection_state polling");

    // While polling, the market moves: the book follows from polled snapshots, and trades come
    // from REST, each once, in order, with the venue's ids.
    stack.step(200);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal while polling")
        .await;
    wait_trades_equal(&stack, "trades while polling").await?;
    assert_eq!(
        connection_code(&stack),
        Some(3),
        "still polling: the data came over REST"
    );

    // The WebSocket is back: the stream takes over again, with a proven resync.
    let from = stack.states("BTC/USDT").len();
    stack.proxy.refuse(false);
    step_until_states(&stack, "BTC/USDT", from, &[Stale, Resynced]).await;
    let metrics = stack.gateway.metrics().clone();
    testkit::wait_until(DEADLINE, "the venue connected again", || {
        let ok = metrics
            .registry()
            .render()
            .contains("md_venue_connection_state{venue=\"binance\"} 1\n");
        async move { ok }
    })
    .await?;
    stack.step(200);
    stack
        .wait_equal(
            &btc,
            "BTCUSDT",
            "BTC/USDT equal after the WebSocket returned",
        )
        .await;
    wait_trades_equal(&stack, "trades after the WebSocket returned").await?;
    assert_eq!(
        *stack.undecodable.lock().unwrap(),
        0,
        "everything on the bus decodes"
    );

    let stop = async {
        btc.stop().await?;
        stack.stop().await;
        anyhow::Ok(())
    };
    tokio::time::timeout(Duration::from_secs(20), stop).await??;
    Ok(())
}
