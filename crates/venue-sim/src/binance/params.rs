//! Request parameters as Binance reads them: the query string and the
//! `application/x-www-form-urlencoded` body, percent-decoded, the query winning on duplicates.

use rust_decimal::Decimal;

use super::error::ApiError;

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Splits `a=1&b=2` into decoded pairs.
pub fn parse_form(s: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for part in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = percent_decode(k).ok_or_else(|| ApiError::illegal_chars(k))?;
        let v = percent_decode(v).ok_or_else(|| ApiError::illegal_chars(&k))?;
        out.push((k, v));
    }
    Ok(out)
}

/// The parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parameters from a raw query string and a raw form body.
    pub fn from_request(query: &str, body: &str) -> Result<Self, ApiError> {
        let mut pairs = parse_form(query)?;
        for (k, v) in parse_form(body)? {
            if !pairs.iter().any(|(q, _)| *q == k) {
                pairs.push((k, v));
            }
        }
        Ok(Params { pairs })
    }

    /// Parameters from already decoded pairs (WebSocket API `params`).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Params { pairs }
    }

    /// A parameter, None when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A mandatory parameter (`-1102` when absent).
    pub fn req(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| ApiError::mandatory(name))
    }

    /// An optional decimal (`-1100` when malformed).
    pub fn decimal(&self, name: &str) -> Result<Option<Decimal>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => {
                let ok = !v.is_empty()
                    && v.chars().all(|c| c.is_ascii_digit() || c == '.')
                    && v.matches('.').count() <= 1;
                let d: Decimal = if ok {
                    v.parse().map_err(|_| ApiError::illegal_decimal(name))?
                } else {
                    return Err(ApiError::illegal_decimal(name));
                };
                Ok(Some(d))
            }
        }
    }

    /// An optional unsigned integer (`-1100` when malformed).
    pub fn uint(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| ApiError::illegal_int(name)),
        }
    }

    /// Whether any parameter has this name.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_and_decoding() {
        let p = Params::from_request("symbol=%EF%BC%91&side=BUY", "side=SELL&quantity=1.5&x=a+b")
            .unwrap();
        assert_eq!(p.get("symbol"), Some("１"));
        assert_eq!(p.get("side"), Some("BUY"));
        assert_eq!(p.get("x"), Some("a b"));
        assert_eq!(p.decimal("quantity").unwrap(), Some("1.5".parse().unwrap()));
        assert_eq!(p.req("price").unwrap_err().code, -1102);
        assert!(Params::from_request("a=%zz", "").is_err());
        let bad = Params::from_request("quantity=1e5", "").unwrap();
        assert_eq!(bad.decimal("quantity").unwrap_err().code, -1100);
    }
}
