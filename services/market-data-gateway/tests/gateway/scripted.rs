//! A scripted venue adapter: the test pushes book updates and trades into channels, the
//! gateway subscribes through the `Exchange` trait as it would to a real venue.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use exchange_core::model::{Symbol, Trade};
use exchange_core::{BookUpdate, Capabilities, Capability, Exchange, StreamEvent, Subscription};
use futures_util::stream;
use tokio::sync::mpsc;

type Feed<T> = mpsc::Sender<StreamEvent<T>>;

/// The adapter: one book stream per symbol, taken by the first subscription.
pub struct Scripted {
    venue: String,
    books: Mutex<HashMap<Symbol, mpsc::Receiver<StreamEvent<BookUpdate>>>>,
    trades: Mutex<HashMap<Symbol, mpsc::Receiver<StreamEvent<Trade>>>>,
}

/// The test's side of the scripted adapter.
pub struct Script {
    pub books: HashMap<Symbol, Feed<BookUpdate>>,
    pub trades: HashMap<Symbol, Feed<Trade>>,
}

impl Scripted {
    /// An adapter of `venue` with book and trade streams of `symbols`.
    pub fn new(venue: &str, symbols: &[Symbol]) -> (Arc<Scripted>, Script) {
        let mut books = HashMap::new();
        let mut trades = HashMap::new();
        let mut script = Script {
            books: HashMap::new(),
            trades: HashMap::new(),
        };
        for s in symbols {
            let (tx, rx) = mpsc::channel(1024);
            books.insert(s.clone(), rx);
            script.books.insert(s.clone(), tx);
            let (tx, rx) = mpsc::channel(1024);
            trades.insert(s.clone(), rx);
            script.trades.insert(s.clone(), tx);
        }
        let adapter = Scripted {
            venue: venue.to_owned(),
            books: Mutex::new(books),
            trades: Mutex::new(trades),
        };
        (Arc::new(adapter), script)
    }
}

fn as_stream<T: Send + 'static>(rx: mpsc::Receiver<StreamEvent<T>>) -> Subscription<T> {
    Box::pin(stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

#[async_trait]
impl Exchange for Scripted {
    fn venue(&self) -> &str {
        &self.venue
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::EMPTY
            .with(Capability::SubscribeOrderBook)
            .with(Capability::SubscribeTrades)
    }

    async fn subscribe_order_book(
        &self,
        symbol: &Symbol,
        _depth: usize,
    ) -> exchange_core::Result<Subscription<BookUpdate>> {
        let rx = self.books.lock().unwrap().remove(symbol);
        rx.map(as_stream)
            .ok_or_else(|| exchange_core::ExchangeError::Config("already subscribed".into()))
    }

    async fn subscribe_trades(
        &self,
        symbol: &Symbol,
    ) -> exchange_core::Result<Subscription<Trade>> {
        let rx = self.trades.lock().unwrap().remove(symbol);
        rx.map(as_stream)
            .ok_or_else(|| exchange_core::ExchangeError::Config("already subscribed".into()))
    }
}
