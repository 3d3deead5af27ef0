//! One WebSocket v2 connection's protocol state: its subscriptions (with the book sequence each
//! snapshot was taken at, so no update is applied twice or missed), the `executions` sequence,
//! and the handling of every request (`ping`, `subscribe`, `unsubscribe`, `add_order`,
//! `cancel_order`). No I/O: requests in, frames out.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::book_feed::DEPTHS;
use super::json::Obj;
use super::pairs::KrakenPair;
use super::publish::{feed, ticker_data};
use super::rest_public::INTERVALS;
use super::state::{ExecMsg, KrakenVenue, TopicMsg};
use super::time::{now_us, rfc3339_us};
use super::ws_render as render;
use super::ws_trading::executions_snapshot;
use crate::server::faults::ApiKind;
use crate::server::state::Shared;

/// The private subscription of an auth connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ExecSub {
    account: usize,
}

/// Protocol state of one connection.
#[derive(Debug, Default)]
pub struct Session {
    auth: bool,
    book: HashMap<String, u64>,
    topics: HashSet<String>,
    exec: Option<ExecSub>,
    sequence: u64,
}

/// What handling a request produced: frames to send, topics to count (+1/-1).
#[derive(Debug, Default)]
pub struct Outcome {
    /// Frames, in order.
    pub frames: Vec<String>,
    /// Subscription count changes.
    pub track: Vec<(String, isize)>,
}

type Reply = Result<Option<String>, String>;

/// How acks of one request are rendered (its method, req_id and arrival time).
struct Ack<'a> {
    method: &'a str,
    req_id: Option<&'a Value>,
    t_in: u64,
}

impl Ack<'_> {
    fn push(&self, out: &mut Outcome, result: String) {
        out.frames.push(render::response(
            self.method,
            self.req_id,
            Ok(Some(result)),
            self.t_in,
            now_us(),
        ));
    }
}

impl Session {
    /// A session on the public (`auth` false) or auth endpoint.
    pub fn new(auth: bool) -> Self {
        Session {
            auth,
            ..Session::default()
        }
    }

    /// Whether any channel is subscribed (heartbeats are sent then).
    pub fn subscribed(&self) -> bool {
        !self.book.is_empty() || !self.topics.is_empty() || self.exec.is_some()
    }

    /// Topics this session counts in the hub (released when the connection ends).
    pub fn all_topics(&self) -> Vec<String> {
        self.book
            .keys()
            .chain(self.topics.iter())
            .cloned()
            .collect()
    }

    /// Whether a public message is for this session.
    pub fn accept(&self, m: &TopicMsg) -> bool {
        match self.book.get(&m.topic) {
            Some(snap) => m.seq > *snap,
            None => self.topics.contains(&m.topic),
        }
    }

