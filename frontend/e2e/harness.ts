export { ROOT, rpc, startStack, type Stack } from "../../scripts/lib/stack.ts"; // the launcher the bench shares
