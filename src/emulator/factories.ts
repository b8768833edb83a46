import { hex8, prngUuid, type Prng } from './prng.js';
import {
  ACCOUNT_ID,
  FLEET_TEMPLATES,
  REGION,
  STACK_TEMPLATES,
  type FleetTemplate,
} from './templates.js';
import type { SeedUser } from './users.js';
import type { Fleet, NetworkAccessConfiguration, Session, Stack } from './types.js';

const ARN_PREFIX = `arn:aws:appstream:${REGION}:${ACCOUNT_ID}`;
/** Stacks and fleets were "created" during 2025; sessions start from {@link SESSION_EPOCH}. */
const CREATED_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
export const SESSION_EPOCH = Date.UTC(2026, 0, 12, 7, 30, 0);

/** A complete stack for `name`; `index` picks a template for the descriptive fields. */
export function makeStack(
  name: string,
  index: number,
  rng: Prng,
  overrides?: Partial<Stack>,
): Stack {
  const tpl = STACK_TEMPLATES[index % STACK_TEMPLATES.length] ?? STACK_TEMPLATES[0];
  const displayName = tpl?.name === name ? tpl.displayName : name;
  const stack: Stack = {
    Arn: `${ARN_PREFIX}:stack/${name}`,
    Name: name,
    DisplayName: displayName,
    Description: tpl?.name === name ? tpl.description : `Stack ${name}`,
    CreatedTime: new Date(CREATED_EPOCH + index * 86_400_000 * 17 + rng.int(86_400) * 1000),
    StorageConnectors:
      tpl?.homeFolders === false
        ? []
        : [
            {
              ConnectorType: 'HOMEFOLDERS',
              ResourceIdentifier: `appstream2-36fb080bb8-${REGION}-${ACCOUNT_ID}`,
            },
          ],
    RedirectURL: `https://portal.example.com/appstream/${name}/goodbye`,
    FeedbackURL: `https://portal.example.com/appstream/${name}/feedback`,
    StackErrors: rng.chance(0.15)
      ? [
          {
            ErrorCode: 'STORAGE_CONNECTOR_ERROR',
            ErrorMessage: 'Home folder bucket is not reachable',
          },
        ]
      : [],
    UserSettings: [
      {
        Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE',
        Permission: 'ENABLED',
        MaximumLength: 20_971_520,
      },
      {
        Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE',
        Permission: rng.chance(0.5) ? 'ENABLED' : 'DISABLED',
      },
      { Action: 'FILE_UPLOAD', Permission: 'ENABLED' },
      { Action: 'FILE_DOWNLOAD', Permission: rng.chance(0.6) ? 'ENABLED' : 'DISABLED' },
      { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'ENABLED' },
    ],
    ApplicationSettings: { Enabled: true, SettingsGroup: name },
    EmbedHostDomains: ['portal.example.com'],
    StreamingExperienceSettings: { PreferredProtocol: rng.chance(0.7) ? 'UDP' : 'TCP' },
  };
  return { ...stack, ...overrides };
}

/**
 * A complete fleet for `name`; capacity numbers are placeholders until
 * {@link withCapacityFor} recomputes them from the fleet's sessions.
 */
