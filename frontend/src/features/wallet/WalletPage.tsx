/**
 * Wallet: what needs you first (orders waiting for your delivery, confirmation or dispute), then your purchases,
 * your sales, the vouchers you hold and your balances, one tab each (the tab is in the address).
 */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import type { Address } from "viem";
import { CreditsTable, useAccountSummary } from "../../components/Credits.tsx";
import { Faucet } from "../../components/Faucet.tsx";
import { Empty, ErrorBox, NotConnected, PageHeader, Spinner } from "../../components/ui.tsx";
import type { OrderDetails } from "../../chain/reads.ts";
import { useBrands, useChainTime, usePayTokens, useWallet } from "../../hooks/queries.ts";
import { href, useRoute, useSetQuery } from "../../hooks/useRoute.ts";
import { useErrorText } from "../../i18n/hooks.ts";
import { tokenKey } from "../../lib/market.ts";
import { nextStep, Status, type Role } from "../../lib/orders.ts";
import { OrderCard } from "../orders/OrderCard.tsx";
import { VoucherRow } from "./VoucherRow.tsx";
import "./wallet.css";

const TABS = ["todo", "buying", "selling", "vouchers", "balances"] as const;
type Tab = (typeof TABS)[number];

function OrderList({
  orders,
  account,
  now,
  empty,
}: {
  orders: { order: OrderDetails; role: Role }[];
  account: Address;
  now: number;
  empty: string;
}) {
  const { byId } = useBrands();
  const { byAddress } = usePayTokens();
  if (orders.length === 0) return <Empty title={empty} />;
  return (
    <div className="orders">
      {orders.map(({ order, role }) => (
        <OrderCard
          key={`${role}-${order.id}`}
          order={order}
          role={role}
          now={now}
          account={account}
          brand={order.voucher ? byId.get(order.voucher.brandId) : undefined}
          token={byAddress.get(tokenKey(order.trade.payToken))}
        />
      ))}
    </div>
  );
}

const isOpen = (o: OrderDetails) =>
  o.trade.status === Status.Listed ||
  o.trade.status === Status.AwaitingDelivery ||
  o.trade.status === Status.Delivered ||
  o.trade.status === Status.Disputed;

export default function WalletPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const wallet = useWallet(address);
  const summary = useAccountSummary(address);
  const now = useChainTime();
  const route = useRoute();
  const setQuery = useSetQuery();
  const showClosed = route.query.get("closed") === "1";

  if (!address) return <NotConnected what={t("wallet.needsWallet")} />;
  if (wallet.isLoading) return <Spinner label={t("wallet.loading")} />;
  if (wallet.error || !wallet.data)
    return <ErrorBox>{t("wallet.loadFailed", { error: errorText(wallet.error) })}</ErrorBox>;
  const { vouchers, buying, selling } = wallet.data;
  const needsBuyer = (o: OrderDetails) => nextStep(o.trade, "buyer", now).actions.some((a) => a !== "reveal");
  const needsSeller = (o: OrderDetails) =>
    o.trade.status !== Status.Listed && nextStep(o.trade, "seller", now).actions.length > 0;
  const todo = [
    ...buying.filter(needsBuyer).map((order) => ({ order, role: "buyer" as const })),
    ...selling.filter(needsSeller).map((order) => ({ order, role: "seller" as const })),
  ];
  const requested = route.query.get("tab") as Tab | null;
  const tab: Tab = requested && TABS.includes(requested) ? requested : todo.length > 0 ? "todo" : "vouchers";
  const open = (orders: OrderDetails[]) => (showClosed ? orders : orders.filter(isOpen));
  const stats = summary.data?.stats;
  const counts: Record<Tab, number | undefined> = {
    todo: todo.length,
    buying: buying.filter(isOpen).length,
    selling: selling.filter(isOpen).length,
    vouchers: vouchers.length,
    balances: undefined,
  };
  const select = (next: Tab) => {
    const query = new URLSearchParams(route.query);
    query.set("tab", next);
    setQuery(query);
  };

  return (
    <div className="page wallet-page">
      <PageHeader title={t("wallet.title")} />
      <div className="stat-row">
        <span>
          <strong data-testid="todo-count">{todo.length}</strong> {t("wallet.stats.todo")}
        </span>
        <span>
          <strong>{vouchers.length}</strong> {t("wallet.stats.vouchers")}
        </span>
        <span>
          <strong>{stats ? `${stats.sales} / ${stats.purchases}` : "–"}</strong> {t("wallet.stats.trades")}
        </span>
        <span>
          <strong>{stats ? stats.disputesLost.toString() : "–"}</strong> {t("wallet.stats.disputesLost")}
        </span>
      </div>

      <nav className="tabs" role="tablist" aria-label={t("wallet.title")}>
        {TABS.map((key) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? "active" : ""}
            data-tab={key}
            onClick={() => select(key)}
          >
            {t(`wallet.tab.${key}`)}
            {counts[key] !== undefined && counts[key]! > 0 && (
              <span className={`tab-count${key === "todo" ? " urgent" : ""}`}>{counts[key]}</span>
            )}
          </button>
        ))}
      </nav>

      {tab === "todo" && (
        <section className="card" data-testid="todo">
          <OrderList orders={todo} account={address} now={now} empty={t("wallet.empty.todo")} />
        </section>
      )}
      {(tab === "buying" || tab === "selling") && (
        <section className="card" data-testid={tab}>
          <label className="check section-toolbar">
            <input
              type="checkbox"
              checked={showClosed}
              onChange={(e) => {
                const query = new URLSearchParams(route.query);
                if (e.target.checked) query.set("closed", "1");
                else query.delete("closed");
                query.set("tab", tab);
                setQuery(query);
              }}
            />{" "}
            {t("wallet.showClosed")}
          </label>
          <OrderList
            orders={open(tab === "buying" ? buying : selling).map((order) => ({
              order,
              role: tab === "buying" ? ("buyer" as const) : ("seller" as const),
            }))}
            account={address}
            now={now}
            empty={t(tab === "buying" ? "wallet.empty.buying" : "wallet.empty.selling")}
          />
        </section>
      )}
      {tab === "vouchers" && (
        <section className="card">
          <div className="section-head">
            <h2>{t("wallet.vouchers.title")}</h2>
            <a className="btn btn-small" href={href("sell")}>
              {t("wallet.vouchers.tokenize")}
            </a>
          </div>
          {vouchers.length === 0 ? (
            <Empty title={t("wallet.empty.vouchers")}>{t("wallet.empty.vouchersHint")}</Empty>
          ) : (
            <div className="orders" data-testid="my-vouchers">
              {vouchers.map((v) => (
                <VoucherRow key={v.tokenId.toString()} voucher={v} account={address} now={now} />
              ))}
            </div>
          )}
        </section>
      )}
      {tab === "balances" && (
        <section className="card" data-testid="balances">
          <h2>{t("wallet.balances.title")}</h2>
          <p className="muted small">{t("wallet.balances.explain")}</p>
          <CreditsTable account={address} />
          <Faucet account={address} />
        </section>
      )}
    </div>
  );
}
