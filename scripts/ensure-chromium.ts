/**
 * The browser tests drive the system Chromium (/usr/bin/chromium) through playwright-core; no browser is ever
 * downloaded. Run before `npm run test:e2e`: on a fresh Debian/Ubuntu machine (CI runs as root) it installs the
 * distribution's `chromium` package; anywhere else it stops with what to do.
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

function fail(message: string): never {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = existsSync("/usr/bin/apt-get");
  if (!hasApt || !isRoot) {
    fail(
      `${CHROMIUM} is missing. Install Chromium (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) and run the ` +
        "e2e tests again.",
    );
  }
  console.log(`ensure-chromium: ${CHROMIUM} is missing; installing the distribution's chromium package…`);
  try {
    execSync("apt-get update && apt-get install -y chromium", {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch {
    fail("`apt-get install -y chromium` failed; install Chromium by hand and run the e2e tests again.");
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} is still missing.`);
}
const version = execSync(`${CHROMIUM} --version`, { stdio: ["ignore", "pipe", "ignore"] });
console.log(`ensure-chromium: ${version.toString().trim()}`);