export function makeFleet(
  name: string,
  index: number,
  rng: Prng,
  overrides?: Partial<Fleet>,
): Fleet {
  const tpl: FleetTemplate = FLEET_TEMPLATES[index % FLEET_TEMPLATES.length] ?? fallbackTemplate();
  const own = tpl.name === name;
  const fleet: Fleet = {
    Arn: `${ARN_PREFIX}:fleet/${name}`,
    Name: name,
    DisplayName: own ? tpl.displayName : name,
    Description: own ? tpl.description : `Fleet ${name}`,
    ImageName: tpl.imageName,
    ImageArn: `${ARN_PREFIX}:image/${tpl.imageName}`,
    InstanceType: tpl.instanceType,
    FleetType: tpl.fleetType,
    ComputeCapacityStatus: { Desired: 2, Running: 2, InUse: 0, Available: 2 },
    MaxUserDurationInSeconds: rng.pick([28_800, 43_200, 57_600, 345_600]),
    DisconnectTimeoutInSeconds: rng.pick([60, 300, 900, 3600]),
    IdleDisconnectTimeoutInSeconds: rng.pick([0, 600, 900, 1800]),
    State: tpl.state ?? 'RUNNING',
    VpcConfig: {
      SubnetIds: [`subnet-0${rng.hex(16)}`, `subnet-0${rng.hex(16)}`],
      SecurityGroupIds: [`sg-0${rng.hex(16)}`],
    },
    CreatedTime: new Date(CREATED_EPOCH + index * 86_400_000 * 11 + rng.int(86_400) * 1000),
    FleetErrors: [],
    EnableDefaultInternetAccess: rng.chance(0.3),
    IamRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/appstream-fleet-${name}`.slice(0, 120),
    StreamView: tpl.streamView,
    Platform: tpl.platform,
    RootVolumeConfig: { VolumeSizeInGb: rng.pick([200, 300, 500]) },
    DisableIMDSV1: true,
  };
  if (tpl.platform.startsWith('WINDOWS') && rng.chance(0.5)) {
    fleet.DomainJoinInfo = {
      DirectoryName: 'corp.example.com',
      OrganizationalUnitDistinguishedName: 'OU=AppStream,DC=corp,DC=example,DC=com',
    };
  }
  if (tpl.maxSessionsPerInstance !== undefined) {
    fleet.MaxSessionsPerInstance = tpl.maxSessionsPerInstance;
  }
  if (tpl.fleetType === 'ELASTIC') {
    fleet.MaxConcurrentSessions = 500;
    delete fleet.VpcConfig;
  }
  return { ...fleet, ...overrides };
}

function fallbackTemplate(): FleetTemplate {
  const tpl = FLEET_TEMPLATES[0];
  if (tpl === undefined) throw new Error('no fleet templates');
  return tpl;
}

/** Where a new session lands: its pair, start time, user and instance slot within the fleet. */
export interface SessionPlacement {
  stackName: string;
  fleet: Fleet;
  fleetIndex: number;
  startTime: number;
  user: SeedUser;
  /** Counts sessions already placed on this fleet; selects the instance. */
  fleetOrdinal: number;
}

/** A complete session; `overrides` win over every generated member. */
export function makeSession(
  rng: Prng,
  at: SessionPlacement,
  overrides?: Partial<Session>,
): Session {
  const { fleet } = at;
  const multi = fleet.MaxSessionsPerInstance ?? 1;
  const slot = Math.floor(at.fleetOrdinal / multi);
  const roll = rng.next();
  const state = roll < 0.7 ? 'ACTIVE' : roll < 0.85 ? 'PENDING' : 'EXPIRED';
  const connected = state === 'ACTIVE' && rng.chance(0.85);
  const start = Math.floor(at.startTime / 1000) * 1000;
  const maxDuration = (fleet.MaxUserDurationInSeconds ?? 57_600) * 1000;
  const session: Session = {
    Id: prngUuid(rng),
    UserId: at.user.UserId,
    StackName: at.stackName,
    FleetName: fleet.Name,
    State: state,
    ConnectionState: connected ? 'CONNECTED' : 'NOT_CONNECTED',
    StartTime: new Date(start),
    MaxExpirationTime: new Date(start + maxDuration),
    AuthenticationType: at.user.AuthenticationType,
    NetworkAccessConfiguration: networkFor(at.fleetIndex, slot),
    InstanceId: `i-0${mix(at.fleetIndex, slot, 1)}${mix(at.fleetIndex, slot, 2)}`,
    InstanceDrainStatus: multi > 1 ? (rng.chance(0.08) ? 'DRAINING' : 'ACTIVE') : 'NOT_APPLICABLE',
  };
  return overrides === undefined ? session : { ...session, ...overrides };
}

function networkFor(fleetIndex: number, slot: number): NetworkAccessConfiguration {
  const ip = `10.${16 + (fleetIndex % 200)}.${Math.floor(slot / 250) % 256}.${(slot % 250) + 4}`;
  const v6 = `2600:1f18:${mix(fleetIndex, 0, 3).slice(0, 4)}:${(16 + fleetIndex).toString(16)}00::${(slot + 4).toString(16)}`;
  const ipv6 = fleetIndex % 2 === 0 ? [v6] : [];
  return {
    EniPrivateIpAddress: ip,
    EniIpv6Addresses: ipv6,
    EniId: `eni-0${mix(fleetIndex, slot, 4)}${mix(fleetIndex, slot, 5)}`,
  };
}

/** 8 hex digits from a 32-bit integer hash of (a, b, salt): stable ids without a generator. */
function mix(a: number, b: number, salt: number): string {
  let h = Math.imul(a + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + salt * 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return hex8(h >>> 0);
}
