/** Wallet connection: the dev wallet (local chain) and injected / EIP-6963 wallets; account picker; wrong network. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBalance, useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import type { Connector } from "wagmi";
import { appChain, DEV_WALLET_ENABLED } from "../config.ts";
import { formatToken, shortAddress } from "../lib/format.ts";
import { describeError } from "../lib/errors.ts";
import { DEV_ACCOUNT_COUNT, DEV_WALLET_ID, devAccount, type DevWalletProperties } from "../wallet/devWallet.ts";

// scripts/demo-accounts.ts names the seeded roles ("Alice (seller)"), when the project has it; else the glob is empty.
const demoModules = import.meta.glob<{ DEMO_ACCOUNTS?: Readonly<Record<number, { label: string }>> }>(
  "../../../scripts/demo-accounts.ts",
  { eager: true },
);

const FALLBACK_LABELS: Record<number, string> = { 0: "Deployer / owner", 1: "Treasury", 2: "Arbiter" };

function accountLabel(index: number): string {
  for (const module of Object.values(demoModules)) {
    const found = module.DEMO_ACCOUNTS?.[index];
    if (found) return found.label;
  }
  return FALLBACK_LABELS[index] ?? `Test account`;
}

/**
 * The dev wallet connector, when it is the connected one. Looked up among the live connectors by id: right after a
 * reload wagmi's restored connection holds only a serialized stub of the connector until reconnect finishes.
 */
function liveDevWallet(connector: Connector | undefined, connectors: readonly Connector[]) {
  if (connector?.id !== DEV_WALLET_ID) return undefined;
  const live = connectors.find((c) => c.id === DEV_WALLET_ID) as (Connector & Partial<DevWalletProperties>) | undefined;
  return typeof live?.selectAccount === "function" ? (live as Connector & DevWalletProperties) : undefined;
}

function DevAccountPicker({ connector }: { connector: Connector & DevWalletProperties }) {
  const [index, setIndex] = useState(connector.accountIndex());
  // Deriving the ten test accounts takes a moment; labels show first, addresses as soon as they are known.
  const addresses = useQuery({
    queryKey: ["devAccounts"],
    queryFn: () =>
      Promise.all(Array.from({ length: DEV_ACCOUNT_COUNT }, (_, i) => devAccount(i).then((a) => a.address))),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <select
      className="account-picker"
      aria-label="Dev wallet account"
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
          #{i} {accountLabel(i)}
          {addresses.data ? ` · ${shortAddress(addresses.data[i])}` : ""}
        </option>
      ))}
    </select>
  );
}

export function ConnectButton() {
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
        <button type="button" className="btn btn-small btn-ghost" onClick={() => disconnect.mutate()}>
          Disconnect
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

  return (
    <div className="connect" ref={menu}>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => setOpen((o) => !o)}
        disabled={status === "connecting" || status === "reconnecting"}
      >
        {status === "connecting" || status === "reconnecting" ? "Connecting…" : "Connect wallet"}
      </button>
      {open && (
        <div className="menu" role="menu">
          {options.length === 0 && (
            <p className="muted small">
              No wallet found. Install a browser wallet{DEV_WALLET_ENABLED ? "" : ", or run the app on the local chain"}
              .
            </p>
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
                {c.id === DEV_WALLET_ID ? "Dev wallet" : c.name}
                <span className="menu-sub">
                  {c.id === DEV_WALLET_ID ? "Hardhat test accounts · local chain only" : "Browser wallet"}
                </span>
              </span>
            </button>
          ))}
          {connect.error && <p className="field-message">{describeError(connect.error)}</p>}
        </div>
      )}
    </div>
  );
}

/** Shown while the connected wallet is on another chain; one click asks it to switch (or add the chain). */
export function WrongNetworkBanner() {
  const { chainId, isConnected } = useConnection();
  const switchChain = useSwitchChain();
  if (!isConnected || chainId === appChain.id) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="wrong-network">
      <span>
        Your wallet is on chain {chainId}; Kaquan runs on <strong>{appChain.name}</strong> ({appChain.id}).
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: appChain.id })}
      >
        {switchChain.isPending ? "Switching…" : `Switch to ${appChain.name}`}
      </button>
      {switchChain.error && <span className="field-message">{describeError(switchChain.error)}</span>}
    </div>
  );
}
