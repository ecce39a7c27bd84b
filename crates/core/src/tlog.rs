//! The Merkle tree of a transparency log, as RFC 6962 hashes it and RFC 9162 §2.1 proves it:
//! leaf = SHA-256(0x00 ‖ record), node = SHA-256(0x01 ‖ left ‖ right), inclusion and consistency
//! proofs made and checked.
//!
//! Our own code over `sha2` rather than a crate: `ct-merkle` keeps the whole tree in memory,
//! and a log of a million signatures lives in the database. What the database holds is read
//! through [`Nodes`]: the hash of a complete, aligned subtree (`level`, `index`) covers leaves
//! `index·2^level .. (index+1)·2^level`. The store keeps leaves and every fourth level
//! ([`STORED_EVERY`]); any other node is made from at most 2^3 stored ones, so a proof reads a
//! few dozen rows and the log costs a leaf row plus a sixteenth of a node row per entry.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The levels the store keeps: 0 (the leaves), 4, 8, ...
pub const STORED_EVERY: u32 = 4;

pub fn leaf_hash(record: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(record);
    h.finalize().into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Complete subtrees by level and index.
pub trait Nodes {
    fn node(&self, level: u32, index: u64) -> Hash;
}

/// The largest power of two below `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH(D[start..end]), from complete subtrees.
pub fn range_hash(nodes: &impl Nodes, start: u64, end: u64) -> Hash {
    let n = end - start;
    if n == 0 {
        return empty_root();
    }
    if n.is_power_of_two() && start.is_multiple_of(n) {
        return nodes.node(n.trailing_zeros(), start / n);
    }
    let k = split(n);
    node_hash(&range_hash(nodes, start, start + k), &range_hash(nodes, start + k, end))
}

pub fn root(nodes: &impl Nodes, size: u64) -> Hash {
    range_hash(nodes, 0, size)
}

/// PATH(index, D[0..size]) of RFC 9162 §2.1.3.1. `index < size`.
pub fn inclusion_proof(nodes: &impl Nodes, index: u64, size: u64) -> Vec<Hash> {
    let mut path = Vec::new();
    path_of(nodes, index, 0, size, &mut path);
    path
}

fn path_of(nodes: &impl Nodes, m: u64, start: u64, end: u64, path: &mut Vec<Hash>) {
    let n = end - start;
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path_of(nodes, m, start, start + k, path);
        path.push(range_hash(nodes, start + k, end));
    } else {
        path_of(nodes, m - k, start + k, end, path);
        path.push(range_hash(nodes, start, start + k));
    }
}

/// PROOF(old, D[0..new]) of RFC 9162 §2.1.4.1; empty when `old` is 0 or equals `new`.
pub fn consistency_proof(nodes: &impl Nodes, old: u64, new: u64) -> Vec<Hash> {
    let mut proof = Vec::new();
    if old > 0 && old < new {
        subproof(nodes, old, 0, new, true, &mut proof);
    }
    proof
}

fn subproof(nodes: &impl Nodes, m: u64, start: u64, end: u64, whole: bool, proof: &mut Vec<Hash>) {
    let n = end - start;
    if m == n {
        if !whole {
            proof.push(range_hash(nodes, start, end));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(nodes, m, start, start + k, whole, proof);
        proof.push(range_hash(nodes, start + k, end));
    } else {
        subproof(nodes, m - k, start + k, end, false, proof);
        proof.push(range_hash(nodes, start, start + k));
    }
}

/// Checks an inclusion proof (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s, mut r) = (index, size - 1, *leaf);
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Checks a consistency proof between two tree heads (RFC 9162 §2.1.4.2).
pub fn verify_consistency(old: u64, new: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    if old == 0 {
        return proof.is_empty();
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else { return false };
    let (mut f, mut s) = (old - 1, new - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && fr == *old_root && sr == *new_root
}

/// The right edge of a tree of `size` leaves: the roots of its complete subtrees, largest first,
/// one per set bit of `size`. Enough to append and to give the root; kept per log, so that a
/// batch of appends reads one row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    pub size: u64,
    /// (level, hash), largest subtree first.
    pub edge: Vec<(u32, Hash)>,
}

impl Frontier {
    /// Appends a leaf; returns the complete subtrees it finishes that the store keeps (levels
    /// [`STORED_EVERY`], 2·[`STORED_EVERY`], ...; not the leaf itself), as (level, index, hash).
    pub fn push(&mut self, leaf: Hash) -> Vec<(u32, u64, Hash)> {
        let mut kept = Vec::new();
        let (mut level, mut index, mut hash) = (0u32, self.size, leaf);
        while index & 1 == 1 {
            let (_, left) = self.edge.pop().expect("an odd index has a left sibling on the edge");
            hash = node_hash(&left, &hash);
            level += 1;
            index >>= 1;
            if level.is_multiple_of(STORED_EVERY) {
                kept.push((level, index, hash));
            }
        }
        self.edge.push((level, hash));
        self.size += 1;
        kept
    }

    pub fn root(&self) -> Hash {
        let mut nodes = self.edge.iter().rev().map(|(_, h)| *h);
        match nodes.next() {
            None => empty_root(),
            Some(last) => nodes.fold(last, |right, left| node_hash(&left, &right)),
        }
    }

    /// The frontier as bytes (the hashes, largest first): the levels follow from `size`.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.edge.iter().flat_map(|(_, h)| h.iter().copied()).collect()
    }

    pub fn from_bytes(size: u64, bytes: &[u8]) -> Option<Self> {
        let levels: Vec<u32> = (0..64).rev().filter(|l| size >> l & 1 == 1).collect();
        if bytes.len() != levels.len() * 32 {
            return None;
        }
        let edge = levels
            .into_iter()
            .zip(bytes.chunks_exact(32))
            .map(|(l, h)| (l, h.try_into().expect("32 bytes")))
            .collect();
        Some(Self { size, edge })
    }
}

/// The stored nodes that make node (`level`, `index`): itself when its level is kept, else its
/// descendants at the nearest kept level below.
pub fn stored_for(level: u32, index: u64) -> (u32, std::ops::Range<u64>) {
    let base = level - level % STORED_EVERY;
    let width = 1u64 << (level - base);
    (base, index * width..(index + 1) * width)
}

/// Nodes read from what the store keeps (see [`stored_for`]); a node missing from it hashes as
/// zeros, so a first pass with an empty map lists what to read ([`Recorder`]).
pub struct StoredNodes(pub std::collections::HashMap<(u32, u64), Hash>);

impl Nodes for StoredNodes {
    fn node(&self, level: u32, index: u64) -> Hash {
        let (base, range) = stored_for(level, index);
        let mut row: Vec<Hash> = range.map(|i| self.0.get(&(base, i)).copied().unwrap_or([0; 32])).collect();
        while row.len() > 1 {
            row = row.chunks_exact(2).map(|p| node_hash(&p[0], &p[1])).collect();
        }
        row[0]
    }
}

/// A first pass over a proof that notes which stored nodes it needs.
#[derive(Default)]
pub struct Recorder(pub std::cell::RefCell<std::collections::BTreeSet<(u32, u64)>>);

impl Nodes for Recorder {
    fn node(&self, level: u32, index: u64) -> Hash {
        let (base, range) = stored_for(level, index);
        self.0.borrow_mut().extend(range.map(|i| (base, i)));
        [0; 32]
    }
}

#[cfg(test)]
#[path = "tlog_tests.rs"]
mod tests;
