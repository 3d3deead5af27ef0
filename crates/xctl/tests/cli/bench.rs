//! `xctl bench orders` as a smoke test: a tiny run (its own nats-server, venue-sim and gateway)
//! prints every report line with every command answered. Never a timing threshold: benchmarks
//! are not timed tests.

use crate::stack::texts;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_orders_prints_its_report() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xctl"))
        .args(["bench", "orders", "--orders", "20", "--rate", "100"])
        .output()
        .await
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("xctl bench orders: 20 commands per phase at 100/s"),
        "{stdout}"
    );
    for path in [
        "raw JetStream pub→pull consumer",
        "command → accepted",
        "command → filled (taker)",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(path))
            .unwrap_or_else(|| panic!("no {path} line in:\n{stdout}"));
        let cells: Vec<&str> = line[path.len()..].split_whitespace().collect();
        assert_eq!(cells.len(), 7, "{line}");
        assert_eq!(cells[0], "20/20", "every command answered: {line}");
        for cell in &cells[1..] {
            assert!(
                cell.parse::<u64>().is_ok_and(|v| v > 0),
                "a number > 0: {cell} in {line}"
            );
        }
    }
    assert!(
        stdout.contains("vs raw JetStream in this run: accepted p50 "),
        "{stdout}"
    );
}
