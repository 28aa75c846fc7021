/**
 * Code delivery: the one implementation of Kaquan's key derivation, sealing and commitment check, shared by the
 * frontend, the demo seed, the delivery agent and integrators. Pure (browser and Node), built on audited libraries.
 *
 * - Keys: a wallet signs `keyMessage(chainId, exchange, purpose)` (EIP-191); keccak256 of the signature seeds an X25519
 *   key pair. Standard wallets sign deterministically (RFC 6979), so the key re-derives on any device.
 * - Sealing: an ephemeral X25519 key agrees a secret with the recipient's public key; HKDF-SHA256 (binding both public
 *   keys) turns it into an XChaCha20-Poly1305 key. Payload: `ephemeralPub(32) ‖ nonce(24) ‖ ciphertext`, where the
 *   ciphertext (with its 16-byte tag) covers `utf8(code) ‖ salt(32)`.
 * - Commitment: `keccak256(abi.encodePacked(string code, bytes32 salt))`, the `codeHash` a voucher carries on chain.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import {
  bytesToHex,
  bytesToString,
  concatBytes,
  encodePacked,
  getAddress,
  hexToBytes,
  isHex,
  keccak256,
  stringToBytes,
  type Address,
  type Hex,
} from "viem";

/** What a derived key is for: the holder's own vault, or one order as buyer (a fresh key per order). */
export type KeyPurpose = "vault" | `order:${string}`;

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export type DeliveryCheck = { ok: true; code: string; salt: Hex } | { ok: false; reason: string };

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const SALT_BYTES = 32;
const HKDF_INFO = "kaquan/code-delivery/v1";

/**
 * The exact text a wallet signs (EIP-191 `personal_sign`) to derive a key. It names the chain, the exchange and the
 * purpose, so a signature for one can never unlock another; the exchange address is checksummed so any casing of the
 * same address yields the same message (and therefore the same key).
 */
export function keyMessage(chainId: number, exchange: Address, purpose: KeyPurpose): string {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new Error(`Invalid chain id: ${chainId}`);
  if (purpose !== "vault" && !/^order:[1-9][0-9]*$/.test(purpose)) {
    throw new Error(`Invalid key purpose "${purpose}": expected "vault" or "order:<id>"`);
  }
  return [
    "Kaquan key derivation",
    `Chain: ${chainId}`,
    `Exchange: ${getAddress(exchange)}`,
    `Purpose: ${purpose}`,
    "",
    "Signing this creates an encryption key. It costs nothing and sends no transaction.",
  ].join("\n");
}

/**
 * The X25519 key pair seeded by keccak256 of a 65-byte signature. The recovery byte is normalised to 27/28 first,
 * because some wallets (hardware ones) return 0/1 for the same signature.
 */
export function deriveKeyPair(signature: Hex): KeyPair {
  const raw = hexToBytes(signature);
  if (raw.length !== 65) throw new Error(`Expected a 65-byte signature, got ${raw.length} bytes`);
  const normalized = raw.slice();
  if (normalized[64] < 27) normalized[64] += 27;
  const secretKey = hexToBytes(keccak256(normalized));
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** The X25519 public key of a secret key (how the arbiter checks a published evidence key against `buyerKey`). */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(checkKey(secretKey, "secret key"));
}

/** True when the evidence key a buyer published in `dispute` is the secret half of the order's `buyerKey`. */
export function evidenceMatchesBuyerKey(evidenceKey: Hex, buyerKey: Hex): boolean {
  return toBytes32(publicKeyOf(fromBytes32(evidenceKey))) === toBytes32(fromBytes32(buyerKey));
}

/** A 32-byte key as the `bytes32` hex the contract takes (`buyerKey`, `evidenceKey`). */
export function toBytes32(key: Uint8Array): Hex {
  return bytesToHex(checkKey(key, "key"));
}

