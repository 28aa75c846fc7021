/**
 * Admin: governance within the limits the contracts enforce — pause, fee, level shares, dispute bond, payment tokens,
 * brands and their face values.
 */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { AddressText, ErrorBox, PageHeader, Spinner, TxStatus } from "../../components/ui.tsx";
import { useSettings } from "../../hooks/queries.ts";
import { useTx, type Call } from "../../hooks/useTx.tsx";
import { useErrorText } from "../../i18n/hooks.ts";
import { Brands } from "./Brands.tsx";
import { ExchangeSettings } from "./ExchangeSettings.tsx";
import { FaceValues } from "./FaceValues.tsx";
import { PayTokens } from "./PayTokens.tsx";
import "./admin.css";

/** One write path for the admin sections: resolves true once mined (the sections then clear their edits). */
export interface AdminWrite {
  busy: boolean;
  send(call: Call, label: string, invalidates: readonly (readonly unknown[])[]): Promise<boolean>;
}

export default function AdminPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const settings = useSettings();
  const tx = useTx();

  if (settings.isLoading) return <Spinner />;
  if (settings.error || !settings.data) return <ErrorBox>{errorText(settings.error)}</ErrorBox>;
  const s = settings.data;
  const me = address?.toLowerCase();
  const ownsExchange = me === s.owner.toLowerCase();
  const ownsToken = me === s.tokenOwner.toLowerCase();
  const write: AdminWrite = {
    busy: tx.busy,
    send: async (call, label, invalidates) => !!(await tx.send(call, { label, invalidates })),
  };

  return (
    <div className="page admin-page">
      <PageHeader title={t("admin.title")}>{t("admin.lead")}</PageHeader>
      {!ownsExchange && !ownsToken && (
        <div className="alert alert-info" data-testid="read-only">
          {t("admin.readOnly")} <AddressText address={s.owner} />
        </div>
      )}
      <TxStatus state={tx.state} />
      <ExchangeSettings settings={s} canWrite={ownsExchange} write={write} />
      <PayTokens canWrite={ownsExchange} write={write} />
      <Brands canWrite={ownsToken} write={write} />
      <FaceValues canWrite={ownsToken} write={write} />
    </div>
  );
}
