import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { regionEndpointVariable } from '../../../src/config-regions.js';
import { problemsOf } from '../../helpers/config.js';

describe('APPSTREAM_REGIONS and the per-region endpoints', () => {
  it('has no region list by default: one region, as before', () => {
    expect(loadConfig({}).regions).toBeUndefined();
    expect(loadConfig({ APPSTREAM_REGIONS: '  ' }).regions).toBeUndefined();
  });

  it('reads the regions in order, trimmed', () => {
    expect(
      loadConfig({ APPSTREAM_REGIONS: ' us-east-1 , eu-west-1,ap-southeast-2' }).regions,
    ).toEqual([
      { name: 'us-east-1', endpoint: undefined },
      { name: 'eu-west-1', endpoint: undefined },
      { name: 'ap-southeast-2', endpoint: undefined },
    ]);
    expect(loadConfig({ APPSTREAM_REGIONS: 'us-gov-west-1' }).regions).toEqual([
      { name: 'us-gov-west-1', endpoint: undefined },
    ]);
  });

  it('names the endpoint variable of a region', () => {
    expect(regionEndpointVariable('eu-west-1')).toBe('APPSTREAM_ENDPOINT_EU_WEST_1');
  });

  it('reads a per-region endpoint with APPSTREAM_UPSTREAM=aws', () => {
    const config = loadConfig({
      APPSTREAM_UPSTREAM: 'aws',
      APPSTREAM_REGIONS: 'us-east-1,eu-west-1',
      APPSTREAM_ENDPOINT_EU_WEST_1: ' http://127.0.0.1:4567 ',
    });
    expect(config.regions).toEqual([
      { name: 'us-east-1', endpoint: undefined },
      { name: 'eu-west-1', endpoint: 'http://127.0.0.1:4567' },
    ]);
  });

  it('reports every problem at once, one line each', () => {
    expect(
      problemsOf({
        APPSTREAM_UPSTREAM: 'aws',
        APPSTREAM_REGIONS: 'us-east-1,EU-WEST-1,us-east-1,,mars',
        APPSTREAM_ENDPOINT_US_EAST_1: 'ftp://example.com',
        APPSTREAM_ENDPOINT_AP_SOUTH_1: 'http://127.0.0.1:1',
      }),
    ).toEqual([
      'APPSTREAM_REGIONS must be a comma-separated list of AWS region names such as "us-east-1,eu-west-1"; "EU-WEST-1" is not one.',
      'APPSTREAM_REGIONS names "us-east-1" twice; list each region once.',
      'APPSTREAM_REGIONS must be a comma-separated list of AWS region names such as "us-east-1,eu-west-1"; "" is not one.',
      'APPSTREAM_REGIONS must be a comma-separated list of AWS region names such as "us-east-1,eu-west-1"; "mars" is not one.',
      'APPSTREAM_ENDPOINT_US_EAST_1 must be an http:// or https:// URL; got "ftp://example.com".',
      'APPSTREAM_ENDPOINT_AP_SOUTH_1 names no region of APPSTREAM_REGIONS (us-east-1, EU-WEST-1, us-east-1, , mars).',
    ]);
  });

  it('refuses more than 20 regions', () => {
    const names = Array.from({ length: 21 }, (_, k) => `eu-west-${k + 1}`).join(',');
    expect(problemsOf({ APPSTREAM_REGIONS: names })).toEqual([
      'APPSTREAM_REGIONS lists 21 regions; at most 20.',
    ]);
  });

  it('refuses an endpoint override with the embedded emulator, or without a region list', () => {
    expect(
      problemsOf({ APPSTREAM_REGIONS: 'us-east-1', APPSTREAM_ENDPOINT_US_EAST_1: 'http://x:1' }),
    ).toEqual([
      'APPSTREAM_ENDPOINT_US_EAST_1 applies with APPSTREAM_UPSTREAM=aws only (the embedded emulator starts one instance per region by itself); unset it.',
    ]);
    expect(
      problemsOf({ APPSTREAM_UPSTREAM: 'aws', APPSTREAM_ENDPOINT_US_EAST_1: 'http://x:1' }),
    ).toEqual([
      'APPSTREAM_ENDPOINT_US_EAST_1 names no region of APPSTREAM_REGIONS (unset; AWS_ENDPOINT_URL_APPSTREAM overrides the endpoint of the single region).',
    ]);
  });
});
