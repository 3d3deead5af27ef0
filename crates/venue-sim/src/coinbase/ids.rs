//! Identifier text: engine order and trade ids rendered as UUIDs (Coinbase's `order_id`,
//! `trade_id` of fills), per-user UUIDs for users, accounts and portfolios, and the fill
//! `entry_id` (64 hex digits).

use sha2::{Digest, Sha256};

/// UUID text of an engine order id (`00000000-0000-4000-8000-0000000003e9`); `perp` orders get
/// a distinct prefix because the perpetual market numbers its orders separately.
pub fn order_uuid(perp: bool, id: u64) -> String {
    let market = if perp { 2 } else { 1 };
    format!("{market:08x}-0000-4000-8000-{id:012x}")
}

/// A stable UUID derived from `parts` (users, accounts, portfolios, fill trade ids).
pub fn derived_uuid(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let b = h.finalize();
    let x = hex::encode(&b[..16]);
    format!(
        "{}-{}-4{}-8{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        &x[17..20],
        &x[20..32]
    )
}

/// The 64-hex `entry_id` of a fill.
pub fn entry_id(order: &str, trade_id: u64) -> String {
    let mut h = Sha256::new();
    h.update(order.as_bytes());
    h.update(trade_id.to_be_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            order_uuid(false, 1001),
            "00000001-0000-4000-8000-0000000003e9"
        );
        let u = derived_uuid(&["user", "k"]);
        assert_eq!(u.len(), 36);
        assert_eq!(u, derived_uuid(&["user", "k"]));
        assert_ne!(u, derived_uuid(&["user", "j"]));
        assert_eq!(entry_id("x", 1).len(), 64);
    }
}
