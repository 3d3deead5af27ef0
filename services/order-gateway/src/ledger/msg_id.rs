//! Message ids of order events: `<venue>:<account>:<client_order_id>:<suffix>`, so that one fact
//! published twice is dropped by JetStream's duplicate window, and two accounts never collide.

/// The `Nats-Msg-Id` of an event about `client_order_id` with the ledger's `suffix`.
pub fn event_msg_id(venue: &str, account: &str, client_order_id: &str, suffix: &str) -> String {
    format!("{venue}:{account}:{client_order_id}:{suffix}")
}

/// `text` as a message-id token: characters outside `A-Z a-z 0-9 - _` become `_` (a decimal
/// point too: `0.004` → `0_004`), at most 64 characters (a longer text keeps its first 47 and a
/// hash of the whole, so distinct texts stay distinct).
pub fn token(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        return "_".to_owned();
    }
    if clean.len() <= 64 {
        return clean;
    }
    format!("{}-{:016x}", &clean[..47], fnv1a(text.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_the_allowed_characters_and_replace_the_rest() {
        assert_eq!(token("1337"), "1337");
        assert_eq!(token("THVRQM-33VKH-UCI7BS"), "THVRQM-33VKH-UCI7BS");
        assert_eq!(token("0.004"), "0_004");
        assert_eq!(token("a b:c"), "a_b_c");
        assert_eq!(token(""), "_");
    }

    #[test]
    fn long_texts_stay_distinct_and_short() {
        let a = "x".repeat(100);
        let b = format!("{}y", "x".repeat(99));
        assert_eq!(token(&a).len(), 64);
        assert_ne!(token(&a), token(&b));
        assert!(bus::subject::check_token("msg_id", &token(&a)).is_ok());
    }

    #[test]
    fn ids_name_venue_account_and_order() {
        assert_eq!(
            event_msg_id("binance", "main", "s-1", "fill:1337"),
            "binance:main:s-1:fill:1337"
        );
    }
}