/** A `bytes32` hex back to key bytes. */
export function fromBytes32(hex: Hex): Uint8Array {
  if (!isHex(hex, { strict: true })) throw new Error(`Not a hex string: ${String(hex)}`);
  return checkKey(hexToBytes(hex), "bytes32 value");
}

/** Seals `code` and its `salt` to the recipient's X25519 public key. Every call uses a fresh ephemeral key and nonce. */
export function sealCode(code: string, salt: Hex, recipientPublicKey: Uint8Array): Hex {
  if (code.length === 0) throw new Error("The code is empty");
  const saltBytes = checkSalt(salt);
  const recipient = checkKey(recipientPublicKey, "recipient public key");
  const ephemeral = x25519.keygen();
  const key = sharedKey(x25519.getSharedSecret(ephemeral.secretKey, recipient), ephemeral.publicKey, recipient);
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = xchacha20poly1305(key, nonce).encrypt(concatBytes([stringToBytes(code), saltBytes]));
  return bytesToHex(concatBytes([ephemeral.publicKey, nonce, ciphertext]));
}

/**
 * Opens a payload from `sealCode` with the recipient's secret key. Throws an Error saying what went wrong when the
 * payload is malformed, was sealed to another key, or was altered.
 */
export function openCode(payload: Hex, secretKey: Uint8Array): { code: string; salt: Hex } {
  if (!isHex(payload, { strict: true })) throw new Error("The sealed code is not a hex string");
  const bytes = hexToBytes(payload);
  const minimum = KEY_BYTES + NONCE_BYTES + TAG_BYTES + SALT_BYTES + 1;
  if (bytes.length < minimum) {
    throw new Error(`The sealed code is too short (${bytes.length} bytes, at least ${minimum} expected)`);
  }
  const secret = checkKey(secretKey, "secret key");
  const ephemeralPub = bytes.subarray(0, KEY_BYTES);
  const nonce = bytes.subarray(KEY_BYTES, KEY_BYTES + NONCE_BYTES);
  const ciphertext = bytes.subarray(KEY_BYTES + NONCE_BYTES);
  let plaintext: Uint8Array;
  try {
    const key = sharedKey(x25519.getSharedSecret(secret, ephemeralPub), ephemeralPub, x25519.getPublicKey(secret));
    plaintext = xchacha20poly1305(key, nonce).decrypt(ciphertext);
  } catch {
    throw new Error("The sealed code cannot be opened: it was sealed to another key or has been altered");
  }
  const codeBytes = plaintext.subarray(0, plaintext.length - SALT_BYTES);
  return {
    code: bytesToString(codeBytes),
    salt: bytesToHex(plaintext.subarray(plaintext.length - SALT_BYTES)),
  };
}

/** keccak256(abi.encodePacked(string code, bytes32 salt)): the voucher's on-chain `codeHash`. */
export function commitment(code: string, salt: Hex): Hex {
  checkSalt(salt);
  return keccak256(encodePacked(["string", "bytes32"], [code, salt]));
}

