import { Component, lazy, Suspense, type ReactNode } from "react";
import { appChain, CHAIN_ID, deployment } from "./config.ts";
import { ConnectButton, WrongNetworkBanner } from "./components/Connect.tsx";
import { Spinner } from "./components/ui.tsx";
import { useSettings } from "./hooks/queries.ts";
import { href, useRoute } from "./hooks/useRoute.ts";
import { MarketPage } from "./pages/Market.tsx";

const VoucherPage = lazy(() => import("./pages/Voucher.tsx"));
const SellPage = lazy(() => import("./pages/Sell.tsx"));
const WalletPage = lazy(() => import("./pages/Wallet.tsx"));
const DistributePage = lazy(() => import("./pages/Distribute.tsx"));
const ArbiterPage = lazy(() => import("./pages/Arbiter.tsx"));
const AdminPage = lazy(() => import("./pages/Admin.tsx"));

const NAV = [
  { page: "market", label: "Market" },
  { page: "sell", label: "Sell" },
  { page: "wallet", label: "Wallet" },
  { page: "distribute", label: "Distribute" },
  { page: "arbiter", label: "Arbiter" },
  { page: "admin", label: "Admin" },
];

function PausedBanner() {
  const settings = useSettings();
  if (!settings.data?.paused) return null;
  return (
    <div className="banner banner-warning" role="alert">
      The exchange is paused: new listings and purchases are stopped. Deliveries, confirmations, refunds and claims
      still work.
    </div>
  );
}

function Page() {
  const route = useRoute();
  switch (route.page) {
    case "voucher":
      return <VoucherPage tokenId={BigInt(route.params[0] ?? "0")} />;
    case "sell":
      return <SellPage />;
    case "wallet":
      return <WalletPage />;
    case "distribute":
      return <DistributePage />;
    case "arbiter":
      return <ArbiterPage />;
    case "admin":
      return <AdminPage />;
    default:
      return <MarketPage />;
  }
}

/** A render error shows as a message with a way back, never as a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }
  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="alert alert-danger" role="alert">
        Something went wrong on this page: {this.state.error.message}. <a href={href("market")}>Back to the market</a>
      </div>
    );
  }
}

function NotDeployed() {
  return (
    <div className="card narrow">
      <h1>Kaquan is not deployed on chain {CHAIN_ID}</h1>
      <p>
        The app reads its contract addresses from <code>frontend/src/generated/contracts.ts</code>, which the deploy
        writes. For the local demo run <code>npm start</code> (node, deploy, seed and this app in one command), or
        deploy to {appChain.name} and run <code>npm run generate</code>.
      </p>
    </div>
  );
}

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-inner">
          <a className="logo" href={href("market")}>
            <span className="logo-mark" title="卡券 (kǎquàn): card vouchers">
              K
            </span>
            <span className="logo-name">Kaquan</span>
          </a>
          <nav className="nav">
            {NAV.map((item) => (
              <a
                key={item.page}
                href={href(item.page)}
                className={
                  route.page === item.page || (item.page === "market" && route.page === "voucher") ? "active" : ""
                }
              >
                {item.label}
              </a>
            ))}
          </nav>
          <div className="topbar-right">
            <span className="chain-pill" title={`Chain id ${appChain.id}`}>
              <span className="dot" /> {appChain.name}
            </span>
            <ErrorBoundary resetKey="wallet">
              <ConnectButton />
            </ErrorBoundary>
          </div>
        </div>
      </header>
      <WrongNetworkBanner />
      {deployment && <PausedBanner />}
      <main className="main">
        {deployment ? (
          <ErrorBoundary resetKey={`${route.page}/${route.params.join("/")}`}>
            <Suspense fallback={<Spinner />}>
              <Page />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <NotDeployed />
        )}
      </main>
      <footer className="footer">
        Vouchers are ERC-721 tokens; payments sit in escrow until the code checks out. Fee bounded on-chain to 1–3%.
        {deployment && (
          <span className="muted">
            {" "}
            Exchange <code>{deployment.voucherExchange}</code>
          </span>
        )}
      </footer>
    </div>
  );
}
