//! The engine's own JSON writer: every result that leaves the engine as JSON text (to the
//! page through `wasm`, from the CLI's `--json`) is written here, by hand, with no serde.
//!
//! A [`JsonOut`] is a `String` with a method per piece: a literal (punctuation and keys,
//! written as one `&'static str` each, e.g. `{"kind":"pid","value":`), a string with
//! JSON's escaping, a number, an address, a bool, `null`. A type that crosses implements
//! [`ToJson`] (one method, in `results.rs`, `script.rs` and `vocab.rs`), writing its
//! fields in the order the page reads them; what a step reports (its operation, value,
//! events and metrics) is described once as a tree (`crate::tree`), which `JsonOut`
//! writes as JSON and `crate::record::Record` as the record the page reads.
//!
//! JSON numbers are doubles, exact up to 2^53: enough for every counter, index and byte
//! count, not for a 64-bit kernel address or a raw entry with NX set. So a field that is
//! an address or a raw entry is written with [`JsonOut::addr`], as a `"0x…"` hex string
//! (which `www/src/engine.js` turns into a `BigInt`); the field's type decides, not its
//! key. Every other integer is a plain number.
//!
//! Nothing here goes through `core::fmt`: numbers and hex digits are written by hand, on
//! the path every operation's result takes. The texts are those serde_json wrote before
//! (a test holds them to serde's derived output, `oracle.rs`).

mod results;
mod script;
mod vocab;

#[cfg(test)]
pub(crate) mod oracle;

use crate::tree::{ToTree, TreeOut};
pub use results::{Allocation, HistoryStep};

/// A value that writes itself as JSON text.
pub trait ToJson {
    /// Appends `self` as one JSON value to `out`.
    fn write_json(&self, out: &mut JsonOut);
}

/// `value` as compact JSON text, addresses as `"0x…"` strings.
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = JsonOut::with_capacity(256);
    value.write_json(&mut out);
    out.finish()
}

/// A JSON text being written. The writer does not check the structure: each [`ToJson`]
/// impl writes whole values, with its commas and keys as literals.
#[derive(Debug, Default)]
pub struct JsonOut {
    buf: String,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl JsonOut {
    /// An empty text with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> JsonOut {
        JsonOut {
            buf: String::with_capacity(capacity),
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.buf
    }

    /// Appends `text` as it is: punctuation and keys, already JSON.
    #[inline]
    pub fn raw(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Appends `s` as a JSON string: quoted, with `"`, `\` and the control characters
    /// escaped as serde_json escapes them (`\n`, `\t`, ..., else `\u00XX`).
    pub fn str(&mut self, s: &str) {
        self.buf.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let esc: &str = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            // `i` is at an ASCII byte, so both cuts fall on character boundaries (`get`
            // rather than `&s[..]`, whose panic path weighs some kilobytes in wasm).
            self.buf.push_str(s.get(start..i).unwrap_or_default());
            if esc.is_empty() {
                self.buf.push_str("\\u00");
                self.buf.push(HEX[(b >> 4) as usize] as char);
                self.buf.push(HEX[(b & 0xf) as usize] as char);
            } else {
                self.buf.push_str(esc);
            }
            start = i + 1;
        }
        self.buf.push_str(s.get(start..).unwrap_or_default());
        self.buf.push('"');
    }

    /// Appends an unsigned number in decimal.
    pub fn u64(&mut self, v: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = v;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.ascii(&digits[i..]);
    }

    /// Appends an address or raw entry as a `"0x…"` hex string (lower case, no leading
    /// zeros).
    pub fn addr(&mut self, v: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len() - 1;
        digits[i] = b'"';
        let mut v = v;
        loop {
            i -= 1;
            digits[i] = HEX[(v & 0xf) as usize];
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        i -= 3;
        digits[i..i + 3].copy_from_slice(b"\"0x");
        self.ascii(&digits[i..]);
    }

    /// Appends `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.raw(if v { "true" } else { "false" });
    }

    /// Appends `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Appends an address, or `null`.
    pub fn opt_addr(&mut self, v: Option<u64>) {
        match v {
            Some(a) => self.addr(a),
            None => self.null(),
        }
    }

    /// Appends a string, or `null`.
    pub fn opt_str(&mut self, v: Option<&str>) {
        match v {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// Appends a number, or `null`.
    pub fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(n) => self.u64(n),
            None => self.null(),
        }
    }

    /// Appends `[a,b,…]`, each item written by `each`.
    pub fn list<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Self, T),
    ) {
        self.buf.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            each(self, item);
        }
        self.buf.push(']');
    }

    /// Appends a list of values.
    pub fn values<'a, T: ToJson + 'a>(&mut self, items: impl IntoIterator<Item = &'a T>) {
        self.list(items, |o, v| v.write_json(o));
    }

    /// Appends a list of strings.
    pub fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.list(items, |o, s| o.str(s.as_ref()));
    }

    /// Appends ASCII bytes (digits and quotes).
    fn ascii(&mut self, bytes: &[u8]) {
        // Only ASCII reaches here, so the bytes are UTF-8.
        self.buf
            .push_str(core::str::from_utf8(bytes).unwrap_or_default());
    }
}

/// The JSON of what a step reports is its tree ([`crate::tree`]): keys in the order the
/// tree gives them, addresses and raw entries as `"0x…"` strings.
impl TreeOut for JsonOut {
    fn obj(&mut self, _: usize) {
        self.buf.push('{');
    }

    fn key(&mut self, k: &'static str) {
        if !self.buf.ends_with('{') {
            self.buf.push(',');
        }
        self.buf.push('"');
        self.buf.push_str(k);
        self.buf.push_str("\":");
    }

    fn end_obj(&mut self) {
        self.buf.push('}');
    }

    fn arr(&mut self, _: usize) {
        self.buf.push('[');
    }

    fn item(&mut self) {
        if !self.buf.ends_with('[') {
            self.buf.push(',');
        }
    }

    fn end_arr(&mut self) {
        self.buf.push(']');
    }

    fn num(&mut self, v: u64) {
        self.u64(v);
    }

    fn big(&mut self, v: u64) {
        self.addr(v);
    }

    fn bool(&mut self, v: bool) {
        JsonOut::bool(self, v);
    }

    fn null(&mut self) {
        JsonOut::null(self);
    }

    fn sym(&mut self, s: &'static str) {
        JsonOut::str(self, s);
    }

    fn str(&mut self, s: &str) {
        JsonOut::str(self, s);
    }
}

/// The types described as trees write their JSON through [`TreeOut`].
macro_rules! json_of_tree {
    ($($t:ty),*) => {
        $(impl ToJson for $t {
            fn write_json(&self, out: &mut JsonOut) {
                self.write_tree(out);
            }
        })*
    };
}

json_of_tree!(
    HistoryStep<'_>,
    crate::script::ScriptOp,
    crate::machine::OpResult,
    crate::machine::Value,
    crate::machine::Access,
    crate::machine::WalkStep,
    crate::machine::Outcome,
    crate::memory::Owner,
    crate::event::Event,
    crate::event::Metrics
);

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut JsonOut) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut JsonOut) {
        out.values(self);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut JsonOut) {
        out.values(self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Some(v) => v.write_json(out),
            None => out.null(),
        }
    }
}

/// A compact JSON text (as [`to_json`] writes it) laid out as serde_json's pretty printer
/// lays it out: two spaces per level, `"key": value`, `[]` and `{}` kept on one line. For
/// the CLI's `--json`.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}
