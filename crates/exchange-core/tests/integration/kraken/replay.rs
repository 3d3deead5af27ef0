//! `replay` over the recorded ETH/USD v2 stream, as `xctl replay book --venue kraken` runs it.

use exchange_core::adapters::kraken::book::replay;

use super::lines;

#[test]
fn replaying_the_real_sequence_verifies_every_checksum() {
    let l = lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    let report = replay(10, 3, l.iter().map(String::as_str)).unwrap();
    assert_eq!(report.venue, "kraken");
    assert_eq!(report.symbol, "ETH/USD");
    assert_eq!(report.unified_symbol, "ETH/USD");
    assert_eq!(report.state, "live");
    assert_eq!((report.applied, report.checksum_failures), (2, 0));
    assert_eq!(
        (report.snapshots, report.dropped, report.ignored),
        (1, 0, 1)
    );
    assert_eq!(report.levels.bids, 10);
    assert_eq!(report.levels.asks, 10);
    assert_eq!(
        report.asks,
        vec![
            ["1797.25".to_owned(), "1.40355852".to_owned()],
            ["1797.28".to_owned(), "10.82400000".to_owned()],
            ["1797.30".to_owned(), "139.09783403".to_owned()],
        ]
    );
    assert_eq!(
        report.bids[0],
        ["1797.24".to_owned(), "0.43393711".to_owned()]
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["checksum_failures"], 0);
    assert_eq!(json["levels"]["asks"], 10);
}

#[test]
fn a_corrupted_capture_reports_the_failure_and_a_stale_book() {
    let mut l = lines("kraken_book_v2_sequence_ETHUSD.jsonl");
    l[2] = l[2].replace("1.56601318", "1.56601319");
    let report = replay(10, 10, l.iter().map(String::as_str)).unwrap();
    assert_eq!(report.checksum_failures, 1);
    assert_eq!(report.state, "stale");
    assert!(replay(27, 10, l.iter().map(String::as_str)).is_err());
    assert!(replay(10, 10, ["{\"channel\":\"heartbeat\"}"]).is_err());
    assert!(replay(10, 10, ["not json"]).is_err());
}
