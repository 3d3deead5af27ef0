//! `xctl` end to end: the built binary on the recorded Binance LRCBTC capture
//! (`crates/exchange-core/tests/fixtures/binance/`), checked against the same expectation as the
//! library test (`binance_depth_sync_expected_LRCBTC.json`).

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
