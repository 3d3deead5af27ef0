//! `xctl order` against the live stack ([`crate::stack`]): place → an `accepted` line, status →
//! open, cancel → `canceled`, an off-tick price → exit non-zero naming `tick_size`; cancel-all;
//! a missing record; no gateway → a timeout.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::stack::{DEADLINE, Stack, texts};

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Waits until `xctl order status --json` shows `id` settled (no pending phase) with `status`:
/// the gateway publishes an event before it writes the record, so the record may lag a moment.
async fn await_record(stack: &Stack, id: &str, status: &str) -> Value {
    testkit::wait_for(
        DEADLINE,
        &format!("the record of {id} {status}"),
        || async {
            let out = stack
                .xctl(&["order", "status", "binance", "main", id, "--json"])
                .await;
            let record = json_lines(&out.stdout).into_iter().next()?;
            (record["order"]["status"] == status && record.get("phase").is_none()).then_some(record)
        },
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn place_status_cancel_and_an_off_tick_rejection() {
    let stack = Stack::start().await;
    let price = stack.best_bid().to_string();

    // Place: one human line about the accepted order.
    let out = stack
        .xctl(&[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "0.001", "--price", &price,
            "--id", "cli-1",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("accepted"), "{stdout}");
    assert!(stdout.contains("binance/main  cli-1"), "{stdout}");
    assert!(
        stdout.contains(&format!("buy 0.001 BTC/USDT limit @ {price} gtc  open")),
        "{stdout}"
    );
    assert!(stderr.contains("sent place:cli-1"), "{stderr}");

    // Status: open, as the record's JSON and as a table.
    let record = await_record(&stack, "cli-1", "open").await;
    assert_eq!(record["order"]["client_order_id"], "cli-1");
    assert_eq!(record["accepted"], true);
    assert_eq!(
        record["order"]["price"].as_str().map(str::parse::<Decimal>),
        Some(price.parse())
    );
    let out = stack
        .xctl(&["order", "status", "binance", "main", "cli-1"])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("status      open\n"), "{stdout}");
    assert!(stdout.contains("symbol      BTC/USDT\n"), "{stdout}");
    assert!(
        stdout.contains("order       cli-1  (binance/main)\n"),
        "{stdout}"
    );

    // Cancel: the canceled event, as JSON; the record follows.
    let out = stack
        .xctl(&[
            "order", "cancel", "binance", "main", "BTC/USDT", "cli-1", "--json",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let events = json_lines(&out.stdout);
    let last = events.last().unwrap();
    assert_eq!(last["kind"]["type"], "canceled", "{stdout}");
    assert_eq!(last["client_order_id"], "cli-1");
    assert_eq!(last["kind"]["order"]["status"], "canceled");
    await_record(&stack, "cli-1", "canceled").await;

    // The same cancel again (`Nats-Msg-Id` `cancel:cli-1` inside JetStream's duplicate window)
    // is dropped by JetStream, and xctl says so instead of waiting.
    let out = stack
        .xctl(&["order", "cancel", "binance", "main", "BTC/USDT", "cli-1"])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("dropped cancel:cli-1 as a repeat"),
        "{stderr}"
    );

    // Off tick: rejected by the gateway's validation, exit non-zero naming tick_size.
    let off_tick = (stack.best_bid() + Decimal::new(1, 3)).to_string();
    let out = stack
        .xctl(&[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "0.001", "--price", &off_tick,
            "--id", "cli-tick",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("rejected"), "{stdout}");
    assert!(stdout.contains("tick_size"), "{stdout}");
    assert!(stderr.contains("tick_size"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_all_missing_records_bad_input_and_no_gateway() {
    let stack = Stack::start().await;
    let price = stack.best_bid().to_string();

    // A generated id, then cancel-all ends both orders.
    let out = stack
        .xctl(&[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "0.001", "--price", &price,
            "--json",
        ])
        .await;
    assert!(out.status.success(), "{:?}", texts(&out));
    let event = &json_lines(&out.stdout)[0];
    assert_eq!(event["kind"]["type"], "accepted");
    let generated = event["client_order_id"].as_str().unwrap().to_owned();
    assert!(generated.starts_with("xctl-"), "{generated}");
    let out = stack
        .xctl(&[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "0.001", "--price", &price,
            "--id", "all-2",
        ])
        .await;
    assert!(out.status.success(), "{:?}", texts(&out));
    let out = stack
        .xctl(&[
            "order",
            "cancel-all",
            "binance",
            "main",
            "--symbol",
            "BTC/USDT",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let canceled: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("canceled"))
        .collect();
    assert_eq!(canceled.len(), 2, "{stdout}");
    assert!(
        stdout.contains(&generated) && stdout.contains("all-2"),
        "{stdout}"
    );
    let out = stack
        .xctl(&["order", "cancel-all", "binance", "main"])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("no open orders"), "{stdout}");

    // Not found: a clear message, exit 1.
    let out = stack
        .xctl(&["order", "status", "binance", "main", "nobody"])
        .await;
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("order nobody not found"), "{stderr}");

    // Bad input never reaches the bus.
    for args in [
        &[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "lots",
        ][..],
        &["order", "place", "binance", "main", "BTCUSDT", "buy", "1"][..],
        &[
            "order", "place", "binance", "main", "BTC/USDT", "buy", "1", "--id", "a.b",
        ][..],
        &["order", "place", "bin.ance", "main", "BTC/USDT", "buy", "1"][..],
        &["order", "status", "binance", "main", "x>"][..],
    ] {
        let out = stack.xctl(args).await;
        let (stdout, stderr) = texts(&out);
        assert!(!out.status.success(), "{args:?}: {stdout}");
        assert!(stderr.starts_with("Error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }

    // An account no gateway serves: the command is queued, the wait times out.
    let out = stack
        .xctl(&[
            "order", "place", "binance", "nobody", "BTC/USDT", "buy", "0.001", "--price", &price,
            "--wait", "500ms",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("no event about order"), "{stderr}");
    // --no-wait prints the publish ack and exits.
    let out = stack
        .xctl(&[
            "order",
            "place",
            "binance",
            "nobody",
            "BTC/USDT",
            "buy",
            "0.001",
            "--price",
            &price,
            "--no-wait",
            "--json",
            "--id",
            "queued-1",
        ])
        .await;
    assert!(out.status.success(), "{:?}", texts(&out));
    let ack = &json_lines(&out.stdout)[0];
    assert_eq!(ack["sent"], "place:queued-1");
    assert_eq!(ack["stream"], "ORDERS_CMD");
    assert!(ack["seq"].as_u64().is_some_and(|s| s > 0), "{ack}");
    // The same id again inside the duplicate window: JetStream drops it, and we say so.
    let out = stack
        .xctl(&[
            "order",
            "place",
            "binance",
            "nobody",
            "BTC/USDT",
            "buy",
            "0.001",
            "--price",
            &price,
            "--no-wait",
            "--id",
            "queued-1",
        ])
        .await;
    let (stdout, stderr) = texts(&out);
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("as a repeat"), "{stderr}");
    stack.stop().await;
}
