import { Listr } from 'listr2';
import type { CollectionEvent } from '../collect/collect.js';

export interface ProgressDisplay {
  onEvent(event: CollectionEvent): void;
  /** Declares how many collector runs to expect per account, once the scope is known. */
  begin(totals: Map<string, number>): void;
  end(): Promise<void>;
}

/** The part of a listr2 task this display touches. */
interface Task {
  title?: string;
}

/** A live task list per account on a TTY (listr2); one plain line per collector run elsewhere (CI logs). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  return stream.isTTY ? ttyProgress() : plainProgress(stream);
}

function plainProgress(stream: NodeJS.WritableStream): ProgressDisplay {
  let done = 0;
  let total = 0;
  // A refused region or service fails every run there the same way: its reason is printed once per scope.
  const refused = new Set<string>();
  return {
    begin(totals) {
      total = [...totals.values()].reduce((a, b) => a + b, 0);
    },
    onEvent(e) {
      done++;
      const scope = e.refusal ? `${e.account}|${e.region}|${e.refusal}` : undefined;
      const repeat = scope !== undefined && refused.has(scope);
      if (scope) refused.add(scope);
      const tail = e.status === 'ok' ? `ok (${e.calls} calls)` : repeat ? `ERROR refused (${e.refusal}, as above)` : `ERROR ${e.error ?? ''}`;
      stream.write(`[${done}/${total || '?'}] ${e.account} ${e.region} ${e.collector} ${tail}\n`);
    },
    async end() {},
  };
}

function ttyProgress(): ProgressDisplay {
  const state = new Map<string, { done: number; errors: number; total: number; task?: Task; resolve?: () => void }>();
  let running: Promise<unknown> = Promise.resolve();
  const title = (account: string): string => {
    const s = state.get(account)!;
    return `${account}: ${s.done}/${s.total} collector runs${s.errors ? `, ${s.errors} failed (ERROR)` : ''}`;
  };
  return {
    begin(totals) {
      for (const [account, total] of totals) state.set(account, { done: 0, errors: 0, total });
      const list = new Listr(
        [...totals.keys()].map((account) => ({
          title: title(account),
          task: (_ctx: unknown, task: Task) =>
            new Promise<void>((resolve) => {
              const s = state.get(account)!;
              s.task = task;
              s.resolve = resolve;
              if (s.done >= s.total) resolve();
            }),
        })),
        { concurrent: true, exitOnError: false, rendererOptions: { collapseSubtasks: true } },
      );
      running = list.run();
    },
    onEvent(e) {
      const s = state.get(e.account);
      if (!s) return;
      s.done++;
      if (e.status === 'error') s.errors++;
      if (s.task) s.task.title = title(e.account);
      if (s.done >= s.total) s.resolve?.();
    },
    async end() {
      for (const s of state.values()) s.resolve?.();
      await running;
    },
  };
}
