//! What the gateway tests look at: venue-sim's REST trades, the trades and statuses the
//! observer collected, and a wait that keeps the market moving.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::harness::{DEADLINE, Stack, contains_in_order};

/// Plain HTTP GET of venue-sim's REST (no client library needed for one call).
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> anyhow::Result<serde_json::Value> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8(raw)?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .ok_or_else(|| anyhow::anyhow!("no HTTP body"))?;
    Ok(serde_json::from_str(body)?)
}

/// The venue's own ids of its recent BTCUSDT trades, oldest first.
pub async fn venue_trade_ids(stack: &Stack) -> anyhow::Result<Vec<u64>> {
    let trades = http_get(
        stack.sim.addrs().spot_rest,
        "/api/v3/trades?symbol=BTCUSDT&limit=1000",
    )
    .await?;
    let list = trades
        .as_array()
        .ok_or_else(|| anyhow::anyhow!("trades: {trades}"))?;
    Ok(list.iter().filter_map(|t| t["id"].as_u64()).collect())
}

pub fn observed_trade_ids(stack: &Stack) -> Vec<u64> {
    stack
        .trades
        .lock()
        .unwrap()
        .iter()
        .map(|t| t.trade.trade_id.parse::<u64>().unwrap())
        .collect()
}

/// Drives the flow a little at every poll until `symbol`'s statuses after `from` contain
/// `wanted` in order (a gap or a lost connection shows only when more data comes).
pub async fn step_until_states(
    stack: &Stack,
    symbol: &str,
    from: usize,
    wanted: &[bus::FeedState],
) {
    let what = format!("statuses {wanted:?} of {symbol}");
    let result = testkit::wait_until(DEADLINE, &what, || {
        stack.step(3);
        let states = stack.states(symbol);
        let ok = contains_in_order(states.get(from..).unwrap_or_default(), wanted);
        async move { ok }
    })
    .await;
    if let Err(e) = result {
        panic!("{e}: saw {:?}", stack.states(symbol));
    }
}
