/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_CHAIN_ID?: string;
  readonly VITE_RPC_URL?: string;
  readonly VITE_DEV_WALLET?: string;
  readonly VITE_REF_RATES?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
