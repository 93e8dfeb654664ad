//! Link tokens: random, shown once, stored only as a hash, compared in constant time.
//!
//! A department's link is its password, so a token carries 192 random bits from the operating
//! system (well above the 128 that make guessing hopeless) and is written as 48 lowercase hex
//! digits: safe in a URL, a mail and a spreadsheet cell. The database keeps SHA-256 of the
//! token: a copy of `jixiao.sqlite` opens no page. Lookups go by the hash, and the stored hash is
//! compared again with `subtle`, so no comparison leaks how many leading bytes matched.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes in a token.
const TOKEN_BYTES: usize = 24;

/// A token as it appears in a link.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// SHA-256 of a token: what the storage keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

impl Token {
    /// A new random token.
    pub fn generate() -> Result<Token, String> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| format!("无法取得随机数：{e}"))?;
        Ok(Token(hex(&bytes)))
    }

    /// A token from a link, if it has the shape of one (anything else is not looked up).
    pub fn parse(text: &str) -> Option<Token> {
        let ok = text.len() == TOKEN_BYTES * 2
            && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Token(text.to_owned()))
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its hash.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl std::fmt::Debug for Token {
    /// Never printed in full: a log line must not carry a working link.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({}…)", &self.0[..4])
    }
}

impl TokenHash {
    /// Constant-time equality.
    pub fn matches(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_hashed() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(Token::parse(a.as_str()), Some(a.clone()));
        assert!(a.hash().matches(&a.hash()));
        assert!(!a.hash().matches(&b.hash()));
        assert!(!format!("{a:?}").contains(&a.as_str()[4..]));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for t in [
            "",
            "abc",
            &"A".repeat(48),
            &"g".repeat(48),
            &"a".repeat(49),
            "../../etc",
        ] {
            assert_eq!(Token::parse(t), None, "{t}");
        }
    }
}
