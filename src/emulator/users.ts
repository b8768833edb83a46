import type { AuthenticationType } from './types.js';

// Seeded user identities: a name pool large enough for 100,000 sessions without collisions.

const FIRST = [
  'ana',
  'ben',
  'chloe',
  'dev',
  'elena',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kara',
  'liam',
  'mei',
  'nora',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sam',
  'tariq',
  'uma',
  'victor',
  'wen',
  'yusuf',
  'zoe',
];
const LAST = [
  'alvarez',
  'brown',
  'chen',
  'dubois',
  'eriksen',
  'fischer',
  'garcia',
  'haddad',
  'ito',
  'jensen',
  'kowalski',
  'lopez',
  'martin',
  'nguyen',
  'okafor',
  'patel',
  'rossi',
  'silva',
  'tanaka',
  'weber',
];

/** A user identity: sessions of one user share both members. */
export interface SeedUser {
  UserId: string;
  AuthenticationType: AuthenticationType;
}

/** A deterministic user for a pool index: same index, same `UserId` and `AuthenticationType`. */
export function userForIndex(index: number): SeedUser {
  const first = FIRST[index % FIRST.length] ?? 'user';
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length] ?? 'name';
  const round = Math.floor(index / (FIRST.length * LAST.length));
  const suffix = round === 0 ? '' : String(round + 1);
  const kind = Math.imul(index + 1, 2654435761) >>> 28; // 0..15
  if (kind < 6)
    return { UserId: `${first}.${last}${suffix}@example.com`, AuthenticationType: 'SAML' };
  if (kind < 11)
    return { UserId: `${first}.${last}${suffix}@example.org`, AuthenticationType: 'USERPOOL' };
  if (kind < 14)
    return {
      UserId: `${first[0] ?? 'u'}${last}${suffix}@corp.example.com`,
      AuthenticationType: 'AWS_AD',
    };
  return { UserId: `svc-${last}-${first}${suffix}`, AuthenticationType: 'API' };
}
