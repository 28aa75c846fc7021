/** The local demo chain's cast, from scripts/demo-accounts.ts at build time (frontend/vite.config.ts). */
declare module "virtual:kaquan-demo-accounts" {
  const accounts: readonly { index: number; address: string; name: string; role: string }[];
  export default accounts;
}
