/** Wallet connection: the dev wallet (local chain) and injected / EIP-6963 wallets; account picker; wrong network. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useBalance, useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import type { Connector } from "wagmi";
import { appChain, DEV_WALLET_ENABLED } from "../config.ts";
import { useChainName, useErrorText } from "../i18n/hooks.ts";
import { formatToken, shortAddress } from "../lib/format.ts";
import { DEV_ACCOUNT_COUNT, DEV_WALLET_ID, devAccount, type DevWalletProperties } from "../wallet/devWallet.ts";
import { demoAccountAt } from "./demoAccounts.ts";

/**
 * The dev wallet connector, when it is the connected one. Looked up among the live connectors by id: right after a
 * reload wagmi's restored connection holds only a serialized stub of the connector until reconnect finishes.
 */
function liveDevWallet(connector: Connector | undefined, connectors: readonly Connector[]) {
  if (connector?.id !== DEV_WALLET_ID) return undefined;
  const live = connectors.find((c) => c.id === DEV_WALLET_ID) as (Connector & Partial<DevWalletProperties>) | undefined;
  return typeof live?.selectAccount === "function" ? (live as Connector & DevWalletProperties) : undefined;
}

/** "Alice · seller", "Test account" for the unnamed ones. */
export function useDemoLabel(): (index: number) => string {
  const { t } = useTranslation();
  return (index) => {
    const demo = demoAccountAt(index);
    if (!demo) return t("devWallet.testAccount");
    return `${demo.name} · ${t(`demo.role.${demo.role}` as "demo.role.seller", { defaultValue: demo.role })}`;
  };
}

function DevAccountPicker({ connector }: { connector: Connector & DevWalletProperties }) {
  const { t } = useTranslation();
  const label = useDemoLabel();
  const [index, setIndex] = useState(connector.accountIndex());
  // Deriving the test accounts takes a moment; labels show first, addresses as soon as they are known.
  const addresses = useQuery({
    queryKey: ["devAccounts"],
    queryFn: () =>
      Promise.all(Array.from({ length: DEV_ACCOUNT_COUNT }, (_, i) => devAccount(i).then((a) => a.address))),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <select
      className="account-picker"
      aria-label={t("devWallet.account")}
      data-testid="dev-account"
      value={index}
      onChange={async (event) => {
        const next = Number(event.target.value);
        await connector.selectAccount(next);
        setIndex(next);
      }}
    >
      {Array.from({ length: DEV_ACCOUNT_COUNT }, (_, i) => (
        <option key={i} value={i}>
          #{i} {label(i)}
          {addresses.data ? ` · ${shortAddress(addresses.data[i])}` : ""}
        </option>
      ))}
    </select>
  );
}

export function ConnectButton() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address, connector, status } = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const balance = useBalance({ address, chainId: appChain.id, query: { enabled: !!address } });
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const dev = liveDevWallet(connector, connectors);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  if (address) {
    return (
      <div className="wallet-chip" data-testid="wallet" data-address={address}>
        {dev ? (
          <DevAccountPicker connector={dev} />
        ) : (
          <span className="address" title={address}>
            {shortAddress(address)}
          </span>
        )}
        {balance.data && (
          <span className="wallet-balance" data-testid="eth-balance">
            {formatToken(balance.data.value, { symbol: "ETH", decimals: 18 })}
          </span>
        )}
        <button
          type="button"
          className="btn btn-small btn-ghost disconnect"
          onClick={() => disconnect.mutate()}
          title={t("connect.disconnect")}
          aria-label={t("connect.disconnect")}
        >
          <span aria-hidden>⏏</span>
          <span className="disconnect-text">{t("connect.disconnect")}</span>
        </button>
      </div>
    );
  }

  const discovered = connectors.filter((c) => c.id !== DEV_WALLET_ID && c.id !== "injected");
  const hasInjected = typeof window !== "undefined" && "ethereum" in window;
  const options = [
    ...connectors.filter((c) => c.id === DEV_WALLET_ID),
    ...discovered,
    ...(discovered.length === 0 && hasInjected ? connectors.filter((c) => c.id === "injected") : []),
  ];
  const busy = status === "connecting" || status === "reconnecting";

  return (
    <div className="connect" ref={menu}>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => setOpen((o) => !o)}
        disabled={busy}
        data-testid="connect-button"
      >
        {busy ? t("connect.connecting") : t("connect.connect")}
      </button>
      {open && (
        <div className="menu" role="menu">
          {options.length === 0 && (
            <p className="muted small">{DEV_WALLET_ENABLED ? t("connect.noWallet") : t("connect.noWalletLocalHint")}</p>
          )}
          {options.map((c) => (
            <button
              key={c.uid}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                connect.mutate({ connector: c, chainId: appChain.id });
                setOpen(false);
              }}
            >
              {c.icon ? <img src={c.icon} alt="" width={20} height={20} /> : <span className="menu-icon">◆</span>}
              <span>
                {c.id === DEV_WALLET_ID ? t("devWallet.name") : c.name}
                <span className="menu-sub">
                  {c.id === DEV_WALLET_ID ? t("devWallet.description") : t("connect.browserWallet")}
                </span>
              </span>
            </button>
          ))}
          {connect.error && <p className="field-message">{errorText(connect.error)}</p>}
        </div>
      )}
    </div>
  );
}

/** Shown while the connected wallet is on another chain; one click asks it to switch (or add the chain). */
export function WrongNetworkBanner() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const chainName = useChainName();
  const { chainId, isConnected } = useConnection();
  const switchChain = useSwitchChain();
  if (!isConnected || chainId === appChain.id) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="wrong-network">
      <span>{t("connect.wrongNetwork", { chainId, chain: chainName, appChainId: appChain.id })}</span>
      <button
        type="button"
        className="btn btn-small"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: appChain.id })}
      >
        {switchChain.isPending ? t("connect.switching") : t("connect.switchTo", { chain: chainName })}
      </button>
      {switchChain.error && <span className="field-message">{errorText(switchChain.error)}</span>}
    </div>
  );
}
