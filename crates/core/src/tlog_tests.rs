use super::*;

/// The test vectors of RFC 6962's reference code (certificate-transparency, `merkle_tree_test`):
/// eight leaves and the roots of their first n.
const LEAVES: [&str; 8] =
    ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn h(text: &str) -> Hash {
    let bytes: Vec<u8> =
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect();
    bytes.try_into().unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// A whole tree in memory, hashing subtrees from the leaves.
struct Memory(Vec<Hash>);

impl Nodes for Memory {
    fn node(&self, level: u32, index: u64) -> Hash {
        if level == 0 {
            return self.0[index as usize];
        }
        node_hash(&self.node(level - 1, 2 * index), &self.node(level - 1, 2 * index + 1))
    }
}

fn tree(n: usize) -> Memory {
    Memory((0..n).map(|i| leaf_hash(&(i as u64).to_be_bytes())).collect())
}

#[test]
fn the_reference_roots() {
    let leaves = Memory(LEAVES.iter().map(|l| leaf_hash(&unhex(l))).collect());
    assert_eq!(root(&leaves, 0), h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    for (n, expected) in ROOTS.iter().enumerate() {
        assert_eq!(root(&leaves, n as u64 + 1), h(expected), "root of {}", n + 1);
    }
}

#[test]
fn the_reference_proofs() {
    let leaves = Memory(LEAVES.iter().map(|l| leaf_hash(&unhex(l))).collect());
    let path = [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]
    .map(h);
    assert_eq!(inclusion_proof(&leaves, 0, 8), path);
    assert_eq!(consistency_proof(&leaves, 1, 8), path);
    let six_to_eight = [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    .map(h);
    assert_eq!(consistency_proof(&leaves, 6, 8), six_to_eight);
    let two_to_five = [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]
    .map(h);
    assert_eq!(consistency_proof(&leaves, 2, 5), two_to_five);
}

#[test]
fn every_proof_of_small_trees_verifies_and_a_wrong_one_does_not() {
    let t = tree(40);
    for size in 1..=40u64 {
        let r = root(&t, size);
        for index in 0..size {
            let proof = inclusion_proof(&t, index, size);
            assert!(verify_inclusion(&t.0[index as usize], index, size, &proof, &r), "{index} in {size}");
            let other = t.0[((index + 1) % 40) as usize];
            assert!(!verify_inclusion(&other, index, size, &proof, &r));
        }
        for old in 0..=size {
            let proof = consistency_proof(&t, old, size);
            assert!(verify_consistency(old, size, &root(&t, old), &r, &proof), "{old} to {size}");
            if old > 0 && old < size {
                assert!(!verify_consistency(old, size, &root(&t, old - 1), &r, &proof));
                assert!(!verify_consistency(old, size, &root(&t, old), &root(&t, size - 1), &proof));
            }
        }
    }
}

#[test]
fn the_frontier_and_the_stored_levels_give_the_same_tree() {
    let t = tree(300);
    let mut frontier = Frontier::default();
    let mut stored = std::collections::HashMap::new();
    for (i, leaf) in t.0.iter().enumerate() {
        stored.insert((0, i as u64), *leaf);
        for (level, index, hash) in frontier.push(*leaf) {
            assert_eq!(level % STORED_EVERY, 0);
            assert_eq!(hash, t.node(level, index));
            stored.insert((level, index), hash);
        }
        assert_eq!(frontier.root(), root(&t, i as u64 + 1));
        let again = Frontier::from_bytes(frontier.size, &frontier.to_bytes()).unwrap();
        assert_eq!(again, frontier);
    }
    let stored = StoredNodes(stored);
    for (index, size) in [(0, 300), (17, 299), (255, 256), (299, 300), (128, 200)] {
        assert_eq!(inclusion_proof(&stored, index, size), inclusion_proof(&t, index, size));
        assert_eq!(consistency_proof(&stored, index + 1, size), consistency_proof(&t, index + 1, size));
    }
    let recorder = Recorder::default();
    inclusion_proof(&recorder, 17, 299);
    let needed = recorder.0.borrow().len();
    assert!(needed < 80, "a proof reads {needed} stored nodes");
    assert!(Frontier::from_bytes(3, &[0; 32]).is_none());
}

/// The root docs/verifying.md's Python script gives for five records "leaf 0\n" .. "leaf 4\n":
/// a second implementation, written apart, agrees.
#[test]
fn the_documented_script_agrees() {
    use base64::Engine;
    let mut frontier = Frontier::default();
    for i in 0..5 {
        frontier.push(leaf_hash(format!("leaf {i}\n").as_bytes()));
    }
    let root = base64::engine::general_purpose::STANDARD.encode(frontier.root());
    assert_eq!(root, "XWDvahSRIOFfXUcjzpNd7WXQFaHmt6tVATrmdl8e6Bw=");
}
