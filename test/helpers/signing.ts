import { createSealer } from '../../src/policy/sealing.js';
import { createHmacSigner } from '../../src/policy/signing.js';

/** A fixed test key (32 bytes), so that tests can seal what a holder of the key could seal. */
export const TEST_SECRET = 'test-secret-of-exactly-32-bytes!';
/** Another key of the same length, for "sealed with another secret" cases. */
export const OTHER_SECRET = 'another-secret-of-32-bytes-long!';

/** The HMAC signer of the readable ids of earlier releases, with {@link TEST_SECRET}. */
export const testSigner = createHmacSigner({ secret: TEST_SECRET });
/** The gateway's cursor sealer, with {@link TEST_SECRET}. */
export const testCursorSealer = createSealer({ secret: TEST_SECRET, purpose: 'cursor' });
/** The gateway's global id sealer, with {@link TEST_SECRET}. */
export const testIdSealer = createSealer({ secret: TEST_SECRET, purpose: 'global-id' });
