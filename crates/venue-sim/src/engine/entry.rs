//! Order entry on an [`Exchange`]: validation, reservation, matching, resting, cancellation,
//! completion and stop triggers.

use rust_decimal::Decimal;

use super::book::{Resting, TakeLimit};
use super::events::{EngineEvent, OrderUpdate};
use super::exchange::{EngineError, Exchange, MarketKind, NewOrder, SideEffect};
use super::spec::SymbolSpec;
use super::types::{ExecType, Order, OrderStatus, OrderType, Owner, Side, TimeInForce};

impl Exchange {
    /// Places an order; returns the order as it stands after matching.
    pub fn place(&mut self, req: NewOrder, now: u64) -> Result<Order, EngineError> {
        let spec = self
            .symbols
            .get(&req.symbol)
            .ok_or(EngineError::UnknownSymbol)?
            .spec
            .clone();
        if req.account >= self.accounts.len() {
            return Err(EngineError::UnknownAccount);
        }
        self.validate(&spec, &req)?;
        if let Some(c) = &req.client_id
            && self
                .orders
                .values()
                .any(|o| o.account == req.account && o.status.is_open() && &o.client_id == c)
        {
            return Err(EngineError::Duplicate);
        }
        let book = &self.symbols[&req.symbol].book;
        let price = req.price.unwrap_or_default();
        if req.kind == OrderType::LimitMaker && book.would_cross(req.side, price) {
            return Err(EngineError::WouldTake);
        }
        if req.kind.is_stop() {
            let last = self.symbols[&req.symbol].tape.last_price();
            if stop_triggered(req.kind, req.side, req.stop_price.unwrap_or_default(), last) {
                return Err(EngineError::WouldTrigger);
            }
        }
        let take = self.take_limit(&spec, &req);
        let (sim_base, sim_quote) = book.simulate(req.side, take);
        if req.kind == OrderType::Market {
            let ref_notional = match req.quote_qty {
                Some(q) => q,
                None => req.qty.unwrap_or_default() * self.mark_price(&req.symbol),
            };
            spec.check_notional(ref_notional)
                .map_err(EngineError::Filter)?;
        }
        if req.kind == OrderType::Market && req.qty.is_none() && sim_base.is_zero() {
            return Err(EngineError::InsufficientLiquidity);
        }
        let lock = self.reserve(&req, sim_base, sim_quote)?;
        let client_id = match req.client_id.clone() {
            Some(c) => c,
            None => self.next_client_id(),
        };
        let id = self.next_order_id;
        self.next_order_id += 1;
        let order = Order {
            id,
            account: req.account,
            symbol: req.symbol.clone(),
            client_id,
            side: req.side,
            kind: req.kind,
            tif: req.tif,
            price,
            qty: req.qty.unwrap_or(sim_base),
            quote_qty: req.quote_qty.unwrap_or_default(),
            stop_price: req.stop_price.unwrap_or_default(),
            executed: Decimal::ZERO,
            cum_quote: Decimal::ZERO,
            status: OrderStatus::New,
            time: now,
            update_time: now,
            working_time: if req.kind.is_stop() { None } else { Some(now) },
            reduce_only: req.reduce_only,
            locked: lock,
        };
        self.orders.insert(id, order.clone());
        self.emit_order(id, ExecType::New, now);
        if self.kind == MarketKind::Spot && !lock.is_zero() {
            let asset = self.lock_asset(&req.symbol, req.side);
            if let Some(acc) = self.accounts.get_mut(req.account) {
                acc.update_time = now;
            }
            self.events.push(EngineEvent::Account {
                account: req.account,
                assets: vec![asset],
                position: None,
                time: now,
                reason: "ORDER",
            });
        }
        if req.kind.is_stop() {
            if let Some(s) = self.symbols.get_mut(&req.symbol) {
                s.stops.push(id);
            }
        } else {
            self.work(id, req.side_effect, now);
            self.check_stops(&req.symbol, now);
        }
        self.after_book_change(&req.symbol, now);
        self.orders
            .get(&id)
            .cloned()
            .ok_or(EngineError::UnknownOrder)
    }

