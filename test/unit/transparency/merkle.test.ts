import { describe, expect, it } from 'vitest';
import {
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  appendLeaves,
  consistencyProof,
  frontierRoot,
  inclusionProof,
  leafHash,
  MerkleTree,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../../domain/transparency/merkle.js';

// The Certificate Transparency reference data (RFC 6962's test leaves) and the roots other logs agree on.
const DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const LEAVES = DATA.map((d) => leafHash(d));

describe('the Merkle tree (RFC 6962)', () => {
  it('gives the reference roots for every size 0..8, from the leaves and from a frontier', () => {
    expect(EMPTY_ROOT).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n++) {
      expect(rootOf(LEAVES.slice(0, n)), `size ${n}`).toBe(ROOTS[n]);
      expect(frontierRoot(appendLeaves(EMPTY_FRONTIER, LEAVES.slice(0, n))), `frontier, size ${n}`).toBe(ROOTS[n]);
    }
  });

  it('gives the reference audit paths', () => {
    expect(inclusionProof(0, LEAVES)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(5, LEAVES)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  const many = Array.from({ length: 41 }, (_, i) => leafHash(`entry ${i}`));

  it('proves every leaf of every tree size, and refuses a wrong leaf, index or root (the size is bound by the signed tree head)', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      const root = rootOf(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        expect(verifyInclusion(i, n, tree[i]!, proof, root), `leaf ${i} of ${n}`).toBe(true);
        expect(verifyInclusion(i, n, leafHash('forged'), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((i + 1) % n, n, tree[i]!, proof, root)).toBe(false);
        expect(verifyInclusion(i, n, tree[i]!, proof, ROOTS[8]!)).toBe(false);
      }
    }
  });

  it('proves every earlier tree consistent with every later one, and refuses a rewritten history', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, tree);
        expect(verifyConsistency(m, n, rootOf(tree.slice(0, m)), rootOf(tree), proof), `${m} → ${n}`).toBe(true);
        if (m < n) {
          const rewritten = [...tree.slice(0, m - 1), leafHash('rewritten')];
          expect(verifyConsistency(m, n, rootOf(rewritten), rootOf(tree), proof), `rewritten ${m} → ${n}`).toBe(false);
        }
      }
    }
  });

  it('keeps a frontier that extends in batches to the same root as the whole tree', () => {
    let frontier = EMPTY_FRONTIER;
    for (const batch of [3, 1, 7, 5, 16, 9]) {
      frontier = appendLeaves(frontier, many.slice(frontier.size, frontier.size + batch));
      expect(frontierRoot(frontier)).toBe(rootOf(many.slice(0, frontier.size)));
    }
  });

  it('keeps the whole tree for many proofs: the same roots and paths as the recursive definition', () => {
    expect(new MerkleTree([]).root()).toBe(EMPTY_ROOT);
    for (let n = 1; n <= many.length; n++) {
      const leaves = many.slice(0, n);
      const tree = new MerkleTree(leaves);
      expect(tree.root(), `root of ${n}`).toBe(rootOf(leaves));
      for (let m = 0; m < n; m++) expect(tree.proof(m), `path of ${m} in ${n}`).toEqual(inclusionProof(m, leaves));
    }
    expect(() => new MerkleTree(LEAVES).proof(LEAVES.length)).toThrow(RangeError);
  });
});
