//! Client order ids and W3C trace context for the commands `xctl order` sends.

use exchange_core::model::MAX_CLIENT_ORDER_ID_LEN;

/// Checks a client order id: 1–36 characters of `A-Z a-z 0-9 - _` (what every venue we support
/// accepts, and a valid bus token).
pub fn check_id(id: &str) -> anyhow::Result<()> {
    let ok_chars = id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if id.is_empty() || id.len() > MAX_CLIENT_ORDER_ID_LEN || !ok_chars {
        anyhow::bail!(
            "bad client order id {id:?}: it must be 1-{MAX_CLIENT_ORDER_ID_LEN} characters of A-Z a-z 0-9 - _"
        );
    }
    Ok(())
}

/// A fresh id: `xctl-<ms since the epoch, base 36>-<6 random base-36 digits>` (20 characters).
pub fn generate_id(now_ns: i64) -> String {
    let ms = u64::try_from(now_ns / 1_000_000).unwrap_or(0);
    let random = u64::from(rand::random::<u32>()) % 36u64.pow(6);
    format!("xctl-{}-{:0>6}", base36(ms), base36(random))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// A new W3C `traceparent` (version 00, sampled) with random, non-zero trace and span ids.
pub fn new_traceparent() -> String {
    let trace = rand::random::<u128>().max(1);
    let span = rand::random::<u64>().max(1);
    format!("00-{trace:032x}-{span:016x}-01")
}

/// The trace id of a `traceparent` (`00-<trace id>-<span id>-<flags>`), if it has one.
pub fn trace_id(traceparent: &str) -> Option<&str> {
    traceparent
        .trim()
        .split('-')
        .nth(1)
        .filter(|t| t.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let a = generate_id(1_700_000_000_000_000_000);
        let b = generate_id(1_700_000_000_000_000_000);
        check_id(&a).unwrap();
        assert!(a.starts_with("xctl-"), "{a}");
        assert!(a.len() <= MAX_CLIENT_ORDER_ID_LEN, "{a}");
        assert_ne!(a, b);
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }

    #[test]
    fn bad_ids_are_refused() {
        for bad in ["", "a.b", "a b", "x*", &"a".repeat(37), "é"] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        check_id(&"A-z_9".repeat(7)).unwrap();
    }

    #[test]
    fn traceparents_are_w3c_version_00() {
        let tp = new_traceparent();
        let parts: Vec<&str> = tp.split('-').collect();
        assert_eq!(parts.len(), 4);
        assert_eq!((parts[0], parts[3]), ("00", "01"));
        assert_eq!((parts[1].len(), parts[2].len()), (32, 16));
        assert!(
            order_gateway::trace::TraceParent::parse(&tp).is_some(),
            "{tp}"
        );
        assert_eq!(trace_id(&tp), Some(parts[1]));
        assert_ne!(new_traceparent(), tp);
        assert_eq!(trace_id("garbage"), None);
    }
}
