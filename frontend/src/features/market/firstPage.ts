/**
 * The market's first page, asked of the indexer as the app starts (start.ts), while the rest of its code loads: the
 * view in the address, as the market page will ask for it before the chain's brands are read. Views whose query
 * depends on those brands (`needsBrands`) wait for them anyway and are not asked early.
 */
import { askFirstPage } from "../../chain/indexer.ts";
import { REF_RATES } from "../../config.ts";
import { parseHash } from "../../lib/route.ts";
import { indexerQuery, needsBrands, viewFromQuery } from "../../lib/market.ts";

export function askMarketFirstPage(): void {
  const route = parseHash(window.location.hash);
  if (route.page !== "market") return;
  const view = viewFromQuery(route.query);
  if (!needsBrands(view)) askFirstPage(indexerQuery(view, [], REF_RATES));
}
