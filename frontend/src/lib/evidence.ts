export { verifyEvidence, type EvidenceInput, type EvidenceResult } from "#sdk"; // shim: moved to sdk/evidence.ts
