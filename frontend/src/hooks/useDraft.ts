/**
 * A form value that starts from data on chain and keeps what the person typed: while untouched it follows the source
 * (a refetch after a new block shows the new value); once edited it stays as typed, whatever refetches, until
 * `reset` (after a successful write, or "undo").
 */
import { useCallback, useState } from "react";

export function useDraft<T>(source: T): [value: T, set: (value: T) => void, dirty: boolean, reset: () => void] {
  const [draft, setDraft] = useState<{ value: T }>();
  const set = useCallback((value: T) => setDraft({ value }), []);
  const reset = useCallback(() => setDraft(undefined), []);
  return [draft ? draft.value : source, set, draft !== undefined, reset];
}
