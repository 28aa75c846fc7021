/**
 * `hardhat test --coverage` with this config compiles the instrumented contracts into their own artifacts and cache
 * folders, so the app's artifacts (what the browser and indexer tests deploy) are never replaced by instrumented ones
 * and the coverage run can go side by side with those suites.
 */
import { defineConfig } from "hardhat/config";
import config from "./hardhat.config.ts";

export default defineConfig({
  ...config,
  paths: { ...config.paths, artifacts: "coverage/artifacts", cache: "coverage/cache" },
});
