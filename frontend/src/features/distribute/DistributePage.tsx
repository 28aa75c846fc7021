/** Distribute: join under an upline, share your referral link, see your downline and earnings, withdraw them. */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { zeroAddress } from "viem";
import { CreditsTable } from "../../components/Credits.tsx";
import { AddressText, CopyButton, ErrorBox, NotConnected, PageHeader, Spinner } from "../../components/ui.tsx";
import { useDistribution, useSettings } from "../../hooks/queries.ts";
import { useErrorText } from "../../i18n/hooks.ts";
import { formatBps } from "../../lib/format.ts";
import { downline, referralLink } from "../../lib/referral.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { JoinForm } from "./JoinForm.tsx";
import "./distribute.css";

export default function DistributePage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const distribution = useDistribution(address);
  const settings = useSettings();

  if (!address) return <NotConnected what={t("distribute.needsWallet")} />;
  if (distribution.isLoading) return <Spinner />;
  if (distribution.error || !distribution.data) return <ErrorBox>{errorText(distribution.error)}</ErrorBox>;
  const data = distribution.data;
  const shares = settings.data?.levelShares;
  const link = referralLink(window.location.href, address);
  const levels = downline(data.joins, address);

  return (
    <div className="page distribute-page">
      <PageHeader title={t("distribute.title")}>
        {shares
          ? t("distribute.leadShares", {
              level1: formatBps(shares[0]),
              level2: formatBps(shares[1]),
              level3: formatBps(shares[2]),
            })
          : t("distribute.lead")}
      </PageHeader>
      {!data.joined ? (
        <JoinForm account={address} />
      ) : (
        <>
          <section className="card">
            <h2>{t("distribute.link.title")}</h2>
            <div className="code-box code-link">
              <code data-testid="referral-link">{link}</code>
              <CopyButton text={link} label={t("distribute.link.copy")} />
            </div>
            <p className="muted small">
              {t("distribute.link.upline")}{" "}
              {data.upline === zeroAddress ? (
                t("distribute.link.noUpline")
              ) : (
                <AddressText address={data.upline} name={demoAccountOf(data.upline)?.name} />
              )}{" "}
              · {t("distribute.link.referred", { count: data.referredOrders })} {t("distribute.link.notOwn")}
            </p>
          </section>
          <section className="card">
            <h2>{t("distribute.downline.title")}</h2>
            <div className="stat-grid">
              {[0, 1, 2].map((i) => (
                <div className="stat" key={i}>
                  <span className="stat-value">{levels[i]?.length ?? 0}</span>
                  <span className="stat-label">
                    {t("distribute.downline.level", { level: i + 1 })}
                    {shares ? ` · ${t("distribute.downline.share", { share: formatBps(shares[i]) })}` : ""}
                  </span>
                </div>
              ))}
            </div>
            {levels.length > 0 && (
              <ul className="downline">
                {levels.map((level, i) =>
                  level.map((member) => (
                    <li key={`${i}-${member}`}>
                      <span className="muted small">L{i + 1}</span>{" "}
                      <AddressText address={member} name={demoAccountOf(member)?.name} />
                    </li>
                  )),
                )}
              </ul>
            )}
          </section>
          <section className="card">
            <h2>{t("distribute.earnings.title")}</h2>
            <CreditsTable account={address} earned={data.earned} />
          </section>
        </>
      )}
    </div>
  );
}
