// A lister bot: tokenizes a holder's cards (number and PIN sealed to the wallet's own vault) and lists them in ETH.
import { approveVouchers, listBatch, mintBatch, type Card, type Kaquan } from "#sdk";

/** Mints `cards`, lets the exchange hold them, and lists each at 95% of its face value; returns the trade ids. */
export async function listCards(kaquan: Kaquan, cards: Card[], weiPerMinorUnit: bigint): Promise<bigint[]> {
  const { tokenIds } = await mintBatch(kaquan, cards);
  await approveVouchers(kaquan);
  const prices = cards.map((card) => (card.faceValue * weiPerMinorUnit * 95n) / 100n);
  const { tradeIds } = await listBatch(kaquan, { tokenIds, prices });
  return tradeIds;
}
