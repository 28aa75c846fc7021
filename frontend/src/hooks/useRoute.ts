/** A tiny hash router (#/market, #/voucher/12): static hosting needs no server rewrites. */
import { useEffect, useState } from "react";

export interface Route {
  page: string;
  params: string[];
}

export function parseHash(hash: string): Route {
  const [page = "", ...params] = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  return { page: page || "market", params };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseHash(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export const href = (...parts: (string | number | bigint)[]) => `#/${parts.map(String).join("/")}`;
