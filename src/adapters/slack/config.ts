// What the Slack adapter needs to run; read from the environment by app/config.ts.
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set (no public URL needed). */
  appToken?: string;
  /** The Web API base URL (tests, proxies); Slack's own when unset. */
  apiUrl?: string;
  /** How long one Web API call may take (default 10 s). Not read from the environment: tests set it. */
  timeoutMs?: number;
}
