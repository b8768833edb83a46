import { createHmacSigner } from '../../src/policy/signing.js';

/** A fixed test key (32 bytes), so that tests can sign what a holder of the key could sign. */
export const TEST_SECRET = 'test-secret-of-exactly-32-bytes!';
/** Another key of the same length, for "signed with another secret" cases. */
export const OTHER_SECRET = 'another-secret-of-32-bytes-long!';

/** The HMAC signer of the gateway, with {@link TEST_SECRET}. */
export const testSigner = createHmacSigner({ secret: TEST_SECRET });
