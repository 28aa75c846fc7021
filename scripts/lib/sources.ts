/** The Solidity sources of the contracts the app deploys (and whose artifacts scripts/lib/artifacts.ts reads). */
export const CONTRACT_SOURCES = {
  VoucherToken: "contracts/VoucherToken.sol",
  VoucherExchange: "contracts/VoucherExchange.sol",
  VoucherOffers: "contracts/VoucherOffers.sol",
  TestStablecoin: "contracts/mocks/TestStablecoin.sol",
} as const;
