// Hardhat 3 needs Node >= 22.13 and EDR's native binding. The `node@22` devDependency puts Node 22 first
// on PATH for npm scripts, but npm itself may run on an older system Node that skips the binding package
// (its `engines` says node >= 22), so this re-runs npm's own install once on Node 22 when the binding is missing.
const { spawnSync } = require("node:child_process");

function bindingLoads() {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (bindingLoads()) process.exit(0);
if (process.env.KAQUAN_ENSURE_NATIVE) {
  console.error("ensure-native: @nomicfoundation/edr still does not load after a reinstall");
  process.exit(1);
}
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`ensure-native: running on Node ${process.version}; expected the node@22 devDependency on PATH`);
  process.exit(1);
}
const npmCli = process.env.npm_execpath;
if (!npmCli) {
  console.error("ensure-native: run through npm (npm install / npm test)");
  process.exit(1);
}
console.log(`ensure-native: installing Hardhat's native binding on Node ${process.version}`);
const result = spawnSync(process.execPath, [npmCli, "install", "--no-save", "--no-audit", "--no-fund"], {
  stdio: "inherit",
  env: { ...process.env, KAQUAN_ENSURE_NATIVE: "1" },
});
process.exit(result.status ?? 1);
