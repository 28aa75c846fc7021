/**
 * Arbiter: the dispute queue. Each dispute's evidence is sealed to the arbiter's published X25519 key; connected as the
 * arbiter, the page derives that key from the wallet's signature (purpose `arbiter`, like any Kaquan key), opens the
 * evidence in the browser and checks it. If the published key is missing or is not this wallet's, the arbiter
 * publishes it here first (disputes need it). Anyone else sees the queue, never the evidence.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { zeroHash, type Address } from "viem";
import { AddressText, Empty, ErrorBox, PageHeader, Spinner, TxStatus } from "../../components/ui.tsx";
import { voucherExchangeAbi, toBytes32, type KeyPair } from "#sdk";
import { queryKeys, useChainTime, useDeployment, useDisputes, useSettings } from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useErrorText } from "../../i18n/hooks.ts";
import { DisputeCard } from "./DisputeCard.tsx";
import "../orders/orders.css";
import "./arbiter.css";

export default function ArbiterPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const d = useDeployment();
  const disputes = useDisputes();
  const settings = useSettings();
  const now = useChainTime();
  const keys = useKeys();
  const tx = useTx();
  const [pair, setPair] = useState<KeyPair & { account: Address }>();
  const arbiter: Address | undefined = settings.data?.arbiter;
  const isArbiter = !!address && !!arbiter && address.toLowerCase() === arbiter.toLowerCase();
  // A key derived under another account (the wallet switched) is not this arbiter's.
  const key = pair && address && pair.account.toLowerCase() === address.toLowerCase() ? pair : undefined;
  const published = settings.data?.arbiterKey;
  const keyPublished = !!key && published === toBytes32(key.publicKey);

  const unlock = async () => {
    const derived = await keys.derive("arbiter");
    if (derived && address) setPair({ ...derived, account: address });
  };

  const publish = () =>
    key &&
    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "setArbiterKey", [toBytes32(key.publicKey)]), {
      label: t("arbiter.key.tx"),
      invalidates: [queryKeys.settings],
    });

  return (
    <div className="page">
      <PageHeader title={t("arbiter.title")}>{t("arbiter.lead")}</PageHeader>
      <p className="muted small">
        {t("arbiter.who")} <AddressText address={arbiter} you={address} />
        {!isArbiter && ` — ${t("arbiter.connectAsArbiter")}`}
      </p>
      {isArbiter && (
        <section className="card arbiter-key" data-testid="arbiter-key">
          {!key ? (
            <div className="row-gap">
              <button
                type="button"
                className="btn btn-primary"
                onClick={unlock}
                disabled={keys.signing}
                data-testid="arbiter-unlock"
              >
                {keys.signing ? t("reveal.signing") : t("arbiter.key.unlock")}
              </button>
              <span className="muted small">{t("arbiter.key.unlockHint")}</span>
            </div>
          ) : keyPublished ? (
            <p className="small" data-testid="arbiter-key-ok">
              ✓ {t("arbiter.key.published")}
            </p>
          ) : (
            <div className="row-gap">
              <span className="small">
                {published === undefined || published === zeroHash ? t("arbiter.key.missing") : t("arbiter.key.other")}
              </span>
              <button type="button" className="btn btn-small" onClick={publish} disabled={tx.busy}>
                {t("arbiter.key.publish")}
              </button>
            </div>
          )}
          {keys.error && <p className="field-message">{t("common.signatureMissing")}</p>}
          <TxStatus state={tx.state} />
        </section>
      )}
      {disputes.isLoading ? (
        <Spinner />
      ) : disputes.error ? (
        <ErrorBox>{errorText(disputes.error)}</ErrorBox>
      ) : (disputes.data ?? []).length === 0 ? (
        <Empty title={t("arbiter.empty")} />
      ) : (
        <div className="orders">
          {disputes.data!.map((order) => (
            <DisputeCard
              key={order.id.toString()}
              order={order}
              isArbiter={isArbiter}
              arbiterSecret={isArbiter ? key?.secretKey : undefined}
              now={now}
            />
          ))}
        </div>
      )}
    </div>
  );
}
