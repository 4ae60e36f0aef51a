//! [`VecMap`]: a map kept as one vector of pairs sorted by key, found by binary search.
//!
//! The engine's maps are small (at most [`crate::limits::MAX_PROCESSES`] processes, and
//! as many allocations as the vmalloc area and the history allow), read far more often
//! than changed, and iterated in key order. A `BTreeMap` does that too, but each of its
//! key/value types brings its own node insertion, removal and rebalancing code, some
//! 5 kB of wasm apiece; this map is a binary search and a `Vec` insert or remove per
//! type (docs/wasm-size.md).

use std::borrow::Borrow;
use std::fmt;

/// A map from `K` to `V`, iterated in key order, like a `BTreeMap`.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    /// The pairs, sorted by key, each key once.
    pairs: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.pairs.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<K, V> VecMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        VecMap { pairs: Vec::new() }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether the map has no keys.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.pairs.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.pairs.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.pairs.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.pairs.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`, if it has one.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.pairs[i].1)
    }

    /// The value of `key`, to change it, if it has one.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.pairs[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Gives `key` the value `value`, returning the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.pairs[i].1, value)),
            Err(i) => {
                self.pairs.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, given `value` first if it had none.
    pub fn get_or_insert(&mut self, key: K, value: V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.pairs.insert(i, (key, value));
                i
            }
        };
        &mut self.pairs[i].1
    }

    /// Takes `key` out, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.pairs.remove(i).1)
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.pairs.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord + Borrow<Q>, V, Q: Ord + ?Sized> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;

    /// The value of `key`.
    ///
    /// # Panics
    /// When `key` has none, as a `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("VecMap: no such key")
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;
    use std::collections::BTreeMap;

    /// Every operation against a `BTreeMap`, over a sequence that inserts, replaces and
    /// removes in mixed order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut v: VecMap<u32, u64> = VecMap::new();
        let mut b: BTreeMap<u32, u64> = BTreeMap::new();
        let mut x: u32 = 7;
        for step in 0..4000u64 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 257;
            match step % 5 {
                0 | 1 => assert_eq!(v.insert(x, step), b.insert(x, step)),
                2 => assert_eq!(v.remove(&x), b.remove(&x)),
                3 => *v.get_or_insert(x, 0) += 1,
                _ => assert_eq!(v.get_mut(&x).map(|n| *n), b.get_mut(&x).map(|n| *n)),
            }
            if step % 5 == 3 {
                *b.entry(x).or_insert(0) += 1;
            }
            assert_eq!(v.len(), b.len());
            assert_eq!(v.is_empty(), b.is_empty());
            assert_eq!(v.get(&x), b.get(&x));
            assert_eq!(v.contains_key(&x), b.contains_key(&x));
        }
        assert!(v.iter().eq(b.iter()));
        assert!(v.keys().eq(b.keys()));
        assert!(v.values().eq(b.values()));
        assert_eq!(format!("{v:?}"), format!("{b:?}"));
    }

    #[test]
    fn string_keys_are_found_by_str() {
        let mut m: VecMap<String, u32> = VecMap::new();
        for (k, v) in [("b", 2), ("a", 1), ("b", 3)] {
            m.insert(k.to_string(), v);
        }
        assert_eq!(m.get("b"), Some(&3));
        assert_eq!(m["a"], 1);
        assert_eq!(m.get("c"), None);
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["a", "b"]);
    }
}
