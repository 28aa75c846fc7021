/**
 * A tiny hash router (#/market, #/voucher/12, #/market?brand=1&sort=face): static hosting needs no server rewrites,
 * and a page's query (the market's filters, the wallet's tab) is part of the link a person shares.
 */
import { useCallback, useEffect, useState } from "react";
import { parseHash, type Route } from "../lib/route.ts";

export { parseHash, type Route } from "../lib/route.ts";

/** Fired when a page rewrites its own query (history.replaceState fires no hashchange). */
const QUERY_EVENT = "kaquan:query";

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => {
      const next = parseHash(window.location.hash);
      setRoute((previous) => {
        // A new page starts at the top; a new query on the same page keeps the scroll position.
        if (previous.page !== next.page || previous.params.join("/") !== next.params.join("/")) window.scrollTo(0, 0);
        return next;
      });
    };
    const onQuery = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    window.addEventListener(QUERY_EVENT, onQuery);
    return () => {
      window.removeEventListener("hashchange", onHashChange);
      window.removeEventListener(QUERY_EVENT, onQuery);
    };
  }, []);
  return route;
}

/** Replaces the current page's query without a new history entry (typing in a filter is not a navigation). */
export function useSetQuery(): (query: URLSearchParams) => void {
  return useCallback((query: URLSearchParams) => {
    const { page, params } = parseHash(window.location.hash);
    const search = query.toString();
    const hash = `#/${[page, ...params].join("/")}${search ? `?${search}` : ""}`;
    if (hash === window.location.hash) return;
    window.history.replaceState(
      window.history.state,
      "",
      `${window.location.pathname}${window.location.search}${hash}`,
    );
    window.dispatchEvent(new Event(QUERY_EVENT));
  }, []);
}

export const href = (...parts: (string | number | bigint)[]) => `#/${parts.map(String).join("/")}`;
