/**
 * The test stablecoins' faucet (kUSD, kCNY: `faucet(to, amount)`), offered only on test chains, where the deploy puts
 * them: a person trying the demo gets money to buy with in one click.
 */
import { TEST_CHAIN_IDS, testStablecoinAbi } from "#sdk";
import { useTranslation } from "react-i18next";
import { parseUnits, type Address } from "viem";
import { queryKeys, useDeployment, usePayTokens, useTokenBalance } from "../hooks/queries.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import type { TokenInfo } from "../lib/format.ts";
import { formatMoney } from "../lib/money.ts";
import { Money } from "./Money.tsx";
import { TxStatus } from "./ui.tsx";

/** What one click hands out, in whole tokens. */
export const FAUCET_AMOUNT = "1000";

/** The deployment's test stablecoins (kUSD as `stablecoin`, kCNY as `cnyStablecoin`), on test chains only. */
export function useFaucetTokens(): TokenInfo[] {
  const d = useDeployment();
  const { tokens } = usePayTokens();
  // TestStablecoin refuses to deploy anywhere else.
  if (!TEST_CHAIN_IDS.includes(d.chainId)) return [];
  const faucets = new Set([d.stablecoin, d.cnyStablecoin].filter(Boolean).map((a) => a.toLowerCase()));
  return tokens.filter((token) => faucets.has(token.address.toLowerCase()));
}

export function FaucetButton({
  token,
  account,
  tx,
}: {
  token: TokenInfo;
  account: Address;
  tx: ReturnType<typeof useTx>;
}) {
  const { t } = useTranslation();
  const amount = parseUnits(FAUCET_AMOUNT, token.decimals);
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid={`faucet-${token.symbol}`}
      disabled={tx.busy}
      onClick={() =>
        tx.send(contractCall(token.address, testStablecoinAbi, "faucet", [account, amount]), {
          label: t("faucet.tx", { amount: formatMoney(amount, token), token: token.symbol }),
          invalidates: [queryKeys.balances],
        })
      }
    >
      {t("faucet.button", { amount: formatMoney(amount, token), token: token.symbol })}
    </button>
  );
}

function FaucetRow({ token, account, tx }: { token: TokenInfo; account: Address; tx: ReturnType<typeof useTx> }) {
  const balance = useTokenBalance(account, token);
  return (
    <li className="faucet-row">
      <span>
        <strong>{token.symbol}</strong>{" "}
        <span className="muted" data-testid={`balance-${token.symbol}`}>
          {balance.data === undefined ? "…" : <Money value={balance.data} token={token} />}
        </span>
      </span>
      <FaucetButton token={token} account={account} tx={tx} />
    </li>
  );
}

/** Wallet balances of the test stablecoins, each with its faucet button. */
export function Faucet({ account }: { account: Address }) {
  const { t } = useTranslation();
  const tokens = useFaucetTokens();
  const tx = useTx();
  if (tokens.length === 0) return null;
  return (
    <div className="faucet" data-testid="faucet">
      <p className="muted small">{t("faucet.explain")}</p>
      <ul className="faucet-list">
        {tokens.map((token) => (
          <FaucetRow key={token.address} token={token} account={account} tx={tx} />
        ))}
      </ul>
      <TxStatus state={tx.state} />
    </div>
  );
}
