/** Every deployments/<chainId>.json, parsed and checked at build time (frontend/vite.config.ts). */
declare module "virtual:kaquan-deployments" {
  const deployments: readonly import("#sdk").Deployment[];
  export default deployments;
}
