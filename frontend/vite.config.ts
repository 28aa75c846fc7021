import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { DEMO_ACCOUNT_LIST } from "../scripts/demo-accounts.ts";
import { DEPLOYMENTS_DIR, readAllDeployments } from "../scripts/lib/deployments.ts";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * `virtual:kaquan-deployments`: every deployments/<chainId>.json (or those in KAQUAN_DEPLOYMENTS_DIR, which the e2e
 * and bench stacks point at their own folder), read when the app is built or served. The dev server reloads the page
 * when a deploy writes a new record.
 */
function kaquanDeployments(): Plugin {
  const id = "virtual:kaquan-deployments";
  const resolved = `\0${id}`;
  const dir = path.resolve(process.env.KAQUAN_DEPLOYMENTS_DIR || DEPLOYMENTS_DIR);
  return {
    name: "kaquan-deployments",
    resolveId: (source) => (source === id ? resolved : undefined),
    load: (loaded) => (loaded === resolved ? `export default ${JSON.stringify(readAllDeployments(dir))};` : undefined),
    configureServer(server) {
      server.watcher.add(dir);
      const reload = (file: string) => {
        if (path.dirname(path.resolve(file)) !== dir) return;
        const module = server.moduleGraph.getModuleById(resolved);
        if (module) server.moduleGraph.invalidateModule(module);
        server.ws.send({ type: "full-reload" });
      };
      server.watcher.on("add", reload).on("change", reload).on("unlink", reload);
    },
  };
}

/**
 * `virtual:kaquan-demo-accounts`: the local demo chain's cast (scripts/demo-accounts.ts: index, address, name, role),
 * so the app can name who is who (the demo wallet's account list, an inviter, a counterparty) without importing
 * scripts/. The app uses it on the local chain only.
 */
function kaquanDemoAccounts(): Plugin {
  const id = "virtual:kaquan-demo-accounts";
  const resolved = `\0${id}`;
  const cast = DEMO_ACCOUNT_LIST.map(({ index, address, name, role }) => ({ index, address, name, role }));
  return {
    name: "kaquan-demo-accounts",
    resolveId: (source) => (source === id ? resolved : undefined),
    load: (loaded) => (loaded === resolved ? `export default ${JSON.stringify(cast)};` : undefined),
  };
}

/**
 * The entry (src/start.ts) is small and loads the app (src/main.tsx) with `import()`, so that what the first screen
 * waits on is asked for before the app's code is in. The built page still names the app's files (modulepreload, and
 * its CSS as stylesheets): the browser fetches them at once, beside the entry, not after it.
 */
function preloadApp(entry: string): Plugin {
  return {
    name: "kaquan-preload-app",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle }) {
        if (!bundle) return;
        const chunks = Object.values(bundle).filter((output) => output.type === "chunk");
        const app = chunks.find((chunk) => chunk.facadeModuleId === path.join(root, entry));
        if (!app) throw new Error(`preloadApp: no chunk for ${entry}`);
        const files = new Set<string>();
        const css = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          const chunk = chunks.find((c) => c.fileName === file);
          for (const sheet of chunk?.viteMetadata?.importedCss ?? []) css.add(sheet);
          for (const imported of chunk?.imports ?? []) visit(imported);
        };
        visit(app.fileName);
        const absent = (file: string) => !html.includes(`/${file}"`);
        return [
          ...[...css].filter(absent).map((file) => ({
            tag: "link",
            attrs: { rel: "stylesheet", crossorigin: true, href: `/${file}` },
            injectTo: "head" as const,
          })),
          ...[...files].filter(absent).map((file) => ({
            tag: "link",
            attrs: { rel: "modulepreload", crossorigin: true, href: `/${file}` },
            injectTo: "head" as const,
          })),
        ];
      },
    },
  };
}

// `npm run frontend:dev` serves on 127.0.0.1:5173 (the port `npm start` prints); e2e tests start their own server.
export default defineConfig({
  root,
  envDir: root,
  plugins: [react(), kaquanDeployments(), kaquanDemoAccounts(), preloadApp("src/main.tsx")],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173 },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 800,
  },
});
