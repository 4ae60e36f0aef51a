//! Small results as the JSON text they cross the boundary in.
//!
//! One text per result, read in JavaScript by one `JSON.parse`, costs a few hundred
//! nanoseconds where building the object field by field through the boundary cost
//! microseconds. JSON numbers are doubles, exact up to 2^53: enough for every counter,
//! index and byte count, not for a 64-bit kernel address or a raw entry with NX set. So
//! the integers under the keys in [`ADDRESS_KEYS`] are written as `"0x…"` hex strings,
//! which `www/src/engine.js` turns into `BigInt`s; every other integer is a plain number.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io;

/// The keys whose 64-bit integers are addresses or raw entries, anywhere in a result:
/// virtual addresses (`va`, `last`, `start`, `end`, an operation's `value`), raw entries
/// (`old`, `new`, `raw`, `reference_raw`, `entry`, `process_entry`, `reference_entry`)
/// and physical addresses (`phys`, `reference`, `target`). A 32-bit integer (a pid) under
/// one of them stays a number.
pub const ADDRESS_KEYS: [&str; 15] = [
    "va",
    "last",
    "start",
    "end",
    "value",
    "old",
    "new",
    "raw",
    "reference_raw",
    "entry",
    "process_entry",
    "reference_entry",
    "phys",
    "reference",
    "target",
];

/// serde_json's compact output, except that a `u64` under an address key is written as a
/// hex string. It remembers the last object key written; an array element has none.
#[derive(Default)]
struct AddressesAsHex {
    in_key: bool,
    key: Vec<u8>,
}

impl AddressesAsHex {
    fn at_address(&self) -> bool {
        ADDRESS_KEYS.iter().any(|k| k.as_bytes() == self.key)
    }
}

impl Formatter for AddressesAsHex {
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.key.clear();
        CompactFormatter.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_key = false;
        CompactFormatter.end_object_key(w)
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        s: &str,
    ) -> io::Result<()> {
        if self.in_key {
            self.key.extend_from_slice(s.as_bytes());
        }
        CompactFormatter.write_string_fragment(w, s)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.key.clear();
        CompactFormatter.begin_array_value(w, first)
    }

    fn write_u64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: u64) -> io::Result<()> {
        if self.at_address() {
            // By hand: `write!` with `{:#x}` goes through core::fmt, several times the
            // cost of these few bytes on a path every result takes.
            let mut buf = [0u8; 20];
            let mut i = buf.len();
            let mut v = value;
            buf[i - 1] = b'"';
            i -= 1;
            loop {
                i -= 1;
                buf[i] = b"0123456789abcdef"[(v & 0xf) as usize];
                v >>= 4;
                if v == 0 {
                    break;
                }
            }
            buf[i - 3..i].copy_from_slice(b"\"0x");
            w.write_all(&buf[i - 3..])
        } else {
            CompactFormatter.write_u64(w, value)
        }
    }
}

/// `value` as JSON text, addresses as hex strings (see the module's header).
///
/// # Errors
/// Only for a value serde cannot write as JSON (a map with non-string keys), which no
/// result of the engine is: a bug, reported as an error rather than a panic.
pub fn text<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, AddressesAsHex::default());
    value.serialize(&mut ser)?;
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(<serde_json::Error as serde::ser::Error>::custom)
}
