// News of job keys changed by an instance that does not run jobs, for the one that does. Best
// effort: a message sent while the holder was reconnecting is lost, which is why the holder
// also re-reads every pending job on a timer and after each reconnect (coordinator.ts).
export interface JobSignals {
  publish(key: string): void;
  /** `onKey` per message; `onReconnect` after the listening connection came back. */
  subscribe(onKey: (key: string) => void, onReconnect: () => void): Promise<void>;
  close(): Promise<void>;
}
