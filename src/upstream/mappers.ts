import type { Fleet, Session, Stack } from '@aws-sdk/client-appstream';
import type { FleetRecord, SessionRecord, StackRecord } from './types.js';

function isoOrNull(value: Date | undefined): string | null {
  return value === undefined ? null : value.toISOString();
}

/**
 * Maps an SDK `Session` listed in `region` to the gateway's record. Optional AWS members become
 * `null`.
 */
export function toSessionRecord(session: Session, region: string): SessionRecord {
  const network = session.NetworkAccessConfiguration;
  return {
    region,
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

/** Maps an SDK `Stack` to the gateway's record. */
export function toStackRecord(stack: Stack): StackRecord {
  return {
    name: stack.Name ?? '',
    displayName: stack.DisplayName ?? null,
    description: stack.Description ?? null,
    createdTime: isoOrNull(stack.CreatedTime),
    redirectUrl: stack.RedirectURL ?? null,
    feedbackUrl: stack.FeedbackURL ?? null,
    embedHostDomains: stack.EmbedHostDomains ?? null,
    userSettings:
      stack.UserSettings?.map((setting) => ({
        action: setting.Action ?? '',
        permission: setting.Permission ?? '',
      })) ?? null,
    preferredProtocol: stack.StreamingExperienceSettings?.PreferredProtocol ?? null,
  };
}

/** Maps an SDK `Fleet` to the gateway's record. */
export function toFleetRecord(fleet: Fleet): FleetRecord {
  const capacity = fleet.ComputeCapacityStatus;
  return {
    name: fleet.Name ?? '',
    displayName: fleet.DisplayName ?? null,
    description: fleet.Description ?? null,
    state: fleet.State ?? 'STOPPED',
    instanceType: fleet.InstanceType ?? '',
    fleetType: fleet.FleetType ?? null,
    computeCapacity: {
      desired: capacity?.Desired ?? 0,
      running: capacity?.Running ?? null,
      inUse: capacity?.InUse ?? null,
      available: capacity?.Available ?? null,
      draining: capacity?.Draining ?? null,
      desiredUserSessions: capacity?.DesiredUserSessions ?? null,
      availableUserSessions: capacity?.AvailableUserSessions ?? null,
      activeUserSessions: capacity?.ActiveUserSessions ?? null,
      actualUserSessions: capacity?.ActualUserSessions ?? null,
    },
    createdTime: isoOrNull(fleet.CreatedTime),
    imageName: fleet.ImageName ?? null,
    platform: fleet.Platform ?? null,
    streamView: fleet.StreamView ?? null,
    maxUserDurationInSeconds: fleet.MaxUserDurationInSeconds ?? null,
    disconnectTimeoutInSeconds: fleet.DisconnectTimeoutInSeconds ?? null,
    idleDisconnectTimeoutInSeconds: fleet.IdleDisconnectTimeoutInSeconds ?? null,
    maxConcurrentSessions: fleet.MaxConcurrentSessions ?? null,
    maxSessionsPerInstance: fleet.MaxSessionsPerInstance ?? null,
    enableDefaultInternetAccess: fleet.EnableDefaultInternetAccess ?? null,
  };
}
