import { expect } from "chai";
import { readFileSync } from "node:fs";
import { ABIS_FILE, renderAbiModule } from "../../scripts/generate-abis.js";

describe("sdk/abis.ts", function () {
  it("matches the compiled contracts (after a contract change: npm run generate, and commit it)", function () {
    expect(readFileSync(ABIS_FILE, "utf8") === renderAbiModule(), "sdk/abis.ts is stale").to.equal(true);
  });
});
