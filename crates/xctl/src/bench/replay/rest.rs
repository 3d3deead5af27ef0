//! The replay venue's REST side: just what the Binance adapter asks for on connect and when it
//! syncs a book, over plain HTTP/1.1 with keep-alive.
//!
//! | path | answer |
//! |---|---|
//! | `GET /api/v3/time` | `{"serverTime":…}` |
//! | `GET /api/v3/exchangeInfo` | venue-sim's own answer, fetched once at start |
//! | `GET /api/v3/depth?symbol=…&limit=…` | the generator's book now ([`Generator::snapshot`]) |
//! | `GET /api/v3/trades` | `[]` (no backfill: the bench measures the stream) |
//! | anything else | 404 |

use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::frames::Generator;

/// What the REST handlers share.
#[derive(Clone)]
pub struct RestState {
    /// The generator (its books answer depth requests).
    pub generator: Arc<Mutex<Generator>>,
    /// venue-sim's `exchangeInfo` body.
    pub exchange_info: Arc<String>,
}

/// Serves `listener` until `token` is cancelled; connections run on `tracker`.
pub async fn serve(
    listener: TcpListener,
    state: RestState,
    tracker: TaskTracker,
    token: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = token.cancelled() => break,
            a = listener.accept() => a,
        };
        let Ok((stream, _)) = accepted else { continue };
        tracker.spawn(connection(stream, state.clone(), token.clone()));
    }
}

async fn connection(mut stream: TcpStream, state: RestState, token: CancellationToken) {
    let mut buf = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::select! {
                () = token.cancelled() => return,
                n = stream.read(&mut chunk) => match n { Ok(0) | Err(_) => return, Ok(n) => n },
            };
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end);
        let target = head.split_whitespace().nth(1).unwrap_or("/");
        let (status, body) = answer(target, &state);
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn answer(target: &str, state: &RestState) -> (&'static str, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    };
    match path {
        "/api/v3/time" => ("200 OK", format!(r#"{{"serverTime":{}}}"#, now_ms())),
        "/api/v3/exchangeInfo" => ("200 OK", state.exchange_info.as_ref().clone()),
        "/api/v3/trades" => ("200 OK", "[]".to_owned()),
        "/api/v3/depth" => {
            let limit = param("limit").and_then(|l| l.parse().ok()).unwrap_or(100);
            let generator = state
                .generator
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match param("symbol").and_then(|s| generator.snapshot(&s, limit)) {
                Some(body) => ("200 OK", body),
                None => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn not_found() -> (&'static str, String) {
    (
        "404 Not Found",
        r#"{"code":-1121,"msg":"not served by the bench's replay venue"}"#.to_owned(),
    )
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    exchange_core::model::now_ns() / 1_000_000
}
