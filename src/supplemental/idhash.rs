//! Id maps: numeric id → value tables with id allocation.
//!
//! [`IdMap`] is the single-threaded table behind `nng_id_map` (reference
//! API.md §19). [`IdRegistry`] wraps it for the library's handle ids
//! (sockets, dialers, listeners, pipes, contexts): lookups take a shared
//! lock only, so many threads resolve handles at once.
//!
//! The table uses open addressing over a power-of-two array with the low
//! bits of the id as the hash, which suits ids handed out consecutively. A
//! collision probes `j → 5j + 1 (mod capacity)`, a sequence that visits
//! every slot. Each slot counts how many probe chains pass through it
//! ("skips"), so a lookup stops at the first empty slot with no skips and
//! removal needs no tombstones. The table grows at 2/3 load and shrinks
//! below 1/8.
//!
//! Depends on nothing but `std` and [`crate::core::error`].

use std::hash::BuildHasher;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::core::error::{Error, Result};

/// Highest id the library gives to sockets, dialers, listeners, pipes and
/// contexts (ids are 1..=0x7fffffff, reference ABI.md §3.1).
pub const HANDLE_ID_MAX: u64 = 0x7fff_ffff;

/// A map from ids to values that can also choose free ids.
///
/// Ids in `lo..=hi` are handed out by [`alloc`](IdMap::alloc), sequentially
/// (wrapping) from `lo` or from a random starting point; any id may be
/// stored with [`set`](IdMap::set).
#[derive(Debug)]
pub struct IdMap<V> {
    slots: Vec<Slot<V>>,
    count: usize,
    /// Probe work done to place the stored items; drives resizing.
    load: usize,
    min_load: usize,
    max_load: usize,
    lo: u64,
    hi: u64,
    /// Next id to try in `alloc`; 0 until the first allocation.
    next: u64,
    random: bool,
}

#[derive(Debug)]
struct Slot<V> {
    key: u64,
    /// Number of probe chains that pass through this slot.
    skips: u32,
    val: Option<V>,
}

impl<V> Default for Slot<V> {
    fn default() -> Self {
        Slot {
            key: 0,
            skips: 0,
            val: None,
        }
    }
}

impl<V> IdMap<V> {
    /// Makes an empty map allocating ids in `lo..=hi`; `lo` 0 means 1 and
    /// `hi` 0 means `0xffffffff` (upstream's defaults). With `random`,
    /// allocation starts at a random id in the range. Allocates nothing.
    pub const fn new(lo: u64, hi: u64, random: bool) -> Self {
        IdMap {
            slots: Vec::new(),
            count: 0,
            load: 0,
            min_load: 0,
            max_load: 0,
            lo: if lo == 0 { 1 } else { lo },
            hi: if hi == 0 { 0xffff_ffff } else { hi },
            next: 0,
            random,
        }
    }

    /// Number of stored values.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the map holds no values.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The value stored under `id`.
    pub fn get(&self, id: u64) -> Option<&V> {
        let i = self.find(id)?;
        self.slots[i].val.as_ref()
    }

