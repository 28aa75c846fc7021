// Guards against the Wyvern/OpenSea phishing and signature-replay losses (Feb 2022, ~$1.7M of NFTs taken with old
// signed orders): Kaquan accepts no off-chain signed order, offer or permit, so there is no signature to replay.
// If one is ever added, this test fails on purpose until EIP-712 tests (chain id and contract in the domain,
// nonces, cancel, every field signed) take its place, as docs/security.md requires.
import { expect } from "chai";
import hre from "hardhat";

interface AbiParam {
  name: string;
  type: string;
  components?: AbiParam[];
}
interface AbiItem {
  type: string;
  name?: string;
  inputs?: AbiParam[];
  stateMutability?: string;
}

const SIGNATURE_NAME = /sig|signature|permit|nonce|deadline|v$|^r$|^s$|domain|eip712/i;

function flatten(params: AbiParam[] = []): AbiParam[] {
  return params.flatMap((p) => [p, ...flatten(p.components)]);
}

describe("Attack: signatures — no signed order, offer or permit exists to replay (Wyvern/OpenSea 2022)", function () {
  for (const contract of ["VoucherExchange", "VoucherToken"]) {
    it(`${contract} has no entry point that takes or verifies a signature`, async function () {
      const { abi } = (await hre.artifacts.readArtifact(contract)) as unknown as { abi: AbiItem[] };
      const writes = abi.filter(
        (item) => item.type === "function" && item.stateMutability !== "view" && item.stateMutability !== "pure",
      );
      expect(writes.length).to.be.greaterThan(10);
      const offenders = writes.flatMap((fn) =>
        flatten(fn.inputs)
          .filter((p) => SIGNATURE_NAME.test(p.name) || (p.type === "bytes" && /sig/i.test(p.name)))
          .map((p) => `${fn.name}(${p.type} ${p.name})`),
      );
      expect(offenders).to.deep.equal([]);
      const signatureFunctions = writes
        .map((fn) => fn.name ?? "")
        .filter((name) => /permit|signed|bySig|withSig|eip712|nonce/i.test(name));
      expect(signatureFunctions).to.deep.equal([]);
      expect(abi.some((item) => item.name === "eip712Domain" || item.name === "DOMAIN_SEPARATOR")).to.equal(false);
    });
  }

  it("every buy and every order step acts for msg.sender only (no `from`, `onBehalfOf` or `buyer` parameter)", async function () {
    const { abi } = (await hre.artifacts.readArtifact("VoucherExchange")) as unknown as { abi: AbiItem[] };
    const delegated = abi
      .filter((item) => item.type === "function" && item.stateMutability !== "view")
      .flatMap((fn) =>
        (fn.inputs ?? [])
          .filter((p) => /^(from|onBehalfOf|payer|buyer|seller|owner_?)$/i.test(p.name))
          .map((p) => `${fn.name}(${p.name})`),
      );
    // The one exception: `fundOffer` takes the payer because only the offers contract may call it (NotOffers), and
    // that contract passes its own caller, the recycler posting or topping up (VoucherOffers.test.ts checks the pull).
    expect(delegated).to.deep.equal(["fundOffer(from)"]);
  });
});
