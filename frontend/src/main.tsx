// Loaded by start.ts, which has already asked for the reader's catalog and the market's first page.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import "./styles/base.css";
import { App } from "./App.tsx";
import { seedFirstPage } from "./hooks/useIndexer.ts";
import { TxProvider } from "./hooks/useTx.tsx";
import { initI18n } from "./i18n/index.ts";
import { captureReferrer } from "./hooks/useReferrer.ts";
import { config } from "./wagmi.ts";

captureReferrer();

const queryClient = new QueryClient({
  // Freshness comes from the chain itself: every new block refetches what is on screen (app/useLiveChain.ts).
  defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true } },
});

// The first render waits for the reader's catalog (one small file), so no sentence ever shows in the wrong language.
await initI18n();
seedFirstPage(queryClient);
performance.mark("kaquan:render");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <TxProvider>
          <App />
        </TxProvider>
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
