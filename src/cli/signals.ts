// Stopping on SIGINT or SIGTERM. A later SIGINT or SIGTERM means "stop now", but only one that
// comes a second or more after the first: under `npm start`, npm passes a signal on to Turnpike,
// which also gets it itself when the whole process group is signalled (Ctrl+C in a terminal,
// most process managers), so one stop arrives as two signals a moment apart.
//
// The listeners stay installed until the process exits: removing the last listener of a signal
// restores its default action, and the second of those two signals, arriving in between, would
// end the process on the spot, without draining.
const sameStopMs = 1_000;

/** Resolves with the first SIGINT or SIGTERM; a later one exits with code 130. */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === undefined) {
        first = performance.now();
        resolve(signal);
      } else if (performance.now() - first >= sameStopMs) process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