    /// The value stored under `id`, mutably.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut V> {
        let i = self.find(id)?;
        self.slots[i].val.as_mut()
    }

    /// Whether a value is stored under `id`.
    pub fn contains(&self, id: u64) -> bool {
        self.find(id).is_some()
    }

    /// Stores `val` under `id` (any id, in the allocation range or not),
    /// returning the value it replaces.
    pub fn set(&mut self, id: u64, val: V) -> Option<V> {
        self.resize();
        if let Some(i) = self.find(id) {
            return self.slots[i].val.replace(val);
        }
        let mut i = self.home(id);
        loop {
            // Count every probe: a table with long chains grows sooner.
            self.load += 1;
            let slot = &mut self.slots[i];
            if slot.val.is_none() {
                slot.key = id;
                slot.val = Some(val);
                self.count += 1;
                return None;
            }
            slot.skips += 1;
            i = self.probe(i);
        }
    }

    /// Stores `val` under the next free id of the range and returns that id.
    /// `Error::NoMem` when every id of the range is taken.
    pub fn alloc(&mut self, val: V) -> Result<u64> {
        self.alloc_with(|_| val)
    }

    /// Like [`alloc`](IdMap::alloc), for values that need to know their id.
    pub fn alloc_with(&mut self, make: impl FnOnce(u64) -> V) -> Result<u64> {
        let id = self.next_free()?;
        self.set(id, make(id));
        Ok(id)
    }

    /// Chooses the id the next allocation would use and moves past it,
    /// without storing anything (upstream consumes the id even when the
    /// value turns out to be absent).
    pub fn next_free(&mut self) -> Result<u64> {
        // An inverted range holds no ids at all.
        let span = self.hi.checked_sub(self.lo).ok_or(Error::NoMem)?;
        if self.count as u64 > span {
            return Err(Error::NoMem);
        }
        if self.next == 0 {
            self.next = if self.random {
                // span < u64::MAX because lo >= 1.
                self.lo + random_u64() % (span + 1)
            } else {
                self.lo
            };
        }
        loop {
            let id = self.next;
            self.next = if id >= self.hi { self.lo } else { id + 1 };
            if !self.contains(id) {
                return Ok(id);
            }
        }
    }

    /// Removes and returns the value stored under `id`.
    pub fn remove(&mut self, id: u64) -> Option<V> {
        let found = self.find(id)?;
        // Walk the probe chain again, undoing the skips and load it added.
        let mut i = self.home(id);
        let val = loop {
            self.load -= 1;
            let slot = &mut self.slots[i];
            if i == found {
                slot.key = 0;
                break slot.val.take();
            }
            slot.skips -= 1;
            i = self.probe(i);
        };
        self.count -= 1;
        self.resize();
        val
    }

    /// Iteration with a resumable cursor (`nng_id_visit`): start with
    /// `*cursor == 0`; each call returns the next stored entry and advances
    /// the cursor, and `None` once the table is exhausted. The order is
    /// unspecified; entries added or removed meanwhile may be missed.
    pub fn visit(&self, cursor: &mut u32) -> Option<(u64, &V)> {
        let mut i = *cursor as usize;
        while i < self.slots.len() {
            if let Some(v) = &self.slots[i].val {
                *cursor = (i + 1) as u32;
                return Some((self.slots[i].key, v));
            }
            i += 1;
        }
        *cursor = u32::try_from(i).unwrap_or(u32::MAX);
        None
    }

    /// All entries, in unspecified order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> {
        self.slots
            .iter()
            .filter_map(|s| s.val.as_ref().map(|v| (s.key, v)))
    }

    /// Removes every entry, returning the values; keeps the allocation
    /// cursor, so ids are not reused right away.
    pub fn drain(&mut self) -> Vec<V> {
        let out = self.slots.drain(..).filter_map(|s| s.val).collect();
        self.count = 0;
        self.load = 0;
        self.min_load = 0;
        self.max_load = 0;
        out
    }

    fn home(&self, id: u64) -> usize {
        (id as usize) & (self.slots.len() - 1)
    }

    fn probe(&self, i: usize) -> usize {
        (i.wrapping_mul(5) + 1) & (self.slots.len() - 1)
    }

    fn find(&self, id: u64) -> Option<usize> {
        if self.count == 0 {
            return None;
        }
        let start = self.home(id);
        let mut i = start;
        loop {
            let slot = &self.slots[i];
            if slot.key == id && slot.val.is_some() {
                return Some(i);
            }
            if slot.skips == 0 {
                return None;
            }
            i = self.probe(i);
            if i == start {
                return None;
            }
        }
    }

    /// Grows or shrinks the table when the load leaves its band.
    fn resize(&mut self) {
        if self.load < self.max_load && self.load >= self.min_load {
            return;
        }
        let mut cap = 8;
        while cap < self.count * 2 {
            cap *= 2;
        }
        if cap == self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, Vec::with_capacity(cap));
        self.slots.resize_with(cap, Slot::default);
        self.load = 0;
        (self.min_load, self.max_load) = if cap > 8 {
            (cap / 8, cap * 2 / 3)
        } else {
            (0, 5)
        };
        for s in old {
            let Some(val) = s.val else { continue };
            let mut i = self.home(s.key);
            loop {
                self.load += 1;
                if self.slots[i].val.is_none() {
                    self.slots[i].key = s.key;
                    self.slots[i].val = Some(val);
                    break;
                }
                self.slots[i].skips += 1;
                i = self.probe(i);
            }
        }
    }
}

/// A thread-safe id → `Arc<T>` registry for the library's handles.
///
/// Lookups take a shared lock and clone an `Arc`; insertion and removal
/// take the exclusive lock. No user callback ever runs under the lock.
#[derive(Debug)]
pub struct IdRegistry<T> {
    map: RwLock<IdMap<Arc<T>>>,
}

impl<T> IdRegistry<T> {
    /// Makes a registry for handle ids `1..=0x7fffffff`, handed out
    /// sequentially from 1 or (with `random`, as for pipes) from a random
    /// starting point. Usable in a `static`.
    pub const fn new(random: bool) -> Self {
        Self::with_range(1, HANDLE_ID_MAX, random)
    }

