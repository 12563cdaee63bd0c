import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 §2.1 (as RFC 9162 §2.1 keeps it): a leaf hash is SHA-256(0x00 ‖ data), an interior
 * node SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits at the largest power of two below n. Anyone
 * with a Certificate Transparency library can check govflow's roots and proofs; hashes are lowercase hex here.
 */

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

export const EMPTY_ROOT = sha256().toString('hex');

export function leafHash(data: Uint8Array | string): string {
  return sha256(LEAF, typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('hex');
}

export function nodeHash(left: string, right: string): string {
  return sha256(NODE, bytes(left), bytes(right)).toString('hex');
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
export function rootOf(leaves: readonly string[]): string {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path proving leaf m is in the tree of these leaves (RFC 6962 §2.1.1). */
export function inclusionProof(m: number, leaves: readonly string[]): string[] {
  if (m < 0 || m >= leaves.length) throw new RangeError(`leaf ${m} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...inclusionProof(m, leaves.slice(0, k)), rootOf(leaves.slice(k))]
    : [...inclusionProof(m - k, leaves.slice(k)), rootOf(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): that the tree of the first m leaves is a prefix of the tree of all of them (RFC 6962 §2.1.2). */
export function consistencyProof(m: number, leaves: readonly string[]): string[] {
  if (m < 0 || m > leaves.length) throw new RangeError(`a tree of ${m} cannot precede a tree of ${leaves.length}`);
  if (m === 0 || m === leaves.length) return [];
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly string[], complete: boolean): string[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOf(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOf(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOf(leaves.slice(0, k))];
}

/** Recomputes the root from a leaf and its audit path (RFC 9162 §2.1.3.2); true when it matches `root`. */
export function verifyInclusion(index: number, size: number, leaf: string, proof: readonly string[], root: string): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}

/** Checks that `secondRoot`'s tree extends `firstRoot`'s (RFC 9162 §2.1.4.2). */
export function verifyConsistency(first: number, second: number, firstRoot: string, secondRoot: string, proof: readonly string[]): boolean {
  if (first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr === firstRoot && sr === secondRoot;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest first (one per set bit of the size). A sealer
 * keeps this instead of every leaf: appending and the root need only the frontier.
 */
export interface Frontier {
  size: number;
  /** Hashes of the perfect subtrees, left to right; subtree i covers 2^bit leaves for the set bits of size, high first. */
  nodes: string[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, nodes: [] };

export function appendLeaves(frontier: Frontier, leaves: readonly string[]): Frontier {
  const nodes = [...frontier.nodes];
  // Sizes of the subtrees in `nodes`, derived from the size's bits (largest first).
  const sizes = subtreeSizes(frontier.size);
  for (const leaf of leaves) {
    nodes.push(leaf);
    sizes.push(1);
    while (sizes.length >= 2 && sizes.at(-1) === sizes.at(-2)) {
      const right = nodes.pop()!;
      const left = nodes.pop()!;
      sizes.pop();
      sizes.push(sizes.pop()! * 2);
      nodes.push(nodeHash(left, right));
    }
  }
  return { size: frontier.size + leaves.length, nodes };
}

export function frontierRoot(frontier: Frontier): string {
  if (frontier.nodes.length === 0) return EMPTY_ROOT;
  let acc = frontier.nodes.at(-1)!;
  for (let i = frontier.nodes.length - 2; i >= 0; i--) acc = nodeHash(frontier.nodes[i]!, acc);
  return acc;
}

function subtreeSizes(size: number): number[] {
  const out: number[] = [];
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) if (Math.floor(size / bit) % 2 === 1) out.push(bit);
  return size === 0 ? [] : out;
}

/**
 * The whole tree kept level by level, for many proofs over one tree (an audit bundle proves every entry it holds):
 * building it costs n hashes, each proof then log n lookups. Pairing bottom-up and carrying an odd last node up
 * unchanged gives the same tree as RFC 6962's split at the largest power of two, so roots and paths are identical.
 */
export class MerkleTree {
  private readonly levels: string[][];

  constructor(leaves: readonly string[]) {
    this.levels = [[...leaves]];
    for (let level = this.levels[0]!; level.length > 1; ) {
      const up: string[] = [];
      for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
      this.levels.push(up);
      level = up;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  root(): string {
    return this.size === 0 ? EMPTY_ROOT : this.levels.at(-1)![0]!;
  }

  /** PATH(m, D[n]), as inclusionProof gives it. */
  proof(m: number): string[] {
    if (!Number.isInteger(m) || m < 0 || m >= this.size) throw new RangeError(`leaf ${m} is not in a tree of ${this.size}`);
    const path: string[] = [];
    for (let level = 0, i = m; level < this.levels.length - 1; level++, i = Math.floor(i / 2)) {
      const sibling = i % 2 === 1 ? i - 1 : i + 1;
      // A node without a right sibling is carried up: that level adds nothing to the path.
      if (sibling < this.levels[level]!.length) path.push(this.levels[level]![sibling]!);
    }
    return path;
  }
}
