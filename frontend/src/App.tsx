import { Component, lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CHAIN_ID, deployment } from "./config.ts";
import { PausedBanner, ReferralBanner } from "./app/Banners.tsx";
import { ConnectButton, WrongNetworkBanner } from "./app/Connect.tsx";
import { LanguageSwitch } from "./app/LanguageSwitch.tsx";
import { useLiveChain } from "./app/useLiveChain.ts";
import { Spinner } from "./components/ui.tsx";
import { MarketPage } from "./features/market/MarketPage.tsx";
import { href, useRoute } from "./hooks/useRoute.ts";
import { i18n } from "./i18n/index.ts";
import { useChainName } from "./i18n/hooks.ts";
import "./app/app.css";

const VoucherPage = lazy(() => import("./features/voucher/VoucherPage.tsx"));
const SellPage = lazy(() => import("./features/sell/SellPage.tsx"));
const WalletPage = lazy(() => import("./features/wallet/WalletPage.tsx"));
const DistributePage = lazy(() => import("./features/distribute/DistributePage.tsx"));
const ArbiterPage = lazy(() => import("./features/arbiter/ArbiterPage.tsx"));
const AdminPage = lazy(() => import("./features/admin/AdminPage.tsx"));
const RecyclerPage = lazy(() => import("./features/recycler/RecyclerPage.tsx"));

const NAV = ["market", "sell", "recycler", "wallet", "distribute", "arbiter", "admin"] as const;

function Page() {
  const route = useRoute();
  switch (route.page) {
    case "voucher":
      return <VoucherPage tokenId={BigInt(route.params[0] ?? "0")} />;
    case "sell":
      return <SellPage />;
    case "recycler":
      return <RecyclerPage />;
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
        {i18n.t("shell.pageError", { error: this.state.error.message })}{" "}
        <a href={href("market")}>{i18n.t("shell.backToMarket")}</a>
      </div>
    );
  }
}

function NotDeployed() {
  const { t } = useTranslation();
  const chain = useChainName();
  return (
    <div className="card narrow">
      <h1>{t("shell.notDeployed.title", { chainId: CHAIN_ID })}</h1>
      <p>{t("shell.notDeployed.body", { chain })}</p>
      <pre className="code-box">npm start</pre>
    </div>
  );
}

/** Mounted only with a deployment: watches blocks so what is on screen follows the chain. */
function LiveChain() {
  useLiveChain();
  return null;
}

export function App() {
  const { t } = useTranslation();
  const chainName = useChainName();
  const route = useRoute();
  return (
    <div className="app">
      {deployment && <LiveChain />}
      <header className="topbar">
        <div className="topbar-inner">
          <a className="logo" href={href("market")}>
            <span className="logo-mark" aria-hidden>
              券
            </span>
            <span className="logo-name">{t("app.name")}</span>
          </a>
          <nav className="nav" aria-label={t("shell.navigation")}>
            {NAV.map((page) => (
              <a
                key={page}
                href={href(page)}
                data-page={page}
                className={route.page === page || (page === "market" && route.page === "voucher") ? "active" : ""}
              >
                {t(`nav.${page}`)}
              </a>
            ))}
          </nav>
          <div className="topbar-right">
            <span className="chain-pill" title={t("shell.chainId", { id: CHAIN_ID })}>
              <span className="dot" /> {chainName}
            </span>
            <LanguageSwitch />
            <ErrorBoundary resetKey="wallet">
              <ConnectButton />
            </ErrorBoundary>
          </div>
        </div>
      </header>
      <WrongNetworkBanner />
      {deployment && <PausedBanner />}
      {deployment && <ReferralBanner />}
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
        {t("shell.footer")}
        {deployment && (
          <span className="muted footer-address">
            {" "}
            {t("shell.exchangeAt")} <code>{deployment.voucherExchange}</code>
          </span>
        )}
      </footer>
    </div>
  );
}
