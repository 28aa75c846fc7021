/**
 * Coverage gate for `npm run test:contracts`: reads what `hardhat test --coverage` left in coverage/ and fails unless
 * the production contracts (contracts/, without mocks/ and interfaces without code) have 100% of lines and at least
 * 95% of branches covered. Prints lines, statements and branches per contract.
 *
 * Lines come from coverage/lcov.info. Hardhat 3.17's lcov has no branch records (BRDA/BRF/BRH: EDR reports statements
 * only), so branches are derived here from statement hits: the sources are re-instrumented with EDR's own
 * `addStatementCoverageInstrumentation` (deterministic tags, the same ones the test run recorded in
 * coverage/data/<run>/*.json) and matched against every `if` in the solc AST:
 * - the `true` branch is taken when any statement inside its body ran;
 * - an `else` branch is taken when any statement inside it ran; an implicit `else` (no else clause) is taken when the
 *   `if` ran in more recorded executions than its body, or when the body always exits (revert, return, break,
 *   continue) and the statement right after the `if` ran, which is reachable only through the false condition.
 * Conditional expressions (`a ? b : c`) hold no statement, so they are listed as not measurable and left out.
 *
 * Usage: `tsx scripts/coverage-gate.ts [--lines 100] [--branches 95]`.
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { addStatementCoverageInstrumentation } = require("@nomicfoundation/edr") as {
  addStatementCoverageInstrumentation: (
    source: string,
    sourceId: string,
    solcVersion: string,
  ) => { metadata: { kind: string; tag: Uint8Array; startUtf16: number; endUtf16: number }[] };
};
const solc = require("solc") as { compile: (input: string) => string; version: () => string };

const ROOT = process.cwd();
const COVERAGE = path.join(ROOT, "coverage");
const LCOV = path.join(COVERAGE, "lcov.info");
const EXCLUDED = [/^contracts\/mocks\//, /^test\//];
const STALE_MS = 15 * 60 * 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const MIN_LINES = arg("lines", 100);
const MIN_BRANCHES = arg("branches", 95);

interface Range {
  start: number;
  end: number;
}
interface Statement extends Range {
  tag: string;
}
interface AstNode {
  nodeType: string;
  src: string;
  [key: string]: unknown;
}
interface Branch {
  line: number;
  kind: "if" | "else" | "implicit else";
  taken: boolean;
}
interface FileReport {
  file: string;
  linesHit: number;
  linesFound: number;
  uncoveredLines: number[];
  statementsHit: number;
  statementsFound: number;
  branches: Branch[];
  conditionals: number;
}

// ─── Inputs ──────────────────────────────────────────────────────────────────────────────────────────────────────

function readLcov(): Map<string, { hit: Set<number>; missed: Set<number> }> {
  if (!existsSync(LCOV)) throw new Error(`${LCOV} not found: run \`hardhat test --coverage\` first`);
  const files = new Map<string, { hit: Set<number>; missed: Set<number> }>();
  let current: { hit: Set<number>; missed: Set<number> } | undefined;
  for (const line of readFileSync(LCOV, "utf8").split("\n")) {
    if (line.startsWith("SF:")) {
      current = { hit: new Set(), missed: new Set() };
      files.set(line.slice(3).replaceAll("\\", "/"), current);
    } else if (line.startsWith("DA:") && current) {
      const [lineNo, count] = line.slice(3).split(",").map(Number);
      (count > 0 ? current.hit : current.missed).add(lineNo);
    }
  }
  return files;
}

/** Hit counts per statement tag, summed over every run recorded with (not long before) this lcov report. */
function readHits(): Map<string, number> {
  const hits = new Map<string, number>();
  const reportTime = statSync(LCOV).mtimeMs;
  const dataDir = path.join(COVERAGE, "data");
  for (const run of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    for (const file of readdirSync(path.join(dataDir, run))) {
      const full = path.join(dataDir, run, file);
      if (reportTime - statSync(full).mtimeMs > STALE_MS) {
        console.warn(`coverage-gate: ignoring stale coverage data ${path.relative(ROOT, full)}`);
        continue;
      }
      for (const [tag, count] of Object.entries(JSON.parse(readFileSync(full, "utf8")) as Record<string, number>)) {
        hits.set(tag, (hits.get(tag) ?? 0) + count);
      }
    }
  }
  if (hits.size === 0) throw new Error("no coverage data under coverage/data: run `hardhat test --coverage` first");
  return hits;
}

