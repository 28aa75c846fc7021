/**
 * Sell: tokenize the cards you hold, then sell them now into recyclers' best offers or list them at your price (issuers
 * also issue issuer-backed vouchers).
 */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { NotConnected, PageHeader } from "../../components/ui.tsx";
import { IssueForm } from "./IssueForm.tsx";
import { ListForm } from "./ListForm.tsx";
import { MintForm } from "./MintForm.tsx";
import { SellNow } from "./SellNow.tsx";
import "./sell.css";

export default function SellPage() {
  const { t } = useTranslation();
  const { address } = useConnection();
  if (!address) return <NotConnected what={t("sell.needsWallet")} />;
  return (
    <div className="page sell-page">
      <PageHeader title={t("sell.title")}>{t("sell.lead")}</PageHeader>
      <MintForm />
      <IssueForm account={address} />
      <SellNow account={address} />
      <ListForm account={address} />
    </div>
  );
}