    /// The frames of an executions message (one per entry, each with the next `sequence`),
    /// empty unless it is this session's account.
    pub fn exec_frames(&mut self, m: &ExecMsg) -> Vec<String> {
        match self.exec {
            Some(sub) if sub.account == m.account => m
                .entries
                .iter()
                .map(|e| {
                    self.sequence += 1;
                    render::executions(std::slice::from_ref(e), false, self.sequence)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Handles one text frame.
    pub fn handle(&mut self, shared: &Shared, text: &str) -> Outcome {
        let t_in = now_us();
        let mut out = Outcome::default();
        let req: Value = match serde_json::from_str(text) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                let f = Obj::new()
                    .str("error", "Malformed request")
                    .bool("success", false)
                    .str("time_in", &rfc3339_us(t_in))
                    .str("time_out", &rfc3339_us(now_us()))
                    .finish();
                out.frames.push(f);
                return out;
            }
        };
        let method = req["method"].as_str().unwrap_or("").to_string();
        let req_id = req.get("req_id").filter(|v| v.is_u64() || v.is_i64());
        let params = req.get("params").cloned().unwrap_or(Value::Null);
        let reply = |out: &mut Outcome, r: Reply| {
            out.frames
                .push(render::response(&method, req_id, r, t_in, now_us()));
        };
        match method.as_str() {
            "ping" => out.frames.push(render::pong(req_id, t_in, now_us())),
            "subscribe" | "unsubscribe" => {
                let sub = method == "subscribe";
                let ack = Ack {
                    method: &method,
                    req_id,
                    t_in,
                };
                if let Err(e) = self.subscription(shared, &params, sub, &ack, &mut out) {
                    reply(&mut out, Err(e));
                }
            }
            "add_order" => {
                let r = self.with_key(shared, &params, |venue, key| {
                    super::ws_trading::add_order(shared, venue, key, &params)
                });
                // The order-timeout fault: accepted, but the answer never comes.
                let lost = r.is_ok() && shared.faults().take_order_timeout(ApiKind::KrakenWsAuth);
                if !lost {
                    reply(&mut out, r);
                }
            }
            "cancel_order" => match self.with_key(shared, &params, |venue, key| {
                super::ws_trading::cancel_order(shared, venue, key, &params)
            }) {
                Ok(ids) => {
                    for id in ids {
                        let r = Obj::new().str("order_id", &id).finish();
                        reply(&mut out, Ok(Some(r)));
                    }
                }
                Err(e) => reply(&mut out, Err(e)),
            },
            _ => reply(&mut out, Err("Method not found".into())),
        }
        out
    }

    /// The key index of the request's `token` (auth endpoint only; a token stays valid while
    /// this connection keeps its private subscription).
    fn token_key(&self, venue: &KrakenVenue, params: &Value) -> Result<usize, String> {
        if !self.auth {
            return Err("EGeneral:Permission denied".into());
        }
        let token = params["token"].as_str().ok_or("Token missing")?;
        match venue.tokens.get(token) {
            Some((key, exp)) if *exp > now_us() / 1000 || self.exec.is_some() => Ok(*key),
            _ => Err("Token(s) not found".into()),
        }
    }

    /// Runs `f` with the venue locked and the key of the request's token.
    fn with_key<T>(
        &self,
        shared: &Shared,
        params: &Value,
        f: impl FnOnce(&mut KrakenVenue, usize) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut venue = shared.kraken.venue();
        let key = self.token_key(&venue, params)?;
        f(&mut venue, key)
    }

    fn symbols<'a>(shared: &'a Shared, params: &Value) -> Result<Vec<&'a KrakenPair>, String> {
        let list = params["symbol"].as_array().ok_or("Symbol missing")?;
        if list.is_empty() {
            return Err("Symbol missing".into());
        }
        list.iter()
            .map(|s| {
                let name = s.as_str().unwrap_or("");
                shared
                    .kraken
                    .pair(name)
                    .ok_or_else(|| format!("Currency pair not supported {name}"))
            })
            .collect()
    }

