/**
 * The catalogs stay complete: zh-CN and en have the same keys (plural forms aside: English has _one and _other,
 * Chinese only _other), the same {{placeholders}} in each sentence, no empty sentence, and every key the code names
 * literally exists.
 */
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import { normalizeLanguage, pickLanguage } from "./languages.ts";

type Catalog = { [key: string]: string | Catalog };

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/** Keys with plural suffixes folded: "market.count_one" and "market.count_other" → "market.count". */
function bases(flat: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of flat) {
    const base = key.replace(PLURAL, "");
    out.set(base, [...(out.get(base) ?? []), value]);
  }
  return out;
}

const placeholders = (sentences: string[]) =>
  [...new Set(sentences.flatMap((s) => [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1])))].sort();

const flatEn = flatten(en as Catalog);
const flatZh = flatten(zhCN as Catalog);
const baseEn = bases(flatEn);
const baseZh = bases(flatZh);

describe("catalogs", () => {
  it("zh-CN and en have the same keys", () => {
    const onlyEn = [...baseEn.keys()].filter((k) => !baseZh.has(k));
    const onlyZh = [...baseZh.keys()].filter((k) => !baseEn.has(k));
    expect({ onlyEn, onlyZh }).to.deep.equal({ onlyEn: [], onlyZh: [] });
  });

  it("have every plural form each language needs", () => {
    const plurals = [...flatEn.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, ""));
    for (const base of new Set(plurals)) {
      expect(flatEn.has(`${base}_one`) && flatEn.has(`${base}_other`), `${base} in en`).to.equal(true);
      expect(flatZh.has(`${base}_other`), `${base}_other in zh-CN`).to.equal(true);
    }
  });

  it("use the same placeholders in both languages", () => {
    const differ = [...baseEn.keys()]
      .filter((k) => baseZh.has(k))
      .filter((k) => placeholders(baseEn.get(k)!).join() !== placeholders(baseZh.get(k)!).join());
    expect(differ).to.deep.equal([]);
  });

  it("have no empty sentence", () => {
    const empty = [...flatEn, ...flatZh].filter(([, v]) => v.trim() === "").map(([k]) => k);
    expect(empty).to.deep.equal([]);
  });

  it("hold every key the code names literally", () => {
    const src = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !name.endsWith(".test.ts") && !full.includes("generated")) files.push(full);
      }
    };
    walk(src);
    const missing = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([\w.-]+)"/g)) {
        if (!baseEn.has(match[1]) && !flatEn.has(match[1])) missing.add(`${match[1]} (${path.relative(src, file)})`);
      }
    }
    expect([...missing]).to.deep.equal([]);
  });
});

describe("languages", () => {
  it("maps any Chinese to zh-CN and any English to en", () => {
    expect(normalizeLanguage("zh")).to.equal("zh-CN");
    expect(normalizeLanguage("zh-Hans-CN")).to.equal("zh-CN");
    expect(normalizeLanguage("zh-TW")).to.equal("zh-CN");
    expect(normalizeLanguage("en-GB")).to.equal("en");
    expect(normalizeLanguage("fr-FR")).to.equal("fr-FR");
  });
  it("picks the browser's first language the app speaks, else English", () => {
    expect(pickLanguage(["zh-CN", "en"])).to.equal("zh-CN");
    expect(pickLanguage(["fr", "zh"])).to.equal("zh-CN");
    expect(pickLanguage(["de", "en-US", "zh"])).to.equal("en");
    expect(pickLanguage(["ja"])).to.equal("en");
  });
});
