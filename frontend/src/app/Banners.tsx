/** Banners under the header: the exchange is paused; you arrived through someone's referral link. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { AddressText } from "../components/ui.tsx";
import { useSettings } from "../hooks/queries.ts";
import { useReferrer } from "../hooks/useReferrer.ts";
import { href } from "../hooks/useRoute.ts";
import { demoAccountOf } from "./demoAccounts.ts";

export function PausedBanner() {
  const { t } = useTranslation();
  const settings = useSettings();
  if (!settings.data?.paused) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="paused-banner">
      {t("shell.paused")}
    </div>
  );
}

/**
 * The landing of a `?ref=` link: who invited you (by name on the demo chain), what the link does for them, and that
 * it costs you nothing. Dismissed for this visit with ×; not shown to the inviter itself.
 */
export function ReferralBanner() {
  const { t } = useTranslation();
  const referrer = useReferrer();
  const { address } = useConnection();
  const [dismissed, setDismissed] = useState(false);
  if (!referrer || dismissed || address?.toLowerCase() === referrer.toLowerCase()) return null;
  const demo = demoAccountOf(referrer);
  return (
    <div className="banner banner-info" role="note" data-testid="referral-banner">
      <span>
        {t("referral.invitedBy")} <strong data-testid="inviter">{demo?.name ?? t("referral.aDistributor")}</strong> (
        <AddressText address={referrer} />) · {t("referral.explain")}
      </span>
      <span className="banner-actions">
        <a className="btn btn-small" href={href("market")}>
          {t("referral.browse")}
        </a>
        <a className="btn btn-small btn-ghost" href={href("distribute")}>
          {t("referral.joinToo")}
        </a>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          aria-label={t("common.dismiss")}
          onClick={() => setDismissed(true)}
        >
          ×
        </button>
      </span>
    </div>
  );
}
