/**
 * Deployments by chain id, straight from deployments/<chainId>.json: Vite serves them as a virtual module (see
 * frontend/vite.config.ts), so a deploy needs no generation step and the dev server reloads when one lands.
 */
import type { Deployment } from "#sdk";
import recorded from "virtual:kaquan-deployments";

export const deployments: Readonly<Record<number, Deployment>> = Object.fromEntries(
  recorded.map((d) => [d.chainId, d]),
);

/** Chain ids with a deployment. */
export const deployedChainIds: readonly number[] = recorded.map((d) => d.chainId);
