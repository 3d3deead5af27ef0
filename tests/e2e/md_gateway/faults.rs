//! Books equal to the venue's truth through every fault the gateway must survive, with the
//! status subject telling each transition; trades once each, in order, with the venue's ids.

use std::time::Duration;

use bus::FeedState::{Live, Resynced, Stale};
use venue_sim::ApiKind;

use super::harness::{DEADLINE, Stack};
use super::observe::{observed_trade_ids, step_until_states, venue_trade_ids};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn books_and_trades_follow_the_venue_through_gap_drop_nats_restart_and_garbage()
-> anyhow::Result<()> {
    let mut stack = Stack::start(&["BTC/USDT", "ETH/USDT"], &["BTC/USDT"]).await?;
    let btc = stack.consumer("BTC/USDT").await?;
    let eth = stack.consumer("ETH/USDT").await?;

    // Live (the venue's book sync needs a first diff, so the market must move), and equal to
    // the truth after it moved more.
    step_until_states(&stack, "BTC/USDT", 0, &[Live]).await;
    step_until_states(&stack, "ETH/USDT", 0, &[Live]).await;
    stack.step(300);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal at start")
        .await;
    stack
        .wait_equal(&eth, "ETHUSDT", "ETH/USDT equal at start")
        .await;

    // Trades so far: exactly the venue's, once each, in order.
    let venue_ids = venue_trade_ids(&stack).await?;
    assert!(!venue_ids.is_empty(), "the flow made trades");
    assert!(venue_ids.len() < 1000, "the REST list holds every trade");
    testkit::wait_until(DEADLINE, "every trade published", || {
        let seen = observed_trade_ids(&stack);
        let want = venue_ids.clone();
        async move { seen == want }
    })
    .await?;

    // 1. A sequence gap on the venue's depth stream: stale, then resynced, then equal.
    let from = stack.states("BTC/USDT").len();
    stack.sim.with_faults(|f| f.skip_depth("spot", "BTCUSDT"));
    step_until_states(&stack, "BTC/USDT", from, &[Stale, Resynced]).await;
    stack.step(100);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal after a gap")
        .await;

    // 2. The venue drops the connection: stale, resynced after the reconnect, equal.
    let from = stack.states("BTC/USDT").len();
    assert!(stack.sim.drop_connections(Some(ApiKind::SpotWs)) > 0);
    step_until_states(&stack, "BTC/USDT", from, &[Stale, Resynced]).await;
    stack.step(100);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal after a venue drop")
        .await;
    stack
        .wait_equal(&eth, "ETHUSDT", "ETH/USDT equal after a venue drop")
        .await;

    // 3. NATS restarts (same port and store): the gateway reconnects, ensures its JetStream
    // definitions and republishes every book with status `resynced`; consumers end equal. The
    // observer reconnects on its own and may come back after the gateway's republish, which
    // core NATS then does not deliver to it: the gateway repeats each book's last status
    // (book.status_refresh_ms), so the observer sees this `resynced` either way.
    let from_btc = stack.statuses_of("BTC/USDT").len();
    let from_eth = stack.statuses_of("ETH/USDT").len();
    let resynced_before = resynced_count(&stack);
    stack.nats.restart().await?;
    testkit::wait_until(
        DEADLINE,
        "resynced after the NATS restart, on the status subject",
        || {
            let ok = resynced_by_nats(&stack, "BTC/USDT", from_btc)
                && resynced_by_nats(&stack, "ETH/USDT", from_eth);
            async move { ok }
        },
    )
    .await?;
    assert!(
        resynced_count(&stack) >= resynced_before + 2,
        "counted as transitions too"
    );
    stack.step(100);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal after a NATS restart")
        .await;
    stack
        .wait_equal(&eth, "ETHUSDT", "ETH/USDT equal after a NATS restart")
        .await;

    // 4. Garbage frames from the venue are counted and never fatal: data keeps flowing and
    // books stay equal. Not JSON; JSON cut short; a trade missing its fields.
    let trades_before = observed_trade_ids(&stack).len();
    let undecodable_before = undecodable_frames(&stack);
    let garbage = [
        "{\"stream\":garbage",
        "[1,2",
        r#"{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT"}}"#,
    ];
    for frame in garbage {
        assert_eq!(
            stack.proxy.inject(frame),
            1,
            "one market connection gets the frame"
        );
    }
    let metrics = stack.gateway.metrics().clone();
    let want = undecodable_before + garbage.len() as u64;
    testkit::wait_until(DEADLINE, "the garbage frames counted", || {
        let n = count_undecodable(&metrics.registry().render());
        async move { n == Some(want) }
    })
    .await?;
    stack.step(150);
    stack
        .wait_equal(&btc, "BTCUSDT", "BTC/USDT equal after a garbage frame")
        .await;
    testkit::wait_until(DEADLINE, "trades after the garbage frame", || {
        let n = observed_trade_ids(&stack).len();
        async move { n > trades_before }
    })
    .await?;

    assert_eq!(
        undecodable_frames(&stack),
        want,
        "exactly the garbage frames were counted"
    );

    // Trades through all of it: never twice, never out of order.
    let ids = observed_trade_ids(&stack);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "trade ids strictly increasing"
    );
    assert_eq!(
        *stack.undecodable.lock().unwrap(),
        0,
        "everything on the bus decodes"
    );

    // Stopping is clean and prompt.
    let stop = async {
        btc.stop().await?;
        eth.stop().await?;
        stack.stop().await;
        anyhow::Ok(())
    };
    tokio::time::timeout(Duration::from_secs(20), stop).await??;
    Ok(())
}

/// `md_venue_frames_undecodable_total{venue="binance"}` now (0 if not exported yet).
fn undecodable_frames(stack: &Stack) -> u64 {
    count_undecodable(&stack.gateway.metrics().registry().render()).unwrap_or(0)
}

fn count_undecodable(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("md_venue_frames_undecodable_total{venue=\"binance\"} "))
        .and_then(|v| v.parse().ok())
}

/// Whether a `resynced` status caused by a NATS reconnect came for `symbol` after the first
/// `from` statuses.
fn resynced_by_nats(stack: &Stack, symbol: &str, from: usize) -> bool {
    stack.statuses_of(symbol).get(from..).is_some_and(|new| {
        new.iter().any(|s| {
            s.state == Resynced
                && s.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("NATS reconnect"))
        })
    })
}

fn resynced_count(stack: &Stack) -> u64 {
    count_in(&stack.gateway.metrics().registry().render(), "resynced")
}

/// The sum of `md_feed_transitions_total{...state="<state>"}` in a metrics text.
fn count_in(text: &str, state: &str) -> u64 {
    let label = format!("state=\"{state}\"");
    text.lines()
        .filter(|l| l.starts_with("md_feed_transitions_total{") && l.contains(&label))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}
