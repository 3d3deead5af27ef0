//! A test publisher of one order book: it keeps the true book, numbers its events with
//! [`BookSequence`], publishes them on `md.<venue>.book.<symbol>`, and writes KV snapshots when
//! told. It can also "lose" a delta: apply and number it without publishing, as a dropped core
//! NATS message would look to consumers.

use async_nats::Client;
use async_nats::jetstream::kv;
use bus::publish::{publish_market_data, put_book_snapshot};
use bus::{BookSequence, BookSnapshotRecord, Encoding};
use exchange_core::model::{BookDelta, BookSnapshot, Level, Symbol};
use exchange_core::orderbook::OrderBook;
use rust_decimal::Decimal;

/// The publisher of one book.
pub struct TestPublisher {
    client: Client,
    books: kv::Store,
    seq: BookSequence,
    book: OrderBook,
    rng: u64,
    encoding: Encoding,
}

impl TestPublisher {
    /// A publisher whose book starts with ten levels per side around 100.00.
    pub fn new(
        client: Client,
        books: kv::Store,
        venue: &str,
        symbol: Symbol,
        encoding: Encoding,
    ) -> Self {
        let mut book = OrderBook::new();
        let bids: Vec<Level> = (1..=10)
            .map(|i| Level::new(Decimal::new(10_000 - i, 2), Decimal::from(i)))
            .collect();
        let asks: Vec<Level> = (1..=10)
            .map(|i| Level::new(Decimal::new(10_000 + i, 2), Decimal::from(i)))
            .collect();
        book.apply_snapshot(&bids, &asks);
        TestPublisher {
            client,
            books,
            seq: BookSequence::starting_now(venue, symbol),
            book,
            rng: 0x9E37_79B9_7F4A_7C15,
            encoding,
        }
    }

    /// The true book.
    pub fn book(&self) -> &OrderBook {
        &self.book
    }

    /// The `seq` of the last event numbered.
    pub fn last_seq(&self) -> Option<u64> {
        self.seq.last_seq()
    }

    fn snapshot_now(&self) -> BookSnapshot {
        let (bids, asks) = self.book.levels();
        BookSnapshot {
            symbol: self.seq.symbol().clone(),
            bids,
            asks,
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns: exchange_core::model::now_ns(),
        }
    }

    /// Publishes the whole book as a snapshot event.
    pub async fn publish_snapshot(&mut self) -> u64 {
        let event = self.seq.snapshot(self.snapshot_now());
        publish_market_data(&self.client, &event, self.encoding)
            .await
            .unwrap();
        event.seq
    }

    /// Writes the book as of the last event to KV `md_books`.
    pub async fn write_kv(&mut self) {
        let (books, record, encoding) = self.kv_write();
        put_book_snapshot(&books, &record, encoding).await.unwrap();
    }

    /// What [`TestPublisher::write_kv`] would write, and where: for retrying the write from a
    /// condition (a server that is still starting).
    pub fn kv_write(&self) -> (kv::Store, BookSnapshotRecord, Encoding) {
        let record = self
            .seq
            .record(self.snapshot_now())
            .expect("an event was numbered");
        (self.books.clone(), record, self.encoding)
    }

    /// Changes the book (one to four levels, some deleted) and publishes the delta.
    pub async fn publish_delta(&mut self) -> u64 {
        let delta = self.next_delta();
        let event = self.seq.delta(delta);
        publish_market_data(&self.client, &event, self.encoding)
            .await
            .unwrap();
        event.seq
    }

    /// Changes the book and numbers the delta, but does not publish it: a lost message.
    pub fn lose_delta(&mut self) -> u64 {
        let delta = self.next_delta();
        self.seq.delta(delta).seq
    }

    fn random(&mut self, below: u64) -> u64 {
        // xorshift64: deterministic, good enough to shuffle levels.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % below
    }

    fn next_delta(&mut self) -> BookDelta {
        let mut bids = Vec::new();
        let mut asks = Vec::new();
        for _ in 0..=self.random(4) {
            // Bids 99.80..99.99, asks 100.01..100.20: the book never crosses.
            let offset = 1 + self.random(20) as i64;
            let qty = if self.random(4) == 0 {
                Decimal::ZERO
            } else {
                Decimal::from(1 + self.random(50))
            };
            if self.random(2) == 0 {
                bids.push(Level::new(Decimal::new(10_000 - offset, 2), qty));
            } else {
                asks.push(Level::new(Decimal::new(10_000 + offset, 2), qty));
            }
        }
        self.book.apply_delta(&bids, &asks);
        BookDelta {
            symbol: self.seq.symbol().clone(),
            bids,
            asks,
            venue_first_seq: None,
            venue_seq: None,
            exchange_ts_ns: 0,
            local_ts_ns: exchange_core::model::now_ns(),
        }
    }
}