    fn subscription(
        &mut self,
        shared: &Shared,
        params: &Value,
        sub: bool,
        ack: &Ack<'_>,
        out: &mut Outcome,
    ) -> Result<(), String> {
        let channel = params["channel"]
            .as_str()
            .ok_or("Channel missing")?
            .to_string();
        let snapshot = params["snapshot"].as_bool().unwrap_or(true);
        let now_ms = now_us() / 1000;
        match channel.as_str() {
            "book" => {
                let depth = match params.get("depth") {
                    None => 10,
                    Some(d) => d
                        .as_u64()
                        .map(|d| d as usize)
                        .filter(|d| DEPTHS.contains(d))
                        .ok_or("Subscription depth not supported")?,
                };
                for p in Self::symbols(shared, params)? {
                    let topic = format!("book:{}:{depth}", p.symbol);
                    let result = Obj::new()
                        .str("channel", "book")
                        .int("depth", depth)
                        .bool("snapshot", snapshot)
                        .str("symbol", &p.symbol)
                        .finish();
                    if !sub {
                        if self.book.remove(&topic).is_none() {
                            return Err("Subscription Not Found".into());
                        }
                        out.track.push((topic, -1));
                        ack.push(out, result);
                        continue;
                    }
                    if self.book.contains_key(&topic) {
                        return Err("Already subscribed".into());
                    }
                    let mut venue = shared.kraken.venue();
                    let f = feed(shared, &mut venue, &p.altname, depth)
                        .ok_or("Currency pair not supported")?;
                    self.book.insert(topic.clone(), f.seq);
                    let snap = f.snapshot().render(&p.symbol, &rfc3339_us(now_us()));
                    // Counted under the venue lock, so publication keeps this view from now on.
                    shared.kraken.hub.track(&topic, 1);
                    drop(venue);
                    ack.push(out, result);
                    if snapshot {
                        out.frames.push(snap);
                    }
                }
                Ok(())
            }
            "trade" | "ticker" => {
                for p in Self::symbols(shared, params)? {
                    let topic = format!("{channel}:{}", p.symbol);
                    let mut result = Obj::new().str("channel", &channel);
                    if channel == "ticker" {
                        result = result.str(
                            "event_trigger",
                            params["event_trigger"].as_str().unwrap_or("trades"),
                        );
                    }
                    let result = result
                        .bool("snapshot", snapshot)
                        .str("symbol", &p.symbol)
                        .finish();
                    self.toggle(&topic, sub, out)?;
                    ack.push(out, result);
                    if sub && snapshot {
                        let mut venue = shared.kraken.venue();
                        let frame = if channel == "trade" {
                            venue
                                .ex
                                .symbol(&p.altname)
                                .map(|s| render::trades(p, &s.tape.recent(50), true))
                        } else {
                            ticker_data(&mut venue, &p.altname, now_ms)
                                .map(|t| render::ticker(p, &t, true))
                        };
                        out.frames.extend(frame);
                    }
                }
                Ok(())
            }
            "ohlc" => {
                let interval = match params.get("interval") {
                    None => 1,
                    Some(i) => i
                        .as_u64()
                        .filter(|i| INTERVALS.contains(i))
                        .ok_or("Subscription ohlc interval not supported")?,
                };
                for p in Self::symbols(shared, params)? {
                    let topic = format!("ohlc:{}:{interval}", p.symbol);
                    let result = Obj::new()
                        .str("channel", "ohlc")
                        .int("interval", interval)
                        .bool("snapshot", snapshot)
                        .str("symbol", &p.symbol)
                        .finish();
                    self.toggle(&topic, sub, out)?;
                    ack.push(out, result);
                    if sub && snapshot {
                        let mut venue = shared.kraken.venue();
                        if let Some(s) = venue.ex.symbol_mut(&p.altname) {
                            let c = s.tape.candles(interval * 60_000, now_ms, None, None, 720);
                            out.frames.push(render::ohlc(p, &c, interval, true, now_ms));
                        }
                    }
                }
                Ok(())
            }
            "instrument" => {
                self.toggle("instrument", sub, out)?;
                let result = Obj::new()
                    .str("channel", "instrument")
                    .bool("snapshot", snapshot)
                    .finish();
                ack.push(out, result);
                if sub && snapshot {
                    out.frames
                        .push(render::instrument(&shared.kraken.config.pairs));
                }
                Ok(())
            }
            "executions" => {
                if !sub {
                    self.exec.take().ok_or("Subscription Not Found")?;
                    ack.push(out, Obj::new().str("channel", "executions").finish());
                    return Ok(());
                }
                if self.exec.is_some() {
                    return Err("Already subscribed".into());
                }
                let venue = shared.kraken.venue();
                let key = self.token_key(&venue, params)?;
                let account = venue
                    .keys
                    .get(key)
                    .map(|k| k.account)
                    .ok_or("Token(s) not found")?;
                self.exec = Some(ExecSub { account });
                let snap_orders = params["snap_orders"].as_bool().unwrap_or(snapshot);
                let snap_trades = params["snap_trades"].as_bool().unwrap_or(false);
                let entries =
                    executions_snapshot(shared, &venue, account, snap_orders, snap_trades);
                drop(venue);
                ack.push(
                    out,
                    Obj::new()
                        .str("channel", "executions")
                        .int(
                            "maxratecount",
                            shared.kraken.config.trading_counter.max.trunc(),
                        )
                        .bool("snapshot", snap_orders || snap_trades)
                        .finish(),
                );
                if snap_orders || snap_trades {
                    self.sequence += 1;
                    out.frames
                        .push(render::executions(&entries, true, self.sequence));
                }
                Ok(())
            }
            _ => Err("Channel not supported".into()),
        }
    }

    fn toggle(&mut self, topic: &str, sub: bool, out: &mut Outcome) -> Result<(), String> {
        if sub {
            if !self.topics.insert(topic.to_string()) {
                return Err("Already subscribed".into());
            }
            out.track.push((topic.to_string(), 1));
        } else {
            if !self.topics.remove(topic) {
                return Err("Subscription Not Found".into());
            }
            out.track.push((topic.to_string(), -1));
        }
        Ok(())
    }
}
