import { expect } from "chai";
import { Wallet, solidityPackedKeccak256 } from "ethers";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  cardHash,
  checkDelivery,
  commitment,
  createKeyring,
  deriveKeyPair,
  evidenceMatchesBuyerKey,
  fromBytes32,
  keyMessage,
  normalizeCardNumber,
  openCode,
  prepareDelivery,
  prepareMint,
  publicKeyOf,
  randomSalt,
  reseal,
  sealCode,
  toBytes32,
} from "./codeDelivery.ts";

// Hardhat's public test account #0 ("test test … junk"): never holds real funds.
const ACCOUNT0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const EXCHANGE: Hex = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
const SALT: Hex = `0x${"11".repeat(32)}`;

const CARD = "6225 8800 0006 1234";

async function keyPairFor(purpose: "vault" | "arbiter" | `order:${string}`) {
  const account = privateKeyToAccount(ACCOUNT0_KEY);
  return deriveKeyPair(await account.signMessage({ message: keyMessage(31337, EXCHANGE, purpose) }));
}

describe("codeDelivery", function () {
  describe("keyMessage", function () {
    it("names the chain, the checksummed exchange and the purpose", function () {
      expect(keyMessage(31337, EXCHANGE, "order:12")).to.equal(
        "Kaquan key derivation\nChain: 31337\nExchange: 0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512\nPurpose: order:12\n\n" +
          "Signing this creates an encryption key. It costs nothing and sends no transaction.",
      );
    });

    it("gives the same text for any casing of the exchange address", function () {
      const upper = `0x${EXCHANGE.slice(2).toUpperCase()}` as Hex;
      expect(keyMessage(1, upper, "vault")).to.equal(keyMessage(1, EXCHANGE, "vault"));
    });

    it("refuses a malformed purpose or chain id", function () {
      expect(() => keyMessage(31337, EXCHANGE, "order:" as `order:${string}`)).to.throw('Invalid key purpose "order:"');
      expect(() => keyMessage(31337, EXCHANGE, "order:0" as `order:${string}`)).to.throw("Invalid key purpose");
      expect(() => keyMessage(0, EXCHANGE, "vault")).to.throw("Invalid chain id: 0");
    });

    it("has a purpose for the arbiter's evidence key", function () {
      expect(keyMessage(31337, EXCHANGE, "arbiter")).to.contain("\nPurpose: arbiter\n");
    });

    it("has a purpose per standing offer (its delivery key), distinct from the order of the same number", function () {
      expect(keyMessage(31337, EXCHANGE, "offer:3")).to.contain("\nPurpose: offer:3\n");
      expect(keyMessage(31337, EXCHANGE, "offer:3")).to.not.equal(keyMessage(31337, EXCHANGE, "order:3"));
      expect(() => keyMessage(31337, EXCHANGE, "offer:0" as `offer:${string}`)).to.throw("Invalid key purpose");
    });
  });

  describe("deriveKeyPair", function () {
    it("derives the same key pair from the same signature (fixed vector for Hardhat account #0)", async function () {
      const first = await keyPairFor("vault");
      const second = await keyPairFor("vault");
      expect(toBytes32(first.secretKey)).to.equal(toBytes32(second.secretKey));
      // Changing this vector strands every code already sealed to a vault key: it must never move.
      expect(toBytes32(first.secretKey)).to.equal("0xc246ea07dcb6aa9d75e0bb09cf00baa27b490948d67d4850d6906912b3c1949f");
      expect(toBytes32(first.publicKey)).to.equal("0x337a03e713a56e5b7834bdb370688e2ed35fd51b9c95de9422b4a86cede05e2c");
    });

    it("gets the same key from an ethers signature as from a viem one", async function () {
      const message = keyMessage(31337, EXCHANGE, "order:7");
      const viaEthers = deriveKeyPair((await new Wallet(ACCOUNT0_KEY).signMessage(message)) as Hex);
      const viaViem = await keyPairFor("order:7");
      expect(toBytes32(viaEthers.publicKey)).to.equal(toBytes32(viaViem.publicKey));
    });

    it("treats a 0/1 recovery byte like 27/28", async function () {
      const signature = await privateKeyToAccount(ACCOUNT0_KEY).signMessage({ message: "x" });
      const v = parseInt(signature.slice(-2), 16);
      const lowV = `${signature.slice(0, -2)}${(v - 27).toString(16).padStart(2, "0")}` as Hex;
      expect(toBytes32(deriveKeyPair(lowV).secretKey)).to.equal(toBytes32(deriveKeyPair(signature).secretKey));
    });

    it("gives different keys for different purposes", async function () {
      const vault = await keyPairFor("vault");
      const order = await keyPairFor("order:1");
      expect(toBytes32(vault.publicKey)).to.not.equal(toBytes32(order.publicKey));
    });

    it("refuses a signature that is not 65 bytes", function () {
      expect(() => deriveKeyPair("0x1234")).to.throw("Expected a 65-byte signature, got 2 bytes");
    });
  });

  describe("sealCode / openCode", function () {
    it("round-trips the card number, the code and the salt, including non-ASCII text", async function () {
      const recipient = await keyPairFor("order:3");
      const payload = sealCode({ cardNumber: CARD, code: "卡密 8842-1137" }, SALT, recipient.publicKey);
      // ephemeral key (32) + nonce (24) + length (1) + card number (19) + code (16 bytes of UTF-8) + salt (32) + tag (16)
      expect((payload.length - 2) / 2).to.equal(32 + 24 + 1 + 19 + 16 + 32 + 16);
      expect(openCode(payload, recipient.secretKey)).to.deep.equal({
        cardNumber: CARD,
        code: "卡密 8842-1137",
        salt: SALT,
      });
    });

    it("seals the card number as typed, trimmed", async function () {
      const recipient = await keyPairFor("order:3");
      const payload = sealCode({ cardNumber: `  ${CARD}\n`, code: "1234" }, SALT, recipient.publicKey);
      expect(openCode(payload, recipient.secretKey).cardNumber).to.equal(CARD);
    });

    it("uses a fresh ephemeral key and nonce on every seal", async function () {
      const recipient = await keyPairFor("vault");
      const card = { cardNumber: "1", code: "A" };
      expect(sealCode(card, SALT, recipient.publicKey)).to.not.equal(sealCode(card, SALT, recipient.publicKey));
    });

    it("fails with a clear error under the wrong key", async function () {
      const payload = sealCode({ cardNumber: CARD, code: "0001" }, SALT, (await keyPairFor("order:1")).publicKey);
      const wrong = await keyPairFor("order:2");
      expect(() => openCode(payload, wrong.secretKey)).to.throw(
        "The sealed card cannot be opened: it was sealed to another key or has been altered",
      );
    });

    it("fails when any part of the payload was altered", async function () {
      const recipient = await keyPairFor("order:1");
      const payload = sealCode({ cardNumber: CARD, code: "0001" }, SALT, recipient.publicKey);
      for (const byteIndex of [0, 40, 60, (payload.length - 2) / 2 - 1]) {
        const position = 2 + byteIndex * 2;
        const flipped = (parseInt(payload.slice(position, position + 2), 16) ^ 0x01).toString(16).padStart(2, "0");
        const tampered = `${payload.slice(0, position)}${flipped}${payload.slice(position + 2)}` as Hex;
        expect(() => openCode(tampered, recipient.secretKey), `byte ${byteIndex}`).to.throw("cannot be opened");
      }
    });

    it("refuses a payload too short to hold a card", async function () {
      const recipient = await keyPairFor("order:1");
      expect(() => openCode(`0x${"00".repeat(106)}`, recipient.secretKey)).to.throw(
        "The sealed card is too short (106 bytes, at least 107 expected)",
      );
    });

    it("refuses an empty or too long card number, an empty code, a short salt and a short key", async function () {
      const { publicKey } = await keyPairFor("order:1");
      expect(() => sealCode({ cardNumber: " ", code: "1" }, SALT, publicKey)).to.throw("The card number is empty");
      expect(() => sealCode({ cardNumber: "9".repeat(256), code: "1" }, SALT, publicKey)).to.throw(
        "The card number is too long (256 bytes, at most 255)",
      );
      expect(() => sealCode({ cardNumber: "1", code: "" }, SALT, publicKey)).to.throw("The code is empty");
      expect(() => sealCode({ cardNumber: "1", code: "A" }, "0x1234", publicKey)).to.throw("Invalid salt");
      expect(() => sealCode({ cardNumber: "1", code: "A" }, SALT, new Uint8Array(31))).to.throw(
        "Invalid recipient public key: expected 32 bytes",
      );
    });
  });

  describe("commitment", function () {
    it("equals keccak256(abi.encodePacked(string, bytes32)) as the contract defines it", function () {
      for (const code of ["JD-8842-1137-5520", "卡密-0001", "x"]) {
        const salt = randomSalt();
        expect(commitment(code, salt)).to.equal(solidityPackedKeccak256(["string", "bytes32"], [code, salt]));
      }
      expect(commitment("JD-8842-1137-5520", SALT)).to.equal(
        "0xafb59598dff5e3b5c6a1ea5101c3d323cf5caa6f4c16a95c81d091cf80e86c2b",
      );
    });
  });

  describe("normalizeCardNumber / cardHash", function () {
    it("removes spaces and dashes, upper-cases, and folds full-width characters", function () {
      expect(normalizeCardNumber(" 6225 8800-0006 12ab\t")).to.equal("62258800000612AB");
      expect(normalizeCardNumber("６２２５－８８００　０００６")).to.equal("622588000006");
      expect(normalizeCardNumber("6225–8800—0006")).to.equal("622588000006");
    });

    it('equals keccak256(abi.encodePacked("kaquan.card", uint256 brandId, string normalized))', function () {
      expect(cardHash(3, CARD)).to.equal(
        solidityPackedKeccak256(["string", "uint256", "string"], ["kaquan.card", 3, "6225880000061234"]),
      );
      expect(cardHash(3n, "6225-8800-0006-1234")).to.equal(cardHash(3, CARD));
      expect(cardHash(4, CARD)).to.not.equal(cardHash(3, CARD));
    });

    it("refuses a card number that is empty once normalised", function () {
      expect(() => cardHash(1, " - ")).to.throw("The card number is empty");
    });
  });

  describe("checkDelivery", function () {
    const voucher = { brandId: 7, cardHash: cardHash(7, CARD), codeHash: commitment("7781", SALT) };
    /** What the buyer of order 9 sees when `card` was sealed to `purpose`'s key for a voucher committing to CARD / 7781. */
    const delivered = async (card: { cardNumber: string; code: string }, purpose: "order:9" | "order:8" = "order:9") =>
      checkDelivery(
        sealCode(card, SALT, (await keyPairFor(purpose)).publicKey),
        (await keyPairFor("order:9")).secretKey,
        voucher,
      );

    it("accepts a delivery whose card number and code both match, whatever the card number's spacing", async function () {
      expect(await delivered({ cardNumber: "6225-8800-0006-1234", code: "7781" })).to.deep.equal({
        ok: true,
        opened: true,
        cardMatches: true,
        codeMatches: true,
        card: { cardNumber: "6225-8800-0006-1234", code: "7781", salt: SALT },
        reason: undefined,
      });
    });

    it("reports a wrong code with the right card number, and shows what was delivered", async function () {
      expect(await delivered({ cardNumber: CARD, code: "0000" })).to.deep.include({
        ok: false,
        cardMatches: true,
        codeMatches: false,
        reason: "The code does not match the voucher's commitment (codeHash)",
      });
      expect((await delivered({ cardNumber: CARD, code: "0000" })).card?.code).to.equal("0000");
    });

    it("reports another card's number with the right code, and both wrong", async function () {
      expect(await delivered({ cardNumber: "6225 8800 0006 9999", code: "7781" })).to.deep.include({
        ok: false,
        cardMatches: false,
        codeMatches: true,
        reason: "The card number does not match the voucher's card number (cardHash)",
      });
      expect((await delivered({ cardNumber: "1", code: "2" })).reason).to.equal(
        "Neither the card number nor the code matches what the voucher committed to",
      );
    });

    it("rejects a delivery sealed to another key", async function () {
      expect(await delivered({ cardNumber: CARD, code: "7781" }, "order:8")).to.deep.equal({
        ok: false,
        opened: false,
        cardMatches: false,
        codeMatches: false,
        card: undefined,
        reason: "The sealed card cannot be opened: it was sealed to another key or has been altered",
      });
    });
  });

  describe("evidence keys", function () {
    it("re-derives the buyerKey from the order's secret key", async function () {
      const order = await keyPairFor("order:4");
      const buyerKey = toBytes32(order.publicKey);
      const evidenceKey = toBytes32(order.secretKey);
      expect(toBytes32(publicKeyOf(fromBytes32(evidenceKey)))).to.equal(buyerKey);
      expect(evidenceMatchesBuyerKey(evidenceKey, buyerKey)).to.equal(true);
      expect(evidenceMatchesBuyerKey(toBytes32((await keyPairFor("order:5")).secretKey), buyerKey)).to.equal(false);
    });

    it("refuses bytes32 values of the wrong length", function () {
      expect(() => fromBytes32("0x1234")).to.throw("Invalid bytes32 value: expected 32 bytes");
      expect(() => toBytes32(new Uint8Array(33))).to.throw("Invalid key: expected 32 bytes");
    });
  });

  describe("randomSalt", function () {
    it("returns 32 random bytes as hex", function () {
      const salt = randomSalt();
      expect(salt).to.match(/^0x[0-9a-f]{64}$/);
      expect(randomSalt()).to.not.equal(salt);
    });
  });

  describe("prepareMint / prepareDelivery / reseal", function () {
    it("fingerprints the card number, commits to the code, seals both to the vault and re-seals to the buyer", async function () {
      const vault = await keyPairFor("vault");
      const order = await keyPairFor("order:9");
      const minted = prepareMint({ brandId: 2, cardNumber: CARD, code: "7781" }, vault.publicKey, SALT);
      expect(minted.cardHash).to.equal(cardHash(2, CARD));
      expect(minted.codeHash).to.equal(commitment("7781", SALT));
      const voucher = { brandId: 2, cardHash: minted.cardHash, codeHash: minted.codeHash };
      const delivery = prepareDelivery(minted.sealedCode, vault.secretKey, voucher, toBytes32(order.publicKey));
      expect(checkDelivery(delivery, order.secretKey, voucher)).to.deep.include({
        ok: true,
        card: { cardNumber: CARD, code: "7781", salt: SALT },
      });
    });

    it("refuses to pass on a vault copy that does not match the commitments", async function () {
      const vault = await keyPairFor("vault");
      const minted = prepareMint({ brandId: 2, cardNumber: CARD, code: "7781" }, vault.publicKey);
      const otherCode = { brandId: 2, cardHash: minted.cardHash, codeHash: commitment("OTHER", SALT) };
      expect(() => reseal(minted.sealedCode, vault.secretKey, otherCode, vault.publicKey)).to.throw(
        "The code does not match the voucher's commitment",
      );
      const otherBrand = { brandId: 3, cardHash: minted.cardHash, codeHash: minted.codeHash };
      expect(() => reseal(minted.sealedCode, vault.secretKey, otherBrand, vault.publicKey)).to.throw(
        "The card number does not match",
      );
    });
  });

  describe("createKeyring", function () {
    const scope = { chainId: 31337, exchange: EXCHANGE, account: privateKeyToAccount(ACCOUNT0_KEY).address };

    it("asks for one signature per key and reuses it, for any casing of the addresses", async function () {
      const keyring = createKeyring();
      const account = privateKeyToAccount(ACCOUNT0_KEY);
      let signatures = 0;
      const sign = (message: string) => {
        signatures++;
        return account.signMessage({ message });
      };
      const [a, b] = await Promise.all([keyring.derive(scope, "vault", sign), keyring.derive(scope, "vault", sign)]);
      const upper = { ...scope, exchange: EXCHANGE.toUpperCase().replace("0X", "0x") as Hex };
      expect(await keyring.derive(upper, "vault", sign)).to.equal(a);
      expect(keyring.cached(upper, "vault")).to.equal(a);
      expect(keyring.cached(scope, "order:1")).to.equal(undefined);
      expect(b).to.equal(a);
      expect(signatures).to.equal(1);
      expect(toBytes32(a.publicKey)).to.equal(toBytes32((await keyPairFor("vault")).publicKey));
    });

    it("asks again after a refused signature", async function () {
      const keyring = createKeyring();
      const refuse = () => Promise.reject(new Error("User denied"));
      let failure: unknown;
      await keyring.derive(scope, "order:1", refuse).catch((error) => (failure = error));
      expect((failure as Error).message).to.equal("User denied");
      const account = privateKeyToAccount(ACCOUNT0_KEY);
      const pair = await keyring.derive(scope, "order:1", (message) => account.signMessage({ message }));
      expect(pair.secretKey).to.have.length(32);
    });
  });
});
