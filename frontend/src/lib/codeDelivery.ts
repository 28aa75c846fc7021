export * from "#sdk"; // shim: code delivery moved to sdk/codeDelivery.ts; import it from "#sdk"
