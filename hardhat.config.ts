import { globSync } from "node:fs";
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The npm `solc` (soljson) compiles offline: no compiler download at run time.
const solc = { version: "0.8.28", path: require.resolve("solc/soljson.js") };
const testCompiler = { ...solc, settings: { evmVersion: "cancun", optimizer: { enabled: false } } };

// KAQUAN_FUZZ_SCALE=10 runs ten times the fuzz and invariant work of the default test command.
const fuzzScale = Number(process.env.KAQUAN_FUZZ_SCALE ?? "1");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    compilers: [{ ...solc, settings: { evmVersion: "cancun", viaIR: true, optimizer: { enabled: true, runs: 200 } } }],
    // Solidity tests compile without viaIR or the optimizer (10-15 s less each with solc-js); they deploy the
    // contracts from their viaIR artifacts (vm.getCode), so they still exercise the bytecode that ships.
    overrides: Object.fromEntries(globSync("test/**/*.sol").map((file) => [file, testCompiler])),
  },
  coverage: { skipFiles: ["contracts/mocks/**"] },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    solidity: {
      fuzz: { runs: 5000 * fuzzScale },
      invariant: { runs: 256 * fuzzScale, depth: 100, failOnRevert: false },
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // The node `npm start` runs. Its clock starts at KAQUAN_NODE_START_DATE (ISO-8601, set by scripts/start.ts two
    // weeks back) so the demo seed can lay down a market history that ends now; unset, it starts now.
    demoNode: { type: "edr-simulated", chainType: "l1", initialDate: process.env.KAQUAN_NODE_START_DATE },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Public test chains. URLs and keys are configuration variables: `npx hardhat keystore set SEPOLIA_RPC_URL` (or
    // the same-named environment variable); nothing secret lives in the repo. See docs/deploy.md.
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY")],
    },
  },
});
