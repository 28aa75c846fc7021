/** Arbiter: the dispute queue, each dispute's evidence verified in the browser, and the ruling. */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import type { Address } from "viem";
import { AddressText, Empty, ErrorBox, PageHeader, Spinner } from "../../components/ui.tsx";
import { useChainTime, useDisputes, useSettings } from "../../hooks/queries.ts";
import { useErrorText } from "../../i18n/hooks.ts";
import { DisputeCard } from "./DisputeCard.tsx";
import "../orders/orders.css";
import "./arbiter.css";

export default function ArbiterPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const disputes = useDisputes();
  const settings = useSettings();
  const now = useChainTime();
  const arbiter: Address | undefined = settings.data?.arbiter;
  const isArbiter = !!address && !!arbiter && address.toLowerCase() === arbiter.toLowerCase();

  return (
    <div className="page">
      <PageHeader title={t("arbiter.title")}>{t("arbiter.lead")}</PageHeader>
      <p className="muted small">
        {t("arbiter.who")} <AddressText address={arbiter} you={address} />
        {!isArbiter && ` — ${t("arbiter.connectAsArbiter")}`}
      </p>
      {disputes.isLoading ? (
        <Spinner />
      ) : disputes.error ? (
        <ErrorBox>{errorText(disputes.error)}</ErrorBox>
      ) : (disputes.data ?? []).length === 0 ? (
        <Empty title={t("arbiter.empty")} />
      ) : (
        <div className="orders">
          {disputes.data!.map((order) => (
            <DisputeCard key={order.id.toString()} order={order} isArbiter={isArbiter} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
