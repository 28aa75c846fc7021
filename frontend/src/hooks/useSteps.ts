/**
 * Multi-step work (order key → approve → pay, approve → list, vault key → seal → mint, …) as one list of steps the
 * person sees advance: each step runs after the one before succeeded; a step that is not needed shows as skipped with
 * the reason; the first failure stops the run and shows under its step.
 */
import { useCallback, useState } from "react";
import type { Step } from "../components/ui.tsx";

/** `true` or nothing: done. `false`: failed (the step's own status shows why). A string: failed, with this detail. */
export type StepResult = void | boolean | string;

export interface StepPlan {
  label: string;
  /** Not needed this time: shown struck through with this reason, and not run. */
  skip?: string | false;
  run: () => Promise<StepResult> | StepResult;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `describe` turns a thrown error into the step's detail (pass the translated one from useErrorText). */
export function useSteps(describe: (error: unknown) => string = messageOf) {
  const [steps, setSteps] = useState<Step[]>([]);
  const [running, setRunning] = useState(false);

  /** Runs the steps in order; resolves to true when every step that ran succeeded. */
  const run = useCallback(
    async (plan: readonly StepPlan[]): Promise<boolean> => {
      const shown: Step[] = plan.map((p) =>
        p.skip ? { label: p.label, state: "skipped", detail: p.skip } : { label: p.label, state: "todo" },
      );
      const set = (i: number, patch: Partial<Step>) => {
        shown[i] = { ...shown[i], ...patch };
        setSteps([...shown]);
      };
      setSteps([...shown]);
      setRunning(true);
      try {
        for (const [i, step] of plan.entries()) {
          if (step.skip) continue;
          set(i, { state: "active" });
          let result: StepResult;
          try {
            result = await step.run();
          } catch (error) {
            result = describe(error);
          }
          if (result === false || typeof result === "string") {
            set(i, { state: "error", detail: typeof result === "string" ? result : undefined });
            return false;
          }
          set(i, { state: "done" });
        }
        return true;
      } finally {
        setRunning(false);
      }
    },
    [describe],
  );

  const clear = useCallback(() => setSteps([]), []);
  return { steps, running, run, clear };
}
