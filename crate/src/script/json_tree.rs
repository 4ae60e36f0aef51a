//! A JSON value as serde_json's parser reads it, for the hand readers of `json_in`: a
//! small tree whose strings borrow from the text unless they had escapes, and whose
//! objects keep their members in order (so a key written twice is seen). Its one
//! `Deserialize` is written by hand; no other type of the engine is read with serde.
//! [`flat`] reads the members of the one small form of object that the page writes for
//! an operation (`www/src/lib/op-bytes.js`, strings only) without the parser; anything
//! else is parsed.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::borrow::Cow;
use std::fmt;

/// A JSON value as serde_json parses it, its strings borrowed from the text unless they
/// had escapes; an object's members in the text's order.
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) enum Json<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// An object's members.
pub(super) type Members<'a> = [(Cow<'a, str>, Json<'a>)];

impl<'a> Json<'a> {
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) => n.as_u64(),
            _ => None,
        }
    }

    pub(super) fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub(super) fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }
}

/// The value of `key` among `m`.
pub(super) fn member<'m, 'a>(m: &'m Members<'a>, key: &str) -> Option<&'m Json<'a>> {
    m.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The most members [`flat`] reads: as many as an operation has keys.
pub(super) const FLAT: usize = 6;

/// The members of `text`, into `out` (whose members must own nothing: they are
/// overwritten, not dropped), when it is an object in the one form the page
/// writes for an operation: no whitespace, at most [`FLAT`] members, each a string, and
/// no string with an escape or a control character, such as
/// `{"op":"sync","kind":"unmappings"}`. Its members are then those serde_json's parser
/// reads into a [`Json::Obj`], borrowed from the text (`json_oracle` holds the two to
/// each other); returns how many. `None` for any other text, which is then parsed: this
/// reads one form of object, not JSON.
pub(super) fn flat<'a>(text: &'a str, out: &mut [(Cow<'a, str>, Json<'a>); FLAT]) -> Option<usize> {
    let mut rest = text.strip_prefix('{')?;
    if rest == "}" {
        return Some(0);
    }
    let mut n = 0;
    loop {
        let (key, r) = flat_string(rest)?;
        let (value, r) = flat_string(r.strip_prefix(':')?)?;
        let member = (Cow::Borrowed(key), Json::Str(Cow::Borrowed(value)));
        // The member replaced holds nothing to drop (an empty string, or one `flat` wrote).
        std::mem::forget(std::mem::replace(out.get_mut(n)?, member));
        n += 1;
        match r {
            "}" => return Some(n),
            _ => rest = r.strip_prefix(',')?,
        }
    }
}

/// The string that `s` starts with for [`flat`] (no escape, no control character), and
/// what follows it.
fn flat_string(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix('"')?;
    let end = s
        .bytes()
        .position(|c| c == b'"' || c == b'\\' || c < 0x20)?;
    // The quote is ASCII, so both ends are character boundaries.
    (s.as_bytes()[end] == b'"').then(|| s.get(..end).zip(s.get(end + 1..)))?
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// Builds a [`Json`] from what serde_json's parser reads: the one hand-written
/// deserialiser, for every value the JSON forms hold.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Num(n.into()))
    }

    fn visit_i64<E>(self, n: i64) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Num(n.into()))
    }

    fn visit_f64<E>(self, f: f64) -> std::result::Result<Json<'de>, E> {
        // serde_json hands over finite numbers only (one beyond f64 is its own error,
        // "number out of range", with the line and column), and every finite f64 is a
        // `Number`. No error is made here: a visitor's error is `Error::custom`, which
        // brings a substring search and `str` slicing's panic path into the wasm.
        Ok(Number::from_f64(f).map_or(Json::Null, Json::Num))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Json<'de>, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element::<Json<'de>>()? {
            v.push(x);
        }
        Ok(Json::Arr(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Json<'de>, A::Error> {
        let mut v = Vec::new();
        while let Some(Key(k)) = a.next_key::<Key<'de>>()? {
            v.push((k, a.next_value::<Json<'de>>()?));
        }
        Ok(Json::Obj(v))
    }
}

/// An object's key: serde_json reads a key as a string, always (`visit_borrowed_str`,
/// else `visit_str`), so [`KeyVisitor`] needs no error of its own.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> std::result::Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! `flat` held to serde_json's parser: texts made of JSON's pieces in any order,
    //! whenever `flat` reads them, parse to the same members.
    use super::{flat, Json, FLAT};
    use proptest::prelude::*;

    /// What `flat` reads of `text`, as members.
    pub(crate) fn flat_members(text: &str) -> Option<Vec<(String, Json<'_>)>> {
        let mut m: [_; FLAT] =
            std::array::from_fn(|_| (std::borrow::Cow::Borrowed(""), Json::Null));
        let n = flat(text, &mut m)?;
        Some(
            m.into_iter()
                .take(n)
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
        )
    }

    /// The pieces of [`pieces`]' texts: strings plain and not (keys are drawn from the
    /// first six, values from the first twelve, with the literals), then JSON's punctuation,
    /// other values and whitespace.
    const PIECES: &[&str] = &[
        "\"op\"",
        "\"sync\"",
        "\"\"",
        "\"é\"",
        "\"a\\\"b\"",
        "\"a\\nb\"",
        "\"\u{1}\"",
        "\"\u{7f}\"",
        "true",
        "false",
        "null",
        "tru",
        "\"",
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "1",
        "-0.5",
        " ",
        "\n",
    ];

    /// A text of [`PIECES`], mostly an object of the form `flat` reads or nearly (members of
    /// a string key and a string value, or a switch or null), with a piece put in, left out
    /// or changed now and then.
    fn pieces() -> BoxedStrategy<String> {
        let n = PIECES.len();
        let member = (0..n, 0..n, 0..n, 0..8u8).prop_map(move |(k, v, x, how)| match how {
            0 => format!("{}{}{}", PIECES[k], PIECES[v], PIECES[x]),
            1 => format!("{}:{}{}", PIECES[k % 6], PIECES[v % 12], PIECES[x]),
            _ => format!("{}:{}", PIECES[k % 6], PIECES[v % 12]),
        });
        (prop::collection::vec(member, 0..8), 0..8u8, 0..n)
            .prop_map(move |(ms, how, p)| {
                let body = format!("{{{}}}", ms.join(","));
                match how {
                    0 => format!("{body}{}", PIECES[p]),
                    1 => format!("{}{body}", PIECES[p]),
                    2 => body.chars().take(body.chars().count() / 2).collect(),
                    _ => body,
                }
            })
            .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn flat_reads_what_the_parser_reads(text in pieces()) {
            if let Some(m) = flat_members(&text) {
                let parsed = serde_json::from_str::<Json>(&text);
                let Ok(Json::Obj(p)) = parsed else {
                    panic!("{text}: flat reads {m:?}, the parser {parsed:?}");
                };
                let p: Vec<_> = p.into_iter().map(|(k, v)| (k.into_owned(), v)).collect();
                prop_assert_eq!(m, p, "{}", text);
            }
        }
    }
}