/** Opens a delivery and checks it against the voucher's `codeHash`: what the buyer and the arbiter see. */
export function checkDelivery(payload: Hex, secretKey: Uint8Array, codeHash: Hex): DeliveryCheck {
  let opened: { code: string; salt: Hex };
  try {
    opened = openCode(payload, secretKey);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (commitment(opened.code, opened.salt) !== codeHash.toLowerCase()) {
    return { ok: false, reason: "The delivered code does not match the voucher's commitment (codeHash)" };
  }
  return { ok: true, code: opened.code, salt: opened.salt };
}

/** A fresh random 32-byte salt for a code commitment. */
export function randomSalt(): Hex {
  return bytesToHex(randomBytes(SALT_BYTES));
}

/** What a coded mint sends: the commitment and the code sealed to the holder's own vault key. */
export interface CodedMint {
  codeHash: Hex;
  sealedCode: Hex;
  salt: Hex;
}

/** Commits to `code` under a fresh salt and seals both to the holder's vault public key (the copy `mint` emits). */
export function prepareMint(code: string, vaultPublicKey: Uint8Array, salt: Hex = randomSalt()): CodedMint {
  return { codeHash: commitment(code, salt), sealedCode: sealCode(code, salt, vaultPublicKey), salt };
}

/**
 * The seller's side of a delivery: opens the vault copy of the code (`CodeSealed` to the seller), checks it against the
 * voucher's `codeHash`, and re-seals code and salt to the order's `buyerKey`. Throws an Error saying why it cannot.
 */
export function prepareDelivery(vaultCopy: Hex, vaultSecretKey: Uint8Array, codeHash: Hex, buyerKey: Hex): Hex {
  return reseal(vaultCopy, vaultSecretKey, codeHash, fromBytes32(buyerKey));
}

/**
 * Opens `payload` with `secretKey`, checks it against `codeHash`, and seals the same code and salt to another public
 * key: a delivery (vault → buyer) or a buyer keeping a bought code (order key → its own vault). Throws when the payload
 * does not open or does not match.
 */
export function reseal(payload: Hex, secretKey: Uint8Array, codeHash: Hex, recipientPublicKey: Uint8Array): Hex {
  const check = checkDelivery(payload, secretKey, codeHash);
  if (!check.ok) throw new Error(check.reason);
  return sealCode(check.code, check.salt, recipientPublicKey);
}

/** Signs a key-derivation message: a wallet's `personal_sign` for the account whose keys are derived. */
export type MessageSigner = (message: string) => Promise<Hex>;

export interface KeyScope {
  chainId: number;
  exchange: Address;
  /** The signing account: keys are cached per account. */
  account: Address;
}

/** Derives key pairs from wallet signatures and keeps them in memory, so a wallet is asked once per key. */
export interface Keyring {
  /** The key pair for `purpose`, signing `keyMessage` through `sign` only the first time. */
  derive(scope: KeyScope, purpose: KeyPurpose, sign: MessageSigner): Promise<KeyPair>;
  /** The key pair for `purpose` if it was derived already (no signature asked). */
  cached(scope: KeyScope, purpose: KeyPurpose): KeyPair | undefined;
  /** Forgets every key (e.g. on disconnect). */
  clear(): void;
}

export function createKeyring(): Keyring {
  const keys = new Map<string, Promise<KeyPair>>();
  const derived = new Map<string, KeyPair>();
  const idOf = (scope: KeyScope, purpose: KeyPurpose) =>
    `${scope.account.toLowerCase()}|${scope.chainId}|${scope.exchange.toLowerCase()}|${purpose}`;
  return {
    derive(scope, purpose, sign) {
      const id = idOf(scope, purpose);
      let pair = keys.get(id);
      if (pair === undefined) {
        pair = sign(keyMessage(scope.chainId, scope.exchange, purpose)).then(deriveKeyPair);
        // A refused or failed signature is not cached: the next call asks again.
        pair.then((keyPair) => derived.set(id, keyPair)).catch(() => keys.delete(id));
        keys.set(id, pair);
      }
      return pair;
    },
    cached: (scope, purpose) => derived.get(idOf(scope, purpose)),
    clear: () => {
      keys.clear();
      derived.clear();
    },
  };
}

function sharedKey(sharedSecret: Uint8Array, ephemeralPub: Uint8Array, recipientPub: Uint8Array): Uint8Array {
  return hkdf(
    sha256,
    sharedSecret,
    undefined,
    concatBytes([stringToBytes(HKDF_INFO), ephemeralPub, recipientPub]),
    KEY_BYTES,
  );
}

function checkKey(key: Uint8Array, what: string): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new Error(`Invalid ${what}: expected ${KEY_BYTES} bytes`);
  }
  return key;
}

function checkSalt(salt: Hex): Uint8Array {
  if (!isHex(salt, { strict: true }) || salt.length !== 2 + 2 * SALT_BYTES) {
    throw new Error(`Invalid salt: expected 32 bytes of hex, got ${String(salt)}`);
  }
  return hexToBytes(salt);
}
