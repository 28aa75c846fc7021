/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_CHAIN_ID?: string;
  readonly VITE_RPC_URL?: string;
  readonly VITE_DEV_WALLET?: string;
  readonly VITE_REF_RATES?: string;
  /** The indexer's URL (`npm start`: http://127.0.0.1:42069); empty: read the chain only. */
  readonly VITE_INDEXER_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
