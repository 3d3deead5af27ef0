//! A small JSON writer for Kraken payloads whose numbers must keep their exact decimal text
//! (WebSocket v2 sends `0.10000000` and `1797.30` as bare JSON numbers): numbers are written from
//! their decimal text, never through `f64`.

use rust_decimal::Decimal;

/// `value` with exactly `dp` decimals (rounded half-even beyond, zero-padded below).
pub fn fixed(value: Decimal, dp: u32) -> String {
    let v = value.round_dp(dp);
    format!("{:.*}", dp as usize, v)
}

/// A JSON string literal.
pub fn string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// An object under construction; fields keep their insertion order.
#[derive(Debug, Default)]
pub struct Obj {
    buf: String,
}

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Obj::default()
    }

    /// Adds a field whose value is already JSON text.
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        if !self.buf.is_empty() {
            self.buf.push(',');
        }
        self.buf.push_str(&string(key));
        self.buf.push(':');
        self.buf.push_str(json);
        self
    }

    /// Adds a string field.
    pub fn str(self, key: &str, v: &str) -> Self {
        let s = string(v);
        self.raw(key, &s)
    }

    /// Adds a number field from decimal text (`fixed(...)` output or an integer).
    pub fn num(self, key: &str, text: &str) -> Self {
        self.raw(key, text)
    }

    /// Adds an integer field.
    pub fn int(self, key: &str, v: impl std::fmt::Display) -> Self {
        let s = v.to_string();
        self.raw(key, &s)
    }

    /// Adds a boolean field.
    pub fn bool(self, key: &str, v: bool) -> Self {
        self.raw(key, if v { "true" } else { "false" })
    }

    /// Adds a field only when `v` is Some (string).
    pub fn opt_str(self, key: &str, v: Option<&str>) -> Self {
        match v {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// The JSON text.
    pub fn finish(self) -> String {
        format!("{{{}}}", self.buf)
    }
}

/// A JSON array of already-rendered elements.
pub fn array<I: IntoIterator<Item = String>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().collect();
    format!("[{}]", v.join(","))
}

/// The decimal value of a JSON number or numeric string, read from its text (never via f64
/// arithmetic); None for other JSON types or unparsable text.
pub fn decimal_of(v: &serde_json::Value) -> Option<Decimal> {
    let text = match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_exact_numbers() {
        let d: Decimal = "1797.3".parse().unwrap();
        assert_eq!(fixed(d, 2), "1797.30");
        assert_eq!(fixed(Decimal::ZERO, 8), "0.00000000");
        let o = Obj::new()
            .num("price", &fixed(d, 2))
            .str("s", "a\"b")
            .bool("x", true)
            .finish();
        assert_eq!(o, r#"{"price":1797.30,"s":"a\"b","x":true}"#);
        assert_eq!(
            decimal_of(&serde_json::json!(5.1e-05)),
            Some("0.000051".parse().unwrap())
        );
    }
}
