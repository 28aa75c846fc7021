/**
 * The referrer from a `?ref=` link, remembered in this browser so a purchase made later still credits the
 * distributor whose link brought the buyer (the latest link wins).
 */
import { useSyncExternalStore } from "react";
import type { Address } from "viem";
import { parseReferrer } from "../lib/referral.ts";

const STORAGE_KEY = "kaquan.referrer";
const listeners = new Set<() => void>();

function read(): Address | undefined {
  const fromUrl = parseReferrer(window.location.search);
  if (fromUrl) return fromUrl;
  return parseReferrer(`?ref=${window.localStorage.getItem(STORAGE_KEY) ?? ""}`);
}

/** Called once at start-up: stores a `?ref=` from the address bar. */
export function captureReferrer(): void {
  const fromUrl = parseReferrer(window.location.search);
  if (fromUrl) window.localStorage.setItem(STORAGE_KEY, fromUrl);
}

export function clearReferrer(): void {
  window.localStorage.removeItem(STORAGE_KEY);
  const url = new URL(window.location.href);
  url.searchParams.delete("ref");
  window.history.replaceState(null, "", url);
  listeners.forEach((listener) => listener());
}

export function useReferrer(): Address | undefined {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, read);
}
