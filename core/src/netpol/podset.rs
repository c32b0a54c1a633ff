//! A fixed-size set of pods as a bit vector: the currency of the compiled evaluator.

/// Bits per word.
const WORD: usize = 64;

/// A set of pod indices below a fixed capacity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PodSet {
    words: Vec<u64>,
    len: usize,
}

impl PodSet {
    /// The empty set over `len` pods.
    pub fn empty(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(WORD)],
            len,
        }
    }

    /// Every pod of `len`.
    pub fn full(len: usize) -> Self {
        let mut set = Self {
            words: vec![u64::MAX; len.div_ceil(WORD)],
            len,
        };
        set.clear_tail();
        set
    }

    fn clear_tail(&mut self) {
        let used = self.len % WORD;
        if used != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << used) - 1;
            }
        }
    }

    /// How many pods the set can hold.
    pub fn capacity(&self) -> usize {
        self.len
    }

    /// Adds a pod (ignored when out of range).
    pub fn insert(&mut self, pod: usize) {
        if let Some(word) = self.words.get_mut(pod / WORD) {
            *word |= 1 << (pod % WORD);
        }
    }

    /// Whether the pod is in the set.
    pub fn contains(&self, pod: usize) -> bool {
        self.words
            .get(pod / WORD)
            .is_some_and(|word| word & (1 << (pod % WORD)) != 0)
    }

    /// Adds every pod of `other`.
    pub fn union_with(&mut self, other: &PodSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Keeps only the pods also in `other`.
    pub fn intersect_with(&mut self, other: &PodSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Number of pods in the set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// True when no pod is in the set.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// True when every pod is in the set.
    pub fn is_full(&self) -> bool {
        self.count() == self.len
    }

    /// The pods in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(i * WORD + bit)
            })
        })
    }

    /// The raw words (bit `i % 64` of word `i / 64` is pod `i`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }
}

/// Transposes a square relation given as rows (`rows[a].contains(b)` ⇔ `a → b`) into its
/// columns (`result[b].contains(a)`), 64×64 blocks at a time.
pub fn transpose(rows: &[PodSet]) -> Vec<PodSet> {
    let n = rows.len();
    let blocks = n.div_ceil(WORD);
    let mut columns: Vec<PodSet> = (0..n).map(|_| PodSet::empty(n)).collect();
    let mut block = [0u64; WORD];
    for row_block in 0..blocks {
        for col_block in 0..blocks {
            for (r, slot) in block.iter_mut().enumerate() {
                *slot = rows
                    .get(row_block * WORD + r)
                    .and_then(|row| row.words.get(col_block))
                    .copied()
                    .unwrap_or(0);
            }
            if block.iter().all(|w| *w == 0) {
                continue;
            }
            transpose_block(&mut block);
            for (c, word) in block.iter().enumerate() {
                let column = columns.get_mut(col_block * WORD + c);
                if let Some(slot) = column.and_then(|c| c.words.get_mut(row_block)) {
                    *slot = *word;
                }
            }
        }
    }
    columns
}

/// In-place transpose of a 64×64 bit matrix (bit `c` of word `r` ↔ bit `r` of word `c`),
/// by swapping ever smaller sub-blocks.
fn transpose_block(m: &mut [u64; WORD]) {
    let mut width = 32;
    let mut mask: u64 = 0x0000_0000_FFFF_FFFF;
    while width != 0 {
        let mut k = 0;
        while k < WORD {
            for r in k..k + width {
                let (Some(&a), Some(&b)) = (m.get(r), m.get(r + width)) else {
                    continue;
                };
                let t = ((a >> width) ^ b) & mask;
                if let Some(x) = m.get_mut(r) {
                    *x = a ^ (t << width);
                }
                if let Some(y) = m.get_mut(r + width) {
                    *y = b ^ t;
                }
            }
            k += 2 * width;
        }
        width /= 2;
        mask ^= mask << width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = PodSet::empty(130);
        for i in [0, 63, 64, 129, 500] {
            a.insert(i);
        }
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 63, 64, 129]);
        assert_eq!(a.count(), 4);
        let full = PodSet::full(130);
        assert!(full.is_full() && full.count() == 130 && !full.contains(130));
        let mut b = full.clone();
        b.intersect_with(&a);
        assert_eq!(b, a);
        let mut c = PodSet::empty(130);
        c.union_with(&a);
        assert_eq!(c, a);
        assert!(PodSet::empty(0).is_full() && PodSet::empty(7).is_empty());
    }

    #[test]
    fn transpose_matches_the_definition() {
        for n in [1, 5, 64, 65, 130, 200] {
            let rows: Vec<PodSet> = (0..n)
                .map(|a| {
                    let mut row = PodSet::empty(n);
                    for b in 0..n {
                        if (a * 7 + b * 13 + a * b) % 5 == 0 {
                            row.insert(b);
                        }
                    }
                    row
                })
                .collect();
            let columns = transpose(&rows);
            for (a, row) in rows.iter().enumerate() {
                for (b, column) in columns.iter().enumerate() {
                    assert_eq!(row.contains(b), column.contains(a), "n={n} {a}->{b}");
                }
            }
        }
    }
}