    /// Makes a registry allocating ids in `lo..=hi` (0 means the defaults
    /// of [`IdMap::new`]); `hi` must fit in a `u32`, as handles are 32-bit.
    pub const fn with_range(lo: u64, hi: u64, random: bool) -> Self {
        IdRegistry {
            map: RwLock::new(IdMap::new(lo, hi, random)),
        }
    }

    /// The object registered under `id`; `None` for 0 or a stale id.
    pub fn get(&self, id: u32) -> Option<Arc<T>> {
        self.read().get(u64::from(id)).cloned()
    }

    /// Runs `f` on the object registered under `id` without cloning the
    /// `Arc`. `f` runs under the shared lock: it must not register or
    /// remove objects of this registry, nor block.
    pub fn with<R>(&self, id: u32, f: impl FnOnce(&Arc<T>) -> R) -> Option<R> {
        self.read().get(u64::from(id)).map(f)
    }

    /// Registers the object made by `make(id)` under a fresh id and returns
    /// the id. `make` runs under the exclusive lock: keep it to plain
    /// construction. `Error::NoMem` when the id space is full.
    pub fn insert_with(&self, make: impl FnOnce(u32) -> Arc<T>) -> Result<u32> {
        let mut map = self.write();
        let id = map.next_free()?;
        let id32 = u32::try_from(id).map_err(|_| Error::Internal)?;
        map.set(id, make(id32));
        Ok(id32)
    }

    /// Registers `obj` under a fresh id and returns the id.
    pub fn insert(&self, obj: Arc<T>) -> Result<u32> {
        self.insert_with(|_| obj)
    }

    /// Removes and returns the object registered under `id`.
    pub fn remove(&self, id: u32) -> Option<Arc<T>> {
        self.write().remove(u64::from(id))
    }

    /// Every registered object, in unspecified order (e.g. to close them all).
    pub fn snapshot(&self) -> Vec<Arc<T>> {
        self.read().iter().map(|(_, v)| Arc::clone(v)).collect()
    }

    /// Removes and returns every registered object.
    pub fn drain(&self) -> Vec<Arc<T>> {
        self.write().drain()
    }

