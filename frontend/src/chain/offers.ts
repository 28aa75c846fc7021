/**
 * Reads of recyclers' standing offers (IVoucherOffers) on the app's client: a brand's open offers, a recycler's own
 * offers, and the cards sold into them (with their orders).
 */
import { getOrders, voucherOffersAbi, type KaquanReader, type OrderDetails } from "#sdk";
import type { Address, ContractFunctionReturnType } from "viem";

/** IVoucherOffers.OfferView. */
export type Offer = ContractFunctionReturnType<typeof voucherOffersAbi, "view", "offer">;

const offers = ({ deployment }: KaquanReader) => ({ address: deployment.voucherOffers, abi: voucherOffersAbi });
const SCAN = 100n;

/** The open offers of a brand that buy a card of `faceValue` (0: any), best first (the contract's order). */
export async function getOpenOffers(kaquan: KaquanReader, brandId: number, faceValue = 0n): Promise<Offer[]> {
  const { publicClient } = kaquan;
  const count = await publicClient.readContract({
    ...offers(kaquan),
    functionName: "brandOfferCount",
    args: [brandId],
  });
  const pages: Promise<readonly Offer[]>[] = [];
  for (let offset = 0n; offset < count; offset += SCAN) {
    pages.push(
      publicClient.readContract({
        ...offers(kaquan),
        functionName: "openOffers",
        args: [brandId, faceValue, offset, SCAN],
      }),
    );
  }
  // Each window is sorted; one window holds every offer until a brand has more than 100.
  return (await Promise.all(pages)).flat();
}

/** Every offer `recycler` ever posted, newest first. */
export async function getRecyclerOffers(kaquan: KaquanReader, recycler: Address): Promise<Offer[]> {
  const { publicClient, deployment } = kaquan;
  const posted = await publicClient.getContractEvents({
    ...offers(kaquan),
    eventName: "OfferPosted",
    args: { recycler },
    fromBlock: BigInt(deployment.startBlock),
    strict: true,
  });
  const ids = posted.map((log) => log.args.offerId).reverse();
  return Promise.all(
    ids.map((id) => publicClient.readContract({ ...offers(kaquan), functionName: "offer", args: [id] })),
  );
}

/** A card sold into one of a recycler's offers: the sale, and the order it opened (settled at once when issuer-backed). */
export interface IncomingCard {
  offerId: bigint;
  seller: Address;
  order: OrderDetails;
}

/** The cards sold into `offerIds`, newest first. */
export async function getIncomingCards(kaquan: KaquanReader, offerIds: readonly bigint[]): Promise<IncomingCard[]> {
  if (offerIds.length === 0) return [];
  const { publicClient, deployment } = kaquan;
  const sold = await publicClient.getContractEvents({
    ...offers(kaquan),
    eventName: "OfferSold",
    args: { offerId: [...offerIds] },
    fromBlock: BigInt(deployment.startBlock),
    strict: true,
  });
  const sales = sold.flatMap((log) =>
    Array.from({ length: Number(log.args.count) }, (_, i) => ({
      offerId: log.args.offerId,
      seller: log.args.seller,
      tradeId: log.args.firstTradeId + BigInt(i),
    })),
  );
  const orders = await getOrders(
    kaquan,
    sales.map((s) => s.tradeId),
  );
  return sales.map((s, i) => ({ offerId: s.offerId, seller: s.seller, order: orders[i] })).reverse();
}
