/**
 * Wallet-derived X25519 keys (see lib/codeDelivery.ts): the holder's vault key and one key per order. Deriving one
 * asks the wallet for a signature; the key pair is then kept in memory for this session only, per account.
 */
import { useCallback, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { signMessage } from "wagmi/actions";
import { appChain } from "../config.ts";
import { deriveKeyPair, keyMessage, type KeyPair, type KeyPurpose } from "../lib/codeDelivery.ts";
import { describeError } from "../lib/errors.ts";
import { useDeployment } from "./queries.ts";

const cache = new Map<string, KeyPair>();

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
        setError("Connect a wallet first.");
        return undefined;
      }
      const id = `${address.toLowerCase()}|${appChain.id}|${d.voucherExchange}|${purpose}`;
      const cached = cache.get(id);
      if (cached) return cached;
      setSigning(true);
      setError(undefined);
      try {
        const signature = await signMessage(config, {
          account: address,
          message: keyMessage(appChain.id, d.voucherExchange, purpose),
        });
        const pair = deriveKeyPair(signature);
        cache.set(id, pair);
        return pair;
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