    /// Number of registered objects.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> RwLockReadGuard<'_, IdMap<Arc<T>>> {
        // A panic while holding the lock cannot leave the table torn (its
        // updates do not panic midway), so a poisoned lock is still usable.
        self.map.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, IdMap<Arc<T>>> {
        self.map.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// A fresh pseudo-random number, for random starting ids (not for secrets).
fn random_u64() -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(0x006e_6e67_u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_replace_remove() {
        let mut m = IdMap::new(0, 0, false);
        assert_eq!(m.set(5, "five"), None);
        assert_eq!(m.get(5), Some(&"five"));
        assert_eq!(m.set(5, "four"), Some("five"));
        assert_eq!(m.get(5), Some(&"four"));
        assert_eq!(m.remove(5), Some("four"));
        assert_eq!(m.get(5), None);
        assert_eq!(m.remove(5), None);
        assert!(m.is_empty());
    }

    #[test]
    fn collisions_survive_removal_of_the_first() {
        let mut m = IdMap::new(0, 0, false);
        m.set(5, 'a');
        m.set(13, 'b'); // 13 % 8 == 5
        assert_eq!(m.get(13), Some(&'b'));
        assert_eq!(m.remove(5), Some('a'));
        assert_eq!(m.get(13), Some(&'b'));
    }

    #[test]
    fn alloc_sequential_fills_and_reuses() {
        let mut m = IdMap::new(10, 13, false);
        for want in 10..=13 {
            assert_eq!(m.alloc(()), Ok(want));
        }
        assert_eq!(m.alloc(()), Err(Error::NoMem));
        m.remove(11);
        assert_eq!(m.alloc(()), Ok(11));
    }

    #[test]
    fn alloc_skips_ids_set_by_hand() {
        let mut m = IdMap::new(10, 20, false);
        m.set(1, 0);
        m.set(100, 0);
        m.set(11, 0);
        assert_eq!(m.alloc(1), Ok(10));
        assert_eq!(m.alloc(1), Ok(12));
    }

    #[test]
    fn entries_outside_the_range_count_against_it() {
        // As upstream: the "full" test compares the total count with the
        // size of the range.
        let mut m = IdMap::new(10, 13, false);
        m.set(1, 0);
        m.set(100, 0);
        assert_eq!(m.alloc(1), Ok(10));
        assert_eq!(m.alloc(1), Ok(11));
        assert_eq!(m.alloc(1), Err(Error::NoMem));
    }

    #[test]
    fn alloc_random_stays_in_range() {
        for _ in 0..50 {
            let mut m = IdMap::new(10, 13, true);
            let id = m.alloc(()).unwrap();
            assert!((10..=13).contains(&id));
        }
        let mut m = IdMap::new(1 << 32, u64::MAX, true);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100 {
            let id = m.alloc(()).unwrap();
            assert!(id > 0xffff_ffff);
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn alloc_wraps_at_the_top_of_the_range() {
        let mut m = IdMap::new(u64::MAX - 1, u64::MAX, false);
        assert_eq!(m.alloc(()), Ok(u64::MAX - 1));
        assert_eq!(m.alloc(()), Ok(u64::MAX));
        m.remove(u64::MAX - 1);
        assert_eq!(m.alloc(()), Ok(u64::MAX - 1));
    }

    #[test]
    fn inverted_range_allocates_nothing() {
        let mut m = IdMap::new(10, 5, false);
        assert_eq!(m.alloc(()), Err(Error::NoMem));
        m.set(7, ());
        assert!(m.contains(7));
    }

    #[test]
    fn grow_and_shrink_keep_every_entry() {
        let mut m = IdMap::new(0, 0, false);
        for i in 0..1024u64 {
            m.set(i * 7, i);
        }
        assert_eq!(m.len(), 1024);
        for i in 0..1024u64 {
            assert_eq!(m.get(i * 7), Some(&i));
        }
        for i in (0..1024u64).step_by(2) {
            assert_eq!(m.remove(i * 7), Some(i));
        }
        for i in 0..1024u64 {
            assert_eq!(m.get(i * 7).copied(), (i % 2 == 1).then_some(i));
        }
        for i in (1..1024u64).step_by(2) {
            m.remove(i * 7);
        }
        assert!(m.is_empty());
        assert!(m.slots.len() <= 8);
    }

    #[test]
    fn stress_matches_a_model() {
        let mut m = IdMap::new(0, 0, false);
        let mut model = std::collections::HashMap::new();
        let mut x: u64 = 12345;
        for _ in 0..50_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = (x >> 33) % 1000;
            match (x >> 20) % 3 {
                0 => assert_eq!(m.set(k, x), model.insert(k, x)),
                1 => assert_eq!(m.remove(k), model.remove(&k)),
                _ => assert_eq!(m.get(k), model.get(&k)),
            }
            assert_eq!(m.len(), model.len());
        }
    }

    #[test]
    fn visit_walks_every_entry_once() {
        let mut m = IdMap::new(10, 13, false);
        m.set(1, 'x');
        m.set(100, 'y');
        let mut cursor = 0;
        let mut got = vec![];
        while let Some((k, v)) = m.visit(&mut cursor) {
            got.push((k, *v));
        }
        got.sort();
        assert_eq!(got, vec![(1, 'x'), (100, 'y')]);
        assert!(m.visit(&mut cursor).is_none());
        let mut far = 1000;
        assert!(m.visit(&mut far).is_none());
        assert_eq!(far, 1000);
    }

    #[test]
    fn registry_hands_out_handles_from_one() {
        static REG: IdRegistry<String> = IdRegistry::new(false);
        let a = REG.insert_with(|id| Arc::new(format!("sock{id}"))).unwrap();
        let b = REG.insert(Arc::new("other".into())).unwrap();
        assert_eq!((a, b), (1, 2));
        assert_eq!(REG.get(1).as_deref().map(String::as_str), Some("sock1"));
        assert_eq!(REG.with(2, |s| s.len()), Some(5));
        assert!(REG.get(0).is_none());
        assert_eq!(REG.remove(1).as_deref().map(String::as_str), Some("sock1"));
        assert!(REG.get(1).is_none());
        // Ids are not reused until the space wraps.
        assert_eq!(REG.insert(Arc::new("third".into())), Ok(3));
        assert_eq!(REG.snapshot().len(), 2);
        assert_eq!(REG.drain().len(), 2);
        assert!(REG.is_empty());
    }

    #[test]
    fn registry_random_ids_are_valid_handles() {
        let reg = IdRegistry::new(true);
        for _ in 0..100 {
            let id = reg.insert(Arc::new(())).unwrap();
            assert!(id >= 1 && u64::from(id) <= HANDLE_ID_MAX);
        }
        assert_eq!(reg.len(), 100);
    }

    #[test]
    fn registry_lookups_run_concurrently() {
        let reg = Arc::new(IdRegistry::new(false));
        let ids: Vec<u32> = (0..64).map(|i| reg.insert(Arc::new(i)).unwrap()).collect();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let reg = Arc::clone(&reg);
                let ids = ids.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        for (i, id) in ids.iter().enumerate() {
                            assert_eq!(reg.get(*id).map(|v| *v), Some(i));
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
