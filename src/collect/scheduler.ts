/** The tasks of one account (or any group whose resources live as long as its tasks). */
export interface TaskGroup<T> {
  key: string;
  tasks: readonly T[];
}

export interface ScheduleOptions<T, S> {
  /** Tasks in flight at once. */
  runs: number;
  /** Groups open at once; up to twice as many while the open ones are finishing their last tasks. */
  window: number;
  /** Called when a group enters the window, before its first task: its resources (clients, credentials). */
  open(group: TaskGroup<T>): S;
  run(task: T, session: S, group: TaskGroup<T>): Promise<void>;
  /** Called once the group's last task finished (or, after a failure, once nothing of it runs any more). */
  close(session: S, group: TaskGroup<T>): void;
}

interface Open<T, S> {
  group: TaskGroup<T>;
  session: S;
  next: number;
  running: number;
}

/**
 * Runs grouped tasks with at most `runs` in flight and `window` groups open. Groups enter the window in the order
 * given, as earlier ones finish, or (up to 2 × window open) as soon as every open group has all its tasks under way,
 * so that slots do not idle while the last runs of the window's groups finish. A free run slot goes to the open
 * groups in turn (round-robin), so every open
 * group progresses at the same pace and a group with fifty times the tasks of another cannot delay it. A group is
 * closed as soon as its last task finishes, so resources live only while they are needed, and the groups are pulled
 * from the iterable lazily: memory follows the window, not the number of groups.
 *
 * A task that rejects stops the schedule: nothing new starts, every open group is closed once its running tasks
 * have settled, and the first error is thrown.
 */
export function schedule<T, S>(groups: Iterable<TaskGroup<T>>, options: ScheduleOptions<T, S>): Promise<void> {
  if (!(options.runs >= 1) || !(options.window >= 1)) throw new RangeError(`runs and window must be at least 1 (got ${options.runs}, ${options.window})`);
  const source = groups[Symbol.iterator]();
  const open: Open<T, S>[] = [];
  let exhausted = false;
  let cursor = 0;
  let inFlight = 0;
  let failure: { error: unknown } | undefined;

  return new Promise<void>((resolve, reject) => {
    // The window, plus as many again while every open group has all its tasks under way: then a group's last
    // runs do not leave slots idle, and at most 2 × window groups are ever open.
    const roomFor = (): boolean => open.length < options.window || (open.length < 2 * options.window && open.every((g) => g.next >= g.group.tasks.length));
    const admit = (): void => {
      while (!exhausted && roomFor()) {
        const step = source.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        if (step.value.tasks.length === 0) continue;
        open.push({ group: step.value, session: options.open(step.value), next: 0, running: 0 });
      }
    };
    const pick = (): Open<T, S> | undefined => {
      for (let i = 0; i < open.length; i++) {
        const index = (cursor + i) % open.length;
        const slot = open[index]!;
        if (slot.next < slot.group.tasks.length) {
          cursor = index + 1;
          return slot;
        }
      }
      return undefined;
    };
    const closeSlot = (slot: Open<T, S>): void => {
      const index = open.indexOf(slot);
      open.splice(index, 1);
      if (index < cursor) cursor--;
      try {
        options.close(slot.session, slot.group);
      } catch (error) {
        failure ??= { error };
      }
    };
    const settle = (): void => {
      if (inFlight > 0) return;
      if (failure) {
        for (const slot of [...open]) closeSlot(slot);
        reject(failure.error);
      } else if (exhausted && open.length === 0) resolve();
    };
    const finished = (slot: Open<T, S>): void => {
      inFlight--;
      slot.running--;
      if (slot.running === 0 && slot.next >= slot.group.tasks.length) closeSlot(slot);
      pump();
    };
    const pump = (): void => {
      try {
        while (!failure && inFlight < options.runs) {
          admit();
          const slot = pick();
          if (!slot) break;
          const task = slot.group.tasks[slot.next++]!;
          slot.running++;
          inFlight++;
          let started: Promise<void>;
          try {
            started = options.run(task, slot.session, slot.group);
          } catch (err) {
            started = Promise.reject(err);
          }
          started.then(
            () => finished(slot),
            (error: unknown) => {
              failure ??= { error };
              finished(slot);
            },
          );
        }
      } catch (error) {
        // open() or the iterable threw: stop as for a failed task.
        failure ??= { error };
      }
      settle();
    };
    pump();
  });
}
