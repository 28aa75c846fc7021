import { expect } from "chai";
import {
  DAY,
  ETH,
  MAX_FACE_VALUE,
  Status,
  asObject,
  cardHash,
  codeHash,
  deployExchange,
  ethers,
  networkHelpers,
  randomKey,
  randomSalt,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

const SEALED = "0xc0ffee01";
const ERC721_INTERFACE_ID = "0x80ac58cd";

/**
 * The token, its owner, two brands (1: JD E-Card / CNY, 2: Starbucks / USD; both issued by `issuer`, any face value up
 * to MAX_FACE_VALUE) and a coded voucher (id 1) of card "JD-0001". `card(n)` is the fingerprint of a fresh card number.
 */
async function voucherTokenFixture() {
  const base = await deployExchange();
  const { voucher, seller, expiresAt } = base;
  const hash = codeHash("JD-8842-1137-5520", randomSalt());
  const firstCard = cardHash(1n, "JD-0001");
  await voucher.connect(seller).mint(1n, 50_000n, expiresAt, firstCard, hash, SEALED);
  const card = (n: number, brandId = 1n) => cardHash(brandId, `JD-${String(n).padStart(4, "0")}`);
  return { ...base, hash, firstCard, card, tokenId: 1n };
}

function decodeTokenURI(uri: string) {
  const jsonPrefix = "data:application/json;base64,";
  const imagePrefix = "data:image/svg+xml;base64,";
  expect(uri.startsWith(jsonPrefix)).to.equal(true);
  const json = JSON.parse(Buffer.from(uri.slice(jsonPrefix.length), "base64").toString("utf8"));
  expect(json.image.startsWith(imagePrefix)).to.equal(true);
  const svg = Buffer.from(json.image.slice(imagePrefix.length), "base64").toString("utf8");
  return { json, svg };
}

describe("VoucherToken", function () {
  describe("deployment", function () {
    it("is the Kaquan Voucher (KQV) ERC-721 owned by the deployer, with the fixture's two brands", async function () {
      const { voucher, owner } = await loadFixture(voucherTokenFixture);
      expect(await voucher.name()).to.equal("Kaquan Voucher");
      expect(await voucher.symbol()).to.equal("KQV");
      expect(await voucher.owner()).to.equal(owner.address);
      expect(await voucher.supportsInterface(ERC721_INTERFACE_ID)).to.equal(true);
      expect(await voucher.MAX_BATCH()).to.equal(50n);
      expect(await voucher.MAX_DENOMINATIONS()).to.equal(32n);
      expect(await voucher.brandCount()).to.equal(2n);
      expect(await voucher.totalMinted()).to.equal(1n);
    });

    it("starts with no exchange and brands that accept no face value until the owner sets denominations", async function () {
      const { voucher, owner, seller, expiresAt } = await loadFixture(voucherTokenFixture);
      const fresh = await ethers.deployContract("VoucherToken", [owner.address]);
      expect(await fresh.exchange()).to.equal(ETH);
      await fresh.registerBrand("Walmart", "supermarket", "USD", owner.address);
      expect(await fresh.denominations(1n)).to.deep.equal([[], 0n]);
      await expect(
        fresh.connect(seller).mint(1n, 1n, expiresAt, cardHash(1n, "W-1"), codeHash("x", randomSalt()), SEALED),
      )
        .to.be.revertedWithCustomError(fresh, "FaceValueNotAllowed")
        .withArgs(1n, 1n);
      await expect(fresh.issue(seller.address, 1n, 2_500n, expiresAt))
        .to.be.revertedWithCustomError(fresh, "FaceValueNotAllowed")
        .withArgs(1n, 2_500n);
      // The fixture's token: its exchange is set and its brands take any face value up to the maximum.
      expect(await voucher.denominations(1n)).to.deep.equal([[], MAX_FACE_VALUE]);
    });
  });

  describe("registerBrand", function () {
    describe("when the owner registers valid text", function () {
      it("stores the brand, numbers it and emits BrandRegistered", async function () {
        const { voucher, other } = await loadFixture(voucherTokenFixture);
        await expect(voucher.registerBrand("Walmart", "supermarket", "USD", other.address))
          .to.emit(voucher, "BrandRegistered")
          .withArgs(3n, "Walmart", "supermarket", "USD", other.address);
        expect(await voucher.brandCount()).to.equal(3n);
        const b = await voucher.brand(3n);
        expect([b.issuer, b.active, b.name, b.category, b.currency]).to.deep.equal([
          other.address,
          true,
          "Walmart",
          "supermarket",
          "USD",
        ]);
      });

      it("accepts multi-byte UTF-8 names up to 32 bytes", async function () {
        const { voucher, other } = await loadFixture(voucherTokenFixture);
        const name = "京东E卡".padEnd(10, "卡"); // 3 bytes per CJK character: 3*9 + 1 = 28 bytes
        await voucher.registerBrand(name, "电商", "CNY", other.address);
        expect((await voucher.brand(3n)).name).to.equal(name);
        await voucher.registerBrand("a".repeat(32), "b".repeat(32), "c".repeat(32), other.address);
        expect((await voucher.brand(4n)).name).to.equal("a".repeat(32));
      });
    });

    describe("when a text is empty, longer than 32 bytes or holds a JSON/SVG-breaking character", function () {
      const bad = [
        "",
        "a".repeat(33),
        "京".repeat(11), // 33 bytes
        'Say "hi"',
        "back\\slash",
        "<script>",
        "a>b",
        "Tom & Jerry",
        "new\nline",
        "unit\x1fsep",
        "del\x7f",
      ];
      for (const text of bad) {
        it(`reverts with InvalidBrandText for the name ${JSON.stringify(text)}`, async function () {
          const { voucher, other } = await loadFixture(voucherTokenFixture);
          await expect(voucher.registerBrand(text, "coffee", "USD", other.address))
            .to.be.revertedWithCustomError(voucher, "InvalidBrandText")
            .withArgs(text);
        });
      }

      it("reverts with InvalidBrandText for a bad category or currency", async function () {
        const { voucher, other } = await loadFixture(voucherTokenFixture);
        await expect(voucher.registerBrand("Walmart", "a<b", "USD", other.address))
          .to.be.revertedWithCustomError(voucher, "InvalidBrandText")
          .withArgs("a<b");
        await expect(voucher.registerBrand("Walmart", "supermarket", "", other.address))
          .to.be.revertedWithCustomError(voucher, "InvalidBrandText")
          .withArgs("");
        await expect(voucher.registerBrand("Walmart", "supermarket", 'US"D', other.address))
          .to.be.revertedWithCustomError(voucher, "InvalidBrandText")
          .withArgs('US"D');
      });
    });

    describe("when the issuer is the zero address", function () {
      it("reverts with InvalidIssuer", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        await expect(voucher.registerBrand("Walmart", "supermarket", "USD", ETH)).to.be.revertedWithCustomError(
          voucher,
          "InvalidIssuer",
        );
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { voucher, other } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(other).registerBrand("Walmart", "supermarket", "USD", other.address))
          .to.be.revertedWithCustomError(voucher, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
      });
    });
  });

  describe("setBrandActive", function () {
    describe("when the owner deactivates and reactivates a brand", function () {
      it("emits BrandStatusChanged, blocks new vouchers while inactive and allows them again after", async function () {
        const { voucher, seller, issuer, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        await expect(voucher.setBrandActive(1n, false)).to.emit(voucher, "BrandStatusChanged").withArgs(1n, false);
        expect((await voucher.brand(1n)).active).to.equal(false);
        await expect(voucher.connect(seller).mint(1n, 100n, expiresAt, card(2), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "BrandInactive")
          .withArgs(1n);
        await expect(voucher.connect(issuer).issue(seller.address, 1n, 100n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "BrandInactive")
          .withArgs(1n);
        await expect(voucher.setBrandActive(1n, true)).to.emit(voucher, "BrandStatusChanged").withArgs(1n, true);
        await expect(voucher.connect(seller).mint(1n, 100n, expiresAt, card(2), hash, SEALED)).to.emit(
          voucher,
          "VoucherMinted",
        );
      });

      it("leaves existing vouchers of the brand usable", async function () {
        const { voucher, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.setBrandActive(1n, false);
        await expect(voucher.connect(seller).redeem(tokenId)).to.emit(voucher, "Redeemed");
      });
    });

    describe("when the brand does not exist", function () {
      it("reverts with UnknownBrand", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        await expect(voucher.setBrandActive(0n, false))
          .to.be.revertedWithCustomError(voucher, "UnknownBrand")
          .withArgs(0n);
        await expect(voucher.setBrandActive(3n, false))
          .to.be.revertedWithCustomError(voucher, "UnknownBrand")
          .withArgs(3n);
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { voucher, issuer } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).setBrandActive(1n, false))
          .to.be.revertedWithCustomError(voucher, "OwnableUnauthorizedAccount")
          .withArgs(issuer.address);
      });
    });
  });

  describe("setDenominations", function () {
    describe("when the owner sets a list of face values", function () {
      it("stores them, emits DenominationsSet and accepts exactly those face values", async function () {
        const { voucher, seller, issuer, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        const list = [5_000n, 10_000n, 50_000n];
        await expect(voucher.setDenominations(1n, list, 0n))
          .to.emit(voucher, "DenominationsSet")
          .withArgs(1n, list, 0n);
        expect(await voucher.denominations(1n)).to.deep.equal([list, 0n]);
        for (const [i, faceValue] of list.entries()) {
          await expect(voucher.connect(seller).mint(1n, faceValue, expiresAt, card(10 + i), hash, SEALED)).to.emit(
            voucher,
            "VoucherMinted",
          );
        }
        for (const faceValue of [1n, 4_999n, 5_001n, 20_000n, 50_001n, MAX_FACE_VALUE]) {
          await expect(voucher.connect(seller).mint(1n, faceValue, expiresAt, card(20), hash, SEALED))
            .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
            .withArgs(1n, faceValue);
        }
        await voucher.setDenominations(2n, [2_500n], 0n);
        await expect(voucher.connect(issuer).issue(seller.address, 2n, 2_500n, expiresAt)).to.emit(
          voucher,
          "VoucherIssued",
        );
        await expect(voucher.connect(issuer).issue(seller.address, 2n, 2_000n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(2n, 2_000n);
      });

      it("accepts MAX_DENOMINATIONS (32) values and refuses 33", async function () {
        const { voucher, seller, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        const values = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i + 1) * 1_000n);
        await expect(voucher.setDenominations(1n, values(33), 0n)).to.be.revertedWithCustomError(
          voucher,
          "InvalidDenominations",
        );
        await voucher.setDenominations(1n, values(32), 0n);
        expect((await voucher.denominations(1n))[0]).to.deep.equal(values(32));
        await expect(voucher.connect(seller).mint(1n, 32_000n, expiresAt, card(2), hash, SEALED)).to.emit(
          voucher,
          "VoucherMinted",
        );
      });
    });

    describe("when the owner sets a maximum face value", function () {
      it("accepts any face value from 1 up to it and none above", async function () {
        const { voucher, seller, issuer, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        await expect(voucher.setDenominations(1n, [], 20_000n))
          .to.emit(voucher, "DenominationsSet")
          .withArgs(1n, [], 20_000n);
        expect(await voucher.denominations(1n)).to.deep.equal([[], 20_000n]);
        await voucher.connect(seller).mint(1n, 1n, expiresAt, card(2), hash, SEALED);
        await voucher.connect(seller).mint(1n, 20_000n, expiresAt, card(3), hash, SEALED);
        await expect(voucher.connect(seller).mint(1n, 20_001n, expiresAt, card(4), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(1n, 20_001n);
        await voucher.setDenominations(2n, [], 2_500n);
        await expect(voucher.connect(issuer).issue(seller.address, 2n, 2_501n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(2n, 2_501n);
      });
    });

    describe("when a brand's denominations are replaced", function () {
      it("clears the old list entirely, whether replaced by a new list or by a maximum", async function () {
        const { voucher, seller, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        await voucher.setDenominations(1n, [5_000n, 10_000n, 50_000n], 0n);
        await voucher.setDenominations(1n, [20_000n, 100_000n], 0n);
        expect(await voucher.denominations(1n)).to.deep.equal([[20_000n, 100_000n], 0n]);
        for (const old of [5_000n, 10_000n, 50_000n]) {
          await expect(voucher.connect(seller).mint(1n, old, expiresAt, card(2), hash, SEALED))
            .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
            .withArgs(1n, old);
        }
        await voucher.connect(seller).mint(1n, 100_000n, expiresAt, card(2), hash, SEALED);
        // A maximum replaces the list: nothing of it stays, and values up to the maximum are accepted.
        await voucher.setDenominations(1n, [], 15_000n);
        expect(await voucher.denominations(1n)).to.deep.equal([[], 15_000n]);
        await expect(voucher.connect(seller).mint(1n, 20_000n, expiresAt, card(3), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(1n, 20_000n);
        await voucher.connect(seller).mint(1n, 14_999n, expiresAt, card(3), hash, SEALED);
        // And a list replaces the maximum.
        await voucher.setDenominations(1n, [7n], 0n);
        expect(await voucher.denominations(1n)).to.deep.equal([[7n], 0n]);
        await expect(voucher.connect(seller).mint(1n, 6n, expiresAt, card(4), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(1n, 6n);
      });

      it("leaves vouchers minted under the old denominations as they are", async function () {
        const { voucher, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.setDenominations(1n, [100n], 0n);
        expect((await voucher.voucher(tokenId)).faceValue).to.equal(50_000n);
        await expect(voucher.connect(seller).redeem(tokenId)).to.emit(voucher, "Redeemed");
      });
    });

    describe("when the input is neither a strictly increasing list of non-zero values nor a maximum alone", function () {
      const bad: [string, bigint[], bigint][] = [
        ["an empty list and no maximum", [], 0n],
        ["a list and a maximum", [5_000n], 10_000n],
        ["a zero value", [0n, 5_000n], 0n],
        ["a repeated value", [5_000n, 5_000n], 0n],
        ["a decreasing list", [10_000n, 5_000n], 0n],
        ["33 values", Array.from({ length: 33 }, (_, i) => BigInt(i + 1)), 0n],
      ];
      for (const [what, list, max] of bad) {
        it(`reverts with InvalidDenominations for ${what}`, async function () {
          const { voucher } = await loadFixture(voucherTokenFixture);
          await expect(voucher.setDenominations(1n, list, max)).to.be.revertedWithCustomError(
            voucher,
            "InvalidDenominations",
          );
          expect(await voucher.denominations(1n)).to.deep.equal([[], MAX_FACE_VALUE]);
        });
      }
    });

    describe("when the brand does not exist", function () {
      it("reverts with UnknownBrand", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        for (const brandId of [0n, 3n]) {
          await expect(voucher.setDenominations(brandId, [], 1n))
            .to.be.revertedWithCustomError(voucher, "UnknownBrand")
            .withArgs(brandId);
        }
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { voucher, issuer } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).setDenominations(1n, [], 1n))
          .to.be.revertedWithCustomError(voucher, "OwnableUnauthorizedAccount")
          .withArgs(issuer.address);
      });
    });
  });

  describe("setExchange", function () {
    describe("when the owner names the exchange the first time", function () {
      it("stores it and emits ExchangeSet", async function () {
        const { owner, other } = await loadFixture(voucherTokenFixture);
        const fresh = await ethers.deployContract("VoucherToken", [owner.address]);
        await expect(fresh.setExchange(other.address)).to.emit(fresh, "ExchangeSet").withArgs(other.address);
        expect(await fresh.exchange()).to.equal(other.address);
      });
    });

    describe("when the exchange is already set", function () {
      it("reverts with InvalidExchange naming the exchange already set: it is set once, for good", async function () {
        const { voucher, exchange, other } = await loadFixture(voucherTokenFixture);
        const exchangeAddress = await exchange.getAddress();
        expect(await voucher.exchange()).to.equal(exchangeAddress);
        for (const next of [other.address, exchangeAddress, ETH]) {
          await expect(voucher.setExchange(next))
            .to.be.revertedWithCustomError(voucher, "InvalidExchange")
            .withArgs(exchangeAddress);
        }
      });
    });

    describe("when the exchange is the zero address", function () {
      it("reverts with InvalidExchange(0)", async function () {
        const { owner } = await loadFixture(voucherTokenFixture);
        const fresh = await ethers.deployContract("VoucherToken", [owner.address]);
        await expect(fresh.setExchange(ETH)).to.be.revertedWithCustomError(fresh, "InvalidExchange").withArgs(ETH);
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { owner, other } = await loadFixture(voucherTokenFixture);
        const fresh = await ethers.deployContract("VoucherToken", [owner.address]);
        await expect(fresh.connect(other).setExchange(other.address))
          .to.be.revertedWithCustomError(fresh, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
      });
    });
  });

  describe("mint", function () {
    describe("when a holder tokenizes a coded card", function () {
      it("creates the voucher, emits VoucherMinted then CodeSealed and returns the new id", async function () {
        const { voucher, buyer, expiresAt } = await loadFixture(voucherTokenFixture);
        const hash = codeHash("8842-1137", randomSalt());
        const card = cardHash(2n, "SB-6100-0042");
        expect(await voucher.connect(buyer).mint.staticCall(2n, 2_500n, expiresAt, card, hash, SEALED)).to.equal(2n);
        const mint = voucher.connect(buyer).mint(2n, 2_500n, expiresAt, card, hash, SEALED);
        await expect(mint)
          .to.emit(voucher, "VoucherMinted")
          .withArgs(2n, buyer.address, 2n, 2_500n, expiresAt, card, hash)
          .and.to.emit(voucher, "CodeSealed")
          .withArgs(2n, buyer.address, SEALED)
          .and.to.emit(voucher, "Transfer")
          .withArgs(ETH, buyer.address, 2n);
        const receipt = await (await mint).wait();
        const names = receipt!.logs.map((log) => voucher.interface.parseLog(log)?.name);
        expect(names).to.deep.equal(["Transfer", "VoucherMinted", "CodeSealed"]);
        expect(await voucher.ownerOf(2n)).to.equal(buyer.address);
        expect(await voucher.totalMinted()).to.equal(2n);
        expect(asObject(await voucher.voucher(2n))).to.deep.equal({
          brandId: 2n,
          faceValue: 2_500n,
          expiresAt,
          issuerBacked: false,
          attested: false,
          disclosed: false,
          codeHash: hash,
          cardHash: card,
        });
        expect(await voucher.cardToken(2n, card)).to.equal(2n);
      });
    });

    describe("when the brand already holds a voucher with the same card number", function () {
      it("reverts with DuplicateCard naming the voucher that has it, for any caller and any code", async function () {
        const { voucher, seller, buyer, expiresAt, firstCard } = await loadFixture(voucherTokenFixture);
        for (const who of [seller, buyer]) {
          await expect(
            voucher
              .connect(who)
              .mint(1n, 50_000n, expiresAt, firstCard, codeHash("another code", randomSalt()), SEALED),
          )
            .to.be.revertedWithCustomError(voucher, "DuplicateCard")
            .withArgs(1n, firstCard, 1n);
        }
        expect(await voucher.totalMinted()).to.equal(1n);
      });

      it("still refuses it after the first voucher was redeemed and burned: a spent card number stays spent", async function () {
        const { voucher, seller, expiresAt, firstCard, tokenId, hash } = await loadFixture(voucherTokenFixture);
        await voucher.connect(seller).redeem(tokenId);
        expect(await voucher.cardToken(1n, firstCard)).to.equal(tokenId);
        await expect(voucher.connect(seller).mint(1n, 50_000n, expiresAt, firstCard, hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "DuplicateCard")
          .withArgs(1n, firstCard, tokenId);
      });
    });

    describe("when another brand holds a voucher with the same fingerprint", function () {
      it("mints it: the registry is per brand", async function () {
        const { voucher, seller, expiresAt, firstCard, hash } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(seller).mint(2n, 2_500n, expiresAt, firstCard, hash, SEALED))
          .to.emit(voucher, "VoucherMinted")
          .withArgs(2n, seller.address, 2n, 2_500n, expiresAt, firstCard, hash);
        expect(await voucher.cardToken(1n, firstCard)).to.equal(1n);
        expect(await voucher.cardToken(2n, firstCard)).to.equal(2n);
      });
    });

    describe("when the card fingerprint is missing", function () {
      it("reverts with MissingCardHash", async function () {
        const { voucher, seller, expiresAt, hash } = await loadFixture(voucherTokenFixture);
        await expect(
          voucher.connect(seller).mint(1n, 100n, expiresAt, ethers.ZeroHash, hash, SEALED),
        ).to.be.revertedWithCustomError(voucher, "MissingCardHash");
      });
    });

    describe("when the face value is not one of the brand's denominations", function () {
      it("reverts with FaceValueNotAllowed", async function () {
        const { voucher, seller, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(seller).mint(1n, MAX_FACE_VALUE + 1n, expiresAt, card(2), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(1n, MAX_FACE_VALUE + 1n);
        await expect(voucher.connect(seller).mint(1n, MAX_FACE_VALUE, expiresAt, card(2), hash, SEALED)).to.emit(
          voucher,
          "VoucherMinted",
        );
      });
    });

    describe("when the brand is unknown", function () {
      it("reverts with UnknownBrand", async function () {
        const { voucher, seller, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        for (const brandId of [0n, 3n]) {
          await expect(voucher.connect(seller).mint(brandId, 100n, expiresAt, card(2, brandId), hash, SEALED))
            .to.be.revertedWithCustomError(voucher, "UnknownBrand")
            .withArgs(brandId);
        }
      });
    });

    describe("when the face value is zero", function () {
      it("reverts with InvalidFaceValue", async function () {
        const { voucher, seller, expiresAt, hash, card } = await loadFixture(voucherTokenFixture);
        await expect(
          voucher.connect(seller).mint(1n, 0n, expiresAt, card(2), hash, SEALED),
        ).to.be.revertedWithCustomError(voucher, "InvalidFaceValue");
      });
    });

    describe("when the voucher would already be expired", function () {
      it("reverts with InvalidExpiry at or before the block time and accepts one second later", async function () {
        const { voucher, seller, hash, card } = await loadFixture(voucherTokenFixture);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await expect(voucher.connect(seller).mint(1n, 100n, now, card(2), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "InvalidExpiry")
          .withArgs(now);
        await expect(voucher.connect(seller).mint(1n, 100n, 1n, card(2), hash, SEALED))
          .to.be.revertedWithCustomError(voucher, "InvalidExpiry")
          .withArgs(1n);
        await time.setNextBlockTimestamp(now + 20n);
        await expect(voucher.connect(seller).mint(1n, 100n, now + 21n, card(2), hash, SEALED)).to.emit(
          voucher,
          "VoucherMinted",
        );
      });
    });

    describe("when the code commitment is missing", function () {
      it("reverts with MissingCodeHash", async function () {
        const { voucher, seller, expiresAt, card } = await loadFixture(voucherTokenFixture);
        await expect(
          voucher.connect(seller).mint(1n, 100n, expiresAt, card(2), ethers.ZeroHash, SEALED),
        ).to.be.revertedWithCustomError(voucher, "MissingCodeHash");
      });
    });

    describe("when anyone mints", function () {
      it("the voucher and its sealed-code event go to the caller only: mint takes no recipient", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        for (const name of ["mint", "mintBatch"] as const) {
          const inputs = voucher.interface.getFunction(name)!.inputs.map((input) => input.name);
          expect(inputs).to.not.include("to");
        }
      });
    });
  });

  describe("mintBatch", function () {
    function requests(n: number, expiresAt: bigint) {
      return Array.from({ length: n }, (_, i) => {
        const brandId = 1n + BigInt(i % 2);
        return {
          brandId,
          faceValue: 10_000n + BigInt(i),
          expiresAt,
          cardHash: cardHash(brandId, `BATCH-${i}`),
          codeHash: codeHash(`CARD-${i}`, randomSalt()),
          sealedCode: ethers.toBeHex(i + 1, 4),
        };
      });
    }

    describe("when every card is valid", function () {
      it("mints consecutive ids from the returned one, each with its VoucherMinted and CodeSealed", async function () {
        const { voucher, buyer, expiresAt } = await loadFixture(voucherTokenFixture);
        const batch = requests(3, expiresAt);
        expect(await voucher.connect(buyer).mintBatch.staticCall(batch)).to.equal(2n);
        const tx = voucher.connect(buyer).mintBatch(batch);
        for (let i = 0; i < 3; i++) {
          const id = 2n + BigInt(i);
          await expect(tx)
            .to.emit(voucher, "VoucherMinted")
            .withArgs(
              id,
              buyer.address,
              batch[i].brandId,
              batch[i].faceValue,
              expiresAt,
              batch[i].cardHash,
              batch[i].codeHash,
            );
          await expect(tx).to.emit(voucher, "CodeSealed").withArgs(id, buyer.address, batch[i].sealedCode);
          const v = await voucher.voucher(id);
          expect([v.brandId, v.faceValue, v.cardHash, v.codeHash]).to.deep.equal([
            batch[i].brandId,
            batch[i].faceValue,
            batch[i].cardHash,
            batch[i].codeHash,
          ]);
          expect(await voucher.cardToken(batch[i].brandId, batch[i].cardHash)).to.equal(id);
        }
        expect(await voucher.balanceOf(buyer.address)).to.equal(3n);
        expect(await voucher.totalMinted()).to.equal(4n);
      });

      it("accepts exactly MAX_BATCH (50) cards", async function () {
        const { voucher, seller, expiresAt } = await loadFixture(voucherTokenFixture);
        await voucher.connect(seller).mintBatch(requests(50, expiresAt));
        expect(await voucher.totalMinted()).to.equal(51n);
        expect(await voucher.ownerOf(51n)).to.equal(seller.address);
      });
    });

    describe("when the batch is empty or above MAX_BATCH", function () {
      it("reverts with InvalidBatchSize", async function () {
        const { voucher, seller, expiresAt } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(seller).mintBatch([]))
          .to.be.revertedWithCustomError(voucher, "InvalidBatchSize")
          .withArgs(0n);
        await expect(voucher.connect(seller).mintBatch(requests(51, expiresAt)))
          .to.be.revertedWithCustomError(voucher, "InvalidBatchSize")
          .withArgs(51n);
      });
    });

    describe("when the same card number appears twice in the batch", function () {
      it("reverts the whole batch with DuplicateCard naming the copy minted earlier in it", async function () {
        const { voucher, seller, expiresAt } = await loadFixture(voucherTokenFixture);
        const batch = requests(4, expiresAt);
        batch[3].cardHash = batch[1].cardHash; // both brand 2; the copy at index 1 would have been id 3
        await expect(voucher.connect(seller).mintBatch(batch))
          .to.be.revertedWithCustomError(voucher, "DuplicateCard")
          .withArgs(2n, batch[1].cardHash, 3n);
        expect(await voucher.totalMinted()).to.equal(1n);
        expect(await voucher.cardToken(2n, batch[1].cardHash)).to.equal(0n);
        expect(await voucher.balanceOf(seller.address)).to.equal(1n);
      });
    });

    describe("when one card of the batch is invalid", function () {
      it("reverts the whole batch with that card's error", async function () {
        const { voucher, seller, expiresAt, firstCard } = await loadFixture(voucherTokenFixture);
        const batch = requests(3, expiresAt);
        batch[2].codeHash = ethers.ZeroHash;
        await expect(voucher.connect(seller).mintBatch(batch)).to.be.revertedWithCustomError(
          voucher,
          "MissingCodeHash",
        );
        batch[2] = { ...requests(1, expiresAt)[0], brandId: 9n };
        await expect(voucher.connect(seller).mintBatch(batch))
          .to.be.revertedWithCustomError(voucher, "UnknownBrand")
          .withArgs(9n);
        batch[2] = { ...requests(1, expiresAt)[0], cardHash: ethers.ZeroHash };
        await expect(voucher.connect(seller).mintBatch(batch)).to.be.revertedWithCustomError(
          voucher,
          "MissingCardHash",
        );
        batch[2] = { ...requests(1, expiresAt)[0], cardHash: firstCard };
        await expect(voucher.connect(seller).mintBatch(batch))
          .to.be.revertedWithCustomError(voucher, "DuplicateCard")
          .withArgs(1n, firstCard, 1n);
        batch[2] = { ...requests(1, expiresAt)[0], faceValue: MAX_FACE_VALUE + 1n };
        await expect(voucher.connect(seller).mintBatch(batch))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(1n, MAX_FACE_VALUE + 1n);
        expect(await voucher.totalMinted()).to.equal(1n);
      });
    });
  });

  describe("issue", function () {
    describe("when the brand's issuer issues a voucher", function () {
      it("creates an issuer-backed voucher with no code and emits VoucherIssued", async function () {
        const { voucher, issuer, buyer, expiresAt } = await loadFixture(voucherTokenFixture);
        expect(await voucher.connect(issuer).issue.staticCall(buyer.address, 2n, 2_500n, expiresAt)).to.equal(2n);
        await expect(voucher.connect(issuer).issue(buyer.address, 2n, 2_500n, expiresAt))
          .to.emit(voucher, "VoucherIssued")
          .withArgs(2n, buyer.address, 2n, 2_500n, expiresAt)
          .and.to.emit(voucher, "Transfer")
          .withArgs(ETH, buyer.address, 2n);
        expect(await voucher.ownerOf(2n)).to.equal(buyer.address);
        expect(asObject(await voucher.voucher(2n))).to.deep.equal({
          brandId: 2n,
          faceValue: 2_500n,
          expiresAt,
          issuerBacked: true,
          attested: false,
          disclosed: false,
          codeHash: ethers.ZeroHash,
          cardHash: ethers.ZeroHash,
        });
      });
    });

    describe("when the caller is not the brand's issuer", function () {
      it("reverts with NotIssuer", async function () {
        const { voucher, issuer, other, owner, expiresAt } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(other).issue(other.address, 2n, 2_500n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "NotIssuer")
          .withArgs(other.address, 2n);
        await expect(voucher.connect(owner).issue(owner.address, 2n, 2_500n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "NotIssuer")
          .withArgs(owner.address, 2n);
        // An issuer of one brand cannot issue under another brand's name.
        await voucher.registerBrand("Walmart", "supermarket", "USD", other.address);
        await voucher.setDenominations(3n, [], MAX_FACE_VALUE);
        await expect(voucher.connect(issuer).issue(issuer.address, 3n, 2_500n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "NotIssuer")
          .withArgs(issuer.address, 3n);
      });
    });

    describe("when the brand, face value or expiry is invalid", function () {
      it("reverts with UnknownBrand, InvalidFaceValue, FaceValueNotAllowed or InvalidExpiry", async function () {
        const { voucher, issuer, expiresAt } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).issue(issuer.address, 2n, MAX_FACE_VALUE + 1n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "FaceValueNotAllowed")
          .withArgs(2n, MAX_FACE_VALUE + 1n);
        await expect(voucher.connect(issuer).issue(issuer.address, 7n, 2_500n, expiresAt))
          .to.be.revertedWithCustomError(voucher, "UnknownBrand")
          .withArgs(7n);
        await expect(voucher.connect(issuer).issue(issuer.address, 2n, 0n, expiresAt)).to.be.revertedWithCustomError(
          voucher,
          "InvalidFaceValue",
        );
        const past = BigInt(await time.latest());
        await expect(voucher.connect(issuer).issue(issuer.address, 2n, 2_500n, past))
          .to.be.revertedWithCustomError(voucher, "InvalidExpiry")
          .withArgs(past);
      });
    });
  });

  describe("redeem", function () {
    describe("when the owner redeems before expiry", function () {
      it("burns the voucher and emits Redeemed", async function () {
        const { voucher, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(seller).redeem(tokenId))
          .to.emit(voucher, "Redeemed")
          .withArgs(tokenId, seller.address, 1n, 50_000n)
          .and.to.emit(voucher, "Transfer")
          .withArgs(seller.address, ETH, tokenId);
        await expect(voucher.ownerOf(tokenId))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(tokenId);
        await expect(voucher.voucher(tokenId))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(tokenId);
        expect(await voucher.balanceOf(seller.address)).to.equal(0n);
        expect(await voucher.totalMinted()).to.equal(1n);
      });

      it("works one second before expiry", async function () {
        const { voucher, seller, tokenId, expiresAt } = await loadFixture(voucherTokenFixture);
        await time.setNextBlockTimestamp(expiresAt - 1n);
        await expect(voucher.connect(seller).redeem(tokenId)).to.emit(voucher, "Redeemed");
      });
    });

    describe("when the caller does not own the voucher", function () {
      it("reverts with NotVoucherOwner, even for an approved operator", async function () {
        const { voucher, seller, other, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(other).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(other.address, tokenId);
        await voucher.connect(seller).approve(other.address, tokenId);
        await expect(voucher.connect(other).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(other.address, tokenId);
      });
    });

    describe("when the voucher is listed on the exchange", function () {
      it("reverts with NotVoucherOwner: the exchange holds it", async function () {
        const { voucher, seller, tokenId, list } = await loadFixture(voucherTokenFixture);
        await list(tokenId, 100_000n);
        await expect(voucher.connect(seller).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(seller.address, tokenId);
      });
    });

    describe("when the voucher was already redeemed or never existed", function () {
      it("reverts with NotVoucherOwner", async function () {
        const { voucher, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.connect(seller).redeem(tokenId);
        await expect(voucher.connect(seller).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(seller.address, tokenId);
        await expect(voucher.connect(seller).redeem(99n))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(seller.address, 99n);
      });
    });

    describe("when the voucher has expired", function () {
      it("reverts with VoucherExpired at the expiry second and after", async function () {
        const { voucher, seller, tokenId, expiresAt } = await loadFixture(voucherTokenFixture);
        await time.setNextBlockTimestamp(expiresAt);
        await expect(voucher.connect(seller).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "VoucherExpired")
          .withArgs(tokenId, expiresAt);
        await time.increaseTo(expiresAt + BigInt(DAY));
        await expect(voucher.connect(seller).redeem(tokenId))
          .to.be.revertedWithCustomError(voucher, "VoucherExpired")
          .withArgs(tokenId, expiresAt);
      });
    });
  });

  describe("sealCode", function () {
    describe("when the owner re-seals a coded voucher's code", function () {
      it("emits CodeSealed with the new sealed code", async function () {
        const { voucher, seller, buyer, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(seller).sealCode(tokenId, "0xabcdef"))
          .to.emit(voucher, "CodeSealed")
          .withArgs(tokenId, seller.address, "0xabcdef");
        await voucher.connect(seller).transferFrom(seller.address, buyer.address, tokenId);
        await expect(voucher.connect(buyer).sealCode(tokenId, "0x0102"))
          .to.emit(voucher, "CodeSealed")
          .withArgs(tokenId, buyer.address, "0x0102");
      });
    });

    describe("when the caller does not own the voucher", function () {
      it("reverts with NotVoucherOwner", async function () {
        const { voucher, seller, buyer, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(buyer).sealCode(tokenId, "0x01"))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(buyer.address, tokenId);
        await voucher.connect(seller).transferFrom(seller.address, buyer.address, tokenId);
        await expect(voucher.connect(seller).sealCode(tokenId, "0x01"))
          .to.be.revertedWithCustomError(voucher, "NotVoucherOwner")
          .withArgs(seller.address, tokenId);
      });
    });

    describe("when the voucher is issuer-backed", function () {
      it("reverts with NoCode", async function () {
        const { voucher, seller, issueBacked } = await loadFixture(voucherTokenFixture);
        const id = await issueBacked(seller);
        await expect(voucher.connect(seller).sealCode(id, "0x01"))
          .to.be.revertedWithCustomError(voucher, "NoCode")
          .withArgs(id);
      });
    });
  });

  describe("attest", function () {
    describe("when the brand's issuer attests a coded voucher at its face value", function () {
      it("marks it attested and emits VoucherAttested; the mark travels with the voucher", async function () {
        const { voucher, issuer, seller, buyer, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n))
          .to.emit(voucher, "VoucherAttested")
          .withArgs(tokenId, issuer.address, 50_000n);
        expect((await voucher.voucher(tokenId)).attested).to.equal(true);
        await voucher.connect(seller).transferFrom(seller.address, buyer.address, tokenId);
        expect((await voucher.voucher(tokenId)).attested).to.equal(true);
      });

      it("also works while the voucher is listed (the exchange holds it)", async function () {
        const { voucher, exchange, issuer, tokenId, list } = await loadFixture(voucherTokenFixture);
        await list(tokenId, 100_000n);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n)).to.emit(voucher, "VoucherAttested");
        const [view] = await exchange.activeListings(1n, 1n);
        expect([view.tokenId, view.attested]).to.deep.equal([tokenId, true]);
      });
    });

    describe("when the caller is not the voucher's brand issuer", function () {
      it("reverts with NotIssuer, for the owner, the holder and another brand's issuer", async function () {
        const { voucher, owner, seller, other, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.registerBrand("Walmart", "supermarket", "USD", other.address);
        for (const who of [owner, seller, other]) {
          await expect(voucher.connect(who).attest(tokenId, 50_000n))
            .to.be.revertedWithCustomError(voucher, "NotIssuer")
            .withArgs(who.address, 1n);
        }
      });
    });

    describe("when the voucher is issuer-backed", function () {
      it("reverts with NoCode: only self-declared cards need an attestation", async function () {
        const { voucher, issuer, issueBacked } = await loadFixture(voucherTokenFixture);
        const id = await issueBacked();
        await expect(voucher.connect(issuer).attest(id, 2_500n))
          .to.be.revertedWithCustomError(voucher, "NoCode")
          .withArgs(id);
      });
    });

    describe("when the face value differs from the voucher's", function () {
      it("reverts with FaceValueMismatch and the attested value", async function () {
        const { voucher, issuer, tokenId } = await loadFixture(voucherTokenFixture);
        for (const faceValue of [0n, 49_999n, 50_001n]) {
          await expect(voucher.connect(issuer).attest(tokenId, faceValue))
            .to.be.revertedWithCustomError(voucher, "FaceValueMismatch")
            .withArgs(tokenId, faceValue);
        }
        expect((await voucher.voucher(tokenId)).attested).to.equal(false);
      });
    });

    describe("when the voucher is already attested", function () {
      it("reverts with AttestationUnchanged(true)", async function () {
        const { voucher, issuer, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.connect(issuer).attest(tokenId, 50_000n);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n))
          .to.be.revertedWithCustomError(voucher, "AttestationUnchanged")
          .withArgs(tokenId, true);
      });
    });

    describe("when the voucher's code was disclosed in a dispute", function () {
      it("reverts with CodeWasDisclosed", async function () {
        const { voucher, exchange, issuer, buyer, seller, arbiter, tokenId, list, dispute } =
          await loadFixture(voucherTokenFixture);
        const id = await list(tokenId, 100_000n);
        await exchange.connect(buyer).buy(id, 100_000n, ETH, randomKey(), { value: 100_000n });
        await exchange.connect(seller).deliverCode(id, "0xc0de");
        await (
          await dispute(id)
        ).tx;
        await exchange.connect(arbiter).resolve(id, true);
        expect((await exchange.trade(id)).status).to.equal(Status.Refunded);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n))
          .to.be.revertedWithCustomError(voucher, "CodeWasDisclosed")
          .withArgs(tokenId);
      });
    });

    describe("when the voucher does not exist", function () {
      it("reverts with ERC721NonexistentToken, also once redeemed", async function () {
        const { voucher, issuer, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).attest(9n, 50_000n))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(9n);
        await voucher.connect(seller).redeem(tokenId);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(tokenId);
      });
    });
  });

  describe("revokeAttestation", function () {
    describe("when the brand's issuer withdraws an attestation", function () {
      it("clears the mark, emits AttestationRevoked and can attest again later", async function () {
        const { voucher, issuer, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.connect(issuer).attest(tokenId, 50_000n);
        await expect(voucher.connect(issuer).revokeAttestation(tokenId))
          .to.emit(voucher, "AttestationRevoked")
          .withArgs(tokenId, issuer.address);
        expect((await voucher.voucher(tokenId)).attested).to.equal(false);
        await expect(voucher.connect(issuer).attest(tokenId, 50_000n)).to.emit(voucher, "VoucherAttested");
      });
    });

    describe("when the voucher is not attested", function () {
      it("reverts with AttestationUnchanged(false)", async function () {
        const { voucher, issuer, tokenId } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).revokeAttestation(tokenId))
          .to.be.revertedWithCustomError(voucher, "AttestationUnchanged")
          .withArgs(tokenId, false);
      });
    });

    describe("when the caller is not the voucher's brand issuer", function () {
      it("reverts with NotIssuer", async function () {
        const { voucher, issuer, owner, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.connect(issuer).attest(tokenId, 50_000n);
        for (const who of [owner, seller]) {
          await expect(voucher.connect(who).revokeAttestation(tokenId))
            .to.be.revertedWithCustomError(voucher, "NotIssuer")
            .withArgs(who.address, 1n);
        }
      });
    });

    describe("when the voucher does not exist", function () {
      it("reverts with ERC721NonexistentToken", async function () {
        const { voucher, issuer } = await loadFixture(voucherTokenFixture);
        await expect(voucher.connect(issuer).revokeAttestation(9n))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(9n);
      });
    });
  });

  describe("markDisclosed", function () {
    describe("when the exchange marks a voucher", function () {
      it("sets disclosed and emits CodeDisclosed", async function () {
        const { voucher, exchange, tokenId } = await loadFixture(voucherTokenFixture);
        const exchangeAddress = await exchange.getAddress();
        await networkHelpers.setBalance(exchangeAddress, ethers.parseEther("1"));
        const asExchange = await ethers.getImpersonatedSigner(exchangeAddress);
        await expect(voucher.connect(asExchange).markDisclosed(tokenId))
          .to.emit(voucher, "CodeDisclosed")
          .withArgs(tokenId);
        expect((await voucher.voucher(tokenId)).disclosed).to.equal(true);
      });
    });

    describe("when the caller is not the exchange", function () {
      it("reverts with NotExchange, for the owner, the issuer and the holder", async function () {
        const { voucher, owner, issuer, seller, tokenId } = await loadFixture(voucherTokenFixture);
        for (const who of [owner, issuer, seller]) {
          await expect(voucher.connect(who).markDisclosed(tokenId))
            .to.be.revertedWithCustomError(voucher, "NotExchange")
            .withArgs(who.address);
        }
        expect((await voucher.voucher(tokenId)).disclosed).to.equal(false);
      });
    });

    describe("when no exchange was ever set", function () {
      it("reverts with NotExchange", async function () {
        const { owner, seller } = await loadFixture(voucherTokenFixture);
        const fresh = await ethers.deployContract("VoucherToken", [owner.address]);
        await expect(fresh.connect(seller).markDisclosed(1n))
          .to.be.revertedWithCustomError(fresh, "NotExchange")
          .withArgs(seller.address);
      });
    });
  });

  describe("cardToken", function () {
    describe("when a card number was never minted", function () {
      it("returns zero", async function () {
        const { voucher, card, firstCard } = await loadFixture(voucherTokenFixture);
        expect(await voucher.cardToken(1n, card(99))).to.equal(0n);
        expect(await voucher.cardToken(2n, firstCard)).to.equal(0n);
        expect(await voucher.cardToken(1n, firstCard)).to.equal(1n);
      });
    });
  });

  describe("voucher", function () {
    describe("when the token does not exist", function () {
      it("reverts with ERC721NonexistentToken", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        await expect(voucher.voucher(2n)).to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken").withArgs(2n);
      });
    });
  });

  describe("brand", function () {
    describe("when the id is not registered", function () {
      it("reverts with UnknownBrand", async function () {
        const { voucher } = await loadFixture(voucherTokenFixture);
        await expect(voucher.brand(0n)).to.be.revertedWithCustomError(voucher, "UnknownBrand").withArgs(0n);
        await expect(voucher.brand(3n)).to.be.revertedWithCustomError(voucher, "UnknownBrand").withArgs(3n);
      });
    });

    describe("when the id is registered", function () {
      it("returns the fixture's brand record", async function () {
        const { voucher, issuer } = await loadFixture(voucherTokenFixture);
        const b = await voucher.brand(1n);
        expect([b.issuer, b.active, b.name, b.category, b.currency]).to.deep.equal([
          issuer.address,
          true,
          "JD E-Card",
          "e-commerce",
          "CNY",
        ]);
      });
    });
  });

  describe("tokenURI", function () {
    describe("for a coded voucher", function () {
      it("is base64 JSON naming the brand, value and id, with attributes and an SVG card", async function () {
        const { voucher, seller } = await loadFixture(voucherTokenFixture);
        const expiry = 1_835_481_599n; // 2028-02-29T23:59:59Z, a leap day one second before midnight
        await voucher
          .connect(seller)
          .mint(1n, 50_000n, expiry, cardHash(1n, "JD-URI"), codeHash("x", randomSalt()), SEALED);
        const { json, svg } = decodeTokenURI(await voucher.tokenURI(2n));
        expect(json.name).to.equal("JD E-Card 500.00 CNY #2");
        expect(json.description).to.equal("Kaquan voucher: Coded e-commerce card.");
        expect(json.attributes).to.deep.equal([
          { trait_type: "Brand", value: "JD E-Card" },
          { trait_type: "Category", value: "e-commerce" },
          { trait_type: "Currency", value: "CNY" },
          { trait_type: "Face value", display_type: "number", value: 50_000 },
          { trait_type: "Expires", display_type: "date", value: 1_835_481_599 },
          { trait_type: "Kind", value: "Coded" },
        ]);
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
        expect(svg.endsWith("</svg>")).to.equal(true);
        expect(svg).to.contain(">JD E-Card</text>");
        expect(svg).to.contain(">e-commerce</text>");
        expect(svg).to.contain(">500.00 CNY</text>");
        expect(svg).to.contain(">Expires 2028-02-29</text>");
        expect(svg).to.contain(">Coded</text>");
      });
    });

    describe("for an issuer-backed voucher", function () {
      it("says Issuer-backed and formats cents and dates exactly", async function () {
        const { voucher, issuer, buyer } = await loadFixture(voucherTokenFixture);
        const cases: [bigint, bigint, string, string][] = [
          [2_500n, 4_102_358_400n, "25.00 USD", "2099-12-31"],
          [12_345n, 4_107_585_600n, "123.45 USD", "2100-03-01"], // 2100 is not a leap year
          [105n, 1_940_918_400n, "1.05 USD", "2031-07-04"],
          [7n, 1_940_918_400n, "0.07 USD", "2031-07-04"],
        ];
        for (const [faceValue, expiry, value, date] of cases) {
          await voucher.connect(issuer).issue(buyer.address, 2n, faceValue, expiry);
          const id = await voucher.totalMinted();
          const { json, svg } = decodeTokenURI(await voucher.tokenURI(id));
          expect(json.name).to.equal(`Starbucks ${value} #${id}`);
          expect(json.description).to.equal("Kaquan voucher: Issuer-backed coffee card.");
          expect(json.attributes[3]).to.deep.equal({
            trait_type: "Face value",
            display_type: "number",
            value: Number(faceValue),
          });
          expect(json.attributes[5]).to.deep.equal({ trait_type: "Kind", value: "Issuer-backed" });
          expect(svg).to.contain(`>${value}</text>`);
          expect(svg).to.contain(`>Expires ${date}</text>`);
          expect(new Date(Number(expiry) * 1000).toISOString().slice(0, 10)).to.equal(date);
          expect(svg).to.contain(">Issuer-backed</text>");
        }
      });
    });

    describe("for a brand with a CJK name", function () {
      it("carries the UTF-8 text through JSON and SVG intact", async function () {
        const { voucher, other, buyer, expiresAt } = await loadFixture(voucherTokenFixture);
        await voucher.registerBrand("京东E卡", "电商", "CNY", other.address);
        await voucher.setDenominations(3n, [10_000n, 50_000n, 100_000n], 0n);
        await voucher.connect(other).issue(buyer.address, 3n, 100_000n, expiresAt);
        const { json, svg } = decodeTokenURI(await voucher.tokenURI(2n));
        expect(json.name).to.equal("京东E卡 1000.00 CNY #2");
        expect(svg).to.contain(">京东E卡</text>");
        expect(svg).to.contain(">电商</text>");
      });
    });

    describe("when the token does not exist", function () {
      it("reverts with ERC721NonexistentToken", async function () {
        const { voucher, seller, tokenId } = await loadFixture(voucherTokenFixture);
        await voucher.connect(seller).redeem(tokenId);
        await expect(voucher.tokenURI(tokenId))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(tokenId);
      });
    });
  });

  describe("transferOwnership", function () {
    describe("when the owner hands over in two steps", function () {
      it("moves brand curation to the new owner only after acceptOwnership", async function () {
        const { voucher, owner, other } = await loadFixture(voucherTokenFixture);
        await expect(voucher.transferOwnership(other.address))
          .to.emit(voucher, "OwnershipTransferStarted")
          .withArgs(owner.address, other.address);
        expect(await voucher.owner()).to.equal(owner.address);
        await expect(voucher.connect(other).acceptOwnership())
          .to.emit(voucher, "OwnershipTransferred")
          .withArgs(owner.address, other.address);
        await expect(voucher.setBrandActive(1n, false))
          .to.be.revertedWithCustomError(voucher, "OwnableUnauthorizedAccount")
          .withArgs(owner.address);
        await expect(voucher.connect(other).setBrandActive(1n, false)).to.emit(voucher, "BrandStatusChanged");
      });
    });
  });
});
