/** The app's address as a route: `#/market?brand=1&sort=face` → page "market", query brand=1&sort=face. Pure. */
export interface Route {
  page: string;
  params: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const [page = "", ...params] = path.split("/").filter(Boolean);
  return { page: page || "market", params, query: new URLSearchParams(search) };
}
