//! JSON with positions: consumes a file's UTF-8 bytes; produces its
//! top-level values as a tree of [`Node`]s, each keeping the byte offset it
//! starts at (so every record and message can cite its exact line) and
//! numbers as written (so ids stay exact). Several top-level values are
//! JSON Lines.

/// A JSON value.
#[derive(Debug)]
pub(super) enum J {
    Null,
    Bool(bool),
    /// A number as written (ids stay exact).
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

/// A JSON value and the byte offset it starts at.
#[derive(Debug)]
pub(super) struct Node {
    pub(super) at: usize,
    pub(super) v: J,
}

impl Node {
    /// The value under `key`, unless absent or `null`.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match &self.v {
            J::Obj(m) => m
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, n)| n)
                .filter(|n| !matches!(n.v, J::Null)),
            _ => None,
        }
    }

    pub(super) fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string (trimmed, non-empty), number or boolean as text.
    pub(super) fn text(&self) -> Option<String> {
        match &self.v {
            J::Str(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            J::Num(n) => Some(n.clone()),
            J::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub(super) fn str(&self) -> Option<&str> {
        match &self.v {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn items(&self) -> &[Node] {
        match &self.v {
            J::Arr(a) => a,
            _ => &[],
        }
    }

    pub(super) fn is_obj(&self) -> bool {
        matches!(self.v, J::Obj(_))
    }

    /// `get(key)` as text.
    pub(super) fn field(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::text)
    }
}

/// Nesting deeper than this is not an export this module reads.
const MAX_DEPTH: usize = 128;

fn ws(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

fn value(b: &[u8], p: usize, depth: usize) -> Result<(Node, usize), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deep".into());
    }
    let lit = |word: &[u8], v: J| -> Result<(Node, usize), String> {
        if b[p..].starts_with(word) {
            Ok((Node { at: p, v }, p + word.len()))
        } else {
            Err(format!("unexpected character at byte {p}"))
        }
    };
    match b.get(p) {
        None => Err("unexpected end".into()),
        Some(b'{') => {
            let mut members = Vec::new();
            let mut q = ws(b, p + 1);
            if b.get(q) == Some(&b'}') {
                return Ok((
                    Node {
                        at: p,
                        v: J::Obj(members),
                    },
                    q + 1,
                ));
            }
            loop {
                let (key, after) = value(b, q, depth + 1)?;
                let J::Str(key) = key.v else {
                    return Err("expected a key".into());
                };
                q = ws(b, after);
                if b.get(q) != Some(&b':') {
                    return Err("expected ':'".into());
                }
                let (v, after) = value(b, ws(b, q + 1), depth + 1)?;
                members.push((key, v));
                q = ws(b, after);
                match b.get(q) {
                    Some(b',') => q = ws(b, q + 1),
                    Some(b'}') => {
                        return Ok((
                            Node {
                                at: p,
                                v: J::Obj(members),
                            },
                            q + 1,
                        ))
                    }
                    _ => return Err("expected ',' or '}'".into()),
                }
            }
        }
        Some(b'[') => {
            let mut items = Vec::new();
            let mut q = ws(b, p + 1);
            if b.get(q) == Some(&b']') {
                return Ok((
                    Node {
                        at: p,
                        v: J::Arr(items),
                    },
                    q + 1,
                ));
            }
            loop {
                let (v, after) = value(b, q, depth + 1)?;
                items.push(v);
                q = ws(b, after);
                match b.get(q) {
                    Some(b',') => q = ws(b, q + 1),
                    Some(b']') => {
                        return Ok((
                            Node {
                                at: p,
                                v: J::Arr(items),
                            },
                            q + 1,
                        ))
                    }
                    _ => return Err("expected ',' or ']'".into()),
                }
            }
        }
        Some(b'"') => {
            let mut q = p + 1;
            loop {
                match b.get(q) {
                    None => return Err("unclosed string".into()),
                    Some(b'\\') => q += 2,
                    Some(b'"') => break,
                    Some(_) => q += 1,
                }
            }
            let s: String =
                serde_json::from_slice(&b[p..=q]).map_err(|e| format!("bad string: {e}"))?;
            Ok((
                Node {
                    at: p,
                    v: J::Str(s),
                },
                q + 1,
            ))
        }
        Some(b't') => lit(b"true", J::Bool(true)),
        Some(b'f') => lit(b"false", J::Bool(false)),
        Some(b'n') => lit(b"null", J::Null),
        Some(c) if *c == b'-' || c.is_ascii_digit() => {
            let mut q = p + 1;
            while q < b.len() && matches!(b[q], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                q += 1;
            }
            let text = std::str::from_utf8(&b[p..q]).map_err(|e| e.to_string())?;
            text.parse::<f64>()
                .map_err(|e| format!("bad number: {e}"))?;
            Ok((
                Node {
                    at: p,
                    v: J::Num(text.to_string()),
                },
                q,
            ))
        }
        Some(_) => Err(format!("unexpected character at byte {p}")),
    }
}

/// The top-level values of a file: one, or several (JSON Lines).
pub(super) fn parse_all(b: &[u8]) -> Result<Vec<Node>, String> {
    let mut out = Vec::new();
    let mut p = ws(b, 0);
    while p < b.len() {
        let (v, after) = value(b, p, 0)?;
        out.push(v);
        p = ws(b, after);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positioned_json_keeps_offsets_and_exact_numbers() {
        let b = br#"{"a": [1, {"b": "x\"y"}], "id": 1234567890123456789, "n": null}"#;
        let tops = parse_all(b).unwrap();
        assert_eq!(tops.len(), 1);
        let a = tops[0].get("a").unwrap();
        assert_eq!(a.at, 6);
        assert_eq!(a.items()[1].field("b").as_deref(), Some("x\"y"));
        assert_eq!(tops[0].field("id").as_deref(), Some("1234567890123456789"));
        assert!(tops[0].get("n").is_none());
        assert_eq!(parse_all(b"{\"a\":1}\n{\"a\":2}\n").unwrap().len(), 2);
        for bad in [
            &b"{"[..],
            b"[1,]",
            b"{\"a\" 1}",
            b"tru",
            b"\"open",
            b"[1 2]",
        ] {
            assert!(parse_all(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert!(parse_all(deep.as_bytes()).is_err());
    }
}
