export { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi, type Deployment } from "#sdk"; // shim: ABIs live in sdk/abis.ts
export { deployedChainIds, deployments } from "../chain/deployments.ts"; // shim: addresses come from deployments/*.json
