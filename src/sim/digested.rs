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

    /// Takes the entry at `key` out; returns its value, if there was one.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let (key, value) = self.map.remove_entry(key)?;
        self.sum = self.sum.wrapping_sub(digest_of(&(&key, &value)));
        Some(value)
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

/// A set kept like a [`DigestedMap`] without values: an organisation's indicators acted
/// on, a CSIRT's scan findings notified. Those grow all month, and the actor that holds
/// one changes every hour it acts; re-hashing the whole set each time was a fifth of a
/// 100,000-organisation run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestedSet<T: Ord>(DigestedMap<T, ()>);

impl<T: Ord + Hash> DigestedSet<T> {
    pub fn new() -> Self {
        Self(DigestedMap::new())
    }

    /// Adds `item`; returns whether it was new (as `BTreeSet::insert`).
    pub fn insert(&mut self, item: T) -> bool {
        self.0.put_unless(item, (), |_| true).is_some()
    }

    /// Takes `item` out; returns whether it was there.
    pub fn remove(&mut self, item: &T) -> bool {
        self.0.remove(item).is_some()
    }

    pub fn contains(&self, item: &T) -> bool {
        self.0.get(item).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}

impl<T: Ord> Default for DigestedSet<T> {
    fn default() -> Self {
        Self(DigestedMap::default())
    }
}

impl<T: Ord> Hash for DigestedSet<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// A first-in, first-out queue that may also give up an item from the middle (a CSIRT's
/// work queue: the on-call analyst takes the first urgent item), with its digest kept as
/// items come and go. A CSIRT swamped by a national campaign queues thousands of items.
///
/// Every item is digested with its arrival number. Items only join at the back, so the
/// queue's order is always the order of those numbers, and the sum of the (number, item)
/// digests tells apart two queues that hold the same items in a different order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestedQueue<T> {
    items: std::collections::VecDeque<(u64, T)>,
    arrived: u64,
    sum: u128,
}

impl<T: Hash> DigestedQueue<T> {
    pub fn new() -> Self {
        Self {
            items: std::collections::VecDeque::new(),
            arrived: 0,
            sum: 0,
        }
    }

    pub fn push_back(&mut self, item: T) {
        let number = self.arrived;
        self.arrived += 1;
        self.sum = self.sum.wrapping_add(digest_of(&(number, &item)));
        self.items.push_back((number, item));
    }

    pub fn pop_front(&mut self) -> Option<T> {
        self.remove(0)
    }

    /// Takes out the item at `index` (0 is the front), if there is one.
    pub fn remove(&mut self, index: usize) -> Option<T> {
        let (number, item) = self.items.remove(index)?;
        self.sum = self.sum.wrapping_sub(digest_of(&(number, &item)));
        Some(item)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items, front first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().map(|(_, item)| item)
    }
}

impl<T: Hash> Default for DigestedQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Hash for DigestedQueue<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.sum);
        state.write_u64(self.arrived);
        state.write_usize(self.items.len());
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

    #[test]
    fn a_digested_set_digests_its_content_whatever_the_history() {
        let mut a = DigestedSet::new();
        assert!(a.insert(3u32));
        assert!(!a.insert(3));
        assert!(a.insert(5));
        assert!(a.insert(7));
        assert!(a.remove(&5));
        assert!(!a.remove(&5));
        let mut b = DigestedSet::new();
        b.insert(7u32);
        b.insert(3);
        assert_eq!(digest_of(&a), digest_of(&b));
        assert!(a.contains(&3) && !a.contains(&5));
        assert!(a.contains(&7) && !b.is_empty());
        b.insert(9);
        assert_ne!(digest_of(&a), digest_of(&b));
    }

    #[test]
    fn a_digested_queue_tells_order_and_content_apart() {
        // Same items, same arrivals, different removals: different queues.
        let filled = || {
            let mut q = DigestedQueue::new();
            for item in [10u32, 20, 30] {
                q.push_back(item);
            }
            q
        };
        let (mut a, mut b) = (filled(), filled());
        assert_eq!(a.pop_front(), Some(10));
        assert_eq!(b.remove(1), Some(20));
        assert_ne!(digest_of(&a), digest_of(&b));
        assert_eq!(a.iter().copied().collect::<Vec<_>>(), [20, 30]);
        assert_eq!(b.iter().copied().collect::<Vec<_>>(), [10, 30]);
        // The same items in another order are another queue.
        let (mut c, mut d) = (DigestedQueue::new(), DigestedQueue::new());
        c.push_back(1u32);
        c.push_back(2);
        d.push_back(2u32);
        d.push_back(1);
        assert_ne!(digest_of(&c), digest_of(&d));
        // Emptied the same way, two queues digest the same.
        let (mut e, mut f) = (filled(), filled());
        e.remove(2);
        f.remove(2);
        assert_eq!(digest_of(&e), digest_of(&f));
        assert_eq!(e.iter().copied().collect::<Vec<_>>(), [10, 20]);
    }
}
