/**
 * Wallet-derived X25519 keys (sdk/codeDelivery.ts): the holder's vault key and one key per order. The SDK's keyring
 * asks the wallet for a signature the first time a key is needed and keeps the pair in memory for this session, per
 * account, chain and exchange.
 */
import { createKeyring, describeError, type KeyPair, type KeyPurpose } from "#sdk";
import { useCallback, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { signMessage } from "wagmi/actions";
import { appChain } from "../config.ts";
import { useDeployment } from "./queries.ts";
import { txWords } from "./useTx.tsx";

const keyring = createKeyring();

export function useKeys() {
  const config = useConfig();
  const { address } = useConnection();
  const d = useDeployment();
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string>();

  /** The key pair for `purpose`, asking the wallet to sign only the first time in this session. */
  const derive = useCallback(
    async (purpose: KeyPurpose): Promise<KeyPair | undefined> => {
      if (!address) {
        setError(txWords.connectFirst);
        return undefined;
      }
      const scope = { chainId: appChain.id, exchange: d.voucherExchange, account: address };
      const cached = keyring.cached(scope, purpose);
      if (cached) return cached;
      setSigning(true);
      setError(undefined);
      try {
        return await keyring.derive(scope, purpose, (message) => signMessage(config, { account: address, message }));
      } catch (e) {
        setError(describeError(e));
        return undefined;
      } finally {
        setSigning(false);
      }
    },
    [address, config, d.voucherExchange],
  );

  return { derive, signing, error };
}
