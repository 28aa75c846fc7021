/**
 * Code delivery: the one implementation of Kaquan's key derivation, sealing and commitment check, shared by the
 * frontend, the demo seed, the delivery agent and integrators. Pure (browser and Node), built on audited libraries.
 *
 * - Keys: a wallet signs `keyMessage(chainId, exchange, purpose)` (EIP-191); keccak256 of the signature seeds an X25519
 *   key pair. Standard wallets sign deterministically (RFC 6979), so the key re-derives on any device.
 * - Sealing: an ephemeral X25519 key agrees a secret with the recipient's public key; HKDF-SHA256 (binding both public
 *   keys and what the payload is for) turns it into an XChaCha20-Poly1305 key. Payload: `ephemeralPub(32) ‖ nonce(24)
 *   ‖ ciphertext`, where the ciphertext (with its 16-byte tag) covers the card:
 *   `len(1) ‖ utf8(cardNumber) ‖ utf8(code) ‖ salt(32)` (`len` is the card number's UTF-8 byte length).
 * - Commitments: the secret code (PIN) as `codeHash = keccak256(abi.encodePacked(string code, bytes32 salt))`, and the
 *   card number printed on the card as the unsalted fingerprint `cardHash = keccak256(abi.encodePacked("kaquan.card",
 *   uint256 brandId, string normalizeCardNumber(cardNumber)))`, which lets the brand's registry refuse a duplicate.
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

/**
 * What a derived key is for: the holder's own vault, one order as buyer (a fresh key per order), the arbiter's
 * evidence key (the arbiter publishes its public half with `setArbiterKey`), or one standing offer of a recycler (the
 * offer's `deliveryKey`: every coded card sold into it is delivered to it).
 */
export type KeyPurpose = "vault" | "arbiter" | `order:${string}` | `offer:${string}`;

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A card as its holder knows it: the number printed on it and its secret code (PIN). */
export interface CardSecret {
  cardNumber: string;
  code: string;
}

/** A card opened from a sealed payload, with the salt of its code commitment. */
export interface OpenedCard extends CardSecret {
  salt: Hex;
}

/** What a voucher commits to: its brand, its card-number fingerprint and its code commitment. */
export interface CardCommitments {
  brandId: number | bigint;
  cardHash: Hex;
  codeHash: Hex;
}

/**
 * What a buyer (or the arbiter) learns from a delivery: whether it opened, and whether the card number and the code
 * it holds match the voucher's commitments. `card` is what it holds, for its recipient's eyes only, also when it does
 * not match (the buyer may want to see what was sent).
 */
export interface DeliveryCheck {
  /** Both the card number and the code match. */
  ok: boolean;
  opened: boolean;
  cardMatches: boolean;
  codeMatches: boolean;
  card: OpenedCard | undefined;
  /** Why it is not ok, in one sentence; undefined when it is. */
  reason: string | undefined;
}

const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const SALT_BYTES = 32;
const HKDF_INFO = "kaquan/code-delivery/v1";
/** Longest card number a payload holds, in UTF-8 bytes (its length is one byte). */
export const MAX_CARD_NUMBER_BYTES = 255;

/**
 * The exact text a wallet signs (EIP-191 `personal_sign`) to derive a key. It names the chain, the exchange and the
 * purpose, so a signature for one can never unlock another; the exchange address is checksummed so any casing of the
 * same address yields the same message (and therefore the same key).
 */
