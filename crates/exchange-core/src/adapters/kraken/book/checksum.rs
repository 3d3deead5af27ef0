//! The v2 book checksum (§5.3 step 3), as in Kraken's guide "Spot Websockets (v2) Book
//! Checksum" and `krakenfx/api-go` `pkg/book/checksum.go` (`L2Checksum`).
//!
//! Over the **top 10** levels of each side, whatever the depth: asks ascending, then bids
//! descending; for each level the price text as sent with `.` removed and leading zeros
//! stripped, then the quantity text treated the same; all concatenated; CRC32 (IEEE, as zlib and
//! Go's `crc32.IEEETable`) as an unsigned 32-bit integer.

/// How many levels per side the checksum covers.
pub const CHECKSUM_LEVELS: usize = 10;

/// Appends a number's text with `.` removed and leading zeros stripped (`0.00100000` →
/// `100000`, `45285.2` → `452852`).
pub fn push_token(out: &mut String, text: &str) {
    let start = out.len();
    for c in text.chars().filter(|c| *c != '.') {
        if out.len() == start && c == '0' {
            continue;
        }
        out.push(c);
    }
}

/// The checksum input: `asks` best (lowest) first, then `bids` best (highest) first, each a
/// `(price text, qty text)` pair; only the first [`CHECKSUM_LEVELS`] of each are used.
pub fn checksum_input<'a>(
    asks: impl IntoIterator<Item = (&'a str, &'a str)>,
    bids: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut out = String::with_capacity(2 * CHECKSUM_LEVELS * 24);
    for (price, qty) in asks
        .into_iter()
        .take(CHECKSUM_LEVELS)
        .chain(bids.into_iter().take(CHECKSUM_LEVELS))
    {
        push_token(&mut out, price);
        push_token(&mut out, qty);
    }
    out
}

/// CRC32 (IEEE) of a checksum input.
pub fn crc32(input: &str) -> u32 {
    crc32fast::hash(input.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_the_point_and_leading_zeros() {
        for (text, token) in [
            ("45285.2", "452852"),
            ("0.00100000", "100000"),
            ("1797.30", "179730"),
            ("0.10000000", "10000000"),
            ("100", "100"),
        ] {
            let mut out = String::new();
            push_token(&mut out, text);
            assert_eq!(out, token, "{text}");
        }
        assert_eq!(
            checksum_input([("45285.2", "0.00100000")], [("45283.5", "0.10000000")]),
            "45285210000045283510000000"
        );
    }
}
