/**
 * The app's error sentences: the SDK's decoder (sdk/errors.ts), which also gives the custom error's `name` and
 * `args` (`decodeError`) so a translated UI can word it by name.
 */
export { ALL_ERRORS_ABI, decodeError, describeError, describeRevert, ERROR_MESSAGES, type DecodedError } from "#sdk";
