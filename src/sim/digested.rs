//! Collections that keep their own contribution to the state digest up to date as they
//! change, so that a large one (a national CSIRT's record of what it passed to 10,000
//! organisations) costs O(1) at each hourly checkpoint instead of being hashed in full.
//!
//! Each holds the wrapping sum of its entries' digests; hashing one writes that sum and
//! the length. Sums commute, so the result depends on the content only, never on the
//! order the entries arrived in.

use std::hash::{Hash, Hasher};

use super::checksum::digest_of;

/// A map whose contribution to the state digest is kept up to date as entries change, so
/// a large map (a national CSIRT's record of what it passed to 10,000 organisations) costs
/// O(1) at each checkpoint instead of being hashed again in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestedMap<K: Ord, V> {
    map: std::collections::BTreeMap<K, V>,
    sum: u128,
}

impl<K: Ord + Hash, V: Hash> DigestedMap<K, V> {
    pub fn new() -> Self {
        Self {
            map: std::collections::BTreeMap::new(),
            sum: 0,
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.put_unless(key, value, |_| false).flatten()
    }

    /// Puts `value` at `key` unless `keep` says the value already there stays. Returns
    /// `None` when it stayed, else `Some` of what was there before. One walk down the
    /// tree: a national CSIRT's share asks this for every (indicator, organisation) pair.
    pub fn put_unless(
        &mut self,
        key: K,
        value: V,
        keep: impl FnOnce(&V) -> bool,
    ) -> Option<Option<V>> {
        use std::collections::btree_map::Entry;
        match self.map.entry(key) {
            Entry::Vacant(slot) => {
                self.sum = self.sum.wrapping_add(digest_of(&(slot.key(), &value)));
                slot.insert(value);
                Some(None)
            }
            Entry::Occupied(mut slot) => {
                if keep(slot.get()) {
                    return None;
                }
                self.sum = self.sum.wrapping_sub(digest_of(&(slot.key(), slot.get())));
                self.sum = self.sum.wrapping_add(digest_of(&(slot.key(), &value)));
                Some(Some(std::mem::replace(slot.get_mut(), value)))
            }
        }
    }

    /// Changes the value at `key` in place, if there is one; returns whether there was.
    pub fn update(&mut self, key: &K, change: impl FnOnce(&mut V)) -> bool {
        let Some(value) = self.map.get_mut(key) else {
            return false;
        };
        self.sum = self.sum.wrapping_sub(digest_of(&(key, &*value)));
        change(value);
        self.sum = self.sum.wrapping_add(digest_of(&(key, &*value)));
        true
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.map.keys()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.map.iter()
    }
}

impl<K: Ord, V> Default for DigestedMap<K, V> {
    fn default() -> Self {
        Self {
            map: std::collections::BTreeMap::new(),
            sum: 0,
        }
    }
}

impl<K: Ord, V> Hash for DigestedMap<K, V> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.sum);
        state.write_usize(self.map.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digested_map_hashes_like_its_content_whatever_the_order() {
        let mut a = DigestedMap::new();
        let mut b = DigestedMap::new();
        a.insert(1u32, 10u32);
        a.insert(2, 20);
        a.insert(1, 11);
        b.insert(2u32, 20u32);
        b.insert(1, 11);
        let digest = |m: &DigestedMap<u32, u32>| digest_of(m);
        assert_eq!(digest(&a), digest(&b));
        b.insert(2, 21);
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(a.get(&1), Some(&11));
    }

    #[test]
    fn put_unless_keeps_what_it_is_told_to_and_digests_like_insert() {
        let mut kept = DigestedMap::new();
        assert_eq!(kept.put_unless(1u32, 10u32, |_| true), Some(None));
        assert_eq!(kept.put_unless(1, 12, |&old| old >= 10), None);
        assert_eq!(kept.get(&1), Some(&10));
        assert_eq!(kept.put_unless(1, 11, |&old| old > 10), Some(Some(10)));
        let mut inserted = DigestedMap::new();
        inserted.insert(1u32, 11u32);
        let digest = |m: &DigestedMap<u32, u32>| digest_of(m);
        assert_eq!(digest(&kept), digest(&inserted));
    }
}
