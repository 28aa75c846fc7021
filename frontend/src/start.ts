/**
 * The page's entry, kept small: it starts what the first screen waits on — the reader's catalog (i18n/boot.ts) and,
 * on the market, its first page from the indexer (features/market/firstPage.ts) — then loads the app (main.tsx). Both
 * requests run while the app's code (React, wagmi, viem: most of the bytes) downloads and is parsed, instead of after.
 */
import "./i18n/boot.ts";
import { askMarketFirstPage } from "./features/market/firstPage.ts";

performance.mark("kaquan:start");
askMarketFirstPage();
await import("./main.tsx");
