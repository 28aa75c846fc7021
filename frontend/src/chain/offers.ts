/**
 * The SDK's offer reads and actions (sdk/offers.ts), in one place for the app. sdk/index.ts does not re-export that
 * module yet: until it does, this file is the app's one import of it by path.
 */
export {
  cardRate,
  getOfferSales,
  getOpenOffers,
  getRecyclerOffers,
  offerKeyPair,
  quoteCards,
  quoteOfferSale,
  saleProblems,
  validateSchedule,
  type Offer,
  type OfferQuote,
  type OfferSale,
  type OfferSchedule,
  type SaleCard,
  type SaleOffer,
  type SaleProblem,
  type ScheduleProblem,
} from "../../../sdk/offers.ts";
