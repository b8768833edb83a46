import type { Session } from '@aws-sdk/client-appstream';
import type { SessionRecord } from './types.js';

function isoOrNull(value: Date | undefined): string | null {
  return value === undefined ? null : value.toISOString();
}

/** Maps an SDK `Session` to the gateway's record. Optional AWS members become `null`. */
export function toSessionRecord(session: Session): SessionRecord {
  const network = session.NetworkAccessConfiguration;
  return {
    id: session.Id ?? '',
    userId: session.UserId ?? '',
    stackName: session.StackName ?? '',
    fleetName: session.FleetName ?? '',
    state: session.State ?? 'PENDING',
    connectionState: session.ConnectionState ?? null,
    startTime: isoOrNull(session.StartTime),
    maxExpirationTime: isoOrNull(session.MaxExpirationTime),
    authenticationType: session.AuthenticationType ?? null,
    networkAccessConfiguration:
      network === undefined
        ? null
        : {
            eniPrivateIpAddress: network.EniPrivateIpAddress ?? null,
            eniIpv6Addresses: network.EniIpv6Addresses ?? null,
            eniId: network.EniId ?? null,
          },
    instanceId: session.InstanceId ?? null,
    instanceDrainStatus: session.InstanceDrainStatus ?? null,
  };
}
