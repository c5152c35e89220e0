// What the Teams adapter needs to run; read from the environment by app/config.ts.
export interface TeamsConfig {
  /** Empty: no authentication (local emulators and tests only; refused in production). */
  appId?: string;
  appPassword?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  tenantId?: string;
}
