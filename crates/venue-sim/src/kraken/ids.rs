//! Kraken-style identifiers: order txids (`OQCLML-BW3P3-BUCMWZ`), trade ids (`TWA6QJ-ZO4EM-6QIHQJ`),
//! derived deterministically from the engine's integer ids (the reverse lookup is kept in state).

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 6-5-6 id with `prefix` as first letter, from `n` (distinct `n` give distinct ids).
pub fn kraken_id(prefix: char, n: u64) -> String {
    let mut x = mix(n);
    let mut digits = [0u8; 16];
    for d in digits.iter_mut() {
        *d = ALPHABET[(x & 31) as usize];
        x >>= 5;
    }
    // 16 digits carry 80 bits; the top bits repeat, so fold n in to keep ids distinct.
    digits[13] = ALPHABET[(n & 31) as usize];
    digits[14] = ALPHABET[((n >> 5) & 31) as usize];
    digits[15] = ALPHABET[((n >> 10) & 31) as usize];
    let s: String = digits.iter().map(|b| *b as char).collect();
    format!("{prefix}{}-{}-{}", &s[0..5], &s[5..10], &s[10..16])
}

/// Order txid of an engine order id.
pub fn order_txid(id: u64) -> String {
    kraken_id('O', id)
}

/// Trade txid of one side of an engine trade, as the account's history shows it
/// (`TradesHistory`, `QueryTrades`, an order's `trades`): one per order and trade, so the two
/// sides of a trade between orders of one account are two trades, as on the venue.
pub fn trade_txid(order_id: u64, trade_id: u64) -> String {
    kraken_id('T', order_id.rotate_left(32) ^ trade_id)
}

/// The v2 `executions` channel's `exec_id` of a fill: its trade txid, so a fill seen on the
/// channel and in the REST history is one fill.
pub fn exec_id(order_id: u64, trade_id: u64) -> String {
    trade_txid(order_id, trade_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_distinct() {
        let a = order_txid(1);
        assert_eq!(a.len(), 19);
        assert!(a.starts_with('O'));
        assert_eq!(a.matches('-').count(), 2);
        let set: std::collections::HashSet<_> = (0..10_000).map(order_txid).collect();
        assert_eq!(set.len(), 10_000);
    }
}
