//! The replay venue's market streams: one combined-stream connection (`/stream`) that answers
//! `SUBSCRIBE` as Binance does (`{"result":null,"id":…}`) and then sends the generator's frames
//! of the subscribed streams at the configured rate, in batches every millisecond (or as fast
//! as the socket takes them, at rate 0).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::frames::Generator;
use super::rest::now_ms;

/// Steps per batch when sending as fast as possible.
const UNPACED_BATCH: u64 = 64;

/// What the stream connections share.
#[derive(Clone)]
pub struct WsState {
    /// The generator.
    pub generator: Arc<Mutex<Generator>>,
    /// Frames per second to send (0: as fast as the socket takes them).
    pub frames_per_sec: u64,
    /// Frames sent so far.
    pub sent: Arc<AtomicU64>,
}

/// Serves `listener` until `token` is cancelled; connections run on `tracker`.
pub async fn serve(
    listener: TcpListener,
    state: WsState,
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

async fn connection(stream: TcpStream, state: WsState, token: CancellationToken) {
    let _ = stream.set_nodelay(true);
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut tx, mut rx) = ws.split();
    let mut subscribed: HashSet<String> = HashSet::new();
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Steps (two frames each) owed since the first subscription, from the clock, so that the
    // rate holds however late a tick comes.
    let steps_per_sec = u128::from(state.frames_per_sec / 2);
    let mut started: Option<Instant> = None;
    let mut steps_done: u128 = 0;
    let mut next_feed = 0usize;
    loop {
        let steps = tokio::select! {
            () = token.cancelled() => break,
            m = rx.next() => match m {
                Some(Ok(Message::Text(text))) => {
                    if let Some(reply) = subscribe_reply(&text, &mut subscribed)
                        && tx.send(Message::text(reply)).await.is_err()
                    {
                        break;
                    }
                    started.get_or_insert_with(Instant::now);
                    continue;
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
            _ = tick.tick(), if state.frames_per_sec > 0 => {
                let Some(t0) = started else { continue };
                let owed = t0.elapsed().as_nanos() * steps_per_sec / 1_000_000_000;
                let steps = owed.saturating_sub(steps_done);
                steps_done = owed;
                u64::try_from(steps).unwrap_or(u64::MAX)
            }
            () = std::future::ready(()), if state.frames_per_sec == 0 => UNPACED_BATCH,
        };
        if steps == 0 || subscribed.is_empty() {
            continue;
        }
        let frames = {
            let mut generator = state
                .generator
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let feeds = generator.feeds.len().max(1);
            let now = now_ms();
            let mut frames = Vec::with_capacity(usize::try_from(steps * 2).unwrap_or(0));
            for _ in 0..steps {
                let i = next_feed % feeds;
                next_feed = next_feed.wrapping_add(1);
                let Some((trade, depth)) = generator.step(i, now) else {
                    continue;
                };
                let stream = generator.feeds.get(i).map(|f| f.venue_id.to_lowercase());
                let Some(stream) = stream else { continue };
                if subscribed.contains(&format!("{stream}@trade")) {
                    frames.push(trade);
                }
                if subscribed.contains(&format!("{stream}@depth@100ms")) {
                    frames.push(depth);
                }
            }
            frames
        };
        let n = frames.len() as u64;
        let mut failed = false;
        for frame in frames {
            if tx.feed(Message::text(frame)).await.is_err() {
                failed = true;
                break;
            }
        }
        if failed || tx.flush().await.is_err() {
            break;
        }
        state.sent.fetch_add(n, Ordering::Relaxed);
    }
}

/// The reply to a `SUBSCRIBE`/`UNSUBSCRIBE` request, updating `subscribed`.
fn subscribe_reply(text: &str, subscribed: &mut HashSet<String>) -> Option<String> {
    let request: serde_json::Value = serde_json::from_str(text).ok()?;
    let id = request.get("id")?.clone();
    let streams = request.get("params")?.as_array()?;
    let names = streams.iter().filter_map(|s| s.as_str().map(str::to_owned));
    match request.get("method")?.as_str()? {
        "SUBSCRIBE" => subscribed.extend(names),
        "UNSUBSCRIBE" => {
            for name in names {
                subscribed.remove(&name);
            }
        }
        _ => {}
    }
    Some(serde_json::json!({"result": null, "id": id}).to_string())
}
