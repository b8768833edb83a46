/**
 * Record types the emulator stores and serves. Member names and enum values are those of the
 * AppStream 2.0 API (2016-12-01) so that a stored record serializes to the wire shape directly;
 * `Date` members are sent as epoch seconds.
 */

/** The operations the emulator implements; any other `x-amz-target` is `UnknownOperationException`. */
export const OPERATIONS = [
  'DescribeSessions',
  'DescribeStacks',
  'DescribeFleets',
  'ListAssociatedFleets',
  'ListAssociatedStacks',
] as const;

export type OperationName = (typeof OPERATIONS)[number];

/** True when `value` names an implemented operation. */
export function isOperationName(value: string): value is OperationName {
  return (OPERATIONS as readonly string[]).includes(value);
}

export const AUTHENTICATION_TYPES = ['API', 'SAML', 'USERPOOL', 'AWS_AD'] as const;
export type AuthenticationType = (typeof AUTHENTICATION_TYPES)[number];
export type SessionState = 'ACTIVE' | 'PENDING' | 'EXPIRED';
export type SessionConnectionState = 'CONNECTED' | 'NOT_CONNECTED';
export type InstanceDrainStatus = 'ACTIVE' | 'DRAINING' | 'NOT_APPLICABLE';
export type FleetType = 'ALWAYS_ON' | 'ON_DEMAND' | 'ELASTIC';
export type FleetState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';
export type StreamView = 'APP' | 'DESKTOP';
export type PlatformType =
  | 'WINDOWS'
  | 'WINDOWS_SERVER_2016'
  | 'WINDOWS_SERVER_2019'
  | 'WINDOWS_SERVER_2022'
  | 'WINDOWS_SERVER_2025'
  | 'AMAZON_LINUX2'
  | 'RHEL8'
  | 'ROCKY_LINUX8'
  | 'UBUNTU_PRO_2404';

export interface NetworkAccessConfiguration {
  EniPrivateIpAddress?: string;
  EniIpv6Addresses?: string[];
  EniId?: string;
}

/** A streaming session. `Id`, `UserId`, `StackName`, `FleetName` and `State` are always present. */
export interface Session {
  Id: string;
  UserId: string;
  StackName: string;
  FleetName: string;
  State: SessionState;
  ConnectionState?: SessionConnectionState;
  StartTime?: Date;
  MaxExpirationTime?: Date;
  AuthenticationType?: AuthenticationType;
  NetworkAccessConfiguration?: NetworkAccessConfiguration;
  InstanceId?: string;
  InstanceDrainStatus?: InstanceDrainStatus;
}

export interface StackError {
  ErrorCode?: 'STORAGE_CONNECTOR_ERROR' | 'INTERNAL_SERVICE_ERROR';
  ErrorMessage?: string;
}

export interface UserSetting {
  Action:
    | 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE'
    | 'CLIPBOARD_COPY_TO_LOCAL_DEVICE'
    | 'FILE_UPLOAD'
    | 'FILE_DOWNLOAD'
    | 'PRINTING_TO_LOCAL_DEVICE'
    | 'DOMAIN_PASSWORD_SIGNIN'
    | 'DOMAIN_SMART_CARD_SIGNIN'
    | 'AUTO_TIME_ZONE_REDIRECTION';
  Permission: 'ENABLED' | 'DISABLED';
  MaximumLength?: number;
}

export interface StorageConnector {
  ConnectorType: 'HOMEFOLDERS' | 'GOOGLE_DRIVE' | 'ONE_DRIVE';
  ResourceIdentifier?: string;
  Domains?: string[];
}

/** A stack. Only `Name` is required by the API; the seeded data fills what a user looks at. */
export interface Stack {
  Name: string;
  Arn?: string;
  Description?: string;
  DisplayName?: string;
  CreatedTime?: Date;
  StorageConnectors?: StorageConnector[];
  RedirectURL?: string;
  FeedbackURL?: string;
  StackErrors?: StackError[];
  UserSettings?: UserSetting[];
  ApplicationSettings?: { Enabled?: boolean; SettingsGroup?: string; S3BucketName?: string };
  AccessEndpoints?: { EndpointType: 'STREAMING'; VpceId?: string }[];
  EmbedHostDomains?: string[];
  StreamingExperienceSettings?: { PreferredProtocol?: 'TCP' | 'UDP' };
}

export interface ComputeCapacityStatus {
  Desired: number;
  Running?: number;
  InUse?: number;
  Available?: number;
  Draining?: number;
  DesiredUserSessions?: number;
  AvailableUserSessions?: number;
  ActiveUserSessions?: number;
  ActualUserSessions?: number;
}

export interface FleetError {
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** A fleet. `Arn`, `Name`, `InstanceType`, `ComputeCapacityStatus` and `State` are required. */
export interface Fleet {
  Arn: string;
  Name: string;
  InstanceType: string;
  ComputeCapacityStatus: ComputeCapacityStatus;
  State: FleetState;
  DisplayName?: string;
  Description?: string;
  ImageName?: string;
  ImageArn?: string;
  FleetType?: FleetType;
  MaxUserDurationInSeconds?: number;
  DisconnectTimeoutInSeconds?: number;
  IdleDisconnectTimeoutInSeconds?: number;
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  CreatedTime?: Date;
  FleetErrors?: FleetError[];
  EnableDefaultInternetAccess?: boolean;
  DomainJoinInfo?: { DirectoryName?: string; OrganizationalUnitDistinguishedName?: string };
  IamRoleArn?: string;
  StreamView?: StreamView;
  Platform?: PlatformType;
  MaxConcurrentSessions?: number;
  MaxSessionsPerInstance?: number;
  RootVolumeConfig?: { VolumeSizeInGb?: number };
  DisableIMDSV1?: boolean;
}

/** One stack–fleet association. */
export interface Association {
  StackName: string;
  FleetName: string;
}

/**
 * A complete emulator dataset as plain data. Array order is meaningful: stacks and fleets are
 * listed in this order, associations give the order of ListAssociated* results, and `sessions`
 * is creation order (the stable upstream order of DescribeSessions for each stack–fleet pair).
 */
export interface Dataset {
  stacks: Stack[];
  fleets: Fleet[];
  associations: Association[];
  sessions: Session[];
}