    fn validate(&self, spec: &SymbolSpec, req: &NewOrder) -> Result<(), EngineError> {
        let filter = EngineError::Filter;
        if let Some(p) = req.price {
            spec.check_price(p).map_err(filter)?;
        }
        if let Some(p) = req.stop_price {
            spec.check_price(p).map_err(filter)?;
        }
        if let Some(q) = req.qty {
            spec.check_qty(q).map_err(filter)?;
        }
        if let (Some(p), Some(q)) = (req.price, req.qty) {
            spec.check_notional(p * q).map_err(filter)?;
        }
        Ok(())
    }

    fn take_limit(&self, spec: &SymbolSpec, req: &NewOrder) -> TakeLimit {
        TakeLimit {
            price: if req.kind == OrderType::Market {
                None
            } else {
                req.price
            },
            qty: req.qty,
            quote: if req.qty.is_none() {
                req.quote_qty
            } else {
                None
            },
            step: spec.step_size,
        }
    }

    /// Sets an order working: FOK check, matching, then resting or expiring the remainder.
    pub(super) fn work(&mut self, id: u64, side_effect: SideEffect, now: u64) {
        let Some(order) = self.orders.get(&id).cloned() else {
            return;
        };
        let Some(spec) = self.symbols.get(&order.symbol).map(|s| s.spec.clone()) else {
            return;
        };
        let limit = TakeLimit {
            price: if order.kind == OrderType::Market {
                None
            } else {
                Some(order.price)
            },
            qty: Some(order.qty),
            quote: None,
            step: spec.step_size,
        };
        let book = &self.symbols[&order.symbol].book;
        let post_only = order.tif == TimeInForce::Gtx && book.would_cross(order.side, order.price);
        let fok_short =
            order.tif == TimeInForce::Fok && book.simulate(order.side, limit).0 < order.qty;
        if post_only || fok_short {
            self.finish(id, OrderStatus::Expired, now);
            return;
        }
        let fills = match self.symbols.get_mut(&order.symbol) {
            Some(s) => s.book.take(order.side, limit),
            None => return,
        };
        for f in fills {
            self.settle(
                &order.symbol,
                Owner::Account(order.account),
                Some(id),
                order.side,
                &f,
                now,
            );
        }
        if side_effect == SideEffect::AutoRepay {
            self.auto_repay(order.account, &spec);
        }
        let Some(o) = self.orders.get(&id) else {
            return;
        };
        if !o.status.is_open() {
            return;
        }
        let rests = order.kind != OrderType::Market
            && matches!(order.tif, TimeInForce::Gtc | TimeInForce::Gtx);
        if rests {
            let qty = o.remaining();
            if let Some(s) = self.symbols.get_mut(&order.symbol) {
                s.book.insert(
                    order.side,
                    order.price,
                    Resting {
                        order_id: id,
                        owner: Owner::Account(order.account),
                        qty,
                    },
                );
            }
        } else {
            self.finish(id, OrderStatus::Expired, now);
        }
    }

    /// Cancels an open order.
    pub fn cancel(
        &mut self,
        account: usize,
        symbol: &str,
        id: Option<u64>,
        client_id: Option<&str>,
        now: u64,
    ) -> Result<Order, EngineError> {
        self.cancel_as(account, symbol, id, client_id, None, now)
    }

    /// Cancels an open order on behalf of a cancel request with its own client id
    /// (`newClientOrderId`), which the CANCELED update carries.
    pub fn cancel_as(
        &mut self,
        account: usize,
        symbol: &str,
        id: Option<u64>,
        client_id: Option<&str>,
        cancel_client_id: Option<String>,
        now: u64,
    ) -> Result<Order, EngineError> {
        if !self.symbols.contains_key(symbol) {
            return Err(EngineError::UnknownSymbol);
        }
        let order = self
            .find_order(account, symbol, id, client_id)
            .filter(|o| o.status.is_open())
            .cloned()
            .ok_or(EngineError::UnknownOrder)?;
        if let Some(s) = self.symbols.get_mut(symbol) {
            s.book.remove(order.side, order.price, order.id);
            s.stops.retain(|x| *x != order.id);
        }
        self.finish(order.id, OrderStatus::Canceled, now);
        if let Some(EngineEvent::Order(u)) = self
            .events
            .iter_mut()
            .rev()
            .find(|e| matches!(e, EngineEvent::Order(_)))
        {
            u.cancel_client_id = cancel_client_id;
        }
        self.after_book_change(symbol, now);
        self.orders
            .get(&order.id)
            .cloned()
            .ok_or(EngineError::UnknownOrder)
    }

