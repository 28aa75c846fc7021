/** Recyclers (回收商): post standing offers, manage them (rates, budget, cancel), and see the cards coming in. */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { Empty, ErrorBox, NotConnected, PageHeader, Spinner } from "../../components/ui.tsx";
import { useMyOffers } from "../../hooks/offers.ts";
import { useChainTime } from "../../hooks/queries.ts";
import { useErrorText } from "../../i18n/hooks.ts";
import { IncomingCards } from "./IncomingCards.tsx";
import { OfferCard } from "./OfferCard.tsx";
import { PostOfferForm } from "./PostOfferForm.tsx";
import "./recycler.css";

export default function RecyclerPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { address } = useConnection();
  const mine = useMyOffers(address);
  const now = useChainTime();
  if (!address) return <NotConnected what={t("recycler.needsWallet")} />;
  return (
    <div className="page recycler-page">
      <PageHeader title={t("recycler.title")}>{t("recycler.lead")}</PageHeader>
      <section className="card" data-testid="my-offers">
        <h2>{t("recycler.mine.title")}</h2>
        {mine.isLoading ? (
          <Spinner />
        ) : mine.error ? (
          <ErrorBox>{errorText(mine.error)}</ErrorBox>
        ) : (mine.data ?? []).length === 0 ? (
          <Empty title={t("recycler.mine.empty")}>{t("recycler.mine.emptyBody")}</Empty>
        ) : (
          <div className="offer-list">
            {mine.data!.map((offer) => (
              <OfferCard key={offer.offerId.toString()} offer={offer} account={address} now={now} />
            ))}
          </div>
        )}
      </section>
      <IncomingCards account={address} offers={mine.data} now={now} />
      <PostOfferForm account={address} />
    </div>
  );
}