/** The statements EDR instruments in `source`, with their ranges trimmed of surrounding whitespace. */
function statements(file: string, source: string): Statement[] {
  const version = solc.version().split("+")[0];
  const { metadata } = addStatementCoverageInstrumentation(source, `project/${file}`, version);
  return metadata
    .filter((m) => m.kind === "statement")
    .map((m) => {
      let start = m.startUtf16;
      let end = m.endUtf16;
      while (start < end && /\s/.test(source[start])) start++;
      while (end > start && /\s/.test(source[end - 1])) end--;
      return { tag: Buffer.from(m.tag).toString("hex"), start, end };
    });
}

function parse(file: string, source: string): AstNode {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { [file]: { content: source } },
        settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
      }),
    ),
  ) as { sources?: Record<string, { ast: AstNode }>; errors?: { severity: string; message: string }[] };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0 || !output.sources) throw new Error(`cannot parse ${file}: ${errors[0]?.message}`);
  return output.sources[file].ast;
}

// ─── Branches ────────────────────────────────────────────────────────────────────────────────────────────────────

function analyse(file: string, lcov: { hit: Set<number>; missed: Set<number> }, hits: Map<string, number>) {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  const stmts = statements(file, source);
  // solc's `src` offsets count UTF-8 bytes; the instrumentation's count UTF-16 units.
  const utf16At: number[] = [];
  let unit = 0;
  for (const char of source) {
    const bytes = Buffer.byteLength(char, "utf8");
    for (let b = 0; b < bytes; b++) utf16At.push(unit);
    unit += char.length;
  }
  utf16At.push(unit);
  const rangeOf = (node: AstNode): Range => {
    const [offset, length] = node.src.split(":").map(Number);
    return { start: utf16At[offset], end: utf16At[offset + length] };
  };
  const lineOf = (index: number) => source.slice(0, index).split("\n").length;
  // A statement belongs to a body when it starts inside it (solc's ranges can stop short of the final `;`).
  const inside = (r: Range) => stmts.filter((s) => s.start >= r.start && s.start < r.end);
  const countOf = (s: Statement | undefined) => (s ? (hits.get(s.tag) ?? 0) : 0);
  const anyHit = (r: Range) => inside(r).some((s) => countOf(s) > 0);
  const statementAt = (r: Range) =>
    stmts.filter((s) => s.start === r.start).sort((a, b) => b.end - b.start - (a.end - a.start))[0];

  const branches: Branch[] = [];
  let conditionals = 0;

  const exits = (node: AstNode | undefined): boolean => {
    if (!node) return false;
    switch (node.nodeType) {
      case "Return":
      case "RevertStatement":
      case "Break":
      case "Continue":
        return true;
      case "Block":
      case "UncheckedBlock": {
        const list = node.statements as AstNode[];
        return list.length > 0 && exits(list[list.length - 1]);
      }
      case "IfStatement":
        return exits(node.trueBody as AstNode) && exits(node.falseBody as AstNode | undefined);
      case "ExpressionStatement": {
        const call = node.expression as AstNode;
        const callee = call.nodeType === "FunctionCall" ? (call.expression as AstNode) : undefined;
        return callee?.nodeType === "Identifier" && callee.name === "revert";
      }
      default:
        return false;
    }
  };

  const visit = (node: unknown, next?: AstNode): void => {
    if (Array.isArray(node)) {
      node.forEach((child) => visit(child));
      return;
    }
    if (!node || typeof node !== "object") return;
    const n = node as AstNode;
    if (n.nodeType === "Conditional") conditionals++;
    if (n.nodeType === "IfStatement") {
      const range = rangeOf(n);
      const trueBody = n.trueBody as AstNode;
      const falseBody = n.falseBody as AstNode | undefined;
      const line = lineOf(range.start);
      branches.push({ line, kind: "if", taken: anyHit(rangeOf(trueBody)) });
      if (falseBody) {
        branches.push({ line, kind: "else", taken: anyHit(rangeOf(falseBody)) });
      } else {
        const ifRuns = countOf(statementAt(range));
        const bodyRuns = Math.max(0, ...inside(rangeOf(trueBody)).map(countOf));
        const fellThrough = exits(trueBody) && next !== undefined && countOf(statementAt(rangeOf(next))) > 0;
        branches.push({ line, kind: "implicit else", taken: ifRuns > bodyRuns || fellThrough });
      }
    }
    for (const [key, value] of Object.entries(n)) {
      if ((key === "statements" || key === "nodes") && Array.isArray(value)) {
        value.forEach((child, i) => visit(child, value[i + 1] as AstNode | undefined));
      } else if (key !== "src") {
        visit(value);
      }
    }
  };
  visit(parse(file, source));

  return {
    file,
    linesHit: lcov.hit.size,
    linesFound: lcov.hit.size + lcov.missed.size,
    uncoveredLines: [...lcov.missed].sort((a, b) => a - b),
    statementsHit: stmts.filter((s) => countOf(s) > 0).length,
    statementsFound: stmts.length,
    branches,
    conditionals,
  } satisfies FileReport;
}