    /// Ends an order (canceled/expired/filled), releasing what it still locks.
    pub(super) fn finish(&mut self, id: u64, status: OrderStatus, now: u64) {
        let Some(order) = self.orders.get_mut(&id) else {
            return;
        };
        order.status = status;
        order.update_time = now;
        let leftover = std::mem::take(&mut order.locked);
        let (account, symbol, side) = (order.account, order.symbol.clone(), order.side);
        if !leftover.is_zero() {
            let asset = self.lock_asset(&symbol, side);
            if let Some(acc) = self.accounts.get_mut(account) {
                let b = acc.balance_mut(&asset);
                b.locked -= leftover;
                if self.kind == MarketKind::Spot {
                    b.free += leftover;
                }
                acc.update_time = now;
            }
            self.events.push(EngineEvent::Account {
                account,
                assets: vec![asset],
                position: None,
                time: now,
                reason: "ORDER",
            });
        }
        let exec = match status {
            OrderStatus::Canceled => ExecType::Canceled,
            OrderStatus::Expired | OrderStatus::Rejected => ExecType::Expired,
            _ => return,
        };
        self.emit_order(id, exec, now);
    }

    pub(super) fn emit_order(&mut self, id: u64, exec: ExecType, now: u64) {
        if let Some(o) = self.orders.get(&id) {
            self.events.push(EngineEvent::Order(Box::new(OrderUpdate {
                order: o.clone(),
                exec,
                last_qty: Decimal::ZERO,
                last_price: Decimal::ZERO,
                commission: Decimal::ZERO,
                commission_asset: None,
                trade_id: -1,
                is_maker: false,
                realized_pnl: Decimal::ZERO,
                cancel_client_id: None,
                time: now,
            })));
        }
    }

    /// The asset an order of `side` locks: quote for buys (and all futures orders), base for sells.
    pub(super) fn lock_asset(&self, symbol: &str, side: Side) -> String {
        let Some(s) = self.symbols.get(symbol) else {
            return String::new();
        };
        match (self.kind, side) {
            (MarketKind::Futures, _) | (MarketKind::Spot, Side::Buy) => s.spec.quote.clone(),
            (MarketKind::Spot, Side::Sell) => s.spec.base.clone(),
        }
    }

    /// Emits a book ticker event when the best bid or ask changed.
    pub(super) fn after_book_change(&mut self, symbol: &str, now: u64) {
        let Some(s) = self.symbols.get_mut(symbol) else {
            return;
        };
        let bbo = (s.book.best_bid(), s.book.best_ask());
        if bbo != s.last_bbo {
            s.last_bbo = bbo;
            self.events.push(EngineEvent::BookTicker {
                symbol: symbol.to_string(),
                update_id: s.book.update_id(),
                bid: bbo.0.unwrap_or_default(),
                ask: bbo.1.unwrap_or_default(),
                time: now,
            });
        }
    }

    /// Triggers stop orders whose stop price the last trade reached.
    pub(super) fn check_stops(&mut self, symbol: &str, now: u64) {
        for _ in 0..64 {
            let Some(s) = self.symbols.get(symbol) else {
                return;
            };
            let last = s.tape.last_price();
            let hit = s.stops.iter().copied().find(|id| {
                self.orders
                    .get(id)
                    .is_some_and(|o| stop_triggered(o.kind, o.side, o.stop_price, last))
            });
            let Some(id) = hit else {
                return;
            };
            if let Some(s) = self.symbols.get_mut(symbol) {
                s.stops.retain(|x| *x != id);
            }
            if let Some(o) = self.orders.get_mut(&id) {
                o.working_time = Some(now);
                o.update_time = now;
            }
            self.work(id, SideEffect::None, now);
        }
    }
}

/// Whether a stop order of `kind`/`side` with `stop` triggers at `last`.
pub fn stop_triggered(kind: OrderType, side: Side, stop: Decimal, last: Decimal) -> bool {
    match (kind, side) {
        (OrderType::StopLossLimit, Side::Sell) | (OrderType::TakeProfitLimit, Side::Buy) => {
            last <= stop
        }
        (OrderType::StopLossLimit, Side::Buy) | (OrderType::TakeProfitLimit, Side::Sell) => {
            last >= stop
        }
        _ => false,
    }
}
