//! Sorting with one copy of the sort algorithm in the WebAssembly module.
//!
//! `slice::sort*` is compiled once per element type and comparator, 4-5 KB of WASM each (about
//! 75 KB over the crate), and so is `collect()` into a `BTreeMap`/`BTreeSet`, which sorts
//! before it builds. These helpers sort a permutation of indices with one shared instantiation
//! and then move the items into place; the price is a dynamic call per comparison, nothing for
//! the short lists the engine sorts. The maps and sets are built by insertion.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, stably (as `slice::sort_by`).
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = permutation(
        items.len(),
        &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        },
    );
    permute(&order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` by `key`, stably (as `slice::sort_by_key`).
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` (as `slice::sort`, or `sort_unstable` for items that are equal only when
/// they are the same).
pub(crate) fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The set of `items` (as `collect()`).
pub(crate) fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The map of `entries`, the last value of a repeated key winning (as `collect()`).
pub(crate) fn map<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(entries);
    map
}

/// The indices `0..len` in the stable order of `compare`.
#[inline(never)]
fn permutation(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[k]` to `k` for every `k`, by swaps.
#[inline(never)]
fn permute(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    // `to[i]`: where the item now at `i` belongs. Each swap puts one item in its place.
    let mut to = vec![0; order.len()];
    for (k, &from) in order.iter().enumerate() {
        if let Some(slot) = to.get_mut(from) {
            *slot = k;
        }
    }
    for i in 0..to.len() {
        while let Some(&target) = to.get(i) {
            if target == i {
                break;
            }
            swap(i, target);
            to.swap(i, target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut seed = 7_u32;
        for len in 0..60 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) as u8 % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut theirs = items;
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn maps_keep_the_last_value_of_a_key() {
        assert_eq!(
            map([("a", 1), ("b", 2), ("a", 3)]),
            BTreeMap::from([("a", 3), ("b", 2)])
        );
        assert_eq!(
            set(["b", "a", "b"]).into_iter().collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