// ─── Report ──────────────────────────────────────────────────────────────────────────────────────────────────────

const pct = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);
const fmt = (hit: number, found: number) => `${pct(hit, found).toFixed(2).padStart(6)}% (${hit}/${found})`;

function main(): number {
  const lcov = readLcov();
  const hits = readHits();
  const reports: FileReport[] = [];
  for (const [file, lines] of [...lcov.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!file.startsWith("contracts/") || EXCLUDED.some((re) => re.test(file))) continue;
    if (lines.hit.size + lines.missed.size === 0) continue;
    reports.push(analyse(file, lines, hits));
  }
  if (reports.length === 0) throw new Error("lcov.info lists no production contract");

  console.log("\nCoverage gate (contracts/, mocks excluded)");
  console.log(`${"file".padEnd(32)} ${"lines".padEnd(20)} ${"statements".padEnd(20)} branches`);
  const total = { lh: 0, lf: 0, sh: 0, sf: 0, bh: 0, bf: 0, cond: 0 };
  for (const r of reports) {
    const taken = r.branches.filter((b) => b.taken).length;
    console.log(
      `${r.file.padEnd(32)} ${fmt(r.linesHit, r.linesFound).padEnd(20)} ` +
        `${fmt(r.statementsHit, r.statementsFound).padEnd(20)} ${fmt(taken, r.branches.length)}`,
    );
    if (r.uncoveredLines.length > 0) console.log(`  uncovered lines: ${r.uncoveredLines.join(", ")}`);
    const missed = r.branches.filter((b) => !b.taken).map((b) => `${b.line} (${b.kind})`);
    if (missed.length > 0) console.log(`  branches not taken: ${missed.join(", ")}`);
    if (r.conditionals > 0) console.log(`  ${r.conditionals} conditional expression(s) not measurable, left out`);
    total.lh += r.linesHit;
    total.lf += r.linesFound;
    total.sh += r.statementsHit;
    total.sf += r.statementsFound;
    total.bh += taken;
    total.bf += r.branches.length;
  }
  console.log(
    `${"total".padEnd(32)} ${fmt(total.lh, total.lf).padEnd(20)} ${fmt(total.sh, total.sf).padEnd(20)} ` +
      fmt(total.bh, total.bf),
  );

  const failures: string[] = [];
  for (const r of reports) {
    if (pct(r.linesHit, r.linesFound) < MIN_LINES) failures.push(`${r.file}: lines below ${MIN_LINES}%`);
  }
  if (pct(total.bh, total.bf) < MIN_BRANCHES) failures.push(`branches below ${MIN_BRANCHES}%`);
  if (failures.length > 0) {
    console.error(`\ncoverage-gate: FAILED — ${failures.join("; ")}`);
    return 1;
  }
  console.log(`\ncoverage-gate: passed (lines ≥ ${MIN_LINES}% per contract, branches ≥ ${MIN_BRANCHES}%)`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`coverage-gate: ${(error as Error).message}`);
  process.exitCode = 1;
}
