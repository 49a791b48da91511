/**
 * Fair shares of the event loop for work that fans out. One batch (a database look-up for hundreds of accounts, a
 * group commit of hundreds of answers: src/db/batched-lookup.ts, src/db/group-commit.ts) settles hundreds of
 * requests at once, and each one's continuation (the next step of its click, rendering, the platform call) would
 * then run back to back in the same turn of the loop, for hundreds of milliseconds, while the next clicks wait
 * unread and unacknowledged (Slack's ack, Discord's interaction callback: docs/first-contact.md).
 *
 * `nextSlice()` waits for a share of a turn: waiters are let through in arrival order, `sliceMs` worth per turn, and
 * every socket read, ack and timer runs between two slices. Alone, a waiter goes on at the next turn.
 */

/** How long the continuations let through in one turn may run before the rest wait for the next. */
const sliceMs = 4;

const waiting: (() => void)[] = [];
let granting = false;

export function nextSlice(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!granting) {
      granting = true;
      setImmediate(grant);
    }
  });
}

async function grant(): Promise<void> {
  const started = performance.now();
  // Each one's work starts at once (a microtask after its own); once the slice's time is up, the rest wait.
  while (waiting.length > 0 && performance.now() - started < sliceMs) {
    waiting.shift()?.();
    await null;
  }
  // Called from the check phase, the next immediate runs after the next poll: I/O gets in between.
  if (waiting.length > 0) setImmediate(grant);
  else granting = false;
}