export function keyMessage(chainId: number, exchange: Address, purpose: KeyPurpose): string {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new Error(`Invalid chain id: ${chainId}`);
  if (purpose !== "vault" && purpose !== "arbiter" && !/^(order|offer):[1-9][0-9]*$/.test(purpose)) {
    throw new Error(`Invalid key purpose "${purpose}": expected "vault", "arbiter", "order:<id>" or "offer:<id>"`);
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

/**
 * Seals `plaintext` to the recipient's X25519 public key for `info` (what the payload is for, bound into the key):
 * `ephemeralPub ‖ nonce ‖ ciphertext`. Every call uses a fresh ephemeral key and nonce.
 */
export function sealTo(plaintext: Uint8Array, recipientPublicKey: Uint8Array, info: string): Hex {
  const recipient = checkKey(recipientPublicKey, "recipient public key");
  const ephemeral = x25519.keygen();
  const key = sharedKey(x25519.getSharedSecret(ephemeral.secretKey, recipient), ephemeral.publicKey, recipient, info);
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = xchacha20poly1305(key, nonce).encrypt(plaintext);
  return bytesToHex(concatBytes([ephemeral.publicKey, nonce, ciphertext]));
}

/**
 * Opens a payload from `sealTo` with the recipient's secret key. Throws an Error saying what went wrong when the
 * payload is malformed (shorter than `minimum` plaintext bytes), was sealed to another key or for another purpose, or
 * was altered. `what` names the payload in those messages.
 */
export function openFrom(payload: Hex, secretKey: Uint8Array, info: string, minimum: number, what: string): Uint8Array {
  if (!isHex(payload, { strict: true })) throw new Error(`The ${what} is not a hex string`);
  const bytes = hexToBytes(payload);
  const least = KEY_BYTES + NONCE_BYTES + TAG_BYTES + minimum;
  if (bytes.length < least)
    throw new Error(`The ${what} is too short (${bytes.length} bytes, at least ${least} expected)`);
  const secret = checkKey(secretKey, "secret key");
  const ephemeralPub = bytes.subarray(0, KEY_BYTES);
  const nonce = bytes.subarray(KEY_BYTES, KEY_BYTES + NONCE_BYTES);
  try {
    const key = sharedKey(
      x25519.getSharedSecret(secret, ephemeralPub),
      ephemeralPub,
      x25519.getPublicKey(secret),
      info,
    );
    return xchacha20poly1305(key, nonce).decrypt(bytes.subarray(KEY_BYTES + NONCE_BYTES));
  } catch {
    throw new Error(`The ${what} cannot be opened: it was sealed to another key or has been altered`);
  }
}

/**
 * A card number in the one form its fingerprint is taken of: Unicode NFKC (full-width digits and letters typed with a
 * Chinese input method become ASCII), then every whitespace character and dash (`-` and U+2010–2015, U+2212; the
 * full-width `－` is `-` after NFKC) removed, then upper case. "6225 8800-0006 12ab" and "6225880000061 2AB" are the same card.
 */
export function normalizeCardNumber(cardNumber: string): string {
  return cardNumber
    .normalize("NFKC")
    .replace(/[\s\u2010-\u2015\u2212-]/gu, "")
    .toUpperCase();
}

/**
 * The card-number fingerprint a voucher carries: keccak256(abi.encodePacked("kaquan.card", uint256 brandId, string
 * normalizeCardNumber(cardNumber))). Unsalted on purpose, so the brand's registry can refuse a duplicate (and an
 * issuer can find its own cards); throws for a card number that is empty once normalised.
 */
export function cardHash(brandId: number | bigint, cardNumber: string): Hex {
  const normalized = normalizeCardNumber(cardNumber);
  if (normalized.length === 0) throw new Error("The card number is empty");
  return keccak256(encodePacked(["string", "uint256", "string"], ["kaquan.card", BigInt(brandId), normalized]));
}

/**
 * Seals a card (number and code) and the code's `salt` to the recipient's X25519 public key. Every call uses a fresh
 * ephemeral key and nonce. The card number is sealed as given (trimmed): what the holder typed is what the buyer sees.
 */
export function sealCode(card: CardSecret, salt: Hex, recipientPublicKey: Uint8Array): Hex {
  const cardNumber = stringToBytes(card.cardNumber.trim());
  if (cardNumber.length === 0) throw new Error("The card number is empty");
  if (cardNumber.length > MAX_CARD_NUMBER_BYTES) {
    throw new Error(`The card number is too long (${cardNumber.length} bytes, at most ${MAX_CARD_NUMBER_BYTES})`);
  }
  if (card.code.length === 0) throw new Error("The code is empty");
  const plaintext = concatBytes([
    Uint8Array.of(cardNumber.length),
    cardNumber,
    stringToBytes(card.code),
    checkSalt(salt),
  ]);
  return sealTo(plaintext, recipientPublicKey, HKDF_INFO);
}

/**
 * Opens a payload from `sealCode` with the recipient's secret key. Throws an Error saying what went wrong when the
 * payload is malformed, was sealed to another key, or was altered.
 */
export function openCode(payload: Hex, secretKey: Uint8Array): OpenedCard {
  const plaintext = openFrom(payload, secretKey, HKDF_INFO, 1 + 1 + 1 + SALT_BYTES, "sealed card");
  const cardLength = plaintext[0];
  const codeEnd = plaintext.length - SALT_BYTES;
  if (cardLength === 0 || 1 + cardLength >= codeEnd) throw new Error("The sealed card is malformed");
  return {
    cardNumber: bytesToString(plaintext.subarray(1, 1 + cardLength)),
    code: bytesToString(plaintext.subarray(1 + cardLength, codeEnd)),
    salt: bytesToHex(plaintext.subarray(codeEnd)),
  };
}

/** keccak256(abi.encodePacked(string code, bytes32 salt)): the voucher's on-chain `codeHash`. */
export function commitment(code: string, salt: Hex): Hex {
  checkSalt(salt);
  return keccak256(encodePacked(["string", "bytes32"], [code, salt]));
}

/** A voucher's commitments when it has both (a coded voucher), else undefined (issuer-backed, or not known). */
export function commitmentsOf(
  voucher: { brandId: number | bigint; cardHash: Hex | undefined; codeHash: Hex | undefined } | undefined,
): CardCommitments | undefined {
  if (!voucher?.cardHash || !voucher.codeHash) return undefined;
  return { brandId: voucher.brandId, cardHash: voucher.cardHash, codeHash: voucher.codeHash };
}

/** Checks an opened card against a voucher's commitments: the card number, then the code. */
export function checkCard(card: OpenedCard, voucher: CardCommitments): DeliveryCheck {
  let cardMatches = false;
  try {
    cardMatches = cardHash(voucher.brandId, card.cardNumber) === voucher.cardHash.toLowerCase();
  } catch {
    cardMatches = false;
  }
  const codeMatches = commitment(card.code, card.salt) === voucher.codeHash.toLowerCase();
  const reason =
    !cardMatches && !codeMatches
      ? "Neither the card number nor the code matches what the voucher committed to"
      : !cardMatches
        ? "The card number does not match the voucher's card number (cardHash)"
        : !codeMatches
          ? "The code does not match the voucher's commitment (codeHash)"
          : undefined;
  return { ok: cardMatches && codeMatches, opened: true, cardMatches, codeMatches, card, reason };
}

/** Opens a delivery and checks it against the voucher's commitments: what the buyer and the arbiter see. */
export function checkDelivery(payload: Hex, secretKey: Uint8Array, voucher: CardCommitments): DeliveryCheck {
  let card: OpenedCard;
  try {
    card = openCode(payload, secretKey);
  } catch (error) {
    const reason = (error as Error).message;
    return { ok: false, opened: false, cardMatches: false, codeMatches: false, card: undefined, reason };
  }
  return checkCard(card, voucher);
}

/** A fresh random 32-byte salt for a code commitment. */
export function randomSalt(): Hex {
  return bytesToHex(randomBytes(SALT_BYTES));
}

/** What a coded mint sends: both commitments and the card sealed to the holder's vault key. */
export interface CodedMint {
  cardHash: Hex;
  codeHash: Hex;
  sealedCode: Hex;
  salt: Hex;
}

/**
 * Fingerprints the card number for its brand, commits to the code under a fresh salt, and seals card number, code and
 * salt to the holder's vault public key (the copy `mint` emits).
 */
export function prepareMint(
  card: CardSecret & { brandId: number | bigint },
  vaultPublicKey: Uint8Array,
  salt: Hex = randomSalt(),
): CodedMint {
  return {
    cardHash: cardHash(card.brandId, card.cardNumber),
    codeHash: commitment(card.code, salt),
    sealedCode: sealCode(card, salt, vaultPublicKey),
    salt,
  };
}

/**
 * The seller's side of a delivery: opens the vault copy of the card (`CodeSealed` to the seller), checks it against the
 * voucher's commitments, and re-seals it to the order's `buyerKey`. Throws an Error saying why it cannot.
 */
export function prepareDelivery(
  vaultCopy: Hex,
  vaultSecretKey: Uint8Array,
  voucher: CardCommitments,
  buyerKey: Hex,
): Hex {
  return reseal(vaultCopy, vaultSecretKey, voucher, fromBytes32(buyerKey));
}

/**
 * Opens `payload` with `secretKey`, checks it against the voucher's commitments, and seals the same card and salt to
 * another public key: a delivery (vault → buyer) or a buyer keeping a bought card (order key → its own vault). Throws
 * when the payload does not open or does not match.
 */
export function reseal(
  payload: Hex,
  secretKey: Uint8Array,
  voucher: CardCommitments,
  recipientPublicKey: Uint8Array,
): Hex {
  const check = checkDelivery(payload, secretKey, voucher);
  if (!check.ok) throw new Error(check.reason);
  return sealCode(check.card!, check.card!.salt, recipientPublicKey);
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

function sharedKey(
  sharedSecret: Uint8Array,
  ephemeralPub: Uint8Array,
  recipientPub: Uint8Array,
  info: string,
): Uint8Array {
  return hkdf(
    sha256,
    sharedSecret,
    undefined,
    concatBytes([stringToBytes(info), ephemeralPub, recipientPub]),
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
