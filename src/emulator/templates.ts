import type { Fleet, FleetType, PlatformType, StreamView } from './types.js';

/** Fake account and region used in every ARN the emulator makes. */
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** A stack's look before seeded variation. */
export interface StackTemplate {
  name: string;
  displayName: string;
  description: string;
  homeFolders: boolean;
}

/** A fleet's look before seeded variation. */
export interface FleetTemplate {
  name: string;
  displayName: string;
  description: string;
  imageName: string;
  instanceType: string;
  fleetType: FleetType;
  platform: PlatformType;
  streamView: StreamView;
  maxSessionsPerInstance?: number;
  state?: Fleet['State'];
}

export const STACK_TEMPLATES: readonly StackTemplate[] = [
  t('engineering-desktops', 'Engineering Desktops', 'Full desktops for the engineering org'),
  t('finance-apps', 'Finance Applications', 'Accounting and reporting applications', false),
  t('design-studio', 'Design Studio', 'GPU workstations for 3D and video'),
  t('support-tools', 'Support Tools', 'Ticketing and remote-assist tools for support agents'),
  t('data-science-lab', 'Data Science Lab', 'Notebooks and analytics on Linux'),
  t('training-classroom', 'Training Classroom', 'Short-lived sessions for instructor-led training'),
];

function t(name: string, displayName: string, description: string, homeFolders = true) {
  return { name, displayName, description, homeFolders };
}

export const FLEET_TEMPLATES: readonly FleetTemplate[] = [
  f(
    'eng-win2022-ondemand',
    'Engineering Windows 2022',
    'ON_DEMAND',
    'WINDOWS_SERVER_2022',
    'DESKTOP',
    'stream.standard.large',
    'eng-base-win2022-v14',
  ),
  f(
    'eng-linux-alwayson',
    'Engineering Linux',
    'ALWAYS_ON',
    'AMAZON_LINUX2',
    'DESKTOP',
    'stream.standard.xlarge',
    'eng-al2-dev-v9',
  ),
  f(
    'finance-win2019',
    'Finance Windows 2019',
    'ALWAYS_ON',
    'WINDOWS_SERVER_2019',
    'APP',
    'stream.standard.medium',
    'finance-apps-2019-v31',
  ),
  f(
    'design-gpu-alwayson',
    'Design GPU',
    'ALWAYS_ON',
    'WINDOWS_SERVER_2022',
    'DESKTOP',
    'stream.graphics.g4dn.xlarge',
    'design-g4dn-v7',
  ),
  f(
    'support-multisession',
    'Support Multi-session',
    'ALWAYS_ON',
    'WINDOWS_SERVER_2022',
    'APP',
    'stream.memory.z1d.large',
    'support-tools-ms-v5',
    10,
  ),
  f(
    'ds-linux-ondemand',
    'Data Science Linux',
    'ON_DEMAND',
    'ROCKY_LINUX8',
    'DESKTOP',
    'stream.compute.xlarge',
    'ds-rocky8-jupyter-v12',
  ),
  f(
    'shared-elastic-apps',
    'Shared Elastic Apps',
    'ELASTIC',
    'WINDOWS_SERVER_2019',
    'APP',
    'stream.standard.medium',
    'AppStream-WinServer2019-06-17-2024',
  ),
  f(
    'legacy-win2016',
    'Legacy Windows 2016',
    'ON_DEMAND',
    'WINDOWS_SERVER_2016',
    'APP',
    'stream.standard.medium',
    'legacy-erp-2016-v3',
    undefined,
    'STOPPED',
  ),
];

function f(
  name: string,
  displayName: string,
  fleetType: FleetType,
  platform: PlatformType,
  streamView: StreamView,
  instanceType: string,
  imageName: string,
  maxSessionsPerInstance?: number,
  state?: Fleet['State'],
): FleetTemplate {
  const description = `${displayName} (${fleetType.toLowerCase().replace('_', '-')})`;
  return {
    name,
    displayName,
    description,
    imageName,
    instanceType,
    fleetType,
    platform,
    streamView,
    ...(maxSessionsPerInstance === undefined ? {} : { maxSessionsPerInstance }),
    ...(state === undefined ? {} : { state }),
  };
}

/** Seeded associations as [stack index, fleet index] into the templates (many-to-many). */
export const ASSOCIATION_TEMPLATE: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 6],
  [1, 2],
  [1, 6],
  [2, 3],
  [3, 4],
  [3, 6],
  [3, 0],
  [4, 5],
  [4, 1],
  [5, 7],
  [5, 4],
];
