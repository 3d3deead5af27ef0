//! `xctl` end to end: the built binary on the recorded Binance LRCBTC capture
//! (`crates/exchange-core/tests/fixtures/binance/`), checked against the same expectation as the
//! library test (`binance_depth_sync_expected_LRCBTC.json`); `xctl order` against a live stack
//! ([`orders`], [`stack`]); `xctl bench orders` as a smoke test ([`bench`]).

mod bench;
mod orders;
mod stack;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../exchange-core/tests/fixtures/binance")
        .join(name)
}

fn xctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xctl"))
        .args(args)
        .output()
        .unwrap()
}

fn replay(updates: &str, extra: &[&str]) -> Output {
    let snapshot = fixture("binance_depth_snapshot_LRCBTC.json");
    let mut args = vec![
        "replay",
        "book",
        "--venue",
        "binance",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--updates",
        updates,
    ];
    args.extend_from_slice(extra);
    xctl(&args)
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn replay_book_json_equals_the_expected_book() {
    let updates = fixture("binance_depth_updates_LRCBTC.jsonl");
    let out = replay(
        updates.to_str().unwrap(),
        &["--top", "5", "--format", "json"],
    );
    let got = json_of(&out);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("binance_depth_sync_expected_LRCBTC.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(got["venue"], "binance");
    assert_eq!(got["symbol"], expected["symbol"]);
    assert_eq!(got["symbol"], "LRCBTC");
    assert_eq!(got["state"], "live");
    assert_eq!(got["last_update_id"], expected["final_book_update_id"]);
    assert_eq!(got["last_update_id"], 259_345_563);
    assert_eq!(got["applied"], expected["frames_applied"]);
    assert_eq!(got["applied"], 13);
    assert_eq!(got["dropped"], 2);
    assert_eq!(got["gaps"], 0);
    assert_eq!(got["bids"], expected["final_top5_bids"]);
    assert_eq!(got["asks"], expected["final_top5_asks"]);
    assert_eq!(got["levels"], expected["final_level_counts"]);
    assert_eq!(
        got["bids"][0],
        json!(["0.00000637", "2500.00000000"]),
        "strings exactly as received"
    );
    assert_eq!(got["asks"][0], json!(["0.00000638", "2285.00000000"]));
}

#[test]
fn replay_book_human_table_by_default() {
    let updates = fixture("binance_depth_updates_LRCBTC.jsonl");
    let out = replay(updates.to_str().unwrap(), &["--top", "3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("state           live"), "{text}");
    assert!(text.contains("LRCBTC (LRC/BTC)"), "{text}");
    assert!(text.contains("applied 13, dropped 2, gaps 0"), "{text}");
    assert!(
        text.contains("2500.00000000  0.00000637 | 0.00000638  2285.00000000"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 7 + 1 + 3, "{text}");
}

#[test]
fn a_missing_frame_ends_stale_with_one_gap() {
    let all = std::fs::read_to_string(fixture("binance_depth_updates_LRCBTC.jsonl")).unwrap();
    // Drop frame 7 (U = u = 259345552): frame 8 then starts past the book.
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 7)
        .map(|(_, l)| l)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.jsonl");
    std::fs::write(&path, kept.join("\n")).unwrap();
    let got = json_of(&replay(path.to_str().unwrap(), &["--format", "json"]));
    assert_eq!(got["state"], "stale");
    assert_eq!(got["gaps"], 1);
    assert_eq!(got["applied"], 5);
    assert_eq!(got["last_update_id"], 259_345_551);
}

#[test]
fn bad_files_give_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.jsonl");
    let out = replay(missing.to_str().unwrap(), &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read the updates file"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let garbage = dir.path().join("garbage.jsonl");
    std::fs::write(
        &garbage,
        "{\"stream\":\"lrcbtc@depth\",\"data\":{\"e\":\"depthUpdate\"}}\n",
    )
    .unwrap();
    let out = replay(garbage.to_str().unwrap(), &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    let out = replay(empty.to_str().unwrap(), &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no depthUpdate frames"));

    let updates = fixture("binance_depth_updates_LRCBTC.jsonl");
    let out = xctl(&[
        "replay",
        "book",
        "--venue",
        "binance",
        "--snapshot",
        updates.to_str().unwrap(),
        "--updates",
        updates.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a depth snapshot"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The venue picks the procedure: under the USD-M rules the spot capture's frame 1
/// (`u == lastUpdateId`) is the first applied event, and frame 2 breaks the chain because spot
/// frames carry no `pu`.
#[test]
fn the_venue_selects_the_procedure() {
    let snapshot = fixture("binance_depth_snapshot_LRCBTC.json");
    let updates = fixture("binance_depth_updates_LRCBTC.jsonl");
    let out = xctl(&[
        "replay",
        "book",
        "--venue",
        "binance-usdm",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--updates",
        updates.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let got = json_of(&out);
    assert_eq!(got["venue"], "binance-usdm");
    assert_eq!(got["unified_symbol"], "LRC/BTC:BTC");
    assert_eq!(got["state"], "stale");
    assert_eq!(got["applied"], 1);
    assert_eq!(got["dropped"], 1);
    assert_eq!(got["gaps"], 1);
    assert_eq!(got["last_update_id"], 259_345_543);
}

/// Kraken: the real ETH/USD v2 sequence (`crates/exchange-core/tests/fixtures/kraken/`) replays
/// live with every checksum verified; a corrupted checksum is counted and leaves it stale.
#[test]
fn kraken_replay_verifies_every_checksum() {
    let capture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../exchange-core/tests/fixtures/kraken/kraken_book_v2_sequence_ETHUSD.jsonl");
    let run = |path: &std::path::Path| {
        json_of(&xctl(&[
            "replay",
            "book",
            "--venue",
            "kraken",
            "--depth",
            "10",
            "--updates",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]))
    };
    let got = run(&capture);
    assert_eq!(got["venue"], "kraken");
    assert_eq!(got["unified_symbol"], "ETH/USD");
    assert_eq!(got["state"], "live");
    assert_eq!(
        (got["applied"].as_u64(), got["snapshots"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(got["checksum_failures"], 0);
    assert_eq!(got["bids"][0], json!(["1797.24", "0.43393711"]));
    assert_eq!(got["levels"], json!({"bids": 10, "asks": 10}));

    let dir = tempfile::tempdir().unwrap();
    let corrupted = dir.path().join("corrupted.jsonl");
    let text = std::fs::read_to_string(&capture).unwrap();
    std::fs::write(&corrupted, text.replace("3329440863", "3329440864")).unwrap();
    let got = run(&corrupted);
    assert_eq!(got["state"], "stale");
    assert_eq!(got["checksum_failures"], 1);

    let snapshot = fixture("binance_depth_snapshot_LRCBTC.json");
    let out = xctl(&[
        "replay",
        "book",
        "--venue",
        "kraken",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--updates",
        capture.to_str().unwrap(),
    ]);
    assert!(
        !out.status.success(),
        "a snapshot file is refused for kraken"
    );
    let out = xctl(&[
        "replay",
        "book",
        "--venue",
        "binance",
        "--updates",
        capture.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--snapshot"));
}

/// Coinbase: the recorded `l2_data` snapshot plus updates replays live; a skipped
/// `sequence_num` leaves the book stale with the gap counted.
#[test]
fn coinbase_replay_checks_the_connection_sequence() {
    let snapshot = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../exchange-core/tests/fixtures/coinbase/coinbase_level2_snapshot.json");
    let snapshot = std::fs::read_to_string(snapshot).unwrap();
    let update = |seq: u64, side: &str, price: &str, qty: &str| {
        format!(
            r#"{{"channel":"l2_data","client_id":"","timestamp":"2026-09-07T01:57:59Z","sequence_num":{seq},"events":[{{"type":"update","product_id":"BTC-PERP-INTX","updates":[{{"side":"{side}","event_time":"2026-09-07T01:57:59Z","price_level":"{price}","new_quantity":"{qty}"}}]}}]}}"#
        )
    };
    let heartbeat = r#"{"channel":"heartbeats","client_id":"","timestamp":"2026-09-07T01:57:59Z","sequence_num":2,"events":[{"current_time":"2026-09-07 01:57:59.000000000 +0000 UTC m=+1.0","heartbeat_counter":1}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n")).unwrap();
        json_of(&xctl(&[
            "replay",
            "book",
            "--venue",
            "coinbase",
            "--updates",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]))
    };
    let live = run(
        "live.jsonl",
        &[
            snapshot.trim().to_owned(),
            update(1, "bid", "79943.9", "0"),
            heartbeat.to_owned(),
            update(3, "offer", "79944", "0.5"),
        ],
    );
    assert_eq!(live["venue"], "coinbase");
    assert_eq!(live["unified_symbol"], "BTC/USDC:USDC");
    assert_eq!(live["state"], "live");
    assert_eq!(live["gaps"], 0);
    assert_eq!(live["last_sequence_num"], 3);
    assert_eq!(live["bids"][0], json!(["79943.8", "0.5"]));
    assert_eq!(live["asks"][0], json!(["79944", "0.5"]));

    let gap = run(
        "gap.jsonl",
        &[
            snapshot.trim().to_owned(),
            update(1, "bid", "79943.9", "0"),
            update(3, "offer", "79944", "0.5"),
        ],
    );
    assert_eq!(gap["state"], "stale");
    assert_eq!(gap["gaps"], 1);
}

/// `xctl bench md --source replay`: the replay venue's frames go through the real adapter and
/// gateway (books sync from its REST snapshot and stay live), at the rate asked, beside raw NATS.
/// Needs `nats-server` on PATH, as every NATS test here.
#[test]
fn bench_md_with_the_replay_venue_keeps_up_with_a_modest_rate() {
    let out = xctl(&[
        "bench",
        "md",
        "--source",
        "replay",
        "--seconds",
        "1",
        "--frames-per-sec",
        "2000",
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    let gateway = &report["gateway"];
    let notes = &gateway["notes"];
    assert_eq!(notes["books gone stale"], "0", "{report}");
    assert_eq!(notes["dropped (buffer full)"], "0", "{report}");
    assert!(
        notes["book messages"].as_str().is_some(),
        "books published: {report}"
    );
    let source: f64 = notes["source frames/s (replay venue)"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((1400.0..2600.0).contains(&source), "source rate {source}");
    let rate = gateway["rate_per_sec"].as_f64().unwrap();
    assert!(
        rate >= 0.8 * source,
        "gateway {rate} msgs/s for {source} frames/s"
    );
    assert!(report["raw_nats"]["rate_per_sec"].as_f64().unwrap() > rate);
    assert!(report["ratio"].as_f64().unwrap() > 0.0);
}
