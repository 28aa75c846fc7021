/**
 * `npm run lint:imports`: dependencies run one way, contracts → sdk → frontend, scripts, tests.
 *   - sdk/ imports only itself and framework-free packages (viem, @noble): no app, no scripts, no React/wagmi, no
 *     Node built-ins (its unit tests may use Node and test libraries);
 *   - nothing in scripts/ or test/ imports frontend/;
 *   - nothing in frontend/src imports scripts/ (import.meta.glob patterns included);
 *   - indexer/ imports the SDK and packages only: no app, no scripts (its tests may use scripts/lib).
 * Reads every import, export-from, dynamic import() and import.meta.glob specifier of the TypeScript sources.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/deployments.js";

/** Crossings that exist in files this check's owners do not edit, each with why it is still there. */
const KNOWN: Record<string, string> = {};

const SDK_PACKAGES = /^(viem|viem\/.*|@noble\/.*)$/;
const TEST_PACKAGES = /^(chai|mocha|ethers|node:.*)$/;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.parentPath.includes(`${path.sep}.ponder`))
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /import\.meta\.glob[^(]{0,300}\(\s*["']([^"']+)["']/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The repo-relative path a specifier points at, "#sdk" as sdk/, or undefined for a package. */
function target(file: string, specifier: string): string | undefined {
  if (specifier === "#sdk" || specifier.startsWith("#sdk/")) return "sdk/index.ts";
  if (!specifier.startsWith(".")) return undefined;
  return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier));
}

const problems: string[] = [];
const seenKnown = new Set<string>();
for (const file of ["sdk", "scripts", "test", "frontend/src", "frontend/e2e", "indexer"].flatMap(sources)) {
  const inSdk = file.startsWith("sdk/");
  const isTest = /\.test\.ts$/.test(file);
  for (const specifier of specifiers(readFileSync(path.join(ROOT, file), "utf8"))) {
    const to = target(file, specifier);
    const crossing = `${file} -> ${to ?? specifier}`;
    let why: string | undefined;
    if (inSdk) {
      if (to === undefined && !SDK_PACKAGES.test(specifier) && !(isTest && TEST_PACKAGES.test(specifier))) {
        why = "the SDK is framework-free: viem and @noble only";
      } else if (to !== undefined && !to.startsWith("sdk/")) why = "the SDK imports nothing outside sdk/";
      else if (specifier.startsWith("#sdk") && !file.startsWith("sdk/examples/"))
        why = "inside sdk/, import relatively";
    } else if (
      (file.startsWith("scripts/") || file.startsWith("test/") || file.startsWith("indexer/test/")) &&
      to?.startsWith("frontend/")
    ) {
      why = "scripts and tests do not import the app: take it from the SDK";
    } else if (
      file.startsWith("indexer/") &&
      !file.startsWith("indexer/test/") &&
      to !== undefined &&
      !to.startsWith("indexer/") &&
      !to.startsWith("sdk/")
    ) {
      why = "the indexer reads the SDK only: no app, no scripts";
    } else if (file.startsWith("frontend/src/") && to?.startsWith("scripts/")) {
      why = "the app does not import scripts/";
    }
    if (why === undefined) continue;
    if (KNOWN[crossing] !== undefined) seenKnown.add(crossing);
    else problems.push(`${crossing}: ${why}`);
  }
}
for (const crossing of Object.keys(KNOWN)) {
  if (!seenKnown.has(crossing)) problems.push(`${crossing} is gone: remove it from KNOWN in scripts/check-imports.ts`);
}
if (problems.length > 0) {
  console.error(`Imports against the dependency direction (contracts → sdk → frontend, scripts, tests):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`Imports run one way (${Object.keys(KNOWN).length} known exception: ${Object.keys(KNOWN).join("; ")}).`);
